import type { ProjectDocument } from '../../../shared/graph/document';
import { parseProjectDocument } from '../../../shared/graph/migrations';
import { StorageError } from './errors';

function withoutFinalStop(message: string): string {
  return message.replace(/\.\s*$/, '');
}

/** A document about to be written: validated (defaults applied), its name set to `name` when given. */
export function documentToStore(document: ProjectDocument, name?: string): string {
  const parsed = parseProjectDocument(name === undefined ? document : { ...document, name });
  if (!parsed.ok) throw new StorageError('invalid-input', parsed.message);
  return JSON.stringify(parsed.document);
}

/** A stored document, checked with the same rules as a file, so a damaged row is one clear error. */
export function storedDocument(text: string, owner: string): ProjectDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StorageError(
      'damaged',
      `The document of ${owner} in the database is not valid JSON: restore a backup.`,
    );
  }
  const parsed = parseProjectDocument(json);
  if (!parsed.ok) {
    throw new StorageError(
      'damaged',
      `The document of ${owner} in the database cannot be read (${withoutFinalStop(parsed.message)}): restore an earlier version or a backup.`,
    );
  }
  return parsed.document;
}
