import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { appRoot } from '../paths';
import { StorageError, sqliteCode } from './errors';
import { APPLICATION_ID, SCHEMA_VERSION, migrate, userVersion } from './migrations';

/** The first 16 bytes of every SQLite 3 file. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;
const BUSY_TIMEOUT_MS = 5000;

/**
 * Refuses, before SQLite touches it, a path that is a folder or a file that is not SQLite: nothing is
 * written to it. A missing or empty file is fine: SQLite makes a new database there.
 */
function checkFile(file: string): 'missing' | 'empty' | 'sqlite' {
  let size: number;
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) {
      throw new StorageError(
        'unopenable',
        `"${file}" is a folder, not a database file: give the path of a file.`,
      );
    }
    size = stats.size;
  } catch (error) {
    if (error instanceof StorageError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new StorageError(
      'unopenable',
      `The database "${file}" cannot be read (${(error as Error).message}).`,
    );
  }
  if (size === 0) return 'empty';
  const header = Buffer.alloc(SQLITE_MAGIC.length);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    readSync(fd, header, 0, header.length, 0);
  } catch (error) {
    throw new StorageError(
      'unopenable',
      `The database "${file}" cannot be read (${(error as Error).message}).`,
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (size < HEADER_BYTES || !header.equals(SQLITE_MAGIC)) {
    throw new StorageError(
      'not-sqlite',
      `"${file}" is not a Neural Workbench database (it is not an SQLite file): check the path, or give a new file name to start a database.`,
    );
  }
  return 'sqlite';
}

function corrupt(file: string): StorageError {
  return new StorageError(
    'corrupt',
    `The database "${file}" is damaged and cannot be opened: restore a backup, or give a new file name to start a database.`,
  );
}

/** Maps an SQLite failure while opening to one clear StorageError. */
function openFailure(file: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const code = sqliteCode(error) ?? '';
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return corrupt(file);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StorageError(
      'busy',
      `The database "${file}" is busy in another program: close it there and try again.`,
    );
  }
  if (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_PERM')
  ) {
    return new StorageError(
      'unopenable',
      `The database "${file}" cannot be opened for writing: check that the file and its folder are writable.`,
    );
  }
  return new StorageError(
    'unopenable',
    `The database "${file}" cannot be opened (${(error as Error).message}).`,
  );
}

/**
 * Reads (never writes) what the file says about itself: ours, someone else's, too new. Reading the
 * schema makes SQLite check page 1, so a damaged header shows here rather than mid-session.
 */
function inspect(db: Database.Database, file: string): number {
  const tables = db
    .prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`)
    .get() as {
    n: number;
  };
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = userVersion(db);
  if (applicationId === 0 && version === 0 && tables.n === 0) return 0;
  if (applicationId !== APPLICATION_ID) {
    throw new StorageError(
      'foreign',
      `"${file}" is another program's SQLite database, not a Neural Workbench one: give another file name.`,
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new StorageError(
      'too-new',
      `The database "${file}" was written by a newer Neural Workbench (database version ${version}; this app knows up to ${SCHEMA_VERSION}): update the app to open it.`,
    );
  }
  return version;
}

/**
 * Under Electron in a development checkout (`npm start`), better-sqlite3's Electron build lives in
 * native/electron (scripts/electronNative.mjs), since node_modules keeps Node's build for the tests.
 * Packaged apps have node_modules rebuilt for Electron and use the default binding.
 */
function nativeBindingOption(): { nativeBinding?: string } {
  if (!process.versions.electron) return {};
  const binding = join(
    appRoot(),
    'native',
    'electron',
    'node_modules',
    'better-sqlite3',
    'build',
    'Release',
    'better_sqlite3.node',
  );
  return existsSync(binding) ? { nativeBinding: binding } : {};
}

/** Opens (creating it if needed) and migrates a database for reading and writing. */
export function openWritable(path: string): { db: Database.Database; file: string } {
  const file = resolve(path);
  if (checkFile(file) === 'missing') mkdirSync(dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS, ...nativeBindingOption() });
  } catch (error) {
    throw openFailure(file, error);
  }
  try {
    inspect(db, file);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal')
      throw new StorageError('unopenable', `The database "${file}" cannot use write-ahead logging.`);
    // FULL: a committed epoch survives a power cut too; one fsync an epoch costs nothing next to training.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return { db, file };
  } catch (error) {
    db.close();
    throw openFailure(file, error);
  }
}

/** Opens an existing, up-to-date database read-only (the trainer reads stored datasets this way). */
export function openReadOnly(path: string): { db: Database.Database; file: string } {
  const file = resolve(path);
  if (checkFile(file) !== 'sqlite') {
    throw new StorageError('unopenable', `There is no database at "${file}": check the path.`);
  }
  let db: Database.Database;
  try {
    db = new Database(file, {
      readonly: true,
      fileMustExist: true,
      timeout: BUSY_TIMEOUT_MS,
      ...nativeBindingOption(),
    });
  } catch (error) {
    throw openFailure(file, error);
  }
  try {
    const version = inspect(db, file);
    if (version < SCHEMA_VERSION) {
      throw new StorageError(
        'outdated',
        `The database "${file}" is from an older Neural Workbench: open it once with the app or \`nwb\` to upgrade it.`,
      );
    }
    db.pragma('query_only = ON');
    return { db, file };
  } catch (error) {
    db.close();
    throw openFailure(file, error);
  }
}
