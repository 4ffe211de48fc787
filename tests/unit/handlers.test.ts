import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppEvent, Handlers, RequestArgs, RequestName, RequestResult } from '../../shared/api/contract';
import type { ApiErrorPayload } from '../../shared/api/contract';
import type { ProjectDocument } from '../../shared/graph';
import { dispatchCall } from '../../electron/services/api/dispatch';
import { toErrorPayload } from '../../electron/services/api/errors';
import { createHandlers } from '../../electron/services/api/handlers';
import { RunManager } from '../../electron/services/runManager';
import { openStorage, type Storage } from '../../electron/services/storage';
import { trainerEntryPath } from '../../electron/services/trainerProcess';

class CallFailed extends Error {
  constructor(readonly payload: ApiErrorPayload) {
    super(payload.message);
  }
}

/** Calls through dispatchCall, as a transport does: the args are parsed by the contract's zod schema. */
function caller(handlers: Handlers) {
  return async <K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>> => {
    const envelope = await dispatchCall(handlers, name, args, () => undefined);
    if (!envelope.ok) throw new CallFailed(envelope.error);
    return envelope.result as RequestResult<K>;
  };
}

async function failure(promise: Promise<unknown>): Promise<ApiErrorPayload> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CallFailed) return error.payload;
    throw error;
  }
  throw new Error('the call succeeded');
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

let dir: string;
let storage: Storage;
let runs: RunManager;
const events: AppEvent[] = [];
let call: ReturnType<typeof caller>;
let electronCall: ReturnType<typeof caller>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nwb-handlers-'));
  storage = openStorage(path.join(dir, 'workbench.db'));
  runs = new RunManager({ storage, emit: (e) => events.push(e) });
  call = caller(createHandlers({ storage, runs, transport: 'preview' }));
  electronCall = caller(createHandlers({ storage, runs, transport: 'electron' }));
});

afterAll(async () => {
  runs.dispose();
  storage.close();
  await rm(dir, { recursive: true, force: true });
});

describe('app and presets', () => {
  it('tells the version, the database and the transport', async () => {
    const info = await call('app:info', {});
    expect(info.dbPath).toBe(storage.path);
    expect(info.transport).toBe('preview');
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect((await electronCall('app:info', {})).transport).toBe('electron');
  });

  it('lists the shipped presets with their task and parameter count', async () => {
    const presets = await call('presets:list', {});
    const wine = presets.find((p) => p.id === 'wine-type-ann');
    expect(wine).toMatchObject({ name: 'Wine type ANN', task: 'binary', params: 12 * 64 + 64 + 64 + 1 });
    const housing = presets.find((p) => p.id === 'california-housing-mlp');
    expect(housing?.task).toBe('regression');
    expect(housing?.params).toBe(601);
  });
});

