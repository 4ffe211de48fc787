// The lesson's networks as tf.layers models, with the layer sequence the block compiler emits
// (activations as their own layers, PyTorch's numeric padding as ZeroPadding2D + a valid conv).
// bench/torch_ref.py builds the same networks in PyTorch.
import type { LayersModel, Tensor } from '../electron/trainer/tf';
import { tf } from '../electron/trainer/tf';

/** Which network, at which batch size. */
export type NetworkId = 'housing-b10' | 'housing-b64' | 'wine-b64' | 'cifar-b32';

export interface NetworkSpec {
  id: NetworkId;
  label: string;
  batch: number;
  inputShape: number[];
  /** Columns of the target: 1 for regression and binary, the class count for multiclass. */
  targetSize: number;
  build: () => LayersModel;
  /** The loss the trainer uses for this network (losses.ts): the same formula PyTorch computes. */
  loss: (yTrue: Tensor, yPred: Tensor) => Tensor;
  /** Deterministic data of the right shape and kind: `count` rows of x and y. */
  data: (count: number) => { x: Tensor; y: Tensor };
}

const EPS = 1e-7;

function mlp(units: number[], inputSize: number, output: 'linear' | 'sigmoid'): LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [inputSize] }));
  for (const u of units) {
    model.add(tf.layers.dense({ units: u }));
    model.add(tf.layers.reLU());
  }
  model.add(tf.layers.dense({ units: 1 }));
  if (output === 'sigmoid') model.add(tf.layers.activation({ activation: 'sigmoid' }));
  return model;
}

function convNet(): LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [32, 32, 3] }));
  for (const filters of [64, 128]) {
    model.add(
      tf.layers.zeroPadding2d({
        padding: [
          [2, 2],
          [2, 2],
        ],
      }),
    );
    model.add(tf.layers.conv2d({ filters, kernelSize: 3, strides: 1, padding: 'valid' }));
    model.add(tf.layers.reLU());
    model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  }
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 512 }));
  model.add(tf.layers.reLU());
  model.add(tf.layers.dense({ units: 10 }));
  return model;
}

/** A small fixed-seed generator so every run trains on the same numbers. */
function uniform(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 4294967296;
  }
  return out;
}

function regressionData(count: number, features: number) {
  const x = uniform(count * features, 11).map((v) => v * 4 - 2);
  const y = new Float32Array(count).map((_, i) => x[i * features]! * 0.7 - x[i * features + 1]! * 0.3 + 2);
  return { x: tf.tensor2d(x, [count, features]), y: tf.tensor2d(y, [count, 1]) };
}

function binaryData(count: number, features: number) {
  const x = uniform(count * features, 23).map((v) => v * 4 - 2);
  const y = new Float32Array(count).map((_, i) => (x[i * features]! + x[i * features + 2]! > 0 ? 1 : 0));
  return { x: tf.tensor2d(x, [count, features]), y: tf.tensor2d(y, [count, 1]) };
}

function imageData(count: number) {
  const x = uniform(count * 32 * 32 * 3, 37).map((v) => v * 2 - 1);
  const labels = Int32Array.from(uniform(count, 41), (v) => Math.floor(v * 10));
  return {
    x: tf.tensor4d(x, [count, 32, 32, 3]),
    y: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat()),
  };
}

const mse = (y: Tensor, p: Tensor) => tf.losses.meanSquaredError(y, p);
const bceOnProbabilities = (y: Tensor, p: Tensor) =>
  tf.tidy(() => {
    const q = tf.clipByValue(p, EPS, 1 - EPS);
    return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q))))));
  });
const softmaxCrossEntropy = (y: Tensor, p: Tensor) => tf.losses.softmaxCrossEntropy(y, p);

function housing(batch: number): NetworkSpec {
  return {
    id: batch === 10 ? 'housing-b10' : 'housing-b64',
    label: 'housing MLP 8-24-12-6-1',
    batch,
    inputShape: [8],
    targetSize: 1,
    build: () => mlp([24, 12, 6], 8, 'linear'),
    loss: mse,
    data: (n) => regressionData(n, 8),
  };
}

/** Every network of the benchmark, in table order. */
export const networks: readonly NetworkSpec[] = [
  housing(10),
  housing(64),
  {
    id: 'wine-b64',
    label: 'wine ANN 12-64-1',
    batch: 64,
    inputShape: [12],
    targetSize: 1,
    build: () => mlp([64], 12, 'sigmoid'),
    loss: bceOnProbabilities,
    data: (n) => binaryData(n, 12),
  },
  {
    id: 'cifar-b32',
    label: 'CIFAR ConvNet',
    batch: 32,
    inputShape: [32, 32, 3],
    targetSize: 10,
    build: convNet,
    loss: softmaxCrossEntropy,
    data: imageData,
  },
];

export function networkById(id: string): NetworkSpec {
  const spec = networks.find((n) => n.id === id);
  if (!spec) throw new Error(`Unknown network "${id}": use one of ${networks.map((n) => n.id).join(', ')}.`);
  return spec;
}
