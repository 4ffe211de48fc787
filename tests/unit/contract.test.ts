import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import WebSocket from 'ws';
import { requestNames, type Handlers } from '../../shared/api/contract';
import {
  CHOOSE_FOLDER_CHANNEL,
  EVENT_CHANNEL,
  MENU_CHANNEL,
  PRELOAD_GLOBAL,
  menuCommands,
  type CallEnvelope,
  type MenuCommand,
  type ServerMessage,
} from '../../shared/api/wire';
import { APP_CSP, APP_URL, appResponse, isAppUrl } from '../../electron/main/appProtocol';
import { menuTemplate } from '../../electron/main/menu';
import { externalUrl, permissionAllowed, saveDialogFilters } from '../../electron/main/security';
import { utilityTrainerSpawner, type UtilityProcessLike } from '../../electron/main/trainerSpawn';
import { registerIpc, type IpcMainLike, type InvokeEventLike } from '../../electron/main/ipc';
import { channelNames } from '../../electron/preload/channels';
import { dispatchCall } from '../../electron/services/api/dispatch';
import { createHandlers } from '../../electron/services/api/handlers';
import { startPreviewServer, type PreviewServer } from '../../electron/server/previewServer';
import { RunManager } from '../../electron/services/runManager';
import { openStorage, type Storage } from '../../electron/services/storage';

const nodeRequire = createRequire(import.meta.url);

// ---- at compile time (tsc --noEmit checks this file) ----

// A Handlers object must answer every request: leaving one out is a type error.
// @ts-expect-error 'runs:active' has no handler
const incomplete: Handlers = {} as Omit<Handlers, 'runs:active'>;
void incomplete;

describe('one Handlers object serves every transport', () => {
  it('is what createHandlers makes and what Electron main and the dispatcher take', () => {
    expectTypeOf(createHandlers).returns.toEqualTypeOf<Handlers>();
    expectTypeOf(registerIpc).parameter(1).toEqualTypeOf<Handlers>();
    expectTypeOf(dispatchCall).parameter(0).toEqualTypeOf<Handlers>();
  });
});

// ---- at run time ----

let dir: string;
let storage: Storage;
let runs: RunManager;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nwb-contract-'));
  storage = openStorage(path.join(dir, 'workbench.db'));
  runs = new RunManager({ storage });
});

afterAll(async () => {
  runs.dispose();
  storage.close();
  await rm(dir, { recursive: true, force: true });
});

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<
    string,
    (event: InvokeEventLike, ...args: unknown[]) => Promise<CallEnvelope>
  >();
  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<CallEnvelope>,
  ): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

describe("Electron main's registerIpc", () => {
  it('registers every request of the contract, and removes them all again', () => {
    const ipc = new FakeIpcMain();
    const dispose = registerIpc(ipc, createHandlers({ storage, runs, transport: 'electron' }));
    expect([...ipc.handlers.keys()].sort()).toEqual([...requestNames].sort());
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers envelopes, parses arguments, and refuses other frames', async () => {
    const ipc = new FakeIpcMain();
    registerIpc(ipc, createHandlers({ storage, runs, transport: 'electron' }), {
      isTrustedSender: (e) => e.senderFrame?.url.startsWith('nwb://app/') ?? false,
    });
    const app = { senderFrame: { url: 'nwb://app/index.html' } };
    const info = await ipc.handlers.get('app:info')!(app, {});
    expect(info).toMatchObject({ ok: true, result: { transport: 'electron' } });
    const bad = await ipc.handlers.get('projects:get')!(app, { id: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const stranger = await ipc.handlers.get('projects:list')!(
      { senderFrame: { url: 'https://example.com/' } },
      {},
    );
    expect(stranger).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
  });
});

describe('the preview server', () => {
  let server: PreviewServer;

  beforeAll(async () => {
    const staticDir = path.join(dir, 'renderer');
    await mkdir(staticDir, { recursive: true });
    await writeFile(path.join(staticDir, 'index.html'), '<!doctype html>');
    server = await startPreviewServer({ dbPath: path.join(dir, 'preview.db'), staticDir });
  });

  afterAll(() => server.close());

  it('knows every request of the contract', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answers = new Map<number, ServerMessage>();
    const all = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as ServerMessage;
        if (m.kind === 'result') answers.set(m.id, m);
        if (answers.size === requestNames.length + 1) resolve();
      }),
    );
    // Arguments that no request accepts: a known request says "invalid", an unknown one "unknown".
    [...requestNames, 'projects:unheardOf'].forEach((name, id) =>
      ws.send(JSON.stringify({ kind: 'call', id, name, args: 'not an object' })),
    );
    await all;
    ws.close();
    requestNames.forEach((name, id) => {
      expect(answers.get(id), name).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    });
    expect(answers.get(requestNames.length)).toMatchObject({ ok: false, error: { code: 'unknown-request' } });
  });
});

