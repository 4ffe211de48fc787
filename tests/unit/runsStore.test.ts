import { describe, it, expect } from 'vitest';
import type {
  ActiveRun,
  AppEvent,
  HostApi,
  RequestArgs,
  RequestName,
  RequestResult,
  RunDetail,
} from '../../shared/api/contract';
import type { EpochRecord, RunRecord, RunSummary } from '../../shared/api/records';
import { emptyDocument } from '../../shared/graph/document';
import { createRunsStore } from '../../renderer/src/features/training/createRunsStore';
import { MAX_BATCH_POINTS, applyEvent, emptyRunsData } from '../../renderer/src/features/training/runsState';

type Handler = (args: unknown) => unknown;

/** A host that answers from handlers, records every call and lets the test push events. */
function fakeHost(handlers: Partial<Record<RequestName, Handler>>) {
  const calls: { name: RequestName; args: unknown }[] = [];
  const listeners = new Set<(e: AppEvent) => void>();
  const host: HostApi = {
    call<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>> {
      calls.push({ name, args });
      const h = handlers[name];
      if (!h) return Promise.reject(new Error(`no handler for ${name}`));
      try {
        return Promise.resolve(h(args) as RequestResult<K>);
      } catch (e) {
        return Promise.reject(e as Error);
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { host, calls, emit: (e: AppEvent) => listeners.forEach((l) => l(e)) };
}

/** A store whose scheduled flushes run only when the test says (like animation frames). */
function setup(handlers: Partial<Record<RequestName, Handler>> = {}) {
  const fake = fakeHost(handlers);
  const pending: (() => void)[] = [];
  let clock = 1_000_000;
  const store = createRunsStore({
    host: fake.host,
    schedule: (flush) => pending.push(flush),
    now: () => clock,
  });
  const frame = () => {
    for (const f of pending.splice(0)) f();
  };
  return { ...fake, store, frame, pending, advance: (ms: number) => (clock += ms) };
}

const doc = emptyDocument('Wine');

function runRecord(id: number, projectId: number, over: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    projectId,
    projectName: 'Wine',
    status: 'running',
    createdAt: '2026-12-01T09:00:00.000Z',
    startedAt: '2026-12-01T09:00:00.000Z',
    endedAt: null,
    epochsDone: 0,
    backend: null,
    headline: null,
    settings: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 3 },
    seed: 42,
    datasetId: null,
    document: doc,
    error: null,
    params: 897,
    bestEpoch: null,
    test: null,
    hasModel: false,
    hasPredictions: false,
    ...over,
  };
}

function summary(id: number, projectId: number, over: Partial<RunSummary> = {}): RunSummary {
  const {
    document: _d,
    error: _e,
    params: _p,
    bestEpoch: _b,
    test: _t,
    hasModel: _m,
    hasPredictions: _h,
    ...s
  } = runRecord(id, projectId);
  return { ...s, ...over };
}

const epoch = (n: number, loss = 1 / n): EpochRecord => ({
  epoch: n,
  metrics: { loss, val_loss: loss * 1.1, accuracy: 0.5 + n / 10, val_accuracy: 0.5 + n / 11 },
  learningRate: 0.001,
  seconds: 2,
});

const started = (runId: number, projectId: number): AppEvent => ({
  type: 'run:progress',
  runId,
  projectId,
  event: {
    type: 'started',
    runId,
    backend: 'wasm',
    backendReason: 'test',
    params: 897,
    trainSamples: 5197,
    testSamples: 1300,
    epochs: 3,
    batchesPerEpoch: 82,
  },
});

const batch = (runId: number, projectId: number, e: number, b: number, loss = 0.5): AppEvent => ({
  type: 'run:progress',
  runId,
  projectId,
  event: { type: 'batch', runId, epoch: e, batch: b, batches: 82, loss },
});

const epochEvent = (runId: number, projectId: number, n: number): AppEvent => ({
  type: 'run:progress',
  runId,
  projectId,
  event: {
    type: 'epoch',
    runId,
    epochs: 3,
    ...epoch(n),
    learningRate: 0.001,
    seconds: 2,
    samplesPerSecond: 2600,
  },
});

describe('runs store: live progress from host events', () => {
  it('shows the header status of the training run and nothing for other projects', () => {
    const { store, emit, frame } = setup();
    emit(started(7, 1));
    emit(batch(7, 1, 1, 40));
    frame();
    expect(store.getState().activeRunFor(1)).toEqual({
      runId: 7,
      epoch: 1,
      epochs: 3,
      batch: 40,
      batches: 82,
    });
    expect(store.getState().activeRunFor(2)).toBeNull();
  });

  it('applies a burst of events in one update when the frame comes', () => {
    const { store, emit, frame, pending } = setup();
    let updates = 0;
    store.subscribe(() => updates++);
    emit(started(7, 1));
    for (let b = 1; b <= 20; b++) emit(batch(7, 1, 1, b));
    expect(pending).toHaveLength(1);
    expect(store.getState().activeRunFor(1)).toBeNull();
    frame();
    expect(updates).toBe(1);
    expect(store.getState().activeRunFor(1)?.batch).toBe(20);
    expect(store.getState().traces[7]!.batchLoss).toHaveLength(20);
  });

  it('keeps the progress object when nothing in it changed, so header selectors stay stable', () => {
    const { store, emit, frame } = setup();
    emit(started(7, 1));
    emit(batch(7, 1, 1, 10));
    frame();
    const before = store.getState().activeRunFor(1);
    emit(batch(7, 1, 1, 10, 0.4)); // same counts, another loss
    frame();
    expect(store.getState().activeRunFor(1)).toBe(before);
    emit(batch(7, 1, 1, 11));
    frame();
    expect(store.getState().activeRunFor(1)).not.toBe(before);
  });

  it('records every finished epoch once, in order, and counts them done', () => {
    const { store, emit, frame } = setup();
    emit(started(7, 1));
    emit(epochEvent(7, 1, 1));
    emit(epochEvent(7, 1, 2));
    emit(epochEvent(7, 1, 2));
    frame();
    const trace = store.getState().currentTrace(1)!;
    expect(trace.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(trace.epochsDone).toBe(2);
    expect(trace.progress).toMatchObject({ epoch: 2, batch: 82, batches: 82 });
  });

  it('ends the run: no longer active, still shown, and fetches its results and the list', async () => {
    const final = runRecord(7, 1, {
      status: 'completed',
      epochsDone: 3,
      endedAt: '2026-12-01T09:01:00.000Z',
    });
    const { store, emit, frame, calls } = setup({
      'runs:get': () =>
        ({ run: final, epochs: [epoch(1), epoch(2), epoch(3)], predictions: null }) satisfies RunDetail,
      'runs:list': () => [summary(7, 1, { status: 'completed' })],
    });
    emit(started(7, 1));
    emit(epochEvent(7, 1, 1));
    emit({ type: 'run:ended', runId: 7, projectId: 1, status: 'completed', error: null });
    frame();
    expect(store.getState().activeRunFor(1)).toBeNull();
    expect(store.getState().currentTrace(1)?.status).toBe('completed');
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.map((c) => c.name)).toEqual(expect.arrayContaining(['runs:get', 'runs:list']));
    expect(store.getState().details[7]?.run.status).toBe('completed');
    expect(store.getState().currentTrace(1)?.epochs).toHaveLength(3);
    expect(store.getState().lists[1]).toHaveLength(1);
  });

  it('ignores progress that arrives after the run ended', () => {
    const { store, emit, frame } = setup();
    emit(started(7, 1));
    emit({ type: 'run:ended', runId: 7, projectId: 1, status: 'stopped', error: null });
    emit(batch(7, 1, 2, 5));
    frame();
    expect(store.getState().activeRunFor(1)).toBeNull();
    expect(store.getState().traces[7]!.progress.batch).toBe(0);
  });

  it('keeps a failed run’s message for the view', () => {
    const { store, emit, frame } = setup({
      'runs:get': () => Promise.reject(new Error('gone')),
      'runs:list': () => [],
    });
    emit(started(7, 1));
    emit({
      type: 'run:ended',
      runId: 7,
      projectId: 1,
      status: 'failed',
      error: 'The loss became NaN at epoch 2: lower the learning rate.',
    });
    frame();
    expect(store.getState().currentTrace(1)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('NaN'),
    });
  });
});

