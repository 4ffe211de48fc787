import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { AppEvent } from '../../shared/api/contract';
import { PREVIEW_SOCKET_PATH, type ServerMessage } from '../../shared/api/wire';
import { createHandlers } from '../services/api/handlers';
import { RunManager } from '../services/runManager';
import { openStorage } from '../services/storage';
import { contentSecurityPolicy, securityHeaders } from './contentSecurity';
import { sendMessage, serveSocket } from './socketSession';
import { contentType, isPagePath, resolveStaticFile } from './staticFiles';
import { allowedHosts, makeToken, tokenMatches } from './token';

export interface PreviewServerOptions {
  /** 0 or absent: any free port. */
  port?: number;
  dbPath: string;
  /** The built renderer (dist/renderer). */
  staticDir: string;
}

export interface PreviewServer {
  /** The page's address with its token: the one URL that opens the app. */
  url: string;
  token: string;
  port: number;
  /** Stops training (runs end as interrupted), closes every socket and the database. */
  close(): Promise<void>;
}

/** A frame big enough for the largest CSV import (256 MiB) once base64 has grown it by a third. */
const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;

/** A port the preview cannot listen on; its message says what to do. */
export class PreviewServerError extends Error {
  override readonly name = 'PreviewServerError';
}

function refuseUpgrade(socket: Duplex, status: '400 Bad Request' | '403 Forbidden' | '404 Not Found'): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new PreviewServerError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} is already in use: choose another with --port, or --port 0 for any free one.`
            : `Cannot listen on 127.0.0.1:${port} (${error.message}): choose another port with --port.`,
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * The browser preview: the built renderer and the app's API over a WebSocket, on 127.0.0.1 only,
 * behind a random token. It uses the same handlers, storage and trainer entry as the desktop app.
 */
export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const token = makeToken();
  const storage = openStorage(options.dbPath);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const broadcast = (event: AppEvent) => {
    const text = JSON.stringify({ kind: 'event', event } satisfies ServerMessage);
    for (const ws of sockets.clients) sendMessage(ws, text);
  };
  const runs = new RunManager({ storage, emit: broadcast });
  const handlers = createHandlers({ storage, runs, transport: 'preview', emit: broadcast });
  let hosts = new Set<string>();

  const respond = (
    res: ServerResponse,
    status: number,
    text: string,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(text);
  };

  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host ?? '';
    if (!hosts.has(host)) return respond(res, 403, 'This server answers only at 127.0.0.1.');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return respond(res, 405, 'Only GET is served.', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', `http://${host}`);
    const page = isPagePath(url.pathname);
    if (page && !tokenMatches(token, url.searchParams.get('token'))) {
      return respond(res, 403, 'Open the address `nwb serve` printed: it carries the token this page needs.');
    }
    const file = resolveStaticFile(options.staticDir, url.pathname);
    let body: Buffer;
    try {
      if (!file) throw new Error('outside');
      body = await readFile(file);
    } catch {
      return page
        ? respond(res, 500, "The app's pages are not built: run `npm run build`, then `nwb serve` again.")
        : respond(res, 404, 'Not found.');
    }
    const csp = contentSecurityPolicy({ connectSrc: [`ws://${host}`] });
    res.writeHead(200, {
      ...securityHeaders(csp),
      'Content-Type': contentType(file!),
      'Content-Length': String(body.length),
      // Vite names assets by content hash, so they never change; the page must always be fresh.
      'Cache-Control': url.pathname.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      console.error('Neural Workbench preview: a request failed:', error);
      if (!res.headersSent) respond(res, 500, 'The preview server failed to answer.');
      else res.destroy();
    });
  });

  server.on('upgrade', (req, socket, head) => {
    const host = req.headers.host ?? '';
    const url = new URL(req.url ?? '/', `http://${host || '127.0.0.1'}`);
    if (!hosts.has(host)) return refuseUpgrade(socket, '403 Forbidden');
    if (url.pathname !== PREVIEW_SOCKET_PATH) return refuseUpgrade(socket, '404 Not Found');
    // Browsers always send Origin: a page of another site must not drive the API, token or not.
    const origin = req.headers.origin;
    if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, '')))
      return refuseUpgrade(socket, '403 Forbidden');
    if (!tokenMatches(token, url.searchParams.get('token'))) return refuseUpgrade(socket, '403 Forbidden');
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, handlers));
  });

  let port: number;
  try {
    port = await listen(server, options.port ?? 0);
  } catch (error) {
    storage.close();
    throw error;
  }
  hosts = allowedHosts(port);

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      for (const ws of sockets.clients) ws.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
      runs.dispose();
      storage.close();
    })();
    return closing;
  };

  return { url: `http://127.0.0.1:${port}/?token=${token}`, token, port, close };
}
