import { beforeAll, describe, expect, it } from 'vitest';
import type { NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { projectDocumentSchema, sequentialGraph, type ProjectDocument } from '../../shared/graph';
import type { BackendName } from '../../shared/api/trainer';
import { createRng } from '../../shared/data/random';
import { tf } from '../../electron/trainer/tf';
import { initBackend } from '../../electron/trainer/backends/setup';
import { registerDilatedConvGradient } from '../../electron/trainer/backends/dilatedConvGradient';
import { trainNetwork } from '../../electron/trainer/train';
import type { TrainingData } from '../../electron/trainer/trainingData';
import { relativeError, size, tensor, values } from './kernelFixtures';

type Backend = 'wasm' | 'cpu';
type Shape4 = [number, number, number, number];
type Pair = [number, number];

const BACKENDS: Backend[] = ['cpu', 'wasm'];
/** Relative error allowed between the gradient and the reference, in float32. */
const TOLERANCE = 1e-4;

async function on(backend: Backend, fn: () => Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => fn().map((t) => Float32Array.from(t.dataSync())));
}

/** The filter with (d−1) zeros between taps: a dilated convolution is a plain one with it. */
function zeroStuffedShape([kh, kw, ci, co]: Shape4, [dh, dw]: Pair): Shape4 {
  return [(kh - 1) * dh + 1, (kw - 1) * dw + 1, ci, co];
}

function zeroStuffed(filter: Float32Array, shape: Shape4, d: Pair): Float32Array {
  const [kh, kw, ci, co] = shape;
  const ew = zeroStuffedShape(shape, d)[1];
  const out = new Float32Array(size(zeroStuffedShape(shape, d)));
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let c = 0; c < ci * co; c++)
        out[(h * d[0] * ew + w * d[1]) * ci * co + c] = filter[(h * kw + w) * ci * co + c]!;
  return out;
}

/** The taps of a zero-stuffed filter's gradient that belong to the real filter. */
function taps(grad: Float32Array, shape: Shape4, d: Pair): Float32Array {
  const [kh, kw, ci, co] = shape;
  const ew = zeroStuffedShape(shape, d)[1];
  const out = new Float32Array(size(shape));
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let c = 0; c < ci * co; c++)
        out[(h * kw + w) * ci * co + c] = grad[(h * d[0] * ew + w * d[1]) * ci * co + c]!;
  return out;
}

interface GradCase {
  x: Shape4;
  filter: Shape4;
  dilation: Pair;
  pad: 'same' | 'valid';
}

const shapes: { x: Shape4; filter: Shape4 }[] = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4] },
  { x: [1, 10, 8, 1], filter: [3, 3, 1, 5] },
  { x: [2, 11, 12, 6], filter: [3, 3, 6, 2] },
  // 7 rows at dilation 3: a 'valid' output one row high.
  { x: [1, 7, 13, 2], filter: [3, 3, 2, 3] },
];
const dilations: Pair[] = [
  [2, 2],
  [3, 3],
  [2, 3],
];
const gradCases: GradCase[] = shapes.flatMap((s) =>
  dilations.flatMap((dilation) => (['valid', 'same'] as const).map((pad) => ({ ...s, dilation, pad }))),
);

/** dx and dw of Σ conv(x, w)·g, for a fixed upstream gradient g. */
function convGrads(x: Tensor4D, w: Tensor4D, stride: number, pad: 'same' | 'valid', d: Pair): Tensor[] {
  const g = tensor(tf.conv2d(x, w, stride, pad, 'NHWC', d).shape, 3);
  return tf.grads((a: Tensor, b: Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as Tensor4D, b as Tensor4D, stride, pad, 'NHWC', d), g)),
  )([x, w]);
}

beforeAll(async () => {
  const selection = await initBackend('wasm');
  expect(selection.name).toBe('wasm');
});

