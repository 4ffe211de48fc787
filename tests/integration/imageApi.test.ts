import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent, RequestArgs, RequestName, RequestResult } from '../../shared/api/contract';
import { dispatchCall } from '../../electron/services/api/dispatch';
import { createHandlers } from '../../electron/services/api/handlers';
import { findPreset } from '../../electron/services/presets';
import { RunManager } from '../../electron/services/runManager';
import { openStorage, type Storage } from '../../electron/services/storage';

let storage: Storage;
let runs: RunManager;
const events: AppEvent[] = [];
let call: <K extends RequestName>(name: K, args: RequestArgs<K>) => Promise<RequestResult<K>>;

beforeAll(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nwb-images-api-'));
  storage = openStorage(path.join(dir, 'workbench.db'));
  runs = new RunManager({ storage, emit: (e) => events.push(e) });
  const handlers = createHandlers({ storage, runs, transport: 'preview', emit: (e) => events.push(e) });
  call = async (name, args) => {
    const envelope = await dispatchCall(handlers, name, args, () => undefined);
    if (!envelope.ok) throw new Error(envelope.error.message);
    return envelope.result as never;
  };
});

afterAll(() => {
  runs.dispose();
  storage.close();
});

describe('image views API', () => {
  it('imports a shipped image set once, with progress, and shows sample images with class names', async () => {
    const digits = findPreset('digits-cnn')!.document.data!;
    const first = await call('datasets:importImages', {
      source: { kind: 'builtin', name: 'digits-8x8.csv' },
      pixelCsv: digits.pixelCsv,
    });
    const again = await call('datasets:importImages', {
      source: { kind: 'builtin', name: 'digits-8x8.csv' },
      pixelCsv: digits.pixelCsv,
    });
    expect(again.id).toBe(first.id);
    expect(first.kind).toBe('image');
    expect(first.rowCount).toBe(1797);
    expect(events.some((e) => e.type === 'dataset:progress')).toBe(true);

    const plain = await call('datasets:samples', {
      source: { kind: 'stored', id: String(first.id) },
      count: 10,
      seed: 3,
    });
    expect(plain.width).toBe(8);
    expect(plain.tiles).toHaveLength(10);
    const t = plain.tiles[0]!;
    expect(t.className).toBe(String(t.label));
    expect(Buffer.from(t.rgbaBase64, 'base64')).toHaveLength(8 * 8 * 4);

    const augmented = await call('datasets:samples', {
      source: { kind: 'stored', id: String(first.id) },
      count: 10,
      seed: 3,
      augmentation: { horizontalFlip: true, cropPadding: 2 },
    });
    expect(augmented.tiles.map((x) => x.index)).toEqual(plain.tiles.map((x) => x.index));
    expect(augmented.tiles.map((x) => x.rgbaBase64)).not.toEqual(plain.tiles.map((x) => x.rgbaBase64));
  });

  it('lists the test images a finished run got wrong, with true and predicted classes', async () => {
    const preset = findPreset('digits-cnn')!.document;
    const project = storage.createProject({ ...preset, training: { ...preset.training, epochs: 1 } });
    const run = runs.start(project.id, { backend: 'cpu' });
    const outcome = await runs.outcome(run.id);
    expect(outcome?.type).toBe('done');
    const wrong = await call('runs:misclassified', { runId: run.id, limit: 5 });
    expect(wrong.testCount).toBe(360);
    const detail = storage.getRun(run.id)!;
    const accuracy = detail.test && detail.test.task !== 'regression' ? detail.test.accuracy : NaN;
    expect(wrong.total).toBe(Math.round((1 - accuracy) * 360));
    for (const tile of wrong.tiles) {
      expect(tile.predicted).not.toBe(tile.label);
      expect(tile.predictedName).toBe(String(tile.predicted));
    }
  }, 300_000);
});