describe('the preload', () => {
  it('names every request of the contract as a channel', () => {
    expect([...channelNames].sort()).toEqual([...requestNames].sort());
  });

  /**
   * Runs the built bundle the way Electron runs a sandboxed preload: wrapped in a function that gets
   * only require (electron, events, timers, url), process, Buffer, global, the immediates, exports and
   * module; no __filename, no __dirname, no other module.
   */
  function loadPreload() {
    const bundle = path.resolve(__dirname, '../../dist-electron/preload.cjs');
    expect(existsSync(bundle), 'build it first: node scripts/build.mjs --node-only').toBe(true);
    const exposed = new Map<string, unknown>();
    const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
    const invoked: [string, unknown][] = [];
    let answer: CallEnvelope = { ok: true, result: null };
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
      ipcRenderer: {
        invoke: async (channel: string, args: unknown) => {
          invoked.push([channel, args]);
          return answer;
        },
        on: (channel: string, l: (...args: unknown[]) => void) =>
          listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
        removeListener: (channel: string, l: (...args: unknown[]) => void) =>
          listeners.get(channel)?.delete(l),
      },
    };
    const allowed = new Set(['events', 'timers', 'url']);
    const preloadRequire = (name: string) => {
      if (name === 'electron') return electron;
      const bare = name.replace(/^node:/, '');
      if (allowed.has(bare)) return nodeRequire(bare) as unknown;
      throw new Error(`module not found: ${name}`);
    };
    const wrapper = `(function(require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {\n${readFileSync(bundle, 'utf8')}\n})`;
    const fn = vm.runInNewContext(wrapper, { console }) as (...args: unknown[]) => void;
    const exports = {};
    fn(preloadRequire, { env: {} }, Buffer, {}, setImmediate, clearImmediate, exports, { exports });
    const emit = (channel: string, payload: unknown) =>
      listeners.get(channel)?.forEach((l) => l({ sender: 'ipc' }, payload));
    return { exposed, invoked, emit, setAnswer: (a: CallEnvelope) => (answer = a), listeners };
  }

  it('runs sandboxed and exposes call, onEvent, onMenuCommand and chooseFolder only', async () => {
    const preload = loadPreload();
    expect([...preload.exposed.keys()]).toEqual([PRELOAD_GLOBAL]);
    const api = preload.exposed.get(PRELOAD_GLOBAL) as Record<string, (...args: unknown[]) => unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'chooseFolder', 'onEvent', 'onMenuCommand']);

    preload.setAnswer({ ok: true, result: [{ id: 1 }] });
    await expect(api.call!('projects:list', {})).resolves.toEqual([{ id: 1 }]);
    expect(preload.invoked).toEqual([['projects:list', {}]]);
    preload.setAnswer({
      ok: false,
      error: { message: 'A project named "A" already exists: choose another name.', code: 'name-taken' },
    });
    await expect(api.call!('projects:create', { name: 'A' })).rejects.toThrow(
      'A project named "A" already exists',
    );
    await expect(api.call!('shell:exec', {})).rejects.toThrow('no request "shell:exec"');
    expect(preload.invoked).toHaveLength(2);

    const events: unknown[] = [];
    const off = api.onEvent!((e: unknown) => events.push(e)) as () => void;
    preload.emit(EVENT_CHANNEL, { type: 'run:ended', runId: 1 });
    off();
    preload.emit(EVENT_CHANNEL, { type: 'run:ended', runId: 2 });
    expect(events).toEqual([{ type: 'run:ended', runId: 1 }]);

    const commands: unknown[] = [];
    api.onMenuCommand!((c: unknown) => commands.push(c));
    preload.emit(MENU_CHANNEL, 'edit:undo');
    preload.emit(MENU_CHANNEL, 'format:disk');
    expect(commands).toEqual(['edit:undo']);

    preload.setAnswer({ ok: true, result: '/models/wine' });
    await expect(api.chooseFolder!()).resolves.toBe('/models/wine');
    expect(preload.invoked.at(-1)).toEqual([CHOOSE_FOLDER_CHANNEL, undefined]);
    preload.setAnswer({ ok: true, result: null });
    await expect(api.chooseFolder!()).resolves.toBeNull();
  });
});

