import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../shared/graph';
import { exportProjectCode, exportRunCode } from '../../electron/services/export/codeExport';
import { weightsJson } from '../../electron/services/export/npz';
import { planNetwork } from '../../electron/services/export/scriptPlan';
import { scriptWeights } from '../../electron/services/export/weights';
import type { Storage } from '../../electron/services/storage';
import { tf } from '../../electron/trainer/tf';
import {
  imageDocument,
  presetWith,
  recordRandomRun,
  recordRun,
  tempDir,
  tempStorage,
} from '../fixtures/pretrained/trainRun';

const PYTHON = '/usr/bin/python3';
const hasTorch =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
if (!hasTorch) {
  console.warn(
    'SKIPPED: the PyTorch export tests need Debian python3-torch at /usr/bin/python3 (apt-get install -y python3-torch python3-sklearn).',
  );
}
const wineCsv = join(__dirname, '../../data/wine-quality-white-and-red.csv');

function python(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(PYTHON, args, {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, OMP_NUM_THREADS: '1', ...env },
  });
  if (r.status !== 0)
    throw new Error(`python3 ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

let storage: Storage;

beforeAll(() => {
  storage = tempStorage();
});
afterAll(() => storage.close());

describe.skipIf(!hasTorch)('the exported PyTorch script (python3-torch)', () => {
  it('trains wine-type-ann for a few epochs on the app’s split and reaches an accuracy of at least 0.95', () => {
    const dir = tempDir();
    const file = join(dir, 'wine.py');
    exportProjectCode(presetWith('wine-type-ann'), 'pytorch', file);
    const out = python([file, '--data', wineCsv, '--epochs', '3', '--save', join(dir, 'model.pth')], dir);
    expect(out).toMatch(/5197 training and 1300 test samples, 897 trainable parameters/);
    const accuracy = Number(/^Accuracy: ([\d.]+)$/m.exec(out)?.[1]);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    expect(out).toMatch(/Confusion matrix/);
    expect(out).toMatch(/^\s+red\s+[\d.]+\s+[\d.]+/m);
    expect(existsSync(join(dir, 'model.pth'))).toBe(true);
  });

  it('loads a run’s exported weights and gives the app’s outputs within 1e-4', async () => {
    const { runId } = await recordRun(storage, presetWith('wine-type-ann', { epochs: 2 }));
    const dir = tempDir();
    const file = join(dir, 'wine.py');
    const written = exportRunCode(storage, runId, 'pytorch', file);
    expect(written.weights).toBe(join(dir, 'wine.weights.npz'));
    const rows = readFileSync(wineCsv, 'utf8').trim().split('\n');
    const sample = join(dir, 'sample.csv');
    writeFileSync(sample, [rows[0], ...rows.slice(1).filter((_, i) => i % 50 === 0)].join('\n'));
    const out = JSON.parse(
      python([file, '--weights', written.weights!, '--predict-only', '--data', sample], dir),
    ) as {
      outputs: number[][];
      classes: string[];
    };
    // The app's own outputs on the same rows, with the stored standardisation.
    const model = storage.getRunModel(runId)!;
    const pre = model.preprocessing as {
      featureNames: string[];
      standardization: { mean: number[]; std: number[] };
    };
    const header = rows[0]!.split(',');
    const data = rows.slice(1).filter((_, i) => i % 50 === 0);
    const x = Float32Array.from(
      data.flatMap((line) => {
        const cells = line.split(',');
        return pre.featureNames.map(
          (f, j) =>
            (Number(cells[header.indexOf(f)]) - pre.standardization.mean[j]!) / pre.standardization.std[j]!,
        );
      }),
    );
    const app = await tf.loadLayersModel(tf.io.fromMemory(model.artifacts as never));
    const expected = tf.tidy(() => (app.predict(tf.tensor(x, [data.length, 12])) as tf.Tensor).dataSync());
    app.dispose();
    expect(out.outputs).toHaveLength(data.length);
    const worst = Math.max(...out.outputs.map((o, i) => Math.abs(o[0]! - expected[i]!)));
    expect(worst).toBeLessThan(1e-4);
    expect(new Set(out.classes)).toEqual(new Set(['red', 'white']));

    // The same weights as JSON (for tools without NumPy) give the same outputs.
    const trained = storage.getRun(runId)!;
    const compiled = compileGraph(trained.document.graph, { seed: 1 });
    if (!compiled.ok) throw new Error('the run does not compile');
    const { plan } = planNetwork(compiled.model, { runTopology: model.artifacts.modelTopology });
    const json = join(dir, 'wine.weights.json');
    writeFileSync(json, weightsJson(scriptWeights(plan, model.artifacts, 'pytorch'), 'pytorch'));
    const again = JSON.parse(python([file, '--weights', json, '--predict-only', '--data', sample], dir)) as {
      outputs: number[][];
    };
    expect(again.outputs).toEqual(out.outputs);
  });

  it('maps convolution, BatchNorm and the flatten order onto PyTorch’s layout exactly', async () => {
    const doc = imageDocument('Conv layout', [
      { kind: 'input', id: 'input', params: { dataKind: 'image', height: 7, width: 6, channels: 3 } },
      { kind: 'conv2d', id: 'conv1', params: { filters: 5, kernelSize: 3, padding: 'same', stride: 2 } },
      { kind: 'batchnorm', id: 'bn' },
      { kind: 'relu', id: 'relu' },
      { kind: 'conv2d', id: 'conv2', params: { filters: 4, kernelSize: 2, padding: 1 } },
      { kind: 'maxpool2d', id: 'pool' },
      { kind: 'flatten', id: 'flat' },
      { kind: 'dense', id: 'fc', params: { units: 3 } },
      { kind: 'output', id: 'output', params: { task: 'multiclass' } },
    ]);
    const runId = recordRandomRun(
      storage,
      doc,
      { kind: 'image', classNames: ['a', 'b', 'c'], normalization: 'half' },
      3,
    );
    const dir = tempDir();
    const file = join(dir, 'conv.py');
    const written = exportRunCode(storage, runId, 'pytorch', file);
    const script = readFileSync(file, 'utf8');
    // TensorFlow's `same` with stride 2 pads unevenly: PyTorch gets an explicit ZeroPad2d.
    expect(script).toMatch(/self\.conv1_pad = nn\.ZeroPad2d\(\(\d, \d, \d, \d\)\)/);
    expect(script).toMatch(/self\.conv2 = nn\.Conv2d\(5, 4, kernel_size=2, padding=1\)/);
    expect(script).toMatch(/self\.bn = nn\.BatchNorm2d\(5, eps=0\.00001, momentum=0\.1\)/);

    const count = 4;
    const x = Float32Array.from({ length: count * 7 * 6 * 3 }, (_, i) => Math.sin(i * 0.37));
    writeFileSync(join(dir, 'x.json'), JSON.stringify(Array.from(x)));
    const driver = `
import importlib.util, json, sys
import numpy as np, torch
spec = importlib.util.spec_from_file_location('exported', ${JSON.stringify(file)})
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
net = m.Network(); m.load_weights(net, ${JSON.stringify(written.weights)}); net.eval()
x = np.array(json.load(open('x.json')), dtype=np.float32).reshape(${count}, 7, 6, 3).transpose(0, 3, 1, 2).copy()
with torch.no_grad():
    print(json.dumps(net(torch.from_numpy(x)).reshape(-1).tolist()))
`;
    const torchOut = JSON.parse(python(['-c', driver], dir)) as number[];
    const app = await tf.loadLayersModel(tf.io.fromMemory(storage.getRunModel(runId)!.artifacts as never));
    const expected = tf.tidy(() =>
      Array.from((app.predict(tf.tensor(x, [count, 7, 6, 3])) as tf.Tensor).dataSync()),
    );
    app.dispose();
    expect(torchOut).toHaveLength(count * 3);
    const worst = Math.max(...torchOut.map((v, i) => Math.abs(v - expected[i]!)));
    expect(worst).toBeLessThan(1e-4);
  });

  it('reads image data the app’s way (the digits pixel CSV), with augmentation, StepLR, early stopping and best-weights restore', () => {
    const base = presetWith('wine-type-ann');
    const doc = {
      ...imageDocument('Digits CNN', [
        { kind: 'input', id: 'input', params: { dataKind: 'image', height: 8, width: 8, channels: 1 } },
        { kind: 'conv2d', id: 'conv1', params: { filters: 16, kernelSize: 3, padding: 1 } },
        { kind: 'batchnorm', id: 'bn' },
        { kind: 'relu', id: 'relu1' },
        { kind: 'maxpool2d', id: 'pool' },
        { kind: 'flatten', id: 'flat' },
        { kind: 'dense', id: 'fc', params: { units: 10 } },
        { kind: 'output', id: 'output', params: { task: 'multiclass' } },
      ]),
      training: {
        ...base.training,
        epochs: 8,
        batchSize: 32,
        learningRate: 0.01,
        lrSchedule: { kind: 'step' as const, every: 3, gamma: 0.5 },
        earlyStopping: { monitor: 'val_accuracy' as const, patience: 3, minDelta: 0 },
        restoreBest: true,
      },
    };
    doc.data = {
      ...doc.data!,
      source: { kind: 'file', path: 'digits-8x8.csv' },
      pixelCsv: { height: 8, width: 8, channels: 1, labelColumn: 'label', maxValue: 16 },
      normalization: 'dataset',
      augmentation: { horizontalFlip: false, cropPadding: 1 },
    };
    const dir = tempDir();
    const file = join(dir, 'digits.py');
    exportProjectCode(doc, 'pytorch', file);
    const out = python(
      [file, '--data', join(__dirname, '../../../shared/datasets/digits-8x8.csv'), '--save', ''],
      dir,
    );
    // 1,797 images, ceil(0.2 × 1797) = 360 held out by the app's seeded split.
    expect(out).toMatch(/1437 training and 360 test samples/);
    // StepLR(3, 0.5): epoch 4 trains at half the rate (early stopping cannot end the run before it).
    expect(out).toMatch(/^Epoch \[4\/8\].*lr 0\.005$/m);
    expect(out).toMatch(/Restored the weights of epoch \d+ \(best val_accuracy/);
    expect(Number(/^Accuracy: ([\d.]+)$/m.exec(out)?.[1])).toBeGreaterThan(0.8);
  });

  it('trains data-parallel under torchrun --nproc_per_node=2 (gloo) and both processes end with the same weights', () => {
    const dir = tempDir();
    const file = join(dir, 'wine.py');
    exportProjectCode(presetWith('wine-type-ann'), 'pytorch', file);
    const launcher = existsSync('/usr/bin/torchrun')
      ? ['/usr/bin/torchrun']
      : [PYTHON, '-m', 'torch.distributed.run'];
    const r = spawnSync(
      launcher[0]!,
      [
        ...launcher.slice(1),
        '--standalone',
        '--nproc_per_node=2',
        // Debian's torch 1.13 on Python 3.11 cannot parse its own default '0' for these (enum.Flag change).
        '--redirects',
        '1',
        '--tee',
        '1',
        file,
        '--data',
        wineCsv,
        '--epochs',
        '1',
        '--device',
        'cpu',
        '--save',
        '',
        '--digest-file',
        join(dir, 'weights'),
      ],
      { cwd: dir, encoding: 'utf8', timeout: 300_000, env: { ...process.env, OMP_NUM_THREADS: '1' } },
    );
    if (r.status !== 0) throw new Error(`torchrun failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    expect(r.stdout).toMatch(/Training on cpu × 2 processes/);
    // Printing is rank 0's alone: one epoch line, one report (torchrun's tee prefixes lines with the rank).
    expect(r.stdout.match(/^(\[\w+\]:)?Epoch \[1\/1\]/gm)).toHaveLength(1);
    expect(r.stdout.match(/Accuracy: /g)).toHaveLength(1);
    const rank0 = readFileSync(join(dir, 'weights.rank0'), 'utf8');
    const rank1 = readFileSync(join(dir, 'weights.rank1'), 'utf8');
    expect(rank0).toMatch(/^[0-9a-f]{64}$/);
    expect(rank1).toBe(rank0);
  });
});
