import { create } from 'zustand';
import type { BuiltinDataset, DatasetPreview } from '../../../../shared/api/contract';
import type { DatasetRecord } from '../../../../shared/api/records';
import type { DatasetSource } from '../../../../shared/graph/document';
import { call } from '../../api/host';
import { sourceKey } from './dataModel';
import { bytesToBase64, importBlocker, readFileBytes } from './fileBytes';
import { messageOf } from '../../../../shared/api/errorMessage';

export type PreviewState =
  | { status: 'loading' }
  | { status: 'ready'; preview: DatasetPreview }
  | { status: 'error'; message: string };

export interface ImportProgress {
  fileName: string;
  stage: 'reading' | 'importing';
  /** 0..1 while reading; null while the host parses the file. */
  fraction: number | null;
}

interface DatasetState {
  builtin: BuiltinDataset[] | null;
  stored: DatasetRecord[] | null;
  listError: string | null;
  /** Previews by sourceKey. */
  previews: Record<string, PreviewState>;
  importing: ImportProgress | null;
  importError: string | null;
  loadList(): Promise<void>;
  loadPreview(source: DatasetSource): Promise<void>;
  /** Imports a CSV into the database; the new record, or null (the error is in importError). */
  importFile(file: File): Promise<DatasetRecord | null>;
  clearImportError(): void;
}

/** The shipped and stored datasets, their previews, and CSV imports. */
export const useDatasetStore = create<DatasetState>()((set, get) => ({
  builtin: null,
  stored: null,
  listError: null,
  previews: {},
  importing: null,
  importError: null,

  async loadList() {
    try {
      const { builtin, stored } = await call('datasets:list', {});
      set({ builtin, stored, listError: null });
    } catch (error) {
      set({ listError: messageOf(error) });
    }
  },

  async loadPreview(source) {
    const key = sourceKey(source);
    if (!key) return;
    const have = get().previews[key];
    if (have && have.status !== 'error') return;
    set((s) => ({ previews: { ...s.previews, [key]: { status: 'loading' } } }));
    try {
      const preview = await call('datasets:preview', { source });
      set((s) => ({ previews: { ...s.previews, [key]: { status: 'ready', preview } } }));
    } catch (error) {
      set((s) => ({ previews: { ...s.previews, [key]: { status: 'error', message: messageOf(error) } } }));
    }
  },

  async importFile(file) {
    const blocked = importBlocker(file);
    if (blocked) {
      set({ importError: blocked });
      return null;
    }
    set({ importing: { fileName: file.name, stage: 'reading', fraction: 0 }, importError: null });
    try {
      const bytes = await readFileBytes(file, (fraction) =>
        set({ importing: { fileName: file.name, stage: 'reading', fraction } }),
      );
      set({ importing: { fileName: file.name, stage: 'importing', fraction: null } });
      const record = await call('datasets:importCsv', { fileName: file.name, base64: bytesToBase64(bytes) });
      set((s) => ({ stored: [record, ...(s.stored ?? []).filter((d) => d.id !== record.id)], importing: null }));
      return record;
    } catch (error) {
      set({ importing: null, importError: messageOf(error) });
      return null;
    }
  },

  clearImportError: () => set({ importError: null }),
}));
