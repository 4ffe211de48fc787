import type { AppEvent, ActiveRun } from '../../shared/api/contract';
import type { BackendChoice, TrainerEvent } from '../../shared/api/trainer';
import type { ProjectDocument } from '../../shared/graph';
import { dataLocationFor } from './dataLocation';
import type { RunRecord, Storage } from './storage';
import {
  startTrainer,
  forkTrainer,
  type SpawnTrainer,
  type TrainerHandle,
  type TrainerOutcome,
} from './trainerProcess';

interface ActiveEntry {
  runId: number;
  projectId: number;
  handle: TrainerHandle;
  progress: ActiveRun;
}

export interface RunManagerOptions {
  storage: Storage;
  spawn?: SpawnTrainer;
  /** Every run event, for the renderer (Electron's webContents, the preview's sockets, the CLI). */
  emit?: (event: AppEvent) => void;
  /** Raw trainer events, for the CLI's progress printer. */
  onTrainerEvent?: (event: TrainerEvent) => void;
}

/**
 * Starts runs in trainer processes and records them: the only writer of runs to the database. Every
 * epoch is stored as it arrives, so a crash of either process loses no finished epoch.
 */
export class RunManager {
  private readonly active = new Map<number, ActiveEntry>();
  private readonly finished = new Map<number, Promise<TrainerOutcome>>();

  constructor(private readonly options: RunManagerOptions) {}

  /** Starts training `document` (the project's current one when omitted) and returns the new run. */
  start(
    projectId: number,
    options: {
      backend?: BackendChoice;
      document?: ProjectDocument;
      baseDir?: string;
      fromRunId?: number;
      /** Threads for the wasm and cpu backends; absent: as many as make the run faster. */
      threads?: number;
    } = {},
  ): RunRecord {
    const { storage } = this.options;
    const project = storage.getProject(projectId);
    if (!project) throw new Error(`Project ${projectId} does not exist.`);
    const document = options.document ?? project.document;
    const data = dataLocationFor(document, {
      dbPath: storage.path,
      ...(options.baseDir ? { baseDir: options.baseDir } : {}),
    });
    const datasetId = data.kind === 'stored' ? data.datasetId : null;
    const run = storage.createRun({ projectId, document, datasetId, status: 'running' });
    const progress: ActiveRun = {
      runId: run.id,
      projectId,
      epoch: 0,
      epochs: document.training.epochs,
      batch: 0,
      batches: 0,
    };
    const handle = startTrainer(
      {
        type: 'train',
        runId: run.id,
        document,
        data,
        backend: options.backend ?? 'auto',
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        batchEventIntervalMs: 200,
        // Transfer learning: blocks with the same id and weight shapes start from that run's weights.
        ...(options.fromRunId ? { initialWeights: { dbPath: storage.path, runId: options.fromRunId } } : {}),
      },
      (event) => this.record(run.id, projectId, event, progress),
      this.options.spawn ?? forkTrainer,
    );
    this.active.set(run.id, { runId: run.id, projectId, handle, progress });
    this.finished.set(
      run.id,
      handle.outcome.then((outcome) => {
        this.settle(run.id, projectId, outcome);
        return outcome;
      }),
    );
    return run;
  }

  /** Ends the run at its next batch, keeping its epochs and the model as trained so far. */
  stop(runId: number): void {
    this.active.get(runId)?.handle.stop();
  }

  /** Resolves when the run's trainer has finished and its result is stored. */
  outcome(runId: number): Promise<TrainerOutcome> | undefined {
    return this.finished.get(runId);
  }

  activeRuns(): ActiveRun[] {
    return [...this.active.values()].map((a) => ({ ...a.progress }));
  }

  pidOf(runId: number): number | undefined {
    return this.active.get(runId)?.handle.pid;
  }

  /** Kills every trainer; their runs are marked interrupted with the epochs they finished. */
  dispose(): void {
    for (const entry of this.active.values()) {
      entry.handle.kill();
      this.options.storage.interruptRun(entry.runId, 'The app closed while this run was training.');
    }
    this.active.clear();
  }

  private record(runId: number, projectId: number, event: TrainerEvent, progress: ActiveRun): void {
    // Stored first, shown second: whatever a user has seen of a run is in the database.
    this.store(runId, projectId, event, progress);
    this.options.onTrainerEvent?.(event);
  }

  private store(runId: number, projectId: number, event: TrainerEvent, progress: ActiveRun): void {
    const { storage, emit } = this.options;
    switch (event.type) {
      case 'started':
        storage.startRun(runId, { backend: event.backend, params: event.params });
        progress.epochs = event.epochs;
        progress.batches = event.batchesPerEpoch;
        emit?.({ type: 'run:progress', runId, projectId, event });
        return;
      case 'batch':
        progress.epoch = event.epoch;
        progress.batch = event.batch;
        emit?.({ type: 'run:progress', runId, projectId, event });
        return;
      case 'epoch':
        storage.addEpoch(runId, {
          epoch: event.epoch,
          metrics: event.metrics,
          learningRate: event.learningRate,
          seconds: event.seconds,
        });
        progress.epoch = event.epoch;
        progress.batch = progress.batches;
        emit?.({ type: 'run:progress', runId, projectId, event });
        return;
      case 'ready':
      case 'done':
      case 'failed':
        return;
    }
  }

  private settle(runId: number, projectId: number, outcome: TrainerOutcome): void {
    const { storage, emit } = this.options;
    if (!this.active.delete(runId)) return; // disposed: already recorded as interrupted
    switch (outcome.type) {
      case 'done':
        storage.finishRun(runId, {
          status: outcome.status,
          test: outcome.test,
          bestEpoch: outcome.bestEpoch,
          backend: outcome.backend,
          params: outcome.params,
          predictions: outcome.predictions,
          model: { artifacts: outcome.model, preprocessing: outcome.preprocessing },
        });
        emit?.({ type: 'run:ended', runId, projectId, status: outcome.status, error: null });
        return;
      case 'failed':
        storage.failRun(runId, { message: outcome.message });
        emit?.({ type: 'run:ended', runId, projectId, status: 'failed', error: outcome.message });
        return;
      case 'crashed':
        storage.interruptRun(runId, outcome.message);
        emit?.({ type: 'run:ended', runId, projectId, status: 'interrupted', error: outcome.message });
        return;
    }
  }
}
