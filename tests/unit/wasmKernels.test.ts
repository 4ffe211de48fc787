import { beforeAll, describe, expect, it } from 'vitest';
import type {
  layers,
  NamedAttrMap,
  Optimizer,
  Scalar,
  Sequential,
  Tensor,
  Tensor4D,
  Variable,
} from '@tensorflow/tfjs';
import { tf } from '../../electron/trainer/tf';
import { initBackend } from '../../electron/trainer/backends/setup';
import { lossFunction } from '../../electron/trainer/losses';
import {
  registerWasmTrainingKernels,
  wasmMissingKernels,
  wasmTrainingKernelNames,
} from '../../electron/trainer/backends/wasmKernels';
import { relativeError, size, tensor, values } from './kernelFixtures';

type Backend = 'wasm' | 'cpu';
type Shape4 = [number, number, number, number];

/** Relative error allowed between wasm and cpu on one kernel, in float32. */
const KERNEL_TOLERANCE = 1e-4;

/** Many exact ties (zeros and repeated integers), where max-pool gradients must pick the first maximum. */
const tiedTensor = (shape: number[], seed: number) =>
  tf.tensor(
    values(size(shape), seed).map((v) => Math.max(0, Math.round(v * 3))),
    shape,
  );

async function on(backend: Backend, fn: () => Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => Float32Array.from(fn().dataSync()));
}

async function both(fn: () => Tensor): Promise<{ wasm: Float32Array; cpu: Float32Array }> {
  return { wasm: await on('wasm', fn), cpu: await on('cpu', fn) };
}

const run = (name: string, inputs: Record<string, Tensor>, attrs: object) =>
  tf.engine().runKernel(name, inputs, attrs as NamedAttrMap) as Tensor;

/** A filter with (d−1) zeros between taps: a dilated conv equals a plain conv with it. */
function zeroStuffedFilter(
  filter: Float32Array,
  shape: Shape4,
  d: number,
): { values: Float32Array; shape: Shape4 } {
  const [kh, kw, ci, co] = shape;
  const eh = (kh - 1) * d + 1;
  const ew = (kw - 1) * d + 1;
  const out = new Float32Array(eh * ew * ci * co);
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let c = 0; c < ci * co; c++)
        out[(h * d * ew + w * d) * ci * co + c] = filter[(h * kw + w) * ci * co + c]!;
  return { values: out, shape: [eh, ew, ci, co] };
}

/** The taps of a zero-stuffed filter's gradient that belong to the real filter. */
function everyDth(grad: Float32Array, stuffed: Shape4, d: number, shape: Shape4): Float32Array {
  const [kh, kw, ci, co] = shape;
  const out = new Float32Array(size(shape));
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let c = 0; c < ci * co; c++)
        out[(h * kw + w) * ci * co + c] = grad[(h * d * stuffed[1] + w * d) * ci * co + c]!;
  return out;
}

interface ConvCase {
  x: Shape4;
  filter: Shape4;
  stride: number | [number, number];
  pad: 'same' | 'valid';
  dilation: number;
}

const convShapes: { x: Shape4; filter: Shape4 }[] = [
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 4] },
  { x: [1, 7, 7, 2], filter: [2, 3, 2, 5] },
  { x: [3, 6, 10, 4], filter: [1, 1, 4, 3] },
  { x: [2, 12, 11, 5], filter: [5, 4, 5, 2] },
  // Few input channels, many output channels: the filter gradient takes the im2col path.
  { x: [2, 10, 11, 1], filter: [3, 3, 1, 16] },
];

const convCases: ConvCase[] = convShapes.flatMap(({ x, filter }) =>
  [1, 2].flatMap((stride) =>
    (['same', 'valid'] as const).flatMap((pad) =>
      // tfjs refuses a stride and a dilation both above 1.
      [1, 2]
        .filter((dilation) => stride === 1 || dilation === 1)
        .map((dilation) => ({ x, filter, stride, pad, dilation })),
    ),
  ),
);