describe('gradients of dilated Conv2D', () => {
  describe.each(BACKENDS)('on %s', (backend) => {
    it.each(gradCases)(
      'x $x, filter $filter, dilation $dilation, $pad: dx and dw match a conv with the zero-stuffed filter',
      async (c) => {
        const filter = values(size(c.filter), 2);
        const [dx, dw] = await on(backend, () =>
          convGrads(tensor(c.x, 1) as Tensor4D, tf.tensor4d(filter, c.filter), 1, c.pad, c.dilation),
        );
        const stuffedShape = zeroStuffedShape(c.filter, c.dilation);
        const [refDx, refDwStuffed] = await on(backend, () =>
          convGrads(
            tensor(c.x, 1) as Tensor4D,
            tf.tensor4d(zeroStuffed(filter, c.filter, c.dilation), stuffedShape),
            1,
            c.pad,
            [1, 1],
          ),
        );
        expect(relativeError(dx!, refDx!), 'dx').toBeLessThan(TOLERANCE);
        expect(relativeError(dw!, taps(refDwStuffed!, c.filter, c.dilation)), 'dw').toBeLessThan(TOLERANCE);
      },
    );

    it.each([
      { x: [2, 9, 8, 3] as Shape4, filter: [3, 3, 3, 4] as Shape4, stride: 1, pad: 'same' as const },
      { x: [2, 9, 8, 3] as Shape4, filter: [3, 3, 3, 4] as Shape4, stride: 2, pad: 'valid' as const },
      { x: [1, 10, 11, 2] as Shape4, filter: [5, 3, 2, 6] as Shape4, stride: 2, pad: 'same' as const },
    ])(
      'at dilation 1 gives exactly tfjs own gradient: x $x, filter $filter, stride $stride, $pad',
      async ({ x, filter, stride, pad }) => {
        const [dx, dw] = await on(backend, () =>
          convGrads(tensor(x, 1) as Tensor4D, tensor(filter, 2) as Tensor4D, stride, pad, [1, 1]),
        );
        // What tfjs's Conv2D gradient runs: the backprop kernels on the upstream gradient.
        const [refDx, refDw] = await on(backend, () => {
          const g = tensor(
            tf.conv2d(tf.zeros(x) as Tensor4D, tf.zeros(filter) as Tensor4D, stride, pad).shape,
            3,
          );
          const attrs = { strides: [stride, stride], pad, dataFormat: 'NHWC' };
          const run = (name: string, inputs: Record<string, Tensor>, extra: NamedAttrMap) =>
            tf.engine().runKernel<Tensor>(name, inputs, { ...attrs, ...extra });
          return [
            run('Conv2DBackpropInput', { dy: g, filter: tensor(filter, 2) }, { inputShape: x }),
            run('Conv2DBackpropFilter', { x: tensor(x, 1), dy: g }, { filterShape: filter }),
          ];
        });
        expect(Array.from(dx!)).toEqual(Array.from(refDx!));
        expect(Array.from(dw!)).toEqual(Array.from(refDw!));
      },
    );

    it("keeps a dilated Conv2D layer's output equal to tfjs's fused convolution", async () => {
      const [ours, fused] = await on(backend, () => {
        const layer = tf.layers.conv2d({ filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same' });
        const x = tensor([2, 9, 10, 3], 1) as Tensor4D;
        const y = layer.apply(x) as Tensor;
        const [kernel, bias] = layer.getWeights() as [Tensor4D, Tensor];
        const reference = tf.fused.conv2d({ x, filter: kernel, bias, strides: 1, pad: 'same', dilations: 2 });
        return [y, reference];
      });
      expect(relativeError(ours!, fused!)).toBeLessThan(1e-5);
    });
  });

  it('registers once however often it is called', () => {
    const gradient = tf.getGradient('Conv2D');
    const conv2dClass = tf.serialization.SerializationMap.getMap().classNameMap['Conv2D']![0];
    const call = (conv2dClass.prototype as unknown as { call: unknown }).call;
    registerDilatedConvGradient();
    registerDilatedConvGradient();
    expect(tf.getGradient('Conv2D')).toBe(gradient);
    expect((conv2dClass.prototype as unknown as { call: unknown }).call).toBe(call);
  });
});

// ---------------------------------------------------------------------------------------------
// Training a network with dilated Conv2D blocks through the trainer.

const IMAGE = [8, 8, 2];

function document(): ProjectDocument {
  return projectDocumentSchema.parse({
    format: 'neural-workbench/project',
    version: 1,
    name: 'Dilated convolutions',
    graph: sequentialGraph([
      { kind: 'input', params: { dataKind: 'image', height: IMAGE[0], width: IMAGE[1], channels: IMAGE[2] } },
      // Numeric padding (a ZeroPadding2D, then 'valid') and 'same', at two dilations.
      { kind: 'conv2d', params: { filters: 4, kernelSize: 3, dilation: 2, padding: 2 } },
      { kind: 'relu' },
      { kind: 'conv2d', params: { filters: 3, kernelSize: 3, dilation: 3, padding: 'same' } },
      { kind: 'relu' },
      { kind: 'flatten' },
      { kind: 'dense', params: { units: 1 } },
      { kind: 'output', params: { task: 'regression' } },
    ]),
    training: { optimizer: 'adam', learningRate: 0.01, batchSize: 16, epochs: 5, seed: 3 },
  });
}

/** Images whose target is a difference of pixels two and three apart: what dilated filters see. */
function split(count: number, seed: number): { x: Float32Array; y: Float32Array; count: number } {
  const rng = createRng(seed);
  const width = size(IMAGE);
  const x = Float32Array.from({ length: count * width }, () => rng.next() * 2 - 1);
  const y = new Float32Array(count);
  const at = (i: number, h: number, w: number, c: number) =>
    x[i * width + (h * IMAGE[1]! + w) * IMAGE[2]! + c]!;
  for (let i = 0; i < count; i++) y[i] = at(i, 2, 2, 0) - at(i, 4, 4, 1) + 0.5 * at(i, 5, 2, 0);
  return { x, y, count };
}

function trainingData(): TrainingData {
  const train = split(96, 1);
  return {
    task: 'regression',
    inputShape: IMAGE,
    classNames: null,
    trainCount: train.count,
    train,
    test: split(32, 2),
    preprocessing: {},
  };
}

describe('training a network with dilated Conv2D blocks', () => {
  it.each(BACKENDS)('on %s: the loss goes down', async (backend) => {
    await initBackend(backend);
    const losses: number[] = [];
    const done = await trainNetwork({
      runId: 1,
      document: document(),
      data: trainingData(),
      backend: backend satisfies BackendName,
      backendReason: 'test',
      emit: (e) => {
        if (e.type === 'epoch') losses.push(e.metrics['loss']!);
      },
      shouldStop: () => false,
      batchEventIntervalMs: 1_000_000,
    });
    expect(done.status).toBe('completed');
    expect(losses).toHaveLength(5);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(0.7 * losses[0]!);
  });
});
