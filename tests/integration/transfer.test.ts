import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph, sequentialGraph, type ChainBlock, type ProjectDocument } from '../../shared/graph';
import { exportProjectCode, exportRunCode } from '../../electron/services/export/codeExport';
import { exportModel } from '../../electron/services/export/modelExport';
import { predict } from '../../electron/services/export/predict';
import { tfjsWeights } from '../../electron/services/export/weights';
import type { Storage } from '../../electron/services/storage';
import {
  PretrainedModelError,
  inspectPretrainedModel,
  readRunWeights,
  type PretrainedModelInfo,
} from '../../electron/trainer/pretrained';
import { TrainingError } from '../../electron/trainer/train';
import { tf } from '../../electron/trainer/tf';
import { presetWith, recordRun, tempDir, tempStorage, trainOnCpu } from '../fixtures/pretrained/trainRun';

const PYTHON = '/usr/bin/python3';
const hasTorch =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
if (!hasTorch)
  console.warn('SKIPPED: the PyTorch parts of the transfer tests need python3-torch at /usr/bin/python3.');
const wineCsv = join(__dirname, '../../data/wine-quality-white-and-red.csv');

let storage: Storage;
let firstRun: number;
let modelDir: string;
let info: PretrainedModelInfo;

function wineDocument(name: string, blocks: ChainBlock[], epochs = 2): ProjectDocument {
  const base = presetWith('wine-type-ann', { epochs });
  return {
    ...base,
    name,
    graph: sequentialGraph([
      { kind: 'input', id: 'input', params: { dataKind: 'tabular', features: 12 } },
      ...blocks,
      { kind: 'output', id: 'output', params: { task: 'binary', loss: 'bce' } },
    ]),
  };
}

function weight(
  artifacts: {
    weightSpecs: never[] | { name: string; shape: number[]; dtype: string }[];
    weightData: ArrayBuffer;
  },
  name: string,
): number[] {
  const w = tfjsWeights(artifacts as never).get(name);
  if (!w) throw new Error(`no weight ${name}`);
  return Array.from(w.data);
}

function pretrainedDoc(fineTune: boolean): ProjectDocument {
  // The pretrained model gives one probability; a head on it needs a larger step to learn in 2 epochs.
  const doc = wineDocument('On a pretrained model', [
    { kind: 'pretrained', id: 'pre', params: { path: modelDir, trainable: fineTune, ...info } },
    { kind: 'dense', id: 'head', params: { units: 1 } },
    { kind: 'sigmoid', id: 'sigmoid' },
  ]);
  return { ...doc, training: { ...doc.training, learningRate: 0.05 } };
}

beforeAll(async () => {
  storage = tempStorage();
  firstRun = (await recordRun(storage, presetWith('wine-type-ann', { epochs: 2 }))).runId;
  modelDir = join(tempDir(), 'wine-model');
  exportModel(storage, firstRun, modelDir);
  info = await inspectPretrainedModel(modelDir);
});
afterAll(() => storage.close());

describe('starting a run from another run’s weights', () => {
  for (const engine of ['dense', 'layers'] as const) {
    it(`keeps frozen blocks exactly as trained and trains a new last block (${engine} engine)`, async () => {
      const doc = wineDocument(`Frozen fc1 (${engine})`, [
        { kind: 'dense', id: 'fc1', params: { units: 64 }, frozen: true },
        { kind: 'relu', id: 'relu' },
        { kind: 'dense', id: 'head', params: { units: 1 } },
        { kind: 'sigmoid', id: 'sigmoid' },
      ]);
      const source = readRunWeights(storage.path, firstRun);
      expect(source.label).toBe(`run ${firstRun}`);
      const { done } = await recordRun(storage, doc, { initialWeights: source, engine });
      const before = storage.getRunModel(firstRun)!.artifacts;
      expect(weight(done.model, 'b_fc1/kernel')).toEqual(weight(before, 'b_fc1/kernel'));
      expect(weight(done.model, 'b_fc1/bias')).toEqual(weight(before, 'b_fc1/bias'));
      // The new head learned on top of the kept features.
      const fresh = await trainOnCpu({ ...doc, training: { ...doc.training, epochs: 1 } }, { engine });
      expect(weight(done.model, 'b_head/kernel')).not.toEqual(weight(fresh.model, 'b_head/kernel'));
      expect((done.test as { accuracy: number }).accuracy).toBeGreaterThan(0.95);
    });
  }

  it('starts every block that matches by id and shape from the run, and trains them further when not frozen', async () => {
    const doc = presetWith('wine-type-ann', { epochs: 1, learningRate: 1e-9, optimizer: 'sgd' });
    const done = await trainOnCpu(doc, { initialWeights: readRunWeights(storage.path, firstRun) });
    const before = storage.getRunModel(firstRun)!.artifacts;
    // A learning rate of 1e-9 barely moves them: they started from the first run's values.
    const a = weight(done.model, 'b_fc2/kernel');
    const b = weight(before, 'b_fc2/kernel');
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-6);
  });

  it('says so when no block of the network matches the run', async () => {
    const doc = wineDocument('Nothing matches', [
      { kind: 'dense', id: 'other', params: { units: 8 } },
      { kind: 'dense', id: 'last', params: { units: 1 } },
      { kind: 'sigmoid', id: 'sigmoid' },
    ]);
    const run = trainOnCpu(doc, { initialWeights: readRunWeights(storage.path, firstRun) });
    await expect(run).rejects.toBeInstanceOf(TrainingError);
    await expect(run).rejects.toThrow(
      `No block of this network matches run ${firstRun} (same block id and weight shapes)`,
    );
  });

  it('refuses a run without a trained model', () => {
    expect(() => readRunWeights(storage.path, 4242)).toThrow(/Run 4242 has no trained model to start from/);
  });
});

