import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDocument } from '../../shared/graph';
import { dataLocationFor } from '../../electron/services/dataLocation';
import { ExportError } from '../../electron/services/export/errors';
import { exportModel } from '../../electron/services/export/modelExport';
import { predict } from '../../electron/services/export/predict';
import type { Storage } from '../../electron/services/storage';
import { loadTrainingData } from '../../electron/trainer/loadData';
import { tf, type LayersModel } from '../../electron/trainer/tf';
import {
  imageDocument,
  presetWith,
  recordRandomRun,
  recordRun,
  tempDir,
  tempStorage,
} from '../fixtures/pretrained/trainRun';

let storage: Storage;
let wineRun: number;
let wineDoc: ProjectDocument;
const wineCsv = join(__dirname, '../../data/wine-quality-white-and-red.csv');

function fromFolder(dir: string): Promise<LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: never[] }[];
  };
  const bin = readFileSync(join(dir, json.weightsManifest[0]!.paths[0]!));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0]!.weights,
      weightData: new Uint8Array(bin).buffer,
    }),
  );
}

function outputsOf(model: LayersModel, x: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync() as Float32Array);
}

beforeAll(async () => {
  storage = tempStorage();
  wineDoc = presetWith('wine-type-ann', { epochs: 2 });
  wineRun = (await recordRun(storage, wineDoc)).runId;
});

afterAll(() => storage.close());

describe('exporting a trained run in the TensorFlow.js layers format', () => {
  it('writes model.json, weights.bin and preprocessing.json that load back with the same predictions', async () => {
    const dir = tempDir();
    const exported = exportModel(storage, wineRun, dir);
    expect(exported.files.map((f) => f.slice(dir.length + 1))).toEqual([
      'model.json',
      'weights.bin',
      'preprocessing.json',
    ]);
    const pre = JSON.parse(readFileSync(join(dir, 'preprocessing.json'), 'utf8')) as Record<string, unknown>;
    expect(pre).toMatchObject({
      format: 'neural-workbench/preprocessing',
      version: 1,
      kind: 'tabular',
      task: 'binary',
      targetName: 'type',
      classNames: ['red', 'white'],
      outputActivation: 'sigmoid',
    });
    expect((pre.featureNames as string[]).slice(0, 2)).toEqual(['fixed acidity', 'volatile acidity']);
    expect((pre.standardization as { mean: number[] }).mean).toHaveLength(12);

    // The test split exactly as the trainer prepared it, standardised with the stored statistics.
    const data = await loadTrainingData(wineDoc, dataLocationFor(wineDoc));
    const loaded = await fromFolder(dir);
    const stored = storage.getRunModel(wineRun)!.artifacts;
    const original = await tf.loadLayersModel(tf.io.fromMemory(stored as never));
    const a = outputsOf(loaded, data.test.x, [data.test.count, 12]);
    const b = outputsOf(original, data.test.x, [data.test.count, 12]);
    expect(Array.from(a)).toEqual(Array.from(b));
    // And the classes are those the trainer recorded for its test split.
    const yPred = storage.getRunPredictions(wineRun)!.yPred;
    expect(Array.from(a, (p) => (p >= 0.5 ? 1 : 0))).toEqual(yPred);
    loaded.dispose();
    original.dispose();
  });

  it('says clearly when a run does not exist or has no model', () => {
    expect(() => exportModel(storage, 999, tempDir())).toThrow(/There is no run 999/);
    const project = storage.getProjectByName(wineDoc.name)!;
    const failed = storage.createRun({ projectId: project.id, document: wineDoc, status: 'running' });
    storage.failRun(failed.id, { message: 'diverged' });
    expect(() => exportModel(storage, failed.id, tempDir())).toThrow(
      new RegExp(`Run ${failed.id} has no trained model \\(it is failed\\)`),
    );
  });
});

