import type { ApiErrorPayload } from '../../../shared/api/contract';
import { DataError } from '../datasets/csv';
import { ImageImportError } from '../datasets/images/errors';
import { ProjectFileError } from '../projectFile';
import { StorageError } from '../storage';

export type ApiErrorCode =
  | 'invalid-request'
  | 'unknown-request'
  | 'not-found'
  | 'run-active'
  | 'invalid-network'
  | 'not-tabular'
  | 'file-source'
  | 'no-model'
  | 'bad-input'
  | 'internal';

/** A request the handlers refuse for a reason the user can act on; `message` is one sentence for them. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What the renderer is told about a failed request: the services' own errors carry a message written
 * for the user and pass through; anything else is a bug, logged here and reported in general terms.
 */
export function toErrorPayload(
  error: unknown,
  log: (error: unknown) => void = logUnexpected,
): ApiErrorPayload {
  if (error instanceof ApiError || error instanceof StorageError || error instanceof DataError) {
    return { message: error.message, code: error.code };
  }
  if (error instanceof ProjectFileError) return { message: error.message, code: error.code };
  if (error instanceof ImageImportError) return { message: error.message, code: 'image-import' };
  log(error);
  const detail = error instanceof Error ? error.message : String(error);
  return {
    message: `Something went wrong inside Neural Workbench (${detail.replace(/\.\s*$/, '')}): try again, and restart the app if it keeps happening.`,
    code: 'internal',
  };
}

function logUnexpected(error: unknown): void {
  console.error('Neural Workbench: a request failed unexpectedly:', error);
}