describe('runs store: after a reload', () => {
  it('finds the run still training and its epochs so far, then keeps counting', async () => {
    const active: ActiveRun[] = [{ runId: 9, projectId: 4, epoch: 3, epochs: 50, batch: 17, batches: 82 }];
    const { store, emit, frame } = setup({
      'runs:active': () => active,
      'runs:get': () =>
        ({
          run: runRecord(9, 4, {
            settings: { optimizer: 'sgd', learningRate: 1e-4, batchSize: 64, epochs: 50 },
          }),
          epochs: [epoch(1), epoch(2)],
          predictions: null,
        }) satisfies RunDetail,
    });
    await store.getState().resume();
    const trace = store.getState().currentTrace(4)!;
    expect(trace.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(trace.epochsDone).toBe(2);
    expect(trace.status).toBe('running');
    expect(store.getState().activeRunFor(4)).toEqual({
      runId: 9,
      epoch: 3,
      epochs: 50,
      batch: 17,
      batches: 82,
    });

    emit(epochEvent(9, 4, 3));
    frame();
    expect(
      store
        .getState()
        .currentTrace(4)!
        .epochs.map((e) => e.epoch),
    ).toEqual([1, 2, 3]);
  });

  it('shows the latest run of a project when none trains', async () => {
    const { store } = setup({
      'runs:list': () => [summary(12, 4, { status: 'completed' }), summary(11, 4, { status: 'completed' })],
      'runs:get': (args) => {
        const { runId } = args as { runId: number };
        return { run: runRecord(runId, 4, { status: 'completed' }), epochs: [epoch(1)], predictions: null };
      },
    });
    await store.getState().loadCurrent(4);
    expect(store.getState().currentTrace(4)?.runId).toBe(12);
    expect(store.getState().currentTrace(4)?.status).toBe('completed');
  });
});

describe('runs store: starting, stopping and deleting', () => {
  it('saves the document before starting the run, then tracks it as active', async () => {
    const { store, calls } = setup({
      'projects:save': () => ({}),
      'runs:start': () => runRecord(21, 3),
      'runs:list': () => [summary(21, 3)],
    });
    store.getState().setBackend('cpu');
    const run = await store.getState().start(3, doc);
    expect(run.id).toBe(21);
    const names = calls.map((c) => c.name);
    expect(names.indexOf('projects:save')).toBeLessThan(names.indexOf('runs:start'));
    expect(calls.find((c) => c.name === 'projects:save')?.args).toMatchObject({ id: 3, document: doc });
    expect(calls.find((c) => c.name === 'runs:start')?.args).toEqual({ projectId: 3, backend: 'cpu' });
    expect(store.getState().activeRunFor(3)).toEqual({
      runId: 21,
      epoch: 0,
      epochs: 3,
      batch: 0,
      batches: 0,
    });
  });

  it('does not start when the save fails, and says why', async () => {
    const { store, calls } = setup({
      'projects:save': () => {
        throw new Error('The disk is full: free some space and try again.');
      },
      'runs:start': () => runRecord(21, 3),
    });
    await expect(store.getState().start(3, doc)).rejects.toThrow('disk is full');
    expect(calls.some((c) => c.name === 'runs:start')).toBe(false);
    expect(store.getState().activeRunFor(3)).toBeNull();
  });

  it('asks the host to stop a run', async () => {
    const { store, calls } = setup({ 'runs:stop': () => ({ ok: true }) });
    await store.getState().stop(21);
    expect(calls).toEqual([{ name: 'runs:stop', args: { runId: 21 } }]);
  });

  it('removes a deleted run from the list, the view and the results choice', async () => {
    const { store } = setup({
      'runs:list': () => [summary(2, 1, { status: 'completed' }), summary(1, 1, { status: 'completed' })],
      'runs:delete': () => ({ ok: true }),
    });
    await store.getState().refreshRuns(1);
    store.getState().chooseResultsRun(1, 2);
    await store.getState().deleteRun(1, 2);
    expect(store.getState().lists[1]!.map((r) => r.id)).toEqual([1]);
    expect(store.getState().resultsRunByProject[1]).toBeUndefined();
  });

  it('keeps the list error for the view when listing fails', async () => {
    const { store } = setup({
      'runs:list': () => {
        throw new Error('The database is locked.');
      },
    });
    await expect(store.getState().refreshRuns(1)).rejects.toThrow();
    expect(store.getState().listErrors[1]).toBe('The database is locked.');
  });
});

describe('runs state: batch loss', () => {
  it('thins the batch-loss curve when it grows past its limit, keeping the newest point', () => {
    let data = applyEvent(emptyRunsData(), started(1, 1), 0);
    const batches = 82;
    let n = 0;
    for (let e = 1; n <= MAX_BATCH_POINTS + 10; e++) {
      for (let b = 1; b <= batches && n <= MAX_BATCH_POINTS + 10; b++, n++) {
        data = applyEvent(data, batch(1, 1, e, b, 1 / (n + 1)), 0);
      }
    }
    const points = data.traces[1]!.batchLoss;
    expect(points.length).toBeLessThanOrEqual(MAX_BATCH_POINTS);
    expect(points.length).toBeGreaterThan(MAX_BATCH_POINTS / 2 - 10);
    const xs = points.map((p) => p[0]);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(points[points.length - 1]![1]).toBeCloseTo(1 / n);
  });
});