describe('requests the contract refuses', () => {
  it('refuses an unknown request and arguments that do not parse, without calling a handler', async () => {
    const handlers = createHandlers({ storage, runs, transport: 'preview' });
    const spy = vi.spyOn(handlers, 'projects:get');
    const unknown = await dispatchCall(handlers, 'projects:format', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-request' } });
    const inherited = await dispatchCall(handlers, 'toString', {});
    expect(inherited).toMatchObject({ ok: false, error: { code: 'unknown-request' } });
    const bad = await dispatchCall(handlers, 'projects:get', { id: -3 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(bad.ok ? '' : bad.error.message).toContain('id');
    expect(spy).not.toHaveBeenCalled();
  });

  it('reports an unexpected failure in general terms and logs it', () => {
    const log = vi.fn();
    const payload = toErrorPayload(new TypeError('x is undefined'), log);
    expect(payload.code).toBe('internal');
    expect(payload.message).toContain('x is undefined');
    expect(log).toHaveBeenCalledOnce();
  });
});

describe('projects', () => {
  it('creates a project from a preset: the preset document under the new name', async () => {
    const presets = await call('presets:list', {});
    const wine = presets.find((p) => p.id === 'wine-type-ann')!;
    const project = await call('projects:create', { name: 'My wine', presetId: 'wine-type-ann' });
    expect(project.name).toBe('My wine');
    expect(project.document.name).toBe('My wine');
    expect(project.document.graph).toEqual(wine.document.graph);
    expect(project.document.data).toEqual(wine.document.data);
    expect((await call('projects:list', {})).map((p) => p.name)).toContain('My wine');
  });

  it('passes storage and preset errors through with their message', async () => {
    const taken = await failure(call('projects:create', { name: 'my WINE' }));
    expect(taken.code).toBe('name-taken');
    expect(taken.message).toMatch(/already exists/);
    const preset = await failure(call('projects:create', { name: 'Other', presetId: 'no-such-preset' }));
    expect(preset).toMatchObject({ code: 'not-found' });
    expect(preset.message).toContain('no-such-preset');
    const missing = await failure(call('projects:get', { id: 99999 }));
    expect(missing.code).toBe('not-found');
  });

  it('saves, versions, restores, renames, duplicates and deletes', async () => {
    const created = await call('projects:create', { name: 'Scratch' });
    expect(created.document.graph.nodes).toEqual([]);
    const withInput: ProjectDocument = {
      ...created.document,
      graph: {
        nodes: [
          {
            id: 'in',
            kind: 'input',
            params: { dataKind: 'tabular', features: 3 },
            position: { x: 0, y: 0 },
            frozen: false,
          },
        ],
        edges: [],
      },
    };
    const saved = await call('projects:save', { id: created.id, document: withInput, version: true });
    expect(saved.document.graph.nodes).toHaveLength(1);
    const versions = await call('projects:versions', { id: created.id });
    expect(versions.length).toBe(2);
    const first = versions.find((v) => v.number === 1)!;
    const restored = await call('projects:restoreVersion', { projectId: created.id, versionId: first.id });
    expect(restored.document.graph.nodes).toEqual([]);
    const renamed = await call('projects:rename', { id: created.id, name: 'Scratch two' });
    expect(renamed.document.name).toBe('Scratch two');
    const copy = await call('projects:duplicate', { id: created.id });
    expect(copy.name).toBe('Copy of Scratch two');
    expect(await call('projects:delete', { id: copy.id })).toEqual({ ok: true });
    expect((await failure(call('projects:get', { id: copy.id }))).code).toBe('not-found');
    expect((await failure(call('projects:versions', { id: copy.id }))).code).toBe('not-found');
  });

  it('exports a project file and imports it back as an equal project', async () => {
    const source = await call('projects:create', {
      name: 'Housing to share',
      presetId: 'california-housing-mlp',
    });
    const file = await call('projects:export', { id: source.id, includeDataset: 'embed' });
    expect(file.fileName).toBe('Housing to share.nwb');
    const imported = await call('projects:import', { fileName: file.fileName, base64: file.base64 });
    expect(imported.id).not.toBe(source.id);
    expect(imported.name).toBe('Housing to share (2)');
    expect(imported.document.graph).toEqual(source.document.graph);
    expect(imported.document.training).toEqual(source.document.training);
    const damaged = await failure(
      call('projects:import', { fileName: 'x.nwb', base64: file.base64.slice(0, 200) }),
    );
    expect(damaged.code).not.toBe('internal');
    expect(damaged.message.length).toBeGreaterThan(10);
  });
});

describe('datasets', () => {
  it('lists the shipped tables with their row counts', async () => {
    const { builtin } = await call('datasets:list', {});
    const rows = Object.fromEntries(builtin.map((d) => [d.name, d.rows]));
    expect(rows).toEqual({ 'california_housing.csv': 20640, 'wine-quality-white-and-red.csv': 6497 });
    for (const d of builtin) {
      expect(d.label.length).toBeGreaterThan(3);
      expect(d.description.length).toBeGreaterThan(20);
    }
  });

  it('previews a shipped table: its first 100 rows and statistics of all of them', async () => {
    const preview = await call('datasets:preview', {
      source: { kind: 'builtin', name: 'wine-quality-white-and-red.csv' },
    });
    expect(preview.header[0]).toBe('type');
    expect(preview.header).toContain('quality');
    expect(preview.rows).toHaveLength(100);
    expect(preview.info.rows).toBe(6497);
    expect(preview.info.columns.find((c) => c.name === 'type')?.categories).toEqual(['red', 'white']);
    const notShipped = await failure(
      call('datasets:preview', { source: { kind: 'builtin', name: '../package.json' } }),
    );
    expect(notShipped.code).toBe('not-found');
  });

  it('imports a CSV once, lists it and previews it from the database', async () => {
    const csv = 'size,rooms,price\n50,2,100\n80,3,180\n120,4,260\n';
    const record = await call('datasets:importCsv', {
      fileName: 'C:\\Users\\me\\flats.csv',
      base64: base64(csv),
    });
    expect(record).toMatchObject({ kind: 'tabular', name: 'flats', origin: 'flats.csv', rowCount: 3 });
    const again = await call('datasets:importCsv', { fileName: 'flats-copy.csv', base64: base64(csv) });
    expect(again.id).toBe(record.id);
    const { stored } = await call('datasets:list', {});
    expect(stored.map((d) => d.id)).toContain(record.id);
    const preview = await call('datasets:preview', { source: { kind: 'stored', id: String(record.id) } });
    expect(preview.header).toEqual(['size', 'rooms', 'price']);
    expect(preview.rows).toEqual([
      ['50', '2', '100'],
      ['80', '3', '180'],
      ['120', '4', '260'],
    ]);
    const gone = await failure(call('datasets:preview', { source: { kind: 'stored', id: '424242' } }));
    expect(gone.code).toBe('not-found');
  });

  it('refuses a file that is not a CSV with the import error', async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]).toString('base64');
    const error = await failure(call('datasets:importCsv', { fileName: 'book.xlsx', base64: zip }));
    expect(error.code).toBe('not-text');
    expect(error.message).toContain('book.xlsx');
    const ragged = await failure(
      call('datasets:importCsv', { fileName: 'r.csv', base64: base64('a,b\n1,2\n3\n') }),
    );
    expect(ragged.code).toBe('ragged');
  });

  it('reads a file path only in the preview, never in the desktop app', async () => {
    const file = path.join(dir, 'local.csv');
    await writeFile(file, 'x,y\n1,2\n3,4\n');
    const preview = await call('datasets:preview', { source: { kind: 'file', path: file } });
    expect(preview.info.rows).toBe(2);
    const refused = await failure(electronCall('datasets:preview', { source: { kind: 'file', path: file } }));
    expect(refused.code).toBe('file-source');
    expect(refused.message).toContain('import that file');
  });
});

