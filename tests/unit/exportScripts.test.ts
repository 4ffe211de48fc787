import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { LayerConfig } from '../../shared/blocks';
import { compileGraph, sequentialGraph, type ChainBlock, type ProjectDocument } from '../../shared/graph';
import { kerasScript } from '../../electron/services/export/kerasScript';
import { Namer, planLayers } from '../../electron/services/export/networkPlan';
import { npyBytes, npzBytes } from '../../electron/services/export/npz';
import { pytorchScript } from '../../electron/services/export/pytorchScript';
import { planNetwork } from '../../electron/services/export/scriptPlan';
import { documentLoss, pyLiteral } from '../../electron/services/export/scriptSettings';
import { scriptWeights } from '../../electron/services/export/weights';
import { pythonicToTs } from '../../electron/trainer/pretrained';
import { presetWith, tempDir } from '../fixtures/pretrained/trainRun';

const PYTHON = '/usr/bin/python3';
const can = (module: string) =>
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' }).status === 0;
const hasPython = existsSync(PYTHON);
const hasNumpy = can('numpy');
const hasTensorflow = can('tensorflow');
if (!hasNumpy)
  console.warn(
    'SKIPPED: the .npz check needs NumPy for /usr/bin/python3 (apt-get install -y python3-numpy).',
  );
if (!hasTensorflow)
  console.warn(
    'SKIPPED: running the exported Keras script needs TensorFlow, which is not installed: it is only syntax-checked.',
  );

function scriptsFor(document: ProjectDocument): { pytorch: string; keras: string } {
  const compiled = compileGraph(document.graph, { seed: 1 });
  if (!compiled.ok) throw new Error(compiled.issues[0]!.message);
  const source = {
    document,
    plan: planNetwork(compiled.model).plan,
    dataName: 'data.csv',
    loss: documentLoss(document),
    outputActivation: compiled.model.outputActivation,
  };
  return { pytorch: pytorchScript(source, 'train.py'), keras: kerasScript(source, 'train.py') };
}

function imageDoc(blocks: ChainBlock[]): ProjectDocument {
  const base = presetWith('wine-type-ann');
  return {
    ...base,
    name: 'CIFAR-like',
    graph: sequentialGraph(blocks),
    data: {
      ...base.data!,
      format: 'images',
      source: { kind: 'file', path: 'cifar10-jpg.tar.gz' },
      normalization: 'half',
      augmentation: { horizontalFlip: true, cropPadding: 4 },
    },
    training: {
      ...base.training,
      weightDecay: 1e-4,
      lrSchedule: { kind: 'step', every: 10, gamma: 0.1 },
      earlyStopping: { monitor: 'val_loss', patience: 5, minDelta: 0 },
      restoreBest: true,
    },
  };
}

const lessonConvNet = imageDoc([
  { kind: 'input', id: 'input', params: { dataKind: 'image', height: 32, width: 32, channels: 3 } },
  { kind: 'conv2d', id: 'conv1', params: { filters: 64, kernelSize: 3, padding: 2 } },
  { kind: 'relu', id: 'relu1' },
  { kind: 'maxpool2d', id: 'pool1' },
  { kind: 'conv2d', id: 'conv2', params: { filters: 128, kernelSize: 3, padding: 2 } },
  { kind: 'relu', id: 'relu2' },
  { kind: 'maxpool2d', id: 'pool2' },
  { kind: 'flatten', id: 'flatten' },
  { kind: 'dropout', id: 'drop1', params: { rate: 0.5 } },
  { kind: 'dense', id: 'fc1', params: { units: 512 } },
  { kind: 'relu', id: 'relu3' },
  { kind: 'dense', id: 'fc2', params: { units: 10 }, frozen: true },
  { kind: 'output', id: 'output', params: { task: 'multiclass' } },
]);

