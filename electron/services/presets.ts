import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProjectDocument, type ProjectDocument } from '../../shared/graph';
import { presetsDir } from './paths';

export interface Preset {
  /** File name without .json: what `nwb train <preset>` takes. */
  id: string;
  document: ProjectDocument;
}

/** The shipped presets, sorted by id. A damaged preset file is a bug of the app, so it throws. */
export function listPresets(): Preset[] {
  return readdirSync(presetsDir())
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = parseProjectDocument(JSON.parse(readFileSync(join(presetsDir(), file), 'utf8')));
      if (!parsed.ok) throw new Error(`Preset ${file} is invalid: ${parsed.message}`);
      return { id: file.replace(/\.json$/, ''), document: parsed.document };
    });
}

export function findPreset(id: string): Preset | undefined {
  return listPresets().find((p) => p.id === id);
}
