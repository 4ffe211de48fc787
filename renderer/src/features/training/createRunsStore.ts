import { create } from 'zustand';
import type { HostApi, RunDetail } from '../../../../shared/api/contract';
import type { AppEvent } from '../../../../shared/api/contract';
import type { RunRecord, RunSummary } from '../../../../shared/api/records';
import type { BackendChoice } from '../../../../shared/api/trainer';
import type { ProjectDocument } from '../../../../shared/graph/document';
import {
  applyActive,
  applyDetail,
  applyEvent,
  applyList,
  emptyRunsData,
  latestRun,
  progressOf,
  removeRun,
  type RunProgress,
  type RunTrace,
  type RunsData,
} from './runsState';

/** What the store needs from its surroundings; tests give fakes. */
export interface RunsDeps {
  host: HostApi;
  /** Runs `flush` once, soon: requestAnimationFrame in the browser, so a burst of events is one render. */
  schedule: (flush: () => void) => void;
  now: () => number;
}

/** Active run progress per project from host events, plus the run lists and fetched runs. */
export interface RunsState extends RunsData {
  /** Runs fetched in full (for results and comparisons), by id. */
  details: Record<number, RunDetail>;
  /** The shell header's live status: `{ runId, epoch, epochs, batch, batches }` of the training run, or null. */
  activeRunFor(projectId: number): RunProgress | null;
  /** The run the Training view shows for the project: training now, else the latest one. */
  currentTrace(projectId: number): RunTrace | null;
  refreshRuns(projectId: number): Promise<RunSummary[]>;
  /** Makes sure the project's latest run is loaded when nothing is shown yet (after a reload). */
  loadCurrent(projectId: number): Promise<void>;
  loadRun(runId: number, options?: { fresh?: boolean }): Promise<RunDetail>;
  /** Finds runs training now (after a reload) and fetches their epochs so far. */
  resume(): Promise<void>;
  /** Saves the document, then starts training it. */
  start(projectId: number, document: ProjectDocument): Promise<RunRecord>;
  stop(runId: number): Promise<void>;
  deleteRun(projectId: number, runId: number): Promise<void>;
  setBackend(backend: BackendChoice): void;
  /** The run the Results view shows for the project (instead of the latest completed one). */
  chooseResultsRun(projectId: number, runId: number): void;
}

export function createRunsStore(deps: RunsDeps) {
  const { host, schedule, now } = deps;
  let queue: AppEvent[] = [];
  let scheduled = false;

  const store = create<RunsState>()((set, get) => {
    const flush = () => {
      scheduled = false;
      const events = queue;
      queue = [];
      if (events.length === 0) return;
      const at = now();
      set((state) => events.reduce<RunsData>((data, e) => applyEvent(data, e, at), state));
      for (const e of events) {
        if (e.type !== 'run:ended') continue;
        // The stored run now has its test metrics and status: fetch both, quietly.
        void get()
          .loadRun(e.runId, { fresh: true })
          .catch(() => undefined);
        void get()
          .refreshRuns(e.projectId)
          .catch(() => undefined);
      }
    };

    host.onEvent((event) => {
      if (event.type === 'dataset:progress') return;
      queue.push(event);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    });

    return {
      ...emptyRunsData(),
      details: {},

      activeRunFor: (projectId) => progressOf(get(), projectId),

      currentTrace: (projectId) => {
        const s = get();
        const runId = s.currentByProject[projectId];
        return runId === undefined ? null : (s.traces[runId] ?? null);
      },

      async refreshRuns(projectId) {
        try {
          const runs = await host.call('runs:list', { projectId });
          set((s) => applyList(s, projectId, runs));
          return runs;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          set((s) => ({ listErrors: { ...s.listErrors, [projectId]: message } }));
          throw error;
        }
      },

      async loadCurrent(projectId) {
        if (get().currentByProject[projectId] !== undefined) return;
        const runs = get().lists[projectId] ?? (await get().refreshRuns(projectId));
        const latest = latestRun(runs);
        if (!latest || get().currentByProject[projectId] !== undefined) return;
        await get().loadRun(latest.id);
        set((s) =>
          s.currentByProject[projectId] !== undefined
            ? {}
            : { currentByProject: { ...s.currentByProject, [projectId]: latest.id } },
        );
      },

      async loadRun(runId, options = {}) {
        const cached = get().details[runId];
        const live = get().traces[runId]?.status === 'running';
        if (cached && !options.fresh && !live && cached.run.status !== 'running') return cached;
        const detail = await host.call('runs:get', { runId });
        set((s) => ({ ...applyDetail(s, detail), details: { ...s.details, [runId]: detail } }));
        return detail;
      },

      async resume() {
        const active = await host.call('runs:active', {});
        const at = now();
        set((s) => active.reduce<RunsData>((data, a) => applyActive(data, a, at), s));
        await Promise.all(active.map((a) => get().loadRun(a.runId, { fresh: true })));
      },

      async start(projectId, document) {
        // The shell autosaves, but the run must train exactly what the user sees now.
        await host.call('projects:save', { id: projectId, document });
        const run = await host.call('runs:start', { projectId, backend: get().backend });
        set((s) => {
          const known = s.traces[run.id];
          const trace: RunTrace = known ?? {
            runId: run.id,
            projectId,
            status: 'running',
            error: null,
            progress: { runId: run.id, epoch: 0, epochs: run.settings.epochs, batch: 0, batches: 0 },
            epochsDone: 0,
            epochs: [],
            batchLoss: [],
            backend: run.backend,
            first: null,
            last: null,
          };
          const ended = trace.status !== 'running' && trace.status !== 'queued';
          return {
            traces: { ...s.traces, [run.id]: trace },
            activeByProject: ended ? s.activeByProject : { ...s.activeByProject, [projectId]: run.id },
            currentByProject: { ...s.currentByProject, [projectId]: run.id },
          };
        });
        void get()
          .refreshRuns(projectId)
          .catch(() => undefined);
        return run;
      },

      async stop(runId) {
        await host.call('runs:stop', { runId });
      },

      async deleteRun(projectId, runId) {
        await host.call('runs:delete', { runId });
        set((s) => {
          const details = { ...s.details };
          delete details[runId];
          return { ...removeRun(s, projectId, runId), details };
        });
      },

      setBackend: (backend) => set({ backend }),

      chooseResultsRun(projectId, runId) {
        set((s) => ({ resultsRunByProject: { ...s.resultsRunByProject, [projectId]: runId } }));
      },
    };
  });
  return store;
}

export type RunsStore = ReturnType<typeof createRunsStore>;
