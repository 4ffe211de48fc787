import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import {
  SCHEMA_VERSION,
  defaultDbPath,
  openStorage,
  openStorageReadOnly,
  resolveDbPath,
  type StorageError,
  type StorageErrorCode,
} from '../../electron/services/storage';
import { APPLICATION_ID, MIGRATIONS, migrate } from '../../electron/services/storage/migrations';
import { presetDocument, tempDbPath, tempDir, wineCsv } from '../fixtures/storage/samples';
import { refusal, removeTempDirsAfterAll } from './storageSetup';

removeTempDirsAfterAll();

function expectRefused(path: string, code: StorageErrorCode): StorageError {
  const error = refusal(() => openStorage(path));
  expect(error.code).toBe(code);
  expect(error.message).toContain(resolve(path));
  // One sentence for a user: no stack, no SQLite jargon.
  expect(error.message.split('\n')).toHaveLength(1);
  expect(error.message).not.toMatch(/SQLITE_/);
  return error;
}

/** Files in the folder of `path`, to show a refused open created nothing beside it either. */
function siblings(path: string): string[] {
  return readdirSync(dirname(path)).sort();
}

describe('database paths', () => {
  const home = '/home/ada';
  it('uses the per-user data folder of each OS', () => {
    expect(defaultDbPath({ platform: 'linux', env: {}, home })).toBe(
      '/home/ada/.local/share/neural-workbench/workbench.db',
    );
    expect(defaultDbPath({ platform: 'linux', env: { XDG_DATA_HOME: '/data/ada' }, home })).toBe(
      '/data/ada/neural-workbench/workbench.db',
    );
    // A relative XDG_DATA_HOME is invalid by the spec and ignored.
    expect(defaultDbPath({ platform: 'linux', env: { XDG_DATA_HOME: 'rel' }, home })).toBe(
      '/home/ada/.local/share/neural-workbench/workbench.db',
    );
    expect(defaultDbPath({ platform: 'darwin', env: {}, home })).toBe(
      '/home/ada/Library/Application Support/Neural Workbench/workbench.db',
    );
    expect(defaultDbPath({ platform: 'win32', env: { APPDATA: '/roaming' }, home })).toBe(
      join('/roaming', 'Neural Workbench', 'workbench.db'),
    );
  });

  it('prefers --db, then NWB_DB, then the default', () => {
    const info = { platform: 'linux' as const, env: {}, home };
    expect(resolveDbPath({ flag: '/x/flag.db', env: { NWB_DB: '/x/env.db' } }, info)).toBe('/x/flag.db');
    expect(resolveDbPath({ env: { NWB_DB: '/x/env.db' } }, info)).toBe('/x/env.db');
    expect(resolveDbPath({ flag: '', env: { NWB_DB: ' ' } }, info)).toBe(defaultDbPath(info));
    expect(resolveDbPath({ flag: 'rel.db', env: {} }, info)).toBe(resolve('rel.db'));
  });
});

