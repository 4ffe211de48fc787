import { StorageError } from './errors';

/** Longest name a project or dataset may have (the document schema's limit). */
export const MAX_NAME_LENGTH = 200;

/** The key names are unique by: case-insensitive for every script, not only ASCII. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/** The name as stored (trimmed), or a StorageError saying what is wrong with it. */
export function checkName(name: string, what: 'project' | 'dataset'): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new StorageError('invalid-name', `A ${what} needs a name: type one.`);
  if (trimmed.length > MAX_NAME_LENGTH) {
    throw new StorageError(
      'invalid-name',
      `That ${what} name is ${trimmed.length} characters long: use at most ${MAX_NAME_LENGTH}.`,
    );
  }
  return trimmed;
}

/** `base`, or `base (2)`, `base (3)`… the first one `isFree` accepts, shortened to stay within the limit. */
export function firstFreeName(base: string, isFree: (name: string) => boolean): string {
  const clipped = base.trim().slice(0, MAX_NAME_LENGTH);
  if (isFree(clipped)) return clipped;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${clipped.slice(0, MAX_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
    if (isFree(candidate)) return candidate;
  }
}
