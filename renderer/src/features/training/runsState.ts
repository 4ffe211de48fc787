// The runs store's data and its pure transitions: host events and fetched runs in, traces out.
import type { ActiveRun, AppEvent, RunDetail } from '../../../../shared/api/contract';
import type { EpochRecord, RunStatus, RunSummary } from '../../../../shared/api/records';
import type { BackendChoice, BackendName } from '../../../../shared/api/trainer';
import type { Observation } from './progress';

/** What the shell's header shows of a training run. */
export interface RunProgress {
  runId: number;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
}

/** Everything the renderer knows of one run's training, as it happens or as it was stored. */
export interface RunTrace {
  runId: number;
  projectId: number;
  status: RunStatus;
  error: string | null;
  /** Replaced (never mutated) when a count changes, so selectors can return it as is. */
  progress: RunProgress;
  epochsDone: number;
  /** One record a finished epoch, in order. */
  epochs: EpochRecord[];
  /** Training loss as batches report it: [epoch + batch/batches, loss]. */
  batchLoss: [number, number][];
  backend: BackendName | null;
  /** First and latest moment this renderer saw the run at, for the time left. */
  first: Observation | null;
  last: Observation | null;
}

export interface RunsData {
  traces: Record<number, RunTrace>;
  /** The run training now, by project. */
  activeByProject: Record<number, number>;
  /** The run the Training view shows, by project: the active one, else the latest. */
  currentByProject: Record<number, number>;
  lists: Record<number, RunSummary[]>;
  listErrors: Record<number, string>;
  /** The run the Results view shows, by project, when one was chosen in the Runs view. */
  resultsRunByProject: Record<number, number>;
  backend: BackendChoice;
}

export function emptyRunsData(): RunsData {
  return {
    traces: {},
    activeByProject: {},
    currentByProject: {},
    lists: {},
    listErrors: {},
    resultsRunByProject: {},
    backend: 'auto',
  };
}

/** Batch-loss points kept a run; beyond it every other point is dropped (the curve keeps its shape). */
export const MAX_BATCH_POINTS = 4000;

function newTrace(runId: number, projectId: number, epochs: number): RunTrace {
  return {
    runId,
    projectId,
    status: 'running',
    error: null,
    progress: { runId, epoch: 0, epochs, batch: 0, batches: 0 },
    epochsDone: 0,
    epochs: [],
    batchLoss: [],
    backend: null,
    first: null,
    last: null,
  };
}

function withProgress(trace: RunTrace, patch: Partial<Omit<RunProgress, 'runId'>>): RunTrace {
  const next = { ...trace.progress, ...patch };
  const same = (Object.keys(patch) as (keyof typeof patch)[]).every((k) => trace.progress[k] === next[k]);
  return same ? trace : { ...trace, progress: next };
}

function units(trace: RunTrace): number {
  const { epoch, batch, batches } = trace.progress;
  if (batches <= 0) return 0;
  return trace.epochsDone * batches + (epoch > trace.epochsDone ? Math.min(batch, batches) : 0);
}

function observe(trace: RunTrace, now: number): RunTrace {
  // A rate needs batches counted: the clock starts at the first observation that has them.
  if (trace.progress.batches <= 0) return trace;
  const point = { at: now, units: units(trace) };
  return trace.first ? { ...trace, last: point } : { ...trace, first: point, last: point };
}

