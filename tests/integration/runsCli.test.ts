import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const bin = join(root, 'bin', 'nwb.cjs');
let dir: string;
let db: string;

function nwb(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NWB_DB: db },
    timeout: 180_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T>(r: { stdout: string }): T {
  return JSON.parse(r.stdout) as T;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nwb-runs-'));
  db = join(dir, 'workbench.db');
});

describe('run history through nwb', () => {
  it('records each run, lists it, shows it and compares three optimizers side by side', () => {
    const ids: number[] = [];
    for (const optimizer of ['adam', 'sgd', 'rmsprop']) {
      const r = nwb('train', 'wine-type-ann', '--epochs', '2', '--optimizer', optimizer, '--json');
      expect(r.code).toBe(0);
      const first = JSON.parse(r.stdout.split('\n')[0]!) as { type: string; run_id: number };
      expect(first.type).toBe('run');
      ids.push(first.run_id);
    }
    const runs = json<{ id: number; status: string; epochsDone: number; settings: { optimizer: string } }[]>(
      nwb('runs', '--project', 'Wine type ANN', '--json'),
    );
    expect(runs.map((r) => [r.id, r.status, r.epochsDone, r.settings.optimizer])).toEqual([
      [ids[2], 'completed', 2, 'rmsprop'],
      [ids[1], 'completed', 2, 'sgd'],
      [ids[0], 'completed', 2, 'adam'],
    ]);
    const shown = json<{
      epochs: { epoch: number; metrics: Record<string, number> }[];
      test: { accuracy: number };
    }>(nwb('show', String(ids[0]), '--json'));
    expect(shown.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(shown.epochs[0]!.metrics).toHaveProperty('val_loss');
    expect(shown.test.accuracy).toBeGreaterThan(0.5);

    const compared = json<{ runs: { id: number; settings: Record<string, string> }[]; differing: string[] }>(
      nwb('compare', ...ids.map(String), '--json'),
    );
    expect(compared.differing).toEqual(['optimizer']);
    expect(compared.runs.map((r) => r.settings.optimizer)).toEqual(['adam', 'sgd', 'rmsprop']);
    const table = nwb('compare', ...ids.map(String));
    expect(table.stdout).toMatch(/^\* optimizer\s+adam\s+sgd\s+rmsprop$/m);
    expect(table.stdout).toMatch(/^ {2}learning rate\s+0\.001\s+0\.001\s+0\.001$/m);
  });

  it('keeps finished epochs and marks the run interrupted when the training process is killed', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'train', 'california-housing-mlp', '--epochs', '200', '--batch-size', '10', '--json'],
      { cwd: dir, env: { ...process.env, NWB_DB: db } },
    );
    let out = '';
    let runId = 0;
    await new Promise<void>((resolveEpochs, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const lines = out
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { type: string; run_id?: number });
        runId = lines.find((l) => l.type === 'run')?.run_id ?? 0;
        if (lines.filter((l) => l.type === 'epoch').length >= 3) resolveEpochs();
      });
      child.on('exit', () => reject(new Error(`nwb exited before 3 epochs: ${out}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const epochsSeen = out.split('\n').filter((l) => l.includes('"type":"epoch"')).length;

    const raw = new Database(db, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    // Opening the database again (any nwb command) finds the run's owner gone.
    const shown = json<{ status: string; epochs: { epoch: number }[] }>(nwb('show', String(runId), '--json'));
    expect(shown.status).toBe('interrupted');
    expect(shown.epochs.length).toBeGreaterThanOrEqual(epochsSeen);
    expect(shown.epochs.map((e) => e.epoch)).toEqual(
      Array.from({ length: shown.epochs.length }, (_, i) => i + 1),
    );
  });

  it('exports a project to a .nwb file and imports it back as an equal project', () => {
    const file = join(dir, 'wine.nwb');
    expect(nwb('export', 'Wine type ANN', '-o', file, '--runs').code).toBe(0);
    const imported = json<{ projectId: number; name: string; runIds: number[] }>(
      nwb('import', file, '--json'),
    );
    expect(imported.name).toBe('Wine type ANN (2)');
    expect(imported.runIds.length).toBeGreaterThanOrEqual(3);
    const projects = json<{ name: string }[]>(nwb('projects', '--json'));
    expect(projects.map((p) => p.name).sort()).toEqual([
      'California housing MLP',
      'Wine type ANN',
      'Wine type ANN (2)',
    ]);
  });

  it('refuses a damaged project file, another format and a database that is not SQLite, writing nothing', () => {
    const before = json<unknown[]>(nwb('projects', '--json')).length;
    writeFileSync(join(dir, 'junk.nwb'), 'PK\u0003\u0004 this is not really a zip');
    const damaged = nwb('import', 'junk.nwb');
    expect(damaged.code).toBe(2);
    expect(damaged.stderr.trim().split('\n')).toHaveLength(1);
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ hello: 'world' }));
    const other = nwb('import', 'other.json');
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/not a Neural Workbench/i);
    expect(json<unknown[]>(nwb('projects', '--json'))).toHaveLength(before);

    const notDb = join(dir, 'notes.txt');
    writeFileSync(notDb, 'just some text, not a database\n'.repeat(50));
    const r = spawnSync(process.execPath, [bin, 'projects', '--db', notDb], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not a Neural Workbench database|not .*SQLite/i);
  });
});
