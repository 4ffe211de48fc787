import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCall } from '../../electron/services/api/dispatch';
import { createHandlers } from '../../electron/services/api/handlers';
import { RunManager } from '../../electron/services/runManager';
import type { Storage } from '../../electron/services/storage';
import { exportModel } from '../../electron/services/export/modelExport';
import { ChosenFolders, registerFolderDialog } from '../../electron/main/folderDialog';
import type { IpcMainLike } from '../../electron/main/ipc';
import { CHOOSE_FOLDER_CHANNEL, type CallEnvelope } from '../../shared/api/wire';
import { presetWith, recordRun, tempDir, tempStorage } from '../fixtures/pretrained/trainRun';

let storage: Storage;
let runs: RunManager;
let modelDir: string;
let trainedParams: number;

beforeAll(async () => {
  storage = tempStorage();
  runs = new RunManager({ storage });
  const { runId, done } = await recordRun(storage, presetWith('wine-type-ann', { epochs: 1 }));
  trainedParams = done.params;
  modelDir = join(tempDir(), 'wine-model');
  exportModel(storage, runId, modelDir);
}, 120_000);
afterAll(() => {
  runs.dispose();
  storage.close();
});

const handlersFor = (transport: 'electron' | 'preview', isChosenFolder?: (path: string) => boolean) =>
  createHandlers({ storage, runs, transport }, isChosenFolder ? { isChosenFolder } : {});

describe('models:inspectPretrained', () => {
  it('reads a layers model folder: its shapes and parameter counts, with the folder made absolute', async () => {
    const result = await dispatchCall(handlersFor('preview'), 'models:inspectPretrained', {
      path: modelDir,
    });
    expect(result).toEqual({
      ok: true,
      result: {
        path: resolve(modelDir),
        inputShape: [12],
        outputShape: [1],
        params: trainedParams,
        trainableParams: trainedParams,
      },
    });
  });

  it('tells the user what is wrong with a folder that holds no usable model', async () => {
    const handlers = handlersFor('preview');
    const empty = join(tempDir('nwb-models-'), 'empty');
    mkdirSync(empty);
    expect(await dispatchCall(handlers, 'models:inspectPretrained', { path: empty })).toEqual({
      ok: false,
      error: {
        code: 'bad-input',
        message: 'The folder empty has no model.json: choose the folder of a TensorFlow.js layers model.',
      },
    });
    const broken = join(tempDir('nwb-models-'), 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'model.json'), '{ not json');
    const answer = await dispatchCall(handlers, 'models:inspectPretrained', { path: broken });
    expect(answer).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(answer.ok ? '' : answer.error.message).toContain('The model.json in broken is not valid JSON');
  });

  it('refuses an empty path before any handler runs', async () => {
    expect(
      await dispatchCall(handlersFor('preview'), 'models:inspectPretrained', { path: '' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('in the desktop app reads only a folder the user chose in its dialog', async () => {
    const chosen = new ChosenFolders();
    const handlers = handlersFor('electron', (p) => chosen.has(p));
    const refused = await dispatchCall(handlers, 'models:inspectPretrained', { path: modelDir });
    expect(refused).toMatchObject({ ok: false, error: { code: 'file-source' } });
    expect(
      await dispatchCall(handlersFor('electron'), 'models:inspectPretrained', { path: modelDir }),
    ).toMatchObject({ ok: false, error: { code: 'file-source' } });
    chosen.add(modelDir);
    expect(await dispatchCall(handlers, 'models:inspectPretrained', { path: modelDir })).toMatchObject({
      ok: true,
      result: { inputShape: [12], outputShape: [1] },
    });
  });
});

describe("main's folder dialog", () => {
  function fakeIpc() {
    const handlers = new Map<
      string,
      (event: { senderFrame: { url: string } | null }) => Promise<CallEnvelope>
    >();
    const ipc: IpcMainLike = {
      handle: (channel, listener) => handlers.set(channel, listener),
      removeHandler: (channel) => handlers.delete(channel),
    };
    return { ipc, handlers };
  }

  it('answers the chosen folder (or null when cancelled), remembers it, and refuses other pages', async () => {
    const { ipc, handlers } = fakeIpc();
    const chosen = new ChosenFolders();
    const answers: (string | null)[] = [modelDir, null];
    const unregister = registerFolderDialog(ipc, async () => answers.shift() ?? null, chosen, {
      isTrustedSender: (e) => e.senderFrame?.url.startsWith('nwb://app/') ?? false,
    });
    const invoke = handlers.get(CHOOSE_FOLDER_CHANNEL)!;
    const app = { senderFrame: { url: 'nwb://app/index.html' } };
    expect(await invoke({ senderFrame: { url: 'https://example.com/' } })).toMatchObject({
      ok: false,
      error: { code: 'untrusted-sender' },
    });
    expect(answers).toHaveLength(2);
    expect(await invoke(app)).toEqual({ ok: true, result: resolve(modelDir) });
    expect(chosen.has(modelDir)).toBe(true);
    expect(chosen.has(join(modelDir, '..'))).toBe(false);
    expect(await invoke(app)).toEqual({ ok: true, result: null });
    unregister();
    expect(handlers.has(CHOOSE_FOLDER_CHANNEL)).toBe(false);
  });
});
