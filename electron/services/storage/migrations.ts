import type { Database } from 'better-sqlite3';
import { StorageError } from './errors';

/** Marks the file as ours in the SQLite header ('NWB1'), so another program's database is told apart. */
export const APPLICATION_ID = 0x4e574231;

export interface Migration {
  /** The `user_version` the database has once this migration ran. */
  version: number;
  name: string;
  up: (db: Database) => void;
}

/** Append only: a released migration never changes, a new one gets the next number. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'projects and datasets',
    up: (db) => {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.exec(`
        CREATE TABLE projects (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          -- Names are unique ignoring case (Unicode-aware, which COLLATE NOCASE is not).
          name_key TEXT NOT NULL UNIQUE,
          document TEXT NOT NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE datasets (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('tabular', 'image')),
          origin TEXT NOT NULL,
          content_hash TEXT NOT NULL UNIQUE,
          row_count INTEGER NOT NULL,
          table_json TEXT,
          image_stats_json TEXT,
          class_names TEXT,
          width INTEGER,
          height INTEGER,
          channels INTEGER,
          train_count INTEGER,
          test_count INTEGER,
          byte_size INTEGER NOT NULL,
          created_at TEXT NOT NULL
        );
        -- The data itself, apart from the metadata so listing datasets never reads it.
        CREATE TABLE dataset_payloads (
          dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
          table_gz BLOB,
          train_pixels BLOB,
          train_labels BLOB,
          test_pixels BLOB,
          test_labels BLOB
        );
      `);
    },
  },
  {
    version: 2,
    name: 'runs, epochs and models',
    up: (db) => {
      db.exec(`
        CREATE TABLE runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
          seed INTEGER NOT NULL,
          backend TEXT,
          status TEXT NOT NULL
            CHECK (status IN ('queued', 'running', 'completed', 'stopped', 'failed', 'interrupted')),
          created_at TEXT NOT NULL,
          started_at TEXT,
          ended_at TEXT,
          params INTEGER,
          best_epoch INTEGER,
          -- Copied from the document so listing runs reads no JSON.
          optimizer TEXT NOT NULL,
          learning_rate REAL NOT NULL,
          batch_size INTEGER NOT NULL,
          epochs INTEGER NOT NULL,
          epochs_done INTEGER NOT NULL DEFAULT 0,
          headline_metric TEXT,
          headline_value REAL,
          -- The process recording the run, so another process opening the file leaves live runs alone.
          owner_host TEXT,
          owner_pid INTEGER,
          owner_token TEXT,
          error TEXT,
          last_metrics TEXT
        );
        -- A run's large values (kilobytes each), apart so rows of runs stay small and many fit a page:
        -- listing 10,000 runs then reads a few hundred pages rather than thousands.
        CREATE TABLE run_details (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          document TEXT NOT NULL,
          test_metrics TEXT,
          predictions TEXT
        );
        CREATE TABLE run_epochs (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          epoch INTEGER NOT NULL,
          metrics TEXT NOT NULL,
          learning_rate REAL,
          seconds REAL,
          PRIMARY KEY (run_id, epoch)
        ) WITHOUT ROWID;
        CREATE TABLE run_models (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          topology TEXT NOT NULL,
          weight_specs TEXT NOT NULL,
          weight_data BLOB NOT NULL,
          preprocessing TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 3,
    name: 'run indexes and project versions',
    up: (db) => {
      db.exec(`
        CREATE INDEX runs_by_project ON runs(project_id, id);
        CREATE INDEX runs_active ON runs(status) WHERE status IN ('queued', 'running');
        CREATE INDEX runs_by_dataset ON runs(dataset_id) WHERE dataset_id IS NOT NULL;
        CREATE TABLE project_versions (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
          number INTEGER NOT NULL,
          document TEXT NOT NULL,
          note TEXT,
          saved_at TEXT NOT NULL,
          UNIQUE (project_id, number)
        );
        -- Projects saved before history existed start it with their current document.
        INSERT INTO project_versions (project_id, number, document, note, saved_at)
          SELECT id, 1, document, NULL, updated_at FROM projects;
      `);
    },
  },
];

/** The schema version this app writes: the number of the last migration. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to `target` (default: the latest), one migration per immediate transaction so
 * a crash leaves the file at a whole version and two processes opening it at once never both migrate.
 */
export function migrate(db: Database, target: number = SCHEMA_VERSION): void {
  for (const migration of MIGRATIONS) {
    if (migration.version > target) break;
    // Up to date: no write lock, so opening never waits on another process that is writing.
    if (userVersion(db) >= migration.version) continue;
    db.transaction(() => {
      const current = userVersion(db);
      if (current >= migration.version) return;
      if (current !== migration.version - 1) {
        throw new StorageError(
          'damaged',
          `The database is at schema version ${current}, which has no upgrade to ${migration.version}: restore a backup of it.`,
        );
      }
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