describe('predicting with a stored run', () => {
  it('reads CSV columns by name in any order and gives classes with probabilities', async () => {
    const lines = readFileSync(wineCsv, 'utf8').trim().split('\n');
    const header = lines[0]!.split(',');
    const rows = [lines[1]!, lines[2]!, lines[lines.length - 1]!].map((l) => l.split(','));
    // Columns reversed: predict must pick them by name.
    const order = header.map((_, i) => header.length - 1 - i);
    const file = join(tempDir(), 'new.csv');
    writeFileSync(file, [order.map((i) => header[i]), ...rows.map((r) => order.map((i) => r[i]))].join('\n'));
    const result = await predict(storage, wineRun, { kind: 'csv', path: file });
    expect(result.task).toBe('binary');
    expect(result.predictions).toHaveLength(3);
    const typeIndex = header.indexOf('type');
    result.predictions.forEach((p, i) => {
      if (!('className' in p)) throw new Error('expected a class');
      expect(p.probabilities[0]! + p.probabilities[1]!).toBeCloseTo(1, 6);
      expect(p.className).toBe(rows[i]![typeIndex]);
    });
    // The probability is the model's own output on the standardised row.
    const pre = JSON.parse(
      readFileSync(join(exportModel(storage, wineRun, tempDir()).dir, 'preprocessing.json'), 'utf8'),
    ) as {
      featureNames: string[];
      standardization: { mean: number[]; std: number[] };
    };
    const x = Float32Array.from(pre.featureNames, (f, j) => {
      const v = Number(rows[0]![header.indexOf(f)]);
      return (v - pre.standardization.mean[j]!) / pre.standardization.std[j]!;
    });
    const model = await tf.loadLayersModel(
      tf.io.fromMemory(storage.getRunModel(wineRun)!.artifacts as never),
    );
    const first = result.predictions[0]!;
    expect('probabilities' in first && first.probabilities[1]).toBeCloseTo(
      outputsOf(model, x, [1, 12])[0]!,
      6,
    );
    model.dispose();
  });

  it('names the missing and the extra columns of a CSV in one message', async () => {
    const lines = readFileSync(wineCsv, 'utf8').trim().split('\n').slice(0, 4);
    const header = lines[0]!.split(',');
    const drop = header.indexOf('alcohol');
    const file = join(tempDir(), 'bad.csv');
    writeFileSync(
      file,
      lines
        .map((l, i) => [...l.split(',').filter((_, j) => j !== drop), i === 0 ? 'colour' : 'x'].join(','))
        .join('\n'),
    );
    const run = predict(storage, wineRun, { kind: 'csv', path: file });
    await expect(run).rejects.toBeInstanceOf(ExportError);
    await expect(run).rejects.toThrow(
      /^bad\.csv lacks the column 'alcohol' the model was trained on and has column 'colour' the model does not know: give it exactly the model's columns/,
    );
  });

  it('refuses images of the wrong size instead of resizing them, and predicts the right size', async () => {
    const runId = recordImageRun(storage);
    const dir = tempDir();
    const png = (width: number, height: number, name: string) => {
      const image = new PNG({ width, height });
      for (let i = 0; i < width * height * 4; i++) image.data[i] = i % 4 === 3 ? 255 : (i * 37) % 256;
      writeFileSync(join(dir, name), PNG.sync.write(image));
      return join(dir, name);
    };
    await expect(predict(storage, runId, { kind: 'images', paths: [png(12, 9, 'big.png')] })).rejects.toThrow(
      /^big\.png is 12×9 pixels but the model takes 8×8 images: resize it to 8×8 first/,
    );
    const result = await predict(storage, runId, {
      kind: 'images',
      paths: [png(8, 8, 'ok.png'), png(8, 8, 'ok2.png')],
    });
    expect(result.predictions.map((p) => p.input)).toEqual(['ok.png', 'ok2.png']);
    for (const p of result.predictions) {
      if (!('probabilities' in p)) throw new Error('expected classes');
      expect(p.probabilities).toHaveLength(3);
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(['cat', 'dog', 'frog']).toContain(p.className);
    }
    await expect(predict(storage, runId, { kind: 'csv', path: wineCsv })).rejects.toThrow(
      /was trained on images/,
    );
  });
});

/** A small convolutional run on 8×8 RGB images, recorded with random weights (enough for prediction). */
function recordImageRun(s: Storage): number {
  const doc = imageDocument('Tiny images', [
    { kind: 'input', id: 'input', params: { dataKind: 'image', height: 8, width: 8, channels: 3 } },
    { kind: 'conv2d', id: 'conv', params: { filters: 4, kernelSize: 3, padding: 1 } },
    { kind: 'relu', id: 'relu' },
    { kind: 'maxpool2d', id: 'pool' },
    { kind: 'flatten', id: 'flat' },
    { kind: 'dense', id: 'fc', params: { units: 3 } },
    { kind: 'output', id: 'output', params: { task: 'multiclass' } },
  ]);
  return recordRandomRun(s, doc, {
    kind: 'image',
    classNames: ['cat', 'dog', 'frog'],
    normalization: 'half',
  });
}
