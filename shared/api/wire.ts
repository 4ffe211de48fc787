import type { ApiErrorPayload, AppEvent, HostApi } from './contract';

/** The browser preview's WebSocket messages (JSON). Electron carries the same calls over IPC. */
export type ClientMessage = { kind: 'call'; id: number; name: string; args: unknown };

export type ServerMessage =
  | { kind: 'result'; id: number; ok: true; result: unknown }
  | { kind: 'result'; id: number; ok: false; error: ApiErrorPayload }
  | { kind: 'event'; event: AppEvent };

/** The preview serves the socket here; the token from the page URL must be given as `?token=`. */
export const PREVIEW_SOCKET_PATH = '/api';

/** Electron: the IPC channel that carries AppEvents to the renderer. */
export const EVENT_CHANNEL = 'app:event';

/** Electron: the name the preload gives the HostApi on `window`. */
export const PRELOAD_GLOBAL = 'nwbHost';

/** Electron: what main's handler for a request answers; the preload turns `ok: false` into a thrown Error. */
export type CallEnvelope = { ok: true; result: unknown } | { ok: false; error: ApiErrorPayload };

/** Electron: the IPC channel that carries native menu commands to the renderer. */
export const MENU_CHANNEL = 'menu:command';

/** What a native menu item asks the renderer to do (items that act on the host alone never reach it). */
export const menuCommands = [
  'project:new',
  'project:open',
  'project:import',
  'project:export',
  'presets:gallery',
  'edit:undo',
  'edit:redo',
  'edit:delete',
  'view:fit',
  'view:autoLayout',
  'view:toggleColorScheme',
  'help:lesson',
] as const;
export type MenuCommand = (typeof menuCommands)[number];

/** Electron: the IPC channel on which main shows a folder dialog; it answers the chosen folder or null. */
export const CHOOSE_FOLDER_CHANNEL = 'dialog:chooseFolder';

/** Electron: the object the preload puts on `window[PRELOAD_GLOBAL]`; the browser preview has no menu. */
export interface PreloadApi extends HostApi {
  /** Calls `listener` for every native menu command until the returned function is called. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** Shows the system's folder dialog; the chosen folder's path, or null when the user cancels. */
  chooseFolder(): Promise<string | null>;
}
