import type { Database, Statement } from 'better-sqlite3';

const cache = new WeakMap<Database, Map<string, Statement>>();

function cached(db: Database, key: string, prepare: () => Statement): Statement {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(key);
  if (!statement) {
    statement = prepare();
    statements.set(key, statement);
  }
  return statement;
}

/** A prepared statement for this connection, compiled once and reused (statements are hot in listRuns and addEpoch). */
export function sql(db: Database, text: string): Statement {
  return cached(db, text, () => db.prepare(text));
}

/** Like sql, but its rows are arrays in column order: better-sqlite3 builds those several times faster. */
export function sqlRaw(db: Database, text: string): Statement {
  return cached(db, `raw:${text}`, () => db.prepare(text).raw(true));
}

/** Everything a query module needs from the connection it runs on. */
export interface Context {
  db: Database;
  /** The current time as stored (ISO 8601, UTC); a clock is injectable for tests. */
  now: () => string;
}