describe('runs', () => {
  it('needs the trainer bundle (node scripts/build.mjs --node-only)', () => {
    expect(existsSync(trainerEntryPath())).toBe(true);
  });

  it('trains one short run: progress events, the stored result, and the rules while it trains', async () => {
    const project = await call('projects:create', { name: 'Wine quick', presetId: 'wine-type-ann' });
    const doc = project.document;
    await call('projects:save', {
      id: project.id,
      document: { ...doc, training: { ...doc.training, epochs: 1 } },
    });
    const run = await call('runs:start', { projectId: project.id, backend: 'cpu' });
    expect(run.status).toBe('running');
    expect(run.settings.epochs).toBe(1);
    expect((await call('runs:active', {})).map((r) => r.runId)).toEqual([run.id]);
    const twice = await failure(call('runs:start', { projectId: project.id }));
    expect(twice.code).toBe('run-active');
    expect((await failure(call('projects:delete', { id: project.id }))).code).toBe('run-active');
    expect((await failure(call('runs:delete', { runId: run.id }))).code).toBe('run-active');

    const outcome = await runs.outcome(run.id);
    expect(outcome?.type).toBe('done');
    expect(await call('runs:active', {})).toEqual([]);
    const mine = events.filter((e) => 'runId' in e && e.runId === run.id);
    expect(mine.some((e) => e.type === 'run:progress' && e.event.type === 'epoch')).toBe(true);
    expect(mine.at(-1)).toMatchObject({ type: 'run:ended', status: 'completed', error: null });

    const detail = await call('runs:get', { runId: run.id });
    expect(detail.run.status).toBe('completed');
    expect(detail.epochs.map((e) => e.epoch)).toEqual([1]);
    // 20 % of the 6,497 wines are held out for the test.
    expect(detail.predictions?.yTrue).toHaveLength(1300);
    expect(detail.predictions?.yPred).toHaveLength(1300);
    const listed = await call('runs:list', { projectId: project.id });
    expect(listed.map((r) => r.id)).toEqual([run.id]);
    expect(listed[0]?.headline?.metric).toBe('accuracy');

    expect(await call('runs:stop', { runId: run.id })).toEqual({ ok: true });
    expect(await call('runs:delete', { runId: run.id })).toEqual({ ok: true });
    expect((await failure(call('runs:get', { runId: run.id }))).code).toBe('not-found');
  });

  it('refuses to start a network with an error, recording no run', async () => {
    const project = await call('projects:create', { name: 'Broken wine', presetId: 'wine-type-ann' });
    const doc = project.document;
    const broken = {
      ...doc,
      graph: { ...doc.graph, edges: doc.graph.edges.filter((e) => e.id !== 'e-relu-fc2') },
    };
    await call('projects:save', { id: project.id, document: broken });
    const error = await failure(call('runs:start', { projectId: project.id }));
    expect(error.code).toBe('invalid-network');
    expect(error.message).toMatch(/Editor/);
    expect(await call('runs:list', { projectId: project.id })).toEqual([]);
  });

  it('refuses, in the desktop app, a project that reads a file path, recording no run', async () => {
    const project = await call('projects:create', { name: 'Wine from a path', presetId: 'wine-type-ann' });
    const doc = project.document;
    const fromFile = {
      ...doc,
      data: { ...doc.data!, source: { kind: 'file' as const, path: '/etc/passwd' } },
    };
    await call('projects:save', { id: project.id, document: fromFile });
    const error = await failure(electronCall('runs:start', { projectId: project.id }));
    expect(error.code).toBe('file-source');
    expect(await call('runs:list', { projectId: project.id })).toEqual([]);
  });

  it('says what to do when a project has no dataset', async () => {
    const project = await call('projects:create', { name: 'No data', presetId: 'wine-type-ann' });
    await call('projects:save', { id: project.id, document: { ...project.document, data: null } });
    const error = await failure(call('runs:start', { projectId: project.id }));
    expect(error.code).toBe('bad-spec');
    expect(error.message).toMatch(/Data view/);
  });
});
