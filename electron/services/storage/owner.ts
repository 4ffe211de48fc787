import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** Tokens of the storages open in this process: a run owned by one of them is alive. */
const openTokens = new Set<string>();

/** Who records a run: the machine, the process and the storage connection within it. */
export interface Owner {
  host: string;
  pid: number;
  token: string;
}

export function registerOwner(): Owner {
  const owner = { host: hostname(), pid: process.pid, token: randomUUID() };
  openTokens.add(owner.token);
  return owner;
}

export function releaseOwner(owner: Owner): void {
  openTokens.delete(owner.token);
}

function processAlive(pid: number): boolean {
  try {
    // Signal 0 only checks that the process exists (EPERM: it does, run by someone else).
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a queued or running run can no longer finish: its process is gone, or it was this process's
 * and that storage is closed. Runs recorded on another machine (a shared folder) are left alone.
 */
export function isOrphaned(run: {
  owner_host: string | null;
  owner_pid: number | null;
  owner_token: string | null;
}): boolean {
  if (run.owner_host === null || run.owner_pid === null || run.owner_token === null) return true;
  if (run.owner_host !== hostname()) return false;
  if (run.owner_pid === process.pid) return !openTokens.has(run.owner_token);
  return !processAlive(run.owner_pid);
}
