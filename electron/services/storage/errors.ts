/** Why a storage call failed; callers and tests tell failures apart by code, users read the message. */
export type StorageErrorCode =
  | 'not-sqlite'
  | 'corrupt'
  | 'foreign'
  | 'too-new'
  | 'outdated'
  | 'unopenable'
  | 'busy'
  | 'not-found'
  | 'name-taken'
  | 'invalid-name'
  | 'invalid-input'
  | 'invalid-state'
  | 'damaged';

/** A storage failure; `message` is one sentence meant for the user: what is wrong and what to do. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The SQLite result code of a better-sqlite3 error (`SQLITE_BUSY`, …), if it is one. */
export function sqliteCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code.startsWith('SQLITE_') ? error.code : undefined;
  }
  return undefined;
}
