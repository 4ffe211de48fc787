import type { TrainerEvent } from '../../shared/api/trainer';

/** The trainer's link to its parent: Electron's utilityProcess (parentPort) or Node's fork (process.send). */
export interface ParentChannel {
  send(event: TrainerEvent): Promise<void>;
  onMessage(listener: (message: unknown) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function connectToParent(): ParentChannel {
  const port = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (port) {
    return {
      send: async (event) => port.postMessage(event),
      onMessage: (listener) => port.on('message', (e) => listener(e.data)),
    };
  }
  if (typeof process.send === 'function') {
    // The parent died (even by SIGKILL): nobody can record this run any more, so stop at once.
    process.on('disconnect', () => process.exit(0));
    return {
      send: (event) =>
        new Promise<void>((resolve) => {
          if (!process.connected) return resolve();
          process.send!(event, undefined, {}, () => resolve());
        }),
      onMessage: (listener) => process.on('message', listener),
    };
  }
  throw new Error(
    'The trainer must be started by the app (utilityProcess.fork or child_process.fork), not directly.',
  );
}
