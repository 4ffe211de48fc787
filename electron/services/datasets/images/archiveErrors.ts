import { ImageImportError } from './errors';

export function tooLarge(entry: string, name: string, limit: number): ImageImportError {
  return new ImageImportError(
    `The file "${entry}" in ${name} is larger than the ${Math.round(limit / 1024 ** 2)} MB limit for one file; unpack the archive and choose the folder instead.`,
  );
}

export function totalTooLarge(name: string, limit: number): ImageImportError {
  return new ImageImportError(
    `${name} unpacks to more than ${Math.round(limit / 1024 ** 3)} GB, the limit for one archive; it may be a "zip bomb", so check where it came from.`,
  );
}

export function tooManyEntries(name: string, limit: number): ImageImportError {
  return new ImageImportError(
    `${name} holds more than ${limit.toLocaleString('en-US')} entries, the limit for one archive; split it into smaller archives.`,
  );
}
