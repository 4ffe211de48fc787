import { requestNames, type AppEvent, type Handlers } from '../../shared/api/contract';
import { EVENT_CHANNEL, type CallEnvelope } from '../../shared/api/wire';
import { dispatchCall } from '../services/api/dispatch';

/** What registerIpc needs of an invoke event: which frame sent it. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null;
}

/** The part of Electron's ipcMain that registerIpc uses (a fake one in tests). */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<CallEnvelope>,
  ): void;
  removeHandler(channel: string): void;
}

/** What main answers a page that is not the app's own. */
export const UNTRUSTED: CallEnvelope = {
  ok: false,
  error: { code: 'untrusted-sender', message: 'Only the app’s own window may use the app: reload it.' },
};

/**
 * Registers one ipcMain handler per request of the contract, each answering an envelope (never a
 * thrown error, which Electron would rewrap). Returns a function that removes them all.
 */
export function registerIpc(
  ipc: IpcMainLike,
  handlers: Handlers,
  options: { isTrustedSender?: (event: InvokeEventLike) => boolean } = {},
): () => void {
  for (const name of requestNames) {
    ipc.handle(name, async (event, args) => {
      if (options.isTrustedSender && !options.isTrustedSender(event)) return UNTRUSTED;
      return dispatchCall(handlers, name, args);
    });
  }
  return () => {
    for (const name of requestNames) ipc.removeHandler(name);
  };
}

/** The part of a WebContents that events are sent through. */
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** Sends each AppEvent to every open window's page. */
export function eventForwarder(targets: () => readonly EventTarget[]): (event: AppEvent) => void {
  return (event) => {
    for (const target of targets()) if (!target.isDestroyed()) target.send(EVENT_CHANNEL, event);
  };
}
