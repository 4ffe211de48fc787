import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppEvent, RequestName } from '../../shared/api/contract';
import type { ServerMessage } from '../../shared/api/wire';
import { serveCommand } from '../../electron/cli/commands/serve';
import { startPreviewServer, type PreviewServer } from '../../electron/server/previewServer';

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw GET, so that the path and the Host header are sent exactly as written. */
function get(port: number, pathname: string, host = `127.0.0.1:${port}`): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with it, or rejects with the HTTP status the server refused it with. */
function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** A client like renderer/src/api/host.ts: calls by id, events to a list. */
function client(ws: WebSocket) {
  let nextId = 1;
  const pending = new Map<number, (m: ServerMessage) => void>();
  const events: AppEvent[] = [];
  const eventWaiters: { test: (e: AppEvent) => boolean; resolve: (e: AppEvent) => void }[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    if (message.kind === 'event') {
      events.push(message.event);
      for (const w of [...eventWaiters]) {
        if (w.test(message.event)) {
          eventWaiters.splice(eventWaiters.indexOf(w), 1);
          w.resolve(message.event);
        }
      }
      return;
    }
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  return {
    events,
    raw(name: string, args: unknown): Promise<ServerMessage> {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ kind: 'call', id, name, args }));
      });
    },
    async call<T = unknown>(name: RequestName, args: unknown): Promise<T> {
      const answer = await this.raw(name, args);
      if (answer.kind !== 'result') throw new Error('not a result');
      if (!answer.ok) throw new Error(answer.error.message);
      return answer.result as T;
    },
    nextEvent(test: (e: AppEvent) => boolean): Promise<AppEvent> {
      const seen = events.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => eventWaiters.push({ test, resolve }));
    },
  };
}

let dir: string;
let server: PreviewServer;
let socketUrl: string;
const open: WebSocket[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nwb-server-'));
  const staticDir = path.join(dir, 'renderer');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(
    path.join(staticDir, 'index.html'),
    '<!doctype html><title>Neural Workbench</title><script type="module" src="./assets/app.js"></script>',
  );
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log("app");');
  await writeFile(path.join(dir, 'secret.txt'), 'not for the page');
  server = await startPreviewServer({ dbPath: path.join(dir, 'workbench.db'), staticDir, port: 0 });
  socketUrl = `ws://127.0.0.1:${server.port}/api?token=${server.token}`;
});

afterAll(async () => {
  for (const ws of open) ws.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the page', () => {
  it('is served only with the token, with a strict CSP', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
    expect((await get(server.port, '/')).status).toBe(403);
    expect((await get(server.port, '/?token=guess')).status).toBe(403);
    expect((await get(server.port, `/index.html?token=${server.token.slice(0, -1)}x`)).status).toBe(403);
    const page = await get(server.port, `/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('Neural Workbench');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the assets with their MIME type and nothing outside the renderer folder', async () => {
    const script = await get(server.port, '/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get(server.port, '/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get(server.port, '/assets/..%2f..%2fsecret.txt')).status).toBe(404);
    expect((await get(server.port, '/assets/missing.js')).status).toBe(404);
  });

  it('refuses another Host header (DNS rebinding)', async () => {
    const answer = await get(server.port, `/?token=${server.token}`, `evil.example:${server.port}`);
    expect(answer.status).toBe(403);
  });
});

describe('the socket', () => {
  it('is refused without the right token, from another site or on another path', async () => {
    await expect(connect(`ws://127.0.0.1:${server.port}/api`)).rejects.toThrow('HTTP 403');
    await expect(connect(`ws://127.0.0.1:${server.port}/api?token=wrong`)).rejects.toThrow('HTTP 403');
    await expect(connect(socketUrl, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect(`ws://127.0.0.1:${server.port}/other?token=${server.token}`)).rejects.toThrow(
      'HTTP 404',
    );
    const ws = await connect(socketUrl, { Origin: `http://127.0.0.1:${server.port}` });
    open.push(ws);
  });

  it('answers a call, and refuses unknown requests and bad arguments with a message', async () => {
    const ws = await connect(socketUrl);
    open.push(ws);
    const c = client(ws);
    const info = await c.call<{ transport: string; dbPath: string }>('app:info', {});
    expect(info.transport).toBe('preview');
    expect(info.dbPath).toBe(path.join(dir, 'workbench.db'));
    const unknown = await c.raw('files:read', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ kind: 'result', ok: false, error: { code: 'unknown-request' } });
    const bad = await c.raw('projects:get', { id: 'one' });
    expect(bad).toMatchObject({ kind: 'result', ok: false, error: { code: 'invalid-request' } });
    const taken = await c
      .call('projects:create', { name: 'Twice' })
      .then(() => c.raw('projects:create', { name: 'Twice' }));
    expect(taken).toMatchObject({ ok: false, error: { code: 'name-taken' } });
  });

  it('closes a socket that sends something other than a call', async () => {
    const ws = await connect(socketUrl);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('hello');
    expect(await closed).toBe(1008);
  });

  it('broadcasts a real training run to every page', async () => {
    const [a, b] = await Promise.all([connect(socketUrl), connect(socketUrl)]);
    open.push(a!, b!);
    const first = client(a!);
    const second = client(b!);
    const project = await first.call<{ id: number; document: { training: Record<string, unknown> } }>(
      'projects:create',
      {
        name: 'Wine, one epoch',
        presetId: 'wine-type-ann',
      },
    );
    await first.call('projects:save', {
      id: project.id,
      document: { ...project.document, training: { ...project.document.training, epochs: 1 } },
    });
    const run = await first.call<{ id: number }>('runs:start', { projectId: project.id, backend: 'cpu' });
    const isEpoch = (e: AppEvent) =>
      e.type === 'run:progress' && e.runId === run.id && e.event.type === 'epoch';
    const isEnd = (e: AppEvent) => e.type === 'run:ended' && e.runId === run.id;
    const [ended, seenBySecond] = await Promise.all([first.nextEvent(isEnd), second.nextEvent(isEnd)]);
    expect(ended).toMatchObject({ type: 'run:ended', status: 'completed', projectId: project.id });
    expect(seenBySecond).toEqual(ended);
    expect(first.events.some(isEpoch)).toBe(true);
    expect(second.events.some(isEpoch)).toBe(true);
    const detail = await second.call<{ run: { status: string }; epochs: unknown[] }>('runs:get', {
      runId: run.id,
    });
    expect(detail.run.status).toBe('completed');
    expect(detail.epochs).toHaveLength(1);
  });
});

describe('nwb serve', () => {
  it('refuses a port that is not a port', async () => {
    const ctx = {
      args: [],
      flags: { port: '70000' },
      json: false,
      out: () => undefined,
      err: () => undefined,
    };
    await expect(serveCommand(ctx)).rejects.toThrow(/--port needs a whole number from 0 to 65535/);
  });

  it('says so when the port is taken', async () => {
    const second = startPreviewServer({
      dbPath: path.join(dir, 'other.db'),
      staticDir: dir,
      port: server.port,
    });
    await expect(second).rejects.toThrow(`Port ${server.port} is already in use`);
  });
});
