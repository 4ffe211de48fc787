import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/data/random';
import type { ImageDataset, ImageSet } from '../../shared/data/types';
import { dataSpecSchema } from '../../shared/graph';
import {
  channelNorm,
  fillAugmentedBatch,
  imageTrainingData,
  normaliseImages,
  splitImages,
} from '../../electron/trainer/imageData';

/** A 3×2 one-channel image whose pixel (y, x) is 10·(y·3 + x + 1). */
function tinySet(count = 1): ImageSet {
  const pixels = new Uint8Array(count * 6);
  for (let i = 0; i < pixels.length; i++) pixels[i] = 10 * ((i % 6) + 1);
  return { width: 3, height: 2, channels: 1, count, pixels, labels: new Int32Array(count) };
}

const unit = { mean: [0], std: [1] };
const spec = (over: object = {}) =>
  dataSpecSchema.parse({ source: { kind: 'file', path: 'x' }, format: 'images', ...over });

function batch(
  set: ImageSet,
  augmentation: { horizontalFlip: boolean; cropPadding: number },
  rng = createRng(1),
) {
  const out = new Float32Array(set.pixels.length);
  fillAugmentedBatch(set, [0], unit, augmentation, rng, out);
  return Array.from(out, (v) => Math.round(v * 255));
}

describe('image normalisation and augmentation', () => {
  it('normalises like torchvision Normalize: (x/255 − mean) / std', () => {
    const set = tinySet();
    const half = normaliseImages(set, { mean: [0.5], std: [0.5] });
    expect(half[0]).toBeCloseTo((10 / 255 - 0.5) / 0.5, 6);
    const fitted = channelNorm('dataset', set);
    expect(fitted.mean[0]).toBeCloseTo(35 / 255, 6);
  });

  it('without augmentation copies the image as is', () => {
    expect(batch(tinySet(), { horizontalFlip: false, cropPadding: 0 })).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('flips horizontally about half of the time, mirroring each row', () => {
    const seen = new Set<string>();
    const rng = createRng(3);
    let flips = 0;
    for (let i = 0; i < 400; i++) {
      const b = batch(tinySet(), { horizontalFlip: true, cropPadding: 0 }, rng);
      seen.add(b.join(','));
      if (b[0] === 30) flips++;
    }
    expect([...seen].sort()).toEqual(['10,20,30,40,50,60', '30,20,10,60,50,40']);
    expect(flips).toBeGreaterThan(150);
    expect(flips).toBeLessThan(250);
  });

  it('crops randomly after zero padding: shifted copies with black borders', () => {
    const rng = createRng(5);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++)
      seen.add(batch(tinySet(), { horizontalFlip: false, cropPadding: 1 }, rng).join(','));
    // 3 × 3 offsets in [-1, 1] for a 2×3 image.
    expect(seen.size).toBe(9);
    expect(seen.has('0,10,20,0,40,50')).toBe(true); // shifted right by one
    expect(seen.has('50,60,0,0,0,0')).toBe(true); // shifted up and left by one
  });

  it('gives the same epochs for the same seed', () => {
    const dataset: ImageDataset = {
      classNames: ['a', 'b'],
      train: { ...tinySet(20), labels: Int32Array.from({ length: 20 }, (_, i) => i % 2) },
      test: null,
      skipped: [],
    };
    const s = spec({ augmentation: { horizontalFlip: true, cropPadding: 1 }, testFraction: 0.25 });
    const a = imageTrainingData(dataset, s, 9);
    const b = imageTrainingData(dataset, s, 9);
    expect(a.trainCount).toBe(15);
    expect(a.test.count).toBe(5);
    expect(a.trainBatch!([0, 1, 2], 0)).toEqual(b.trainBatch!([0, 1, 2], 0));
  });

  it('splits a dataset without a test set by the seeded fraction, and applies the limits', () => {
    const dataset: ImageDataset = { classNames: ['a', 'b'], train: tinySet(100), test: null, skipped: [] };
    const { train, test } = splitImages(dataset, spec({ testFraction: 0.3, limitTrain: 50 }));
    expect(test.count).toBe(30);
    expect(train.count).toBe(50);
  });
});