function mergeEpochs(have: EpochRecord[], add: EpochRecord[]): EpochRecord[] {
  const byEpoch = new Map(have.map((e) => [e.epoch, e]));
  for (const e of add) byEpoch.set(e.epoch, e);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

function appendBatchLoss(points: [number, number][], point: [number, number]): [number, number][] {
  const last = points[points.length - 1];
  if (last && last[0] >= point[0]) return points;
  const next = [...points, point];
  return next.length > MAX_BATCH_POINTS ? next.filter((_, i) => i % 2 === 1 || i === next.length - 1) : next;
}

function putTrace(data: RunsData, trace: RunTrace): RunsData {
  return { ...data, traces: { ...data.traces, [trace.runId]: trace } };
}

function isLive(status: RunStatus): boolean {
  return status === 'running' || status === 'queued';
}

/** The data after one host event. Events of runs not seen before create their trace. */
export function applyEvent(data: RunsData, event: AppEvent, now: number): RunsData {
  switch (event.type) {
    case 'dataset:progress':
      return data;
    case 'run:progress': {
      const known = data.traces[event.runId];
      let trace = known ?? newTrace(event.runId, event.projectId, 0);
      if (!isLive(trace.status)) return data; // a late event after the end changes nothing
      const e = event.event;
      switch (e.type) {
        case 'started':
          trace = withProgress(
            { ...trace, backend: e.backend },
            { epochs: e.epochs, batches: e.batchesPerEpoch },
          );
          break;
        case 'batch':
          trace = withProgress(trace, { epoch: e.epoch, batch: e.batch, batches: e.batches });
          trace = {
            ...trace,
            batchLoss: appendBatchLoss(trace.batchLoss, [e.epoch - 1 + e.batch / e.batches, e.loss]),
          };
          break;
        case 'epoch': {
          const record: EpochRecord = {
            epoch: e.epoch,
            metrics: e.metrics,
            learningRate: e.learningRate,
            seconds: e.seconds,
          };
          const epochs = mergeEpochs(trace.epochs, [record]);
          trace = { ...trace, epochs, epochsDone: Math.max(trace.epochsDone, e.epoch) };
          trace = withProgress(trace, { epoch: e.epoch, epochs: e.epochs, batch: trace.progress.batches });
          break;
        }
      }
      trace = observe(trace, now);
      const next = putTrace(data, trace);
      return {
        ...next,
        activeByProject: { ...next.activeByProject, [event.projectId]: event.runId },
        currentByProject: { ...next.currentByProject, [event.projectId]: event.runId },
      };
    }
    case 'run:ended': {
      const trace = data.traces[event.runId] ?? newTrace(event.runId, event.projectId, 0);
      const next = putTrace(data, { ...trace, status: event.status, error: event.error });
      const activeByProject = { ...next.activeByProject };
      if (activeByProject[event.projectId] === event.runId) delete activeByProject[event.projectId];
      return { ...next, activeByProject };
    }
  }
}

/** A run the host says is training now (after a reload): its counts, before its epochs are fetched. */
export function applyActive(data: RunsData, active: ActiveRun, now: number): RunsData {
  const known = data.traces[active.runId];
  let trace = known ?? newTrace(active.runId, active.projectId, active.epochs);
  if (!isLive(trace.status)) return data;
  trace = withProgress(trace, {
    epoch: active.epoch,
    epochs: active.epochs,
    batch: active.batch,
    batches: active.batches,
  });
  // At an epoch's end the host reports batch = batches for that epoch: it is done.
  if (active.batches > 0 && active.batch >= active.batches)
    trace = { ...trace, epochsDone: Math.max(trace.epochsDone, active.epoch) };
  trace = observe(trace, now);
  const next = putTrace(data, trace);
  return {
    ...next,
    activeByProject: { ...next.activeByProject, [active.projectId]: active.runId },
    currentByProject: { ...next.currentByProject, [active.projectId]: active.runId },
  };
}

/** A run as stored: its epochs so far and, once over, its status. Live counts already seen are kept. */
export function applyDetail(data: RunsData, detail: RunDetail): RunsData {
  const { run } = detail;
  const known = data.traces[run.id];
  let trace = known ?? newTrace(run.id, run.projectId, run.settings.epochs);
  const epochs = mergeEpochs(trace.epochs, detail.epochs);
  const epochsDone = Math.max(trace.epochsDone, ...epochs.map((e) => e.epoch), 0);
  // The host's status wins once the run is over; while it runs, events are fresher than the record.
  const status: RunStatus = isLive(run.status) && known ? trace.status : run.status;
  trace = {
    ...trace,
    epochs,
    epochsDone,
    status,
    error: run.error ?? trace.error,
    backend: run.backend ?? trace.backend,
  };
  if (!isLive(status)) {
    trace = withProgress(trace, {
      epoch: epochsDone,
      epochs: run.settings.epochs,
      batch: trace.progress.batches,
    });
  } else if (trace.progress.epochs === 0) {
    trace = withProgress(trace, { epochs: run.settings.epochs });
  }
  return putTrace(data, trace);
}

/** The project's runs as listed by the host (newest first). */
export function applyList(data: RunsData, projectId: number, runs: RunSummary[]): RunsData {
  const lists = { ...data.lists, [projectId]: runs };
  const listErrors = { ...data.listErrors };
  delete listErrors[projectId];
  return { ...data, lists, listErrors };
}

/** The data without a deleted run. */
export function removeRun(data: RunsData, projectId: number, runId: number): RunsData {
  const traces = { ...data.traces };
  delete traces[runId];
  const drop = (m: Record<number, number>) => {
    const copy = { ...m };
    if (copy[projectId] === runId) delete copy[projectId];
    return copy;
  };
  return {
    ...data,
    traces,
    activeByProject: drop(data.activeByProject),
    currentByProject: drop(data.currentByProject),
    resultsRunByProject: drop(data.resultsRunByProject),
    lists: { ...data.lists, [projectId]: (data.lists[projectId] ?? []).filter((r) => r.id !== runId) },
  };
}

/** The header's progress of the project's training run, or null. Returns the stored object (stable). */
export function progressOf(data: RunsData, projectId: number): RunProgress | null {
  const runId = data.activeByProject[projectId];
  if (runId === undefined) return null;
  return data.traces[runId]?.progress ?? null;
}

/** Newest first, by creation time then id. */
export function latestRun(runs: readonly RunSummary[]): RunSummary | undefined {
  return [...runs].sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id - a.id,
  )[0];
}