describe('opening a database', () => {
  it('creates the file and its folder, with WAL, foreign keys and a busy timeout', () => {
    const path = join(tempDir(), 'nested', 'deeper', 'workbench.db');
    const storage = openStorage(path);
    expect(storage.path).toBe(resolve(path));
    storage.close();
    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.close();
  });

  it('enforces foreign keys on its connection: deleting a project deletes its runs and their epochs', () => {
    const path = tempDbPath();
    const storage = openStorage(path);
    const project = storage.createProject(presetDocument('wine-type-ann'));
    const run = storage.createRun({ projectId: project.id, document: project.document, status: 'running' });
    storage.addEpoch(run.id, { epoch: 1, metrics: { loss: 1 }, learningRate: 0.001, seconds: 1 });
    expect(refusal(() => storage.createRun({ projectId: 999, document: project.document })).code).toBe(
      'not-found',
    );
    storage.deleteProject(project.id);
    const raw = new Database(path, { readonly: true });
    const count = (table: string) =>
      (raw.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([count('runs'), count('run_epochs'), count('project_versions')]).toEqual([0, 0, 0]);
    raw.close();
    storage.close();
  });

  it('numbers its migrations 1, 2, 3… with the last one as the schema version', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
  });

  it('upgrades a file from every earlier schema version, keeping its data', () => {
    const document = presetDocument('wine-type-ann');
    for (let version = 0; version < SCHEMA_VERSION; version++) {
      const path = tempDbPath();
      const db = new Database(path);
      migrate(db, version);
      expect(db.pragma('user_version', { simple: true })).toBe(version);
      const time = '2026-01-01T00:00:00.000Z';
      if (version >= 1) {
        db.prepare(
          'INSERT INTO projects (name, name_key, document, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
        ).run('Old project', 'old project', JSON.stringify({ ...document, name: 'Old project' }), time, time);
      }
      if (version >= 2) {
        db.prepare(
          `INSERT INTO runs (project_id, seed, status, created_at, started_at, optimizer, learning_rate, batch_size,
             epochs, epochs_done) VALUES (1, 42, 'running', ?, ?, 'adam', 0.001, 64, 100, 1)`,
        ).run(time, time);
        db.prepare('INSERT INTO run_details (run_id, document) VALUES (1, ?)').run(JSON.stringify(document));
        db.prepare(
          `INSERT INTO run_epochs (run_id, epoch, metrics, learning_rate, seconds) VALUES (1, 1, ?, 0.001, 2)`,
        ).run(JSON.stringify({ loss: 0.7, val_loss: 0.8 }));
      }
      db.close();

      const storage = openStorage(path);
      const raw = new Database(path, { readonly: true });
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      raw.close();
      if (version >= 1) {
        const project = storage.getProjectByName('old project');
        expect(project?.document.graph).toEqual(document.graph);
        // History starts with the document the project had before versions existed.
        expect(storage.listVersions(project!.id)).toHaveLength(1);
      }
      if (version >= 2) {
        // Recorded by a process that is long gone: interrupted, its epoch kept.
        expect(storage.getRun(1)?.status).toBe('interrupted');
        expect(storage.getRunEpochs(1).map((e) => e.metrics)).toEqual([{ loss: 0.7, val_loss: 0.8 }]);
      }
      // The upgraded file is fully usable.
      const created = storage.createProject(document, { name: `New at ${version}` });
      expect(storage.listVersions(created.id)).toHaveLength(1);
      storage.close();
    }
  });

  it('keeps everything across a close and reopen', () => {
    const path = tempDbPath();
    const first = openStorage(path);
    const { dataset } = first.addDataset(wineCsv());
    const project = first.createProject(presetDocument('wine-type-ann'));
    first.saveProject(project.id, { ...project.document, description: 'edited' }, { version: true });
    const run = first.createRun({ projectId: project.id, document: project.document, datasetId: dataset.id });
    first.startRun(run.id, { backend: 'cpu', params: 897 });
    first.addEpoch(run.id, { epoch: 1, metrics: { loss: 0.5 }, learningRate: 0.001, seconds: 1 });
    first.finishRun(run.id, { status: 'completed', test: null, bestEpoch: 1, backend: 'cpu', params: 897 });
    const before = {
      projects: first.listProjects(),
      project: first.getProject(project.id),
      versions: first.listVersions(project.id),
      datasets: first.listDatasets(),
      payload: first.getDatasetPayload(dataset.id),
      runs: first.listRuns(),
      run: first.getRun(run.id),
      epochs: first.getRunEpochs(run.id),
    };
    first.close();

    const second = openStorage(path);
    expect({
      projects: second.listProjects(),
      project: second.getProject(project.id),
      versions: second.listVersions(project.id),
      datasets: second.listDatasets(),
      payload: second.getDatasetPayload(dataset.id),
      runs: second.listRuns(),
      run: second.getRun(run.id),
      epochs: second.getRunEpochs(run.id),
    }).toEqual(before);
    second.close();
  });

  it('refuses a file that is not SQLite without writing to it', () => {
    const dir = tempDir();
    const csv = join(dir, 'data.csv');
    writeFileSync(csv, 'a,b,c\n' + '1,2,3\n'.repeat(100));
    const tiny = join(dir, 'tiny.db');
    writeFileSync(tiny, 'hello');
    const before = siblings(csv);
    for (const path of [csv, tiny]) {
      const bytes = readFileSync(path);
      const error = expectRefused(path, 'not-sqlite');
      expect(error.message).toMatch(/is not a Neural Workbench database/);
      expect(readFileSync(path).equals(bytes)).toBe(true);
    }
    expect(siblings(csv)).toEqual(before);
  });

  it('refuses a damaged database without writing to it', () => {
    const path = tempDbPath();
    openStorage(path).close();
    const bytes = readFileSync(path);
    // Keep the magic, break the rest of the header (page size, format numbers).
    const broken = Buffer.from(bytes);
    broken.fill(0xff, 16, 100);
    writeFileSync(path, broken);
    expectRefused(path, 'corrupt');
    expect(readFileSync(path).equals(broken)).toBe(true);
  });

  it("refuses another program's SQLite database and a folder", () => {
    const path = tempDbPath();
    const other = new Database(path);
    other.exec('CREATE TABLE contacts (name TEXT)');
    other.close();
    const bytes = readFileSync(path);
    expectRefused(path, 'foreign');
    expect(readFileSync(path).equals(bytes)).toBe(true);

    const folder = join(tempDir(), 'a-folder.db');
    mkdirSync(folder);
    expectRefused(folder, 'unopenable');
  });

  it('refuses a database from a newer app and leaves it as it was', () => {
    const path = tempDbPath();
    openStorage(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const bytes = readFileSync(path);
    const error = expectRefused(path, 'too-new');
    expect(error.message).toMatch(/newer Neural Workbench.*update the app/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(refusal(() => openStorageReadOnly(path)).code).toBe('too-new');
  });

  it('reads while another connection writes, and sees each epoch as soon as it is added', () => {
    const path = tempDbPath();
    const writer = openStorage(path);
    const project = writer.createProject(presetDocument('wine-type-ann'));
    const run = writer.createRun({ projectId: project.id, document: project.document, status: 'running' });
    const reader = openStorageReadOnly(path);
    expect(reader.getRunEpochs(run.id)).toEqual([]);
    writer.addEpoch(run.id, { epoch: 1, metrics: { loss: 0.4 }, learningRate: 0.001, seconds: 1 });
    expect(reader.getRunEpochs(run.id).map((e) => e.epoch)).toEqual([1]);
    expect(reader.listRuns()[0]?.epochsDone).toBe(1);
    expect('addEpoch' in reader).toBe(false);
    reader.close();
    writer.close();
  });

  it('opens an older database read-only only after it was upgraded', () => {
    const path = tempDbPath();
    const db = new Database(path);
    migrate(db, 1);
    db.close();
    expect(refusal(() => openStorageReadOnly(path)).code).toBe('outdated');
    expect(refusal(() => openStorageReadOnly(join(tempDir(), 'missing.db'))).code).toBe('unopenable');
  });
});

describe('runs left behind', () => {
  it('interrupts the runs of a storage closed while they were running, keeping their epochs', () => {
    const path = tempDbPath();
    const storage = openStorage(path);
    const project = storage.createProject(presetDocument('wine-type-ann'));
    const running = storage.createRun({
      projectId: project.id,
      document: project.document,
      status: 'running',
    });
    const queued = storage.createRun({ projectId: project.id, document: project.document });
    storage.addEpoch(running.id, { epoch: 1, metrics: { loss: 0.9 }, learningRate: 0.001, seconds: 1 });
    storage.close();
    const reopened = openStorage(path);
    expect(reopened.getRun(running.id)?.status).toBe('interrupted');
    expect(reopened.getRun(running.id)?.endedAt).not.toBeNull();
    expect(reopened.getRun(queued.id)?.status).toBe('interrupted');
    expect(reopened.getRunEpochs(running.id)).toHaveLength(1);
    reopened.close();
  });

  it('leaves alone the runs of another connection that is still open', () => {
    const path = tempDbPath();
    const app = openStorage(path);
    const project = app.createProject(presetDocument('wine-type-ann'));
    const run = app.createRun({ projectId: project.id, document: project.document, status: 'running' });
    // `nwb runs` opening the same file while the app trains.
    const cli = openStorage(path);
    expect(cli.getRun(run.id)?.status).toBe('running');
    cli.close();
    app.addEpoch(run.id, { epoch: 1, metrics: { loss: 0.9 }, learningRate: 0.001, seconds: 1 });
    app.finishRun(run.id, { status: 'completed', test: null, bestEpoch: 1, backend: 'cpu', params: 10 });
    expect(app.getRun(run.id)?.status).toBe('completed');
    app.close();
  });

  it('marks a run interrupted after its process is killed mid-run, with every finished epoch and an intact file', async () => {
    const path = tempDbPath();
    const script = resolve(__dirname, '../fixtures/storage/recordRun.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, '4'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((done) =>
      child.on('exit', (_code, signal) => done(signal)),
    );
    const line = await new Promise<string>((done, fail) => {
      createInterface({ input: child.stdout }).once('line', done);
      child.once('exit', () => fail(new Error('the recording process ended before recording its run')));
    });
    const { runId } = JSON.parse(line) as { runId: number };
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const storage = openStorage(path);
    const run = storage.getRun(runId);
    expect(run?.status).toBe('interrupted');
    expect(run?.backend).toBe('cpu');
    expect(storage.getRunEpochs(runId).map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(storage.listRuns()[0]).toMatchObject({
      id: runId,
      epochsDone: 4,
      headline: { metric: 'val_loss' },
    });
    storage.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
