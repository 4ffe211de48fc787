import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { BuiltinDataset, DatasetPreview } from '../../../shared/api/contract';
import type { DatasetSource } from '../../../shared/graph/document';
import { decodeText, parseCsv, readCsvFile, type ParsedTable } from '../datasets/csv';
import { builtinDataPath } from '../paths';
import type { StorageReader } from '../storage';
import { ApiError } from './errors';

/** Rows a preview shows; the statistics cover the whole table. */
export const PREVIEW_ROWS = 100;

/** The shipped tables the Data view offers, with how to present them (data/README.md has their provenance). */
const BUILTIN_CATALOGUE: readonly Omit<BuiltinDataset, 'rows'>[] = [
  {
    name: 'california_housing.csv',
    label: 'California housing',
    description:
      'Median house value of California districts (1990 census) from 8 features such as income, house age, rooms and location: a regression task.',
  },
  {
    name: 'wine-quality-white-and-red.csv',
    label: 'Wine quality, red and white',
    description:
      'Red and white vinho verde wines: 11 physico-chemical measurements, a quality score and the wine type: tell red from white (classification).',
  },
];

function toPreview(table: ParsedTable): DatasetPreview {
  return { info: table.info, header: table.header, rows: table.rows.slice(0, PREVIEW_ROWS) };
}

/** Whether the handlers may read a `file` source (a path written by the renderer) for this transport. */
export type FileSourcePolicy = 'allow' | 'refuse';

/**
 * Previews of datasets: shipped files and stored datasets never change, so each is parsed once and
 * kept (the whole table is parsed for its statistics, which takes a moment for 20,000 rows).
 */
export class DatasetPreviews {
  private readonly cache = new Map<string, Promise<DatasetPreview>>();

  constructor(
    private readonly storage: StorageReader,
    private readonly filePolicy: FileSourcePolicy,
  ) {}

  /** The shipped datasets that are present, with their row counts. */
  async builtin(): Promise<BuiltinDataset[]> {
    const present = BUILTIN_CATALOGUE.filter((entry) => existsSync(builtinDataPath(entry.name)));
    return Promise.all(
      present.map(async (entry) => ({ ...entry, rows: (await this.builtinPreview(entry.name)).info.rows })),
    );
  }

  preview(source: DatasetSource): Promise<DatasetPreview> {
    switch (source.kind) {
      case 'builtin':
        return this.builtinPreview(source.name);
      case 'stored':
        return this.storedPreview(source.id);
      case 'file':
        return this.filePreview(source.path);
    }
  }

  private remember(key: string, make: () => Promise<DatasetPreview>): Promise<DatasetPreview> {
    let entry = this.cache.get(key);
    if (!entry) {
      entry = make();
      this.cache.set(key, entry);
      // A failure (a file that is not there) is not kept: the next attempt reads again.
      entry.catch(() => this.cache.delete(key));
    }
    return entry;
  }

  private builtinPreview(name: string): Promise<DatasetPreview> {
    let path: string;
    try {
      path = builtinDataPath(name);
    } catch {
      return Promise.reject(notShipped(name));
    }
    if (!name.toLowerCase().endsWith('.csv') || !existsSync(path)) return Promise.reject(notShipped(name));
    return this.remember(`builtin:${name}`, async () => toPreview(await readCsvFile(path)));
  }

  private storedPreview(rawId: string): Promise<DatasetPreview> {
    const id = Number(rawId);
    const record = Number.isInteger(id) ? this.storage.getDataset(id) : undefined;
    if (!record) {
      return Promise.reject(
        new ApiError('not-found', 'This dataset is no longer in the app: choose or import another one.'),
      );
    }
    if (record.kind !== 'tabular') {
      return Promise.reject(
        new ApiError(
          'not-tabular',
          `"${record.name}" holds images, not a table: the table preview is only for CSV datasets.`,
        ),
      );
    }
    // Keyed by content too: an id freed by a deletion may later name another dataset.
    return this.remember(`stored:${record.id}:${record.contentHash}`, async () => {
      const payload = this.storage.getDatasetPayload(record.id);
      if (!payload || payload.kind !== 'tabular') {
        throw new ApiError(
          'not-found',
          `The data of "${record.name}" is missing from the database: import the file again.`,
        );
      }
      return toPreview(parseCsv(decodeText(payload.bytes, record.name)));
    });
  }

  private async filePreview(path: string): Promise<DatasetPreview> {
    if (this.filePolicy === 'refuse') throw fileSourceRefused(path);
    // Files can change between two looks, so they are read every time.
    return toPreview(await readCsvFile(isAbsolute(path) ? path : resolve(path)));
  }
}

function notShipped(name: string): ApiError {
  return new ApiError(
    'not-found',
    `The app ships no dataset named "${name}": choose one from the list of datasets.`,
  );
}

/** The desktop app reads files only through its own dialogs, never from a path a page wrote. */
export function fileSourceRefused(path: string): ApiError {
  return new ApiError(
    'file-source',
    `This project reads its data straight from the file "${path}", which the desktop app does not do: import that file in the Data view instead.`,
  );
}
