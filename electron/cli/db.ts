import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openStorage, resolveDbPath, type Storage } from '../services/storage';
import type { CommandContext } from './context';

/** The user's database: `--db PATH`, else `NWB_DB`, else the per-user data folder. */
export function openDb(ctx: CommandContext): Storage {
  const path = resolveDbPath({ flag: typeof ctx.flags.db === 'string' ? ctx.flags.db : undefined });
  mkdirSync(dirname(path), { recursive: true });
  return openStorage(path);
}
