import type {
  AppEvent,
  HostApi,
  RequestArgs,
  RequestName,
  RequestResult,
} from '../../../shared/api/contract';
import {
  PREVIEW_SOCKET_PATH,
  PRELOAD_GLOBAL,
  type ClientMessage,
  type PreloadApi,
  type ServerMessage,
} from '../../../shared/api/wire';

/** An error the host reported for a request; its message is meant for the user. */
export class HostError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The preview's transport: the same API over a WebSocket to 127.0.0.1, authorised by the page's token. */
function socketHost(): HostApi {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${PREVIEW_SOCKET_PATH}?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(e: AppEvent) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () =>
        reject(
          new HostError('Cannot reach the Neural Workbench preview server: is `nwb serve` still running?'),
        );
      ws.onclose = () => {
        socket = null;
        opened = null;
        for (const p of pending.values())
          p.reject(new HostError('The connection to the preview server closed.'));
        pending.clear();
        // Reconnect so that events keep arriving after a server restart or a network blip.
        window.setTimeout(() => {
          if (listeners.size > 0) void connect().catch(() => undefined);
        }, 1000);
      };
      ws.onmessage = (msg) => {
        const data = JSON.parse(String(msg.data)) as ServerMessage;
        if (data.kind === 'event') {
          for (const l of listeners) l(data.event);
          return;
        }
        const p = pending.get(data.id);
        if (!p) return;
        pending.delete(data.id);
        if (data.ok) p.resolve(data.result);
        else p.reject(new HostError(data.error.message, data.error.code));
      };
    });
    return opened;
  };

  return {
    async call(name, args) {
      const ws = socket ?? (await connect());
      const id = nextId++;
      const message: ClientMessage = { kind: 'call', id, name, args };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify(message));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  };
}

function electronHost(): Partial<PreloadApi> | null {
  const api = (window as unknown as Record<string, Partial<PreloadApi> | undefined>)[PRELOAD_GLOBAL];
  return api ?? null;
}

function hasHostApi(api: Partial<PreloadApi> | null): api is HostApi {
  return typeof api?.call === 'function' && typeof api.onEvent === 'function';
}

const preload = electronHost();
/** The one object the renderer talks to the host through. */
export const host: HostApi = hasHostApi(preload) ? preload : socketHost();

/**
 * The desktop app's folder dialog (the chosen folder, or null when cancelled); null in the browser
 * preview, which cannot show one: there the user types the folder's path.
 */
export const chooseFolder: (() => Promise<string | null>) | null =
  typeof preload?.chooseFolder === 'function' ? preload.chooseFolder.bind(preload) : null;

export function call<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>> {
  return host.call(name, args);
}
