import { createRng } from '../../shared/data/random';
import type { ImageDataset, ImageSet } from '../../shared/data/types';
import type { DataSpec } from '../../shared/graph';
import { DataError } from '../services/datasets/csv';
import type { TrainingData } from './trainingData';

/** Per-channel normalisation applied to bytes/255: (x - mean) / std. */
export interface ChannelNorm {
  mean: number[];
  std: number[];
}

/** The normalisation a data spec asks for; `dataset` is fitted on the training images. */
export function channelNorm(kind: DataSpec['normalization'], train: ImageSet): ChannelNorm {
  const c = train.channels;
  switch (kind) {
    case 'unit':
      return { mean: Array(c).fill(0), std: Array(c).fill(1) };
    case 'half':
      return { mean: Array(c).fill(0.5), std: Array(c).fill(0.5) };
    case 'dataset': {
      const sum = new Float64Array(c);
      const sq = new Float64Array(c);
      const px = train.pixels;
      for (let i = 0; i < px.length; i++) {
        const v = px[i]! / 255;
        sum[i % c]! += v;
        sq[i % c]! += v * v;
      }
      const n = px.length / c;
      const mean = Array.from(sum, (s) => s / n);
      return { mean, std: Array.from(sq, (s, k) => Math.sqrt(Math.max(s / n - mean[k]! ** 2, 1e-12))) };
    }
  }
}

function subset(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.width * set.height * set.channels;
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    pixels.set(set.pixels.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j]!;
  }
  return { ...set, count: indices.length, pixels, labels };
}

function seededOrder(n: number, seed: number): Int32Array {
  return createRng(seed).shuffle(Int32Array.from({ length: n }, (_, i) => i));
}

/** The training and test sets a spec asks for: the dataset's own test set, or a seeded split; then limits. */
export function splitImages(dataset: ImageDataset, spec: DataSpec): { train: ImageSet; test: ImageSet } {
  let train = dataset.train;
  let test = dataset.test;
  if (!test || test.count === 0) {
    const order = seededOrder(train.count, spec.splitSeed);
    const testCount = Math.ceil(spec.testFraction * train.count);
    if (testCount < 1 || testCount >= train.count) {
      throw new DataError(
        'too-few-rows',
        `The dataset has only ${train.count} images: too few to hold some out for testing.`,
      );
    }
    test = subset(train, order.subarray(0, testCount));
    train = subset(train, order.subarray(testCount));
  }
  if (spec.limitTrain && spec.limitTrain < train.count)
    train = subset(train, seededOrder(train.count, spec.splitSeed + 1).subarray(0, spec.limitTrain));
  if (spec.limitTest && spec.limitTest < test.count)
    test = subset(test, seededOrder(test.count, spec.splitSeed + 2).subarray(0, spec.limitTest));
  return { train, test };
}

/** Normalised float32 copies of images, no augmentation (the test set, and previews). */
export function normaliseImages(set: ImageSet, norm: ChannelNorm): Float32Array {
  const c = set.channels;
  const scale = norm.std.map((s) => 1 / (255 * s));
  const shift = norm.mean.map((m, k) => m / norm.std[k]!);
  const out = new Float32Array(set.pixels.length);
  for (let i = 0; i < out.length; i++) out[i] = set.pixels[i]! * scale[i % c]! - shift[i % c]!;
  return out;
}

/**
 * Fills one batch: normalised, and augmented as torchvision does it (RandomCrop with zero padding, then
 * RandomHorizontalFlip with p = 0.5), drawing from `rng` so that a seed gives the same epochs.
 */
export function fillAugmentedBatch(
  set: ImageSet,
  indices: ArrayLike<number>,
  norm: ChannelNorm,
  augmentation: DataSpec['augmentation'],
  rng: { next(): number; int(n: number): number },
  out: Float32Array,
): void {
  const { width: w, height: h, channels: c } = set;
  const size = w * h * c;
  const pad = augmentation.cropPadding;
  const scale = norm.std.map((s) => 1 / (255 * s));
  const shift = norm.mean.map((m, k) => m / norm.std[k]!);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i]! * size;
    const dst = i * size;
    const dy = pad > 0 ? rng.int(2 * pad + 1) - pad : 0;
    const dx = pad > 0 ? rng.int(2 * pad + 1) - pad : 0;
    const flip = augmentation.horizontalFlip && rng.next() < 0.5;
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      for (let x = 0; x < w; x++) {
        const sx0 = x + dx;
        const o = dst + (y * w + (flip ? w - 1 - x : x)) * c;
        const inside = sy >= 0 && sy < h && sx0 >= 0 && sx0 < w;
        for (let k = 0; k < c; k++) {
          // Padding is black (byte 0) before normalisation, as torchvision pads the image.
          const byte = inside ? set.pixels[src + (sy * w + sx0) * c + k]! : 0;
          out[o + k] = byte * scale[k]! - shift[k]!;
        }
      }
    }
  }
}

const noAugmentation = { horizontalFlip: false, cropPadding: 0 };

/** An image dataset as the training loop consumes it: test set float32, training batches streamed. */
export function imageTrainingData(dataset: ImageDataset, spec: DataSpec, seed: number): TrainingData {
  if (dataset.classNames.length < 2) {
    throw new DataError(
      'class-count',
      'An image classifier needs at least two classes: add a folder for each class.',
    );
  }
  const { train, test } = splitImages(dataset, spec);
  const norm = channelNorm(spec.normalization, train);
  const testX = normaliseImages(test, norm);
  const augmented = spec.augmentation.horizontalFlip || spec.augmentation.cropPadding > 0;
  let epochRng = { epoch: -1, rng: createRng(seed) };
  return {
    task: 'multiclass',
    inputShape: [train.height, train.width, train.channels],
    classNames: dataset.classNames,
    trainCount: train.count,
    train: null,
    trainBatch(indices, epoch) {
      if (epochRng.epoch !== epoch)
        epochRng = { epoch, rng: createRng((seed * 7919 + epoch * 104729) >>> 0) };
      const size = train.width * train.height * train.channels;
      const x = new Float32Array(indices.length * size);
      const y = new Float32Array(indices.length);
      for (let i = 0; i < indices.length; i++) y[i] = train.labels[indices[i]!]!;
      fillAugmentedBatch(
        train,
        indices,
        norm,
        augmented ? spec.augmentation : noAugmentation,
        epochRng.rng,
        x,
      );
      return { x, y };
    },
    test: { x: testX, y: Float32Array.from(test.labels), count: test.count },
    preprocessing: {
      kind: 'image',
      height: train.height,
      width: train.width,
      channels: train.channels,
      normalization: norm,
      classNames: dataset.classNames,
      task: 'multiclass',
    },
  };
}