// ---- the desktop app's main process, in the pure parts that do not need Electron itself ----

describe("Electron main's pieces", () => {
  it('serves the renderer from nwb://app with the CSP, and nothing else', async () => {
    const staticDir = path.join(dir, 'app-renderer');
    await mkdir(path.join(staticDir, 'assets'), { recursive: true });
    await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(path.join(staticDir, 'assets', 'index.css'), 'body{}');
    await writeFile(path.join(dir, 'outside.txt'), 'secret');
    const page = await appResponse(APP_URL, staticDir);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).not.toContain('ws:');
    expect(await page.text()).toContain('<title>app</title>');
    expect((await appResponse('nwb://app/assets/index.css', staticDir)).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
    expect((await appResponse('nwb://app/%2e%2e/outside.txt', staticDir)).status).toBe(404);
    expect((await appResponse('nwb://other/index.html', staticDir)).status).toBe(404);
    expect(isAppUrl('nwb://app/index.html')).toBe(true);
    expect(isAppUrl('https://app/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('grants no permission but clipboard writes by the app, and sends only https links to the browser', () => {
    expect(permissionAllowed('clipboard-sanitized-write', 'nwb://app/index.html')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://example.com/')).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect(permissionAllowed(p, 'nwb://app/index.html'), p).toBe(false);
    }
    expect(externalUrl('https://archive.ics.uci.edu/dataset/186')).toBe(
      'https://archive.ics.uci.edu/dataset/186',
    );
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'nwb://app/',
      'smb://host/share',
    ]) {
      expect(externalUrl(url), url).toBeNull();
    }
    expect(saveDialogFilters('Wine.nwb')).toEqual([
      { name: 'Neural Workbench project', extensions: ['nwb'] },
    ]);
  });

  it('has a menu that sends every command once, with shortcuts the page owns', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const sent: MenuCommand[] = [];
      const template = menuTemplate({ platform, send: (c) => sent.push(c) });
      const items = template.flatMap((menu) => (Array.isArray(menu.submenu) ? menu.submenu : []));
      for (const item of items) (item.click as (() => void) | undefined)?.();
      expect([...sent].sort(), platform).toEqual([...menuCommands].sort());
      const commandItems = items.filter((i) => i.click && i.accelerator);
      expect(
        commandItems.every((i) => i.registerAccelerator === false),
        platform,
      ).toBe(true);
      const labels = template.map((m) => m.label ?? m.role);
      expect(labels, platform).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'help']));
      const roles = items.map((i) => i.role).filter(Boolean);
      expect(roles, platform).toEqual(
        expect.arrayContaining(['cut', 'copy', 'paste', 'selectAll', 'reload', 'toggleDevTools', 'about']),
      );
      expect(roles.includes('quit') || template.some((m) => m.role === 'appMenu'), platform).toBe(true);
      if (platform === 'darwin') expect(items.find((i) => i.label === 'Delete')?.accelerator).toBeUndefined();
    }
  });

  it('drives a utility process as a trainer child', () => {
    const posted: unknown[] = [];
    const process = new EventEmitter() as EventEmitter & UtilityProcessLike;
    let kills = 0;
    Object.assign(process, {
      pid: 4242,
      postMessage: (m: unknown) => posted.push(m),
      kill: () => (kills++, true),
    });
    const forked: string[] = [];
    const child = utilityTrainerSpawner((entry) => (forked.push(entry), process))(
      '/app.asar/dist-electron/trainer.cjs',
    );
    expect(forked).toEqual(['/app.asar/dist-electron/trainer.cjs']);
    expect(child.pid).toBe(4242);
    const messages: unknown[] = [];
    const exits: [number | null, string | null][] = [];
    child.onMessage((m) => messages.push(m));
    child.onExit((code, signal) => exits.push([code, signal]));
    process.emit('message', { type: 'ready' });
    child.send({ type: 'stop', runId: 1 });
    expect(messages).toEqual([{ type: 'ready' }]);
    expect(posted).toEqual([{ type: 'stop', runId: 1 }]);
    process.emit('exit', 3);
    expect(exits).toEqual([[3, null]]);
    child.send({ type: 'stop', runId: 1 });
    child.kill();
    expect(posted).toHaveLength(1);
    expect(kills).toBe(0);
  });
});