describe('the Pretrained model block', () => {
  it('reads a layers-model folder: shapes and parameter counts', () => {
    expect(info).toEqual({ inputShape: [12], outputShape: [1], params: 897, trainableParams: 897 });
  });

  it('counts a frozen pretrained model as non-trainable in the layer table, and a fine-tuned one as trainable', () => {
    const frozen = analyzeGraph(pretrainedDoc(false).graph);
    expect(frozen.ok).toBe(true);
    expect(frozen.nodes.pre!.outputShape).toEqual([1]);
    expect(frozen.totals).toEqual({ trainable: 2, nonTrainable: 897, total: 899 });
    expect(analyzeGraph(pretrainedDoc(true).graph).totals).toEqual({
      trainable: 899,
      nonTrainable: 0,
      total: 899,
    });
    const wrongInput = analyzeGraph({
      ...pretrainedDoc(false).graph,
      nodes: pretrainedDoc(false).graph.nodes.map((n) =>
        n.id === 'input' ? { ...n, params: { dataKind: 'tabular', features: 5 } } : n,
      ),
    });
    expect(wrongInput.nodes.pre!.errors).toEqual([
      'The pretrained model takes 12 inputs but gets 5: set the Input block (or the image size) to 12.',
    ]);
  });

  it('trains a new head on a frozen pretrained model, whose weights stay as they were', async () => {
    const { runId, done } = await recordRun(storage, pretrainedDoc(false));
    const before = storage.getRunModel(firstRun)!.artifacts;
    expect(weight(done.model, 'b_pre.b_fc1/kernel')).toEqual(weight(before, 'b_fc1/kernel'));
    expect(weight(done.model, 'b_pre.b_fc2/bias')).toEqual(weight(before, 'b_fc2/bias'));
    expect((done.test as { accuracy: number }).accuracy).toBeGreaterThan(0.95);

    // The trained network, pretrained part included, exports and loads back as one layers model.
    const dir = tempDir();
    exportModel(storage, runId, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
      modelTopology: never;
      weightsManifest: { weights: never[] }[];
    };
    const back = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0]!.weights,
        weightData: new Uint8Array(readFileSync(join(dir, 'weights.bin'))).buffer,
      }),
    );
    const stored = await tf.loadLayersModel(tf.io.fromMemory(storage.getRunModel(runId)!.artifacts as never));
    const x = tf.randomNormal([5, 12], 0, 1, 'float32', 3);
    expect(Array.from((back.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((stored.predict(x) as tf.Tensor).dataSync()),
    );
    tf.dispose([back, stored, x] as never);
    const lines = readFileSync(wineCsv, 'utf8').split('\n').slice(0, 3);
    const csv = join(dir, 'two.csv');
    writeFileSync(csv, lines.join('\n'));
    expect((await predict(storage, runId, { kind: 'csv', path: csv })).predictions).toHaveLength(2);
  });

  it('fine-tunes the pretrained weights when asked', async () => {
    const done = await trainOnCpu(pretrainedDoc(true));
    const before = storage.getRunModel(firstRun)!.artifacts;
    expect(weight(done.model, 'b_pre.b_fc1/kernel')).not.toEqual(weight(before, 'b_fc1/kernel'));
  });

  it('says clearly what is wrong with a folder that is not a layers model', async () => {
    const root = tempDir();
    const folder = (name: string, files: Record<string, string>) => {
      const dir = join(root, name);
      mkdirSync(dir);
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      return dir;
    };
    await expect(inspectPretrainedModel(folder('empty', {}))).rejects.toThrow(
      'The folder empty has no model.json: choose the folder of a TensorFlow.js layers model.',
    );
    await expect(inspectPretrainedModel(folder('broken', { 'model.json': '{ not json' }))).rejects.toThrow(
      'The model.json in broken is not valid JSON',
    );
    await expect(
      inspectPretrainedModel(
        folder('graph', {
          'model.json': JSON.stringify({
            format: 'graph-model',
            modelTopology: { node: [] },
            weightsManifest: [],
          }),
        }),
      ),
    ).rejects.toThrow(
      /is a TensorFlow\.js graph model, which cannot be trained on: convert it with tensorflowjs_converter/,
    );
    await expect(inspectPretrainedModel(folder('other', { 'model.json': '{"hello": 1}' }))).rejects.toThrow(
      /The model\.json in other is not a TensorFlow\.js layers model/,
    );
    const json = readFileSync(join(modelDir, 'model.json'), 'utf8');
    await expect(inspectPretrainedModel(folder('noweights', { 'model.json': json }))).rejects.toThrow(
      'The weight file ./weights.bin that model.json names is missing from noweights: copy the whole model folder.',
    );
    await expect(inspectPretrainedModel(join(root, 'absent'))).rejects.toBeInstanceOf(PretrainedModelError);
    const doc = pretrainedDoc(false);
    const moved = {
      ...doc,
      graph: {
        ...doc.graph,
        nodes: doc.graph.nodes.map((n) =>
          n.id === 'pre' ? { ...n, params: { ...n.params, path: join(root, 'empty') } } : n,
        ),
      },
    };
    await expect(trainOnCpu(moved)).rejects.toThrow(/The folder empty has no model\.json/);
  });
});