describe('the network plan', () => {
  it('writes the lesson’s ConvNet as the lesson does: padding folded back into Conv2d, 128·9·9 features', () => {
    const { pytorch } = scriptsFor(lessonConvNet);
    expect(pytorch).toContain('self.conv1 = nn.Conv2d(3, 64, kernel_size=3, padding=2)');
    expect(pytorch).toContain('self.pool1 = nn.MaxPool2d(kernel_size=2, stride=2)');
    expect(pytorch).toContain('self.fc1 = nn.Linear(10368, 512)');
    expect(pytorch).toContain('self.drop1 = nn.Dropout(p=0.5)');
    expect(pytorch).toContain('FROZEN = ["fc2"]');
    expect(pytorch).toContain('LR_STEP = (10, 0.1)');
    expect(pytorch).toContain('CROP_PADDING = 4');
  });

  it('pads TensorFlow’s uneven `same` padding explicitly, as TensorFlow splits it', () => {
    const layers: LayerConfig[] = [
      {
        className: 'Conv2D',
        config: { name: 'b_c', filters: 2, kernelSize: [3, 3], strides: [2, 2], padding: 'same' },
      },
    ];
    const plan = planLayers(layers, [7, 6, 1], () => {
      throw new Error('no nested models here');
    });
    const conv = plan.ops[0]!;
    if (conv.kind !== 'conv') throw new Error('expected a conv');
    // Height 7 → 4 needs 2 rows (1 above, 1 below); width 6 → 3 needs 1 column, after.
    expect(conv.pad).toEqual([1, 1, 0, 1]);
    expect(plan.outputShape).toEqual([4, 3, 2]);
  });

  it('gives Python-safe, unique names', () => {
    const namer = new Namer();
    expect(namer.name('b_fc1', 'fc')).toBe('fc1');
    expect(namer.name('b_fc1', 'fc')).toBe('fc1_2');
    expect(namer.name('b_forward', 'fc')).toBe('fc_forward');
    expect(namer.name('b_2nd', 'conv')).toBe('conv_2nd');
    expect(namer.name('b_pre.b_layer_a', 'fc')).toBe('layer_a');
  });

  it('refuses layers no script can reproduce, naming them', () => {
    expect(() =>
      planLayers([{ className: 'LSTM', config: { name: 'b_rnn', units: 4 } }], [4], () => ({
        layers: [],
        frozen: false,
      })),
    ).toThrow('Layer b_rnn is a LSTM, which the exported script cannot write yet');
  });
});

describe('weights in the script’s layout', () => {
  it('transposes Dense kernels and reorders the features a Flatten gives, channels-last to channels-first', () => {
    // A 1×2×2 image (h=1, w=2, c=2) flattened, then Dense 4 -> 1: tfjs feature i = (h·W + w)·C + c.
    const layers: LayerConfig[] = [
      { className: 'Flatten', config: { name: 'b_flat' } },
      { className: 'Dense', config: { name: 'b_fc', units: 1, useBias: false } },
    ];
    const plan = planLayers(layers, [1, 2, 2], () => ({ layers: [], frozen: false }));
    const kernel = Float32Array.from([10, 11, 20, 21]); // (w0,c0) (w0,c1) (w1,c0) (w1,c1)
    const [torch] = scriptWeights(
      plan,
      { weightSpecs: [{ name: 'b_fc/kernel', shape: [4, 1], dtype: 'float32' }], weightData: kernel.buffer },
      'pytorch',
    );
    expect(torch!.name).toBe('fc.weight');
    expect(torch!.shape).toEqual([1, 4]);
    // PyTorch flattens channel 0 first: (c0,w0) (c0,w1) (c1,w0) (c1,w1).
    expect(Array.from(torch!.data)).toEqual([10, 20, 11, 21]);
    const [keras] = scriptWeights(
      plan,
      { weightSpecs: [{ name: 'b_fc/kernel', shape: [4, 1], dtype: 'float32' }], weightData: kernel.buffer },
      'keras',
    );
    expect(keras!.name).toBe('fc/kernel');
    expect(Array.from(keras!.data)).toEqual([10, 11, 20, 21]);
  });

  it('says which weight is missing when a model does not match its network', () => {
    const plan = planLayers([{ className: 'Dense', config: { name: 'b_fc', units: 2 } }], [3], () => ({
      layers: [],
      frozen: false,
    }));
    expect(() => scriptWeights(plan, { weightSpecs: [], weightData: new ArrayBuffer(0) }, 'pytorch')).toThrow(
      'The trained model has no weight b_fc/kernel: it does not match its network.',
    );
  });

  it('writes .npy files NumPy reads: 64-byte aligned header, little-endian float32', () => {
    const bytes = npyBytes({ name: 'a', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) });
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLength = bytes[8]! | (bytes[9]! << 8);
    expect((10 + headerLength) % 64).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLength))).toMatch(
      /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/,
    );
    const files = unzipSync(
      npzBytes([{ name: 'fc.weight', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }]),
    );
    expect(Object.keys(files)).toEqual(['fc.weight.npy']);
  });

  it.skipIf(!hasNumpy)('round-trips an .npz through numpy.load', () => {
    const path = join(tempDir(), 'w.npz');
    writeFileSync(
      path,
      npzBytes([
        { name: 'pre.fc1.weight', shape: [2, 2], data: Float32Array.from([0.5, -1, 2.25, 3e-8]) },
        { name: 'fc2.bias', shape: [1], data: Float32Array.from([7]) },
      ]),
    );
    const r = spawnSync(
      PYTHON,
      [
        '-c',
        `import numpy as np, json; d = np.load(${JSON.stringify(path)}); print(json.dumps({k: [list(v.shape), v.dtype.str, v.reshape(-1).tolist()] for k, v in d.items()}))`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      'pre.fc1.weight': [[2, 2], '<f4', [0.5, -1, 2.25, Math.fround(3e-8)]],
      'fc2.bias': [[1], '<f4', [7]],
    });
  });
});

