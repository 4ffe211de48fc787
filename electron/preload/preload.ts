// The bridge between the sandboxed page and main: the HostApi object, built from the contract's
// request names, the menu's commands and the folder dialog, and nothing else. No Node or Electron object reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppEvent } from '../../shared/api/contract';
import {
  CHOOSE_FOLDER_CHANNEL,
  EVENT_CHANNEL,
  MENU_CHANNEL,
  PRELOAD_GLOBAL,
  menuCommands,
  type CallEnvelope,
  type MenuCommand,
  type PreloadApi,
} from '../../shared/api/wire';
import { channelNames } from './channels';

const channels = new Set<string>(channelNames);
const commands = new Set<string>(menuCommands);

/** Subscribes to one channel; the page gets the payload only, never Electron's event object. */
function subscribe<T>(
  channel: string,
  accept: (payload: unknown) => payload is T,
  listener: (payload: T) => void,
): () => void {
  const wrapped = (_event: IpcRendererEvent, payload: unknown) => {
    if (accept(payload)) listener(payload);
  };
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const api: PreloadApi = {
  async call(name, args) {
    if (!channels.has(name))
      throw new Error(`This version of the app has no request "${String(name)}": reload the window.`);
    const envelope = (await ipcRenderer.invoke(name, args)) as CallEnvelope;
    if (envelope.ok) return envelope.result as never;
    // Only an Error's message crosses the context bridge, so that is what the envelope becomes.
    throw new Error(envelope.error.message);
  },
  onEvent: (listener) =>
    subscribe(
      EVENT_CHANNEL,
      (p): p is AppEvent => typeof p === 'object' && p !== null && 'type' in p,
      listener,
    ),
  onMenuCommand: (listener) =>
    subscribe(MENU_CHANNEL, (p): p is MenuCommand => typeof p === 'string' && commands.has(p), listener),
  async chooseFolder() {
    const envelope = (await ipcRenderer.invoke(CHOOSE_FOLDER_CHANNEL)) as CallEnvelope;
    if (!envelope.ok) throw new Error(envelope.error.message);
    return typeof envelope.result === 'string' ? envelope.result : null;
  },
};

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, api);
