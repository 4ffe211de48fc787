import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseProjectDocument, type ProjectDocument } from '../../shared/graph';
import { findPreset } from '../services/presets';
import { UsageError } from './errors';

export interface LoadedProject {
  document: ProjectDocument;
  /** Folder that relative data paths are read from. */
  baseDir: string;
  /** The preset id or file path the user gave. */
  label: string;
}

/** A project from a file path or a preset name, as `nwb inspect` and `nwb train` take it. */
export function loadProjectArg(arg: string | undefined): LoadedProject {
  if (!arg) throw new UsageError('Name a project file or a preset (see `nwb presets`).');
  const path = resolve(arg);
  if (existsSync(path) && statSync(path).isFile()) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new UsageError(`${arg} is not valid JSON: a project file is the JSON document the app saves.`);
    }
    const parsed = parseProjectDocument(json);
    if (!parsed.ok) throw new UsageError(`${arg}: ${parsed.message}`);
    return { document: parsed.document, baseDir: dirname(path), label: arg };
  }
  const preset = findPreset(arg);
  if (preset) return { document: preset.document, baseDir: process.cwd(), label: preset.id };
  if (/[\\/]|\.json$/.test(arg)) throw new UsageError(`No such file: ${arg}`);
  throw new UsageError(`No project file or preset named "${arg}": run \`nwb presets\` to see the presets.`);
}