function outShape(c: ConvCase): Shape4 {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, c.dilation, c.pad).outShape as Shape4;
}

const label = (c: ConvCase) =>
  `x ${c.x.join('×')}, filter ${c.filter.join('×')}, stride ${String(c.stride)}, ${c.pad}, dilation ${c.dilation}`;

beforeAll(async () => {
  const selection = await initBackend('wasm');
  expect(selection.name).toBe('wasm');
});

describe('wasm training kernels', () => {
  it('registers each kernel once and leaves no kernel a training step needs missing', () => {
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(wasmTrainingKernelNames).toEqual(
      expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad']),
    );
    expect(wasmMissingKernels(['Conv2DBackpropFilter', 'MaxPoolGrad', 'Relu'])).toEqual([]);
    expect(wasmMissingKernels(['Conv2DBackpropFilter', 'NoSuchKernel', 'NoSuchKernel'])).toEqual([
      'NoSuchKernel',
    ]);
  });

  describe.each(convCases)('Conv2D gradients: $x, $filter, stride $stride, $pad, dilation $dilation', (c) => {
    const dyShape = outShape(c);
    const strides = typeof c.stride === 'number' ? [c.stride, c.stride] : c.stride;

    it('Conv2DBackpropFilter matches cpu', async () => {
      const attrs = {
        strides,
        pad: c.pad,
        dataFormat: 'NHWC',
        filterShape: c.filter,
        dilations: [c.dilation, c.dilation],
      };
      const wasm = await on('wasm', () =>
        run('Conv2DBackpropFilter', { x: tensor(c.x, 1), dy: tensor(dyShape, 2) }, attrs),
      );
      // cpu's kernel takes no dilation: the reference is the gradient of the zero-stuffed filter.
      const stuffed = zeroStuffedFilter(new Float32Array(size(c.filter)), c.filter, c.dilation).shape;
      const full = await on('cpu', () =>
        run(
          'Conv2DBackpropFilter',
          { x: tensor(c.x, 1), dy: tensor(dyShape, 2) },
          { ...attrs, filterShape: stuffed, dilations: [1, 1] },
        ),
      );
      const cpu = everyDth(full, stuffed, c.dilation, c.filter);
      expect(relativeError(wasm, cpu), label(c)).toBeLessThan(KERNEL_TOLERANCE);
    });

    it('Conv2DBackpropInput matches cpu', async () => {
      const attrs = {
        strides,
        pad: c.pad,
        dataFormat: 'NHWC',
        inputShape: c.x,
        dilations: [c.dilation, c.dilation],
      };
      const filter = values(size(c.filter), 3);
      const wasm = await on('wasm', () =>
        run('Conv2DBackpropInput', { dy: tensor(dyShape, 2), filter: tf.tensor(filter, c.filter) }, attrs),
      );
      const stuffed = zeroStuffedFilter(filter, c.filter, c.dilation);
      const cpu = await on('cpu', () =>
        run(
          'Conv2DBackpropInput',
          { dy: tensor(dyShape, 2), filter: tf.tensor(stuffed.values, stuffed.shape) },
          { ...attrs, dilations: [1, 1] },
        ),
      );
      expect(relativeError(wasm, cpu), label(c)).toBeLessThan(KERNEL_TOLERANCE);
    });

    // Dilated ones too: tfjs refuses them itself, backends/dilatedConvGradient.ts supplies the gradient.
    it('tf.grad of conv2d matches cpu for the input and the filter', async () => {
      const grads = () => {
        const g = tf.grads((x: Tensor, f: Tensor) =>
          tf.sum(
            tf.mul(
              tf.conv2d(x as Tensor4D, f as Tensor4D, c.stride, c.pad, 'NHWC', c.dilation),
              tensor(dyShape, 4),
            ),
          ),
        );
        return tf.concat(g([tensor(c.x, 5), tensor(c.filter, 6)]).map((t) => t.flatten()));
      };
      const r = await both(grads);
      expect(relativeError(r.wasm, r.cpu), label(c)).toBeLessThan(KERNEL_TOLERANCE);
    });
  });

  it.each([
    { x: [2, 9, 9, 3] as Shape4, filter: [3, 3, 3, 2] as Shape4, stride: 3, pad: 'same' as const },
    {
      x: [1, 10, 9, 2] as Shape4,
      filter: [3, 2, 2, 3] as Shape4,
      stride: [2, 1] as [number, number],
      pad: 'valid' as const,
    },
  ])(
    'Conv2DBackpropInput matches cpu at stride $stride (the shipped kernel above stride area 4)',
    async ({ x, filter, stride, pad }) => {
      const c: ConvCase = { x, filter, stride, pad, dilation: 1 };
      const strides = typeof stride === 'number' ? [stride, stride] : stride;
      const attrs = { strides, pad, dataFormat: 'NHWC', inputShape: x };
      const r = await both(() =>
        run('Conv2DBackpropInput', { dy: tensor(outShape(c), 2), filter: tensor(filter, 3) }, attrs),
      );
      expect(relativeError(r.wasm, r.cpu)).toBeLessThan(KERNEL_TOLERANCE);
      const f = await both(() =>
        run(
          'Conv2DBackpropFilter',
          { x: tensor(x, 1), dy: tensor(outShape(c), 2) },
          { ...attrs, filterShape: filter },
        ),
      );
      expect(relativeError(f.wasm, f.cpu)).toBeLessThan(KERNEL_TOLERANCE);
    },
  );

  describe('MatMul', () => {
    const shapes = [
      { m: 5, k: 7, n: 6 },
      { m: 64, k: 300, n: 128 },
      { m: 32, k: 2000, n: 96 },
      { m: 300, k: 40, n: 200 },
    ];
    const cases = shapes.flatMap((s) =>
      [false, true].flatMap((transposeA) =>
        [false, true].map((transposeB) => ({ ...s, transposeA, transposeB })),
      ),
    );

    it.each(cases)(
      'BatchMatMul $m×$k×$n, transposeA $transposeA, transposeB $transposeB matches cpu',
      async ({ m, k, n, transposeA, transposeB }) => {
        const a = transposeA ? [k, m] : [m, k];
        const b = transposeB ? [n, k] : [k, n];
        const r = await both(() => tf.matMul(tensor(a, 1), tensor(b, 2), transposeA, transposeB));
        expect(relativeError(r.wasm, r.cpu)).toBeLessThan(KERNEL_TOLERANCE);
      },
    );

    it.each(cases.filter((c) => c.m > 5))(
      '_FusedMatMul $m×$k×$n with bias and each activation, transposeA $transposeA, transposeB $transposeB matches cpu',
      async ({ m, k, n, transposeA, transposeB }) => {
        const a = transposeA ? [k, m] : [m, k];
        const b = transposeB ? [n, k] : [k, n];
        for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
          const r = await both(() =>
            tf.fused.matMul({
              a: tensor(a, 1),
              b: tensor(b, 2),
              transposeA,
              transposeB,
              bias: tensor([n], 3),
              activation,
              leakyreluAlpha: 0.1,
            }),
          );
          expect(relativeError(r.wasm, r.cpu), activation).toBeLessThan(KERNEL_TOLERANCE);
        }
      },
    );

    it('gives the same product when the same weights are used again (inference over batches)', async () => {
      await tf.setBackend('wasm');
      const w = tensor([3000, 64], 7);
      const first = tf.tidy(() => Float32Array.from(tf.matMul(tensor([16, 3000], 8), w).dataSync()));
      const second = tf.tidy(() => Float32Array.from(tf.matMul(tensor([16, 3000], 8), w).dataSync()));
      const third = tf.tidy(() => Float32Array.from(tf.matMul(tensor([16, 3000], 9), w).dataSync()));
      w.dispose();
      const cpu = await on('cpu', () => tf.matMul(tensor([16, 3000], 9), tensor([3000, 64], 7)));
      expect(relativeError(second, first)).toBeLessThan(KERNEL_TOLERANCE);
      expect(relativeError(third, cpu)).toBeLessThan(KERNEL_TOLERANCE);
    });

    it('batched products (left to the shipped kernel) match cpu', async () => {
      const r = await both(() => tf.matMul(tensor([3, 20, 30], 1), tensor([3, 40, 30], 2), false, true));
      expect(relativeError(r.wasm, r.cpu)).toBeLessThan(KERNEL_TOLERANCE);
    });
  });

  describe('pooling and activation gradients', () => {
    const pools: { x: Shape4; k: number; s: number; pad: 'same' | 'valid' }[] = [
      { x: [2, 8, 8, 3], k: 2, s: 2, pad: 'valid' },
      { x: [2, 9, 9, 4], k: 2, s: 2, pad: 'valid' },
      { x: [2, 9, 7, 3], k: 3, s: 2, pad: 'same' },
      { x: [1, 8, 8, 5], k: 3, s: 1, pad: 'same' },
      { x: [2, 10, 10, 2], k: 3, s: 3, pad: 'valid' },
    ];

    it.each(pools)(
      'MaxPoolGrad (with tied maxima) matches cpu: $x, pool $k, stride $s, $pad',
      async ({ x, k, s, pad }) => {
        const r = await both(() => {
          const dyShape: number[] = tf.maxPool(tf.zeros(x) as Tensor4D, k, s, pad).shape;
          return tf.grad((t: Tensor) =>
            tf.sum(tf.mul(tf.maxPool(t as Tensor4D, k, s, pad), tensor(dyShape, 2))),
          )(tiedTensor(x, 1));
        });
        expect(relativeError(r.wasm, r.cpu)).toBeLessThan(KERNEL_TOLERANCE);
      },
    );

    it.each(pools)(
      'AvgPoolGrad (shipped) matches cpu: $x, pool $k, stride $s, $pad',
      async ({ x, k, s, pad }) => {
        const r = await both(() => {
          const dyShape: number[] = tf.avgPool(tf.zeros(x) as Tensor4D, k, s, pad).shape;
          return tf.grad((t: Tensor) =>
            tf.sum(tf.mul(tf.avgPool(t as Tensor4D, k, s, pad), tensor(dyShape, 2))),
          )(tensor(x, 1));
        });
        expect(relativeError(r.wasm, r.cpu)).toBeLessThan(KERNEL_TOLERANCE);
      },
    );

    const activations: [string, (t: Tensor) => Tensor][] = [
      ['relu', (t) => tf.relu(t)],
      ['leakyRelu', (t) => tf.leakyRelu(t, 0.1)],
      ['elu (EluGrad)', (t) => tf.elu(t)],
      ['sigmoid', (t) => tf.sigmoid(t)],
      ['tanh', (t) => tf.tanh(t)],
      ['softmax', (t) => tf.softmax(t)],
    ];
    it.each(activations)('the gradient of %s matches cpu', async (_name, f) => {
      const r = await both(() =>
        tf.grad((t: Tensor) => tf.sum(tf.mul(f(t), tensor([6, 7], 2))))(tensor([6, 7], 1).mul(3)),
      );
      expect(relativeError(r.wasm, r.cpu)).toBeLessThan(KERNEL_TOLERANCE);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Training on wasm against cpu: every block, loss and optimizer the app offers.

/** Relative difference allowed between the two backends' losses at each step (observed: at most 3.5e-7). */
const LOSS_TOLERANCE = 1e-5;

type LossKind = Parameters<typeof lossFunction>[0];
type OutputActivation = Parameters<typeof lossFunction>[1];

interface TrainCase {
  name: string;
  input: number[];
  block: () => layers.Layer[];
  loss?: LossKind;
  activation?: OutputActivation;
  optimizer?: () => Optimizer;
  weightDecay?: number;
}

const L = () => tf.layers;
const image = [8, 8, 3];
const vector = [6];

/** A trainable layer first, so the gradient must flow back through the block under test. */
function network(c: TrainCase, outputs: number): Sequential {
  const model = tf.sequential();
  model.add(L().inputLayer({ inputShape: c.input }));
  model.add(
    c.input.length === 3
      ? L().conv2d({ filters: 4, kernelSize: 3, padding: 'same' })
      : L().dense({ units: 8 }),
  );
  for (const layer of c.block()) model.add(layer);
  if (model.outputs[0]!.shape.length > 2) model.add(L().flatten());
  model.add(L().dense({ units: outputs }));
  if (c.activation === 'sigmoid') model.add(L().activation({ activation: 'sigmoid' }));
  if (c.activation === 'softmax') model.add(L().softmax());
  return model;
}

/** Losses of `steps` training steps from fixed weights and data, the way the trainer steps. */
async function lossCurve(backend: Backend, c: TrainCase, steps: number): Promise<number[]> {
  await tf.setBackend(backend);
  const loss = c.loss ?? 'cce';
  const outputs = loss === 'cce' ? 3 : 1;
  const model = network(c, outputs);
  tf.tidy(() =>
    model.setWeights(
      model
        .getWeights()
        .map((w, i) => (model.weights[i]!.trainable ? tf.mul(tensor(w.shape, 100 + i), 0.4) : w)),
    ),
  );
  const trainable = model.trainableWeights.map((w) => w.read() as Variable);
  const batch = 6;
  const classes = Int32Array.from({ length: batch }, (_, i) => (i * 7) % outputs);
  const [x, y] = tf.tidy(() => [
    tensor([batch, ...c.input], 11),
    loss === 'cce'
      ? tf.oneHot(tf.tensor1d(classes, 'int32'), outputs).toFloat()
      : loss === 'bce'
        ? tf.tensor2d(
            Float32Array.from(classes, (_v, i) => i % 2),
            [batch, 1],
          )
        : tensor([batch, 1], 12),
  ]) as [Tensor, Tensor];
  const lossFn = lossFunction(loss, c.activation ?? 'linear');
  const optimizer = c.optimizer?.() ?? tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
  const curve: number[] = [];
  for (let s = 0; s < steps; s++) {
    const value = optimizer.minimize(
      () => {
        let l = lossFn(y, model.apply(x, { training: true }) as Tensor);
        if (c.weightDecay)
          l = tf.add(l, tf.mul(c.weightDecay / 2, tf.addN(trainable.map((w) => tf.sum(tf.square(w))))));
        return l as Scalar;
      },
      true,
      trainable,
    )!;
    curve.push(value.dataSync()[0]!);
    value.dispose();
  }
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return curve;
}

function expectSameCurve(wasm: number[], cpu: number[]): void {
  expect(wasm.every(Number.isFinite)).toBe(true);
  for (let i = 0; i < cpu.length; i++) {
    expect(
      Math.abs(wasm[i]! - cpu[i]!) / Math.max(Math.abs(cpu[i]!), 1e-6),
      `step ${i + 1}: wasm ${wasm[i]} vs cpu ${cpu[i]}`,
    ).toBeLessThan(LOSS_TOLERANCE);
  }
}

const blockCases: TrainCase[] = [
  { name: 'Dense + ReLU', input: vector, block: () => [L().dense({ units: 5 }), L().reLU()] },
  {
    name: 'Conv2D stride 1 same',
    input: image,
    block: () => [L().conv2d({ filters: 5, kernelSize: 3, padding: 'same' })],
  },
  {
    name: 'Conv2D stride 2 valid',
    input: image,
    block: () => [L().conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'valid' })],
  },
  {
    name: 'Conv2D stride 2 same',
    input: image,
    block: () => [L().conv2d({ filters: 5, kernelSize: 2, strides: 2, padding: 'same' })],
  },
  {
    name: 'Conv2D with numeric padding (ZeroPadding2D + valid)',
    input: image,
    block: () => [
      L().zeroPadding2d({
        padding: [
          [2, 2],
          [2, 2],
        ],
      }),
      L().conv2d({ filters: 5, kernelSize: 3 }),
    ],
  },
  {
    name: 'Conv2D with fused ReLU',
    input: image,
    block: () => [L().conv2d({ filters: 5, kernelSize: 3, activation: 'relu' })],
  },
  { name: 'MaxPool2D', input: image, block: () => [L().reLU(), L().maxPooling2d({ poolSize: 2 })] },
  {
    name: 'MaxPool2D 3, stride 1, same',
    input: image,
    block: () => [L().maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' })],
  },
  { name: 'AvgPool2D', input: image, block: () => [L().averagePooling2d({ poolSize: 2 })] },
  {
    name: 'AvgPool2D 3, stride 2, same',
    input: image,
    block: () => [L().averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' })],
  },
  {
    name: 'Flatten + Dropout (seeded)',
    input: image,
    block: () => [L().flatten(), L().dropout({ rate: 0.5, seed: 3 })],
  },
  { name: 'BatchNorm after Dense', input: vector, block: () => [L().batchNormalization()] },
  { name: 'BatchNorm after Conv2D', input: image, block: () => [L().batchNormalization()] },
  { name: 'LeakyReLU', input: vector, block: () => [L().leakyReLU({ alpha: 0.1 })] },
  { name: 'Sigmoid', input: vector, block: () => [L().activation({ activation: 'sigmoid' })] },
  { name: 'Tanh', input: vector, block: () => [L().activation({ activation: 'tanh' })] },
  { name: 'Softmax (hidden)', input: vector, block: () => [L().softmax()] },
  { name: 'ELU', input: vector, block: () => [L().elu({ alpha: 1 })] },
];

const lossCases: TrainCase[] = [
  { name: 'MSE', loss: 'mse', input: vector, block: () => [L().reLU()] },
  { name: 'MAE', loss: 'mae', input: vector, block: () => [L().reLU()] },
  { name: 'Huber', loss: 'huber', input: vector, block: () => [L().reLU()] },
  {
    name: 'binary cross-entropy on probabilities',
    loss: 'bce',
    activation: 'sigmoid',
    input: vector,
    block: () => [L().reLU()],
  },
  { name: 'binary cross-entropy on logits', loss: 'bce', input: vector, block: () => [L().reLU()] },
  { name: 'softmax cross-entropy on logits', loss: 'cce', input: image, block: () => [L().reLU()] },
  {
    name: 'cross-entropy on softmax probabilities',
    loss: 'cce',
    activation: 'softmax',
    input: vector,
    block: () => [L().reLU()],
  },
];

const optimizerCases: TrainCase[] = [
  { name: 'SGD', optimizer: () => tf.train.sgd(0.05) },
  { name: 'momentum', optimizer: () => tf.train.momentum(0.05, 0.9) },
  { name: 'Adam', optimizer: () => tf.train.adam(1e-3, 0.9, 0.999, 1e-8) },
  { name: 'RMSprop', optimizer: () => tf.train.rmsprop(1e-3, 0.99, 0, 1e-8) },
  { name: 'Adagrad', optimizer: () => tf.train.adagrad(0.05, 0) },
  { name: 'SGD with L2 weight decay', optimizer: () => tf.train.sgd(0.05), weightDecay: 0.01 },
].map((c) => ({
  ...c,
  input: image,
  block: () => [L().reLU(), L().maxPooling2d({ poolSize: 2 }), L().conv2d({ filters: 3, kernelSize: 2 })],
}));

describe('training on wasm follows cpu', () => {
  it.each([...blockCases, ...lossCases, ...optimizerCases])('$name', async (c) => {
    const cpu = await lossCurve('cpu', c, 4);
    const wasm = await lossCurve('wasm', c, 4);
    expectSameCurve(wasm, cpu);
  });

  it('uses no kernel the wasm backend lacks, for any of these blocks, losses and optimizers', async () => {
    await tf.setBackend('cpu');
    const names = new Set<string>();
    for (const c of [...blockCases, ...lossCases, ...optimizerCases]) {
      const info = await tf.profile(async () => void (await lossCurve('cpu', c, 1)));
      for (const k of info.kernelNames) if (!k.endsWith('__op')) names.add(k);
    }
    expect(names).toContain('Conv2DBackpropFilter');
    expect(wasmMissingKernels([...names])).toEqual([]);
  });

  it('a small convnet and the housing MLP follow the same loss curve for 10 steps and learn', async () => {
    const convnet: TrainCase = {
      name: 'convnet',
      input: [12, 12, 3],
      block: () => [
        L().reLU(),
        L().maxPooling2d({ poolSize: 2 }),
        L().zeroPadding2d({
          padding: [
            [1, 1],
            [1, 1],
          ],
        }),
        L().conv2d({ filters: 6, kernelSize: 3, strides: 2 }),
        L().reLU(),
        L().flatten(),
        L().dropout({ rate: 0.25, seed: 5 }),
        L().dense({ units: 16 }),
        L().reLU(),
      ],
    };
    const mlp: TrainCase = {
      name: 'mlp',
      loss: 'mse',
      input: [8],
      block: () => [L().reLU(), L().dense({ units: 12 }), L().reLU(), L().dense({ units: 6 }), L().reLU()],
      optimizer: () => tf.train.sgd(0.02),
    };
    for (const c of [convnet, mlp]) {
      const cpu = await lossCurve('cpu', c, 10);
      const wasm = await lossCurve('wasm', c, 10);
      expectSameCurve(wasm, cpu);
      expect(wasm[9]!, c.name).toBeLessThan(wasm[0]!);
    }
  });
});

describe('initBackend', () => {
  it('auto falls through the missing native packages to wasm and says why', async () => {
    const sel = await initBackend('auto', { convolution: true });
    expect(sel.name).toBe('wasm');
    expect(sel.reason).toContain('@tensorflow/tfjs-node is not installed');
    expect(sel.reason).toContain('@tensorflow/tfjs-node-gpu is not installed');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('auto takes cpu for a tiny MLP at a small batch, and wasm for the same MLP at batch 64', async () => {
    const small = await initBackend('auto', { convolution: false, batchSize: 10, parameters: 577 });
    expect(small.name).toBe('cpu');
    expect(small.reason).toContain('small network');
    expect((await initBackend('auto', { convolution: false, batchSize: 64, parameters: 577 })).name).toBe(
      'wasm',
    );
    expect((await initBackend('auto', { convolution: true, batchSize: 8, parameters: 577 })).name).toBe(
      'wasm',
    );
  });

  it('refuses the tensorflow backend with a message saying what to do when tfjs-node is missing', async () => {
    await expect(initBackend('tensorflow')).rejects.toThrow(
      /not available here .*install @tensorflow\/tfjs-node, or choose the wasm or cpu backend/,
    );
  });

  it('starts cpu when asked, and wasm again after it', async () => {
    expect((await initBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await initBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('memory', () => {
  it('the wasm kernels free their intermediates: training leaves no extra buffers in the backend', async () => {
    const c = blockCases.find((b) => b.name === 'Conv2D stride 2 same')!;
    await lossCurve('wasm', c, 2);
    const backend = tf.engine().backend;
    const before = backend.numDataIds();
    const tensorsBefore = tf.memory().numTensors;
    await lossCurve('wasm', c, 3);
    await lossCurve(
      'wasm',
      { ...c, name: 'dense', input: vector, block: () => [L().dense({ units: 300 }), L().reLU()] },
      3,
    );
    expect(backend.numDataIds()).toBe(before);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