describe.skipIf(!hasTorch)('exporting a network with a pretrained model as PyTorch (python3-torch)', () => {
  function python(args: string[], cwd: string): string {
    const r = spawnSync(PYTHON, args, {
      cwd,
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    if (r.status !== 0) throw new Error(`python3 failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  it('writes the pretrained model as a frozen nested module and gives the app’s outputs', async () => {
    const { runId } = await recordRun(storage, { ...pretrainedDoc(false), name: 'Pretrained for export' });
    const dir = tempDir();
    const file = join(dir, 'pre.py');
    const written = exportRunCode(storage, runId, 'pytorch', file);
    const script = readFileSync(file, 'utf8');
    expect(script).toMatch(/self\.pre = nn\.Sequential\(OrderedDict\(\[/);
    expect(script).toMatch(/FROZEN = \["pre"\]/);
    const sample = join(dir, 'sample.csv');
    const lines = readFileSync(wineCsv, 'utf8').trim().split('\n');
    writeFileSync(sample, [lines[0], ...lines.slice(1, 40)].join('\n'));
    const out = JSON.parse(
      python([file, '--weights', written.weights!, '--predict-only', '--data', sample], dir),
    ) as { outputs: number[][] };
    const result = await predict(storage, runId, { kind: 'csv', path: sample });
    const worst = Math.max(
      ...result.predictions.map((p, i) =>
        Math.abs(('probabilities' in p ? p.probabilities[1]! : NaN) - out.outputs[i]![0]!),
      ),
    );
    expect(worst).toBeLessThan(1e-4);
  });

  it('carries the pretrained weights beside a project’s script and keeps them fixed while training', () => {
    const dir = tempDir();
    const file = join(dir, 'project.py');
    const written = exportProjectCode(pretrainedDoc(false), 'pytorch', file);
    expect(written.weightArrays).toBe(4);
    const out = python([file, '--data', wineCsv, '--epochs', '2', '--save', join(dir, 'model.pth')], dir);
    expect(out).toMatch(/Loaded the pretrained model: 4 weight arrays/);
    expect(out).toMatch(/2 trainable parameters/);
    expect(Number(/^Accuracy: ([\d.]+)$/m.exec(out)?.[1])).toBeGreaterThan(0.9);
  });
});
