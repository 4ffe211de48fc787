import { ImageImportError } from './errors';

/**
 * Normalises an archive entry's name to a relative `a/b/c` path, refusing names that are absolute or
 * climb out of the folder the archive would be extracted to (the "zip slip" attack).
 */
export function safeEntryPath(name: string, archiveName: string): string {
  const unified = name.replace(/\\/g, '/');
  if (unified.includes('\0')) throw refused(name, archiveName);
  if (unified.startsWith('/') || /^[a-zA-Z]:/.test(unified)) throw refused(name, archiveName);
  const parts: string[] = [];
  for (const part of unified.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw refused(name, archiveName);
    parts.push(part);
  }
  return parts.join('/');
}

function refused(name: string, archiveName: string): ImageImportError {
  return new ImageImportError(
    `The archive ${archiveName} was refused because its entry "${name}" points outside the folder it would be extracted to; the archive may be malicious, so use another copy of the data.`,
  );
}