describe('the exported scripts are valid Python', () => {
  const documents: [string, ProjectDocument][] = [
    ['wine-type-ann (table, binary)', presetWith('wine-type-ann')],
    ['california-housing-mlp (table, regression)', presetWith('california-housing-mlp')],
    ['the lesson’s ConvNet (images, augmentation, StepLR, early stopping)', lessonConvNet],
  ];
  for (const [label, doc] of documents) {
    it.skipIf(!hasPython)(`PyTorch and Keras scripts for ${label} pass py_compile`, () => {
      const dir = tempDir();
      const scripts = scriptsFor(doc);
      for (const [lang, text] of Object.entries(scripts)) {
        const file = join(dir, `${lang}.py`);
        writeFileSync(file, text);
        const r = spawnSync(PYTHON, ['-m', 'py_compile', file], { encoding: 'utf8' });
        expect(r.status, `${lang}: ${r.stderr}`).toBe(0);
      }
    });
  }

  it.skipIf(!hasTensorflow)('the Keras script for wine-type-ann trains for an epoch', () => {
    const dir = tempDir();
    const file = join(dir, 'keras.py');
    writeFileSync(file, scriptsFor(presetWith('wine-type-ann')).keras);
    const data = join(__dirname, '../../data/wine-quality-white-and-red.csv');
    const r = spawnSync(PYTHON, [file, '--data', data, '--epochs', '1', '--save', ''], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Accuracy: /);
  });

  it('writes settings as Python literals', () => {
    expect(pyLiteral({ a: [1, null, true], b: 'x"y' })).toBe('{"a": [1, None, True], "b": "x\\"y"}');
  });
});

describe('reading tfjs’s Keras JSON', () => {
  it('converts keys and enum values to camelCase like tfjs, keeping names and node references', () => {
    expect(
      pythonicToTs({
        class_name: 'Dense',
        config: {
          name: 'my_dense',
          kernel_initializer: { class_name: 'VarianceScaling', config: { mode: 'fan_in' } },
        },
        inbound_nodes: [[['input_1', 0, 0, {}]]],
      }),
    ).toEqual({
      className: 'Dense',
      config: {
        name: 'my_dense',
        kernelInitializer: { className: 'VarianceScaling', config: { mode: 'fanIn' } },
      },
      inboundNodes: [[['input_1', 0, 0, {}]]],
    });
  });
});
