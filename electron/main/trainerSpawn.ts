import type { SpawnTrainer, TrainerChild } from '../services/trainerProcess';

/** The part of Electron's UtilityProcess the trainer link uses (a fake one in tests). */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
  readonly pid: number | undefined;
}

/**
 * Adapts `utilityProcess.fork` to the TrainerChild the run manager drives: the same trainer entry as
 * the CLI's child_process.fork, reached through Electron's parentPort.
 */
export function utilityTrainerSpawner(fork: (entry: string) => UtilityProcessLike): SpawnTrainer {
  return (entry) => {
    const child = fork(entry);
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    const trainer: TrainerChild = {
      // A message to a process that has exited is dropped, as Node's fork does when disconnected.
      send: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code, null)),
      kill: () => {
        if (!exited) child.kill();
      },
      get pid() {
        return child.pid;
      },
    };
    return trainer;
  };
}
