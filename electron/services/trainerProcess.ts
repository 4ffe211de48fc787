import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { TrainerEvent, TrainRequest } from '../../shared/api/trainer';
import { appRoot } from './paths';

/** A running trainer process, whichever way it was started. */
export interface TrainerChild {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}

/** Starts the trainer entry: Node's fork here; Electron main passes one built on utilityProcess.fork. */
export type SpawnTrainer = (entry: string) => TrainerChild;

/** The bundled trainer entry (built by `npm run build`). */
export function trainerEntryPath(): string {
  return join(appRoot(), 'dist-electron', 'trainer.cjs');
}

export const forkTrainer: SpawnTrainer = (entry) => {
  // 'advanced' serialization carries the model's ArrayBuffer without a JSON round trip.
  const child = fork(entry, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return {
    send: (m) => {
      if (child.connected) child.send(m as never);
    },
    onMessage: (l) => child.on('message', l),
    onExit: (l) => child.on('exit', (code, signal) => l(code, signal)),
    kill: () => child.kill('SIGKILL'),
    get pid() {
      return child.pid;
    },
  };
};

export type TrainerOutcome =
  | Extract<TrainerEvent, { type: 'done' }>
  | Extract<TrainerEvent, { type: 'failed' }>
  | { type: 'crashed'; runId: number; message: string };

export interface TrainerHandle {
  /** Asks the trainer to end at the next batch, keeping what it has learnt. */
  stop(): void;
  /** Ends the process at once. */
  kill(): void;
  readonly pid: number | undefined;
  readonly outcome: Promise<TrainerOutcome>;
}

/** Starts one run in its own trainer process and reports every event; the outcome settles once. */
export function startTrainer(
  request: TrainRequest,
  onEvent: (event: TrainerEvent) => void,
  spawn: SpawnTrainer = forkTrainer,
): TrainerHandle {
  const child = spawn(trainerEntryPath());
  let settled = false;
  let stopWanted = false;
  let resolveOutcome!: (o: TrainerOutcome) => void;
  const outcome = new Promise<TrainerOutcome>((r) => (resolveOutcome = r));
  const settle = (o: TrainerOutcome) => {
    if (!settled) {
      settled = true;
      resolveOutcome(o);
    }
  };
  child.onMessage((raw) => {
    const event = raw as TrainerEvent;
    switch (event.type) {
      case 'ready':
        child.send(request);
        if (stopWanted) child.send({ type: 'stop', runId: request.runId });
        return;
      case 'done':
      case 'failed':
        onEvent(event);
        settle(event);
        return;
      case 'started':
      case 'batch':
      case 'epoch':
        onEvent(event);
        return;
    }
  });
  child.onExit((code, signal) => {
    settle({
      type: 'crashed',
      runId: request.runId,
      message: signal
        ? `The training process was ended (${signal}).`
        : `The training process exited with code ${code ?? 'unknown'} before finishing.`,
    });
  });
  return {
    stop: () => {
      stopWanted = true;
      child.send({ type: 'stop', runId: request.runId });
    },
    kill: () => child.kill(),
    get pid() {
      return child.pid;
    },
    outcome,
  };
}
