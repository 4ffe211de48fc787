import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FASHION_MNIST_CLASS_NAMES,
  importIdxFolder,
  importIdxPair,
} from '../../electron/services/datasets/images/idx';
import { importImageDataset } from '../../electron/services/datasets/images/index';

const FASHION = '/usr/share/datasets/fashion-mnist';
let tmp: string;

function idxImages(
  count: number,
  rows: number,
  cols: number,
  pixel: (i: number, p: number) => number,
): Buffer {
  const out = Buffer.alloc(16 + count * rows * cols);
  out.writeUInt32BE(2051, 0);
  out.writeUInt32BE(count, 4);
  out.writeUInt32BE(rows, 8);
  out.writeUInt32BE(cols, 12);
  for (let i = 0; i < count; i++)
    for (let p = 0; p < rows * cols; p++) out[16 + i * rows * cols + p] = pixel(i, p);
  return out;
}

function idxLabels(labels: number[]): Buffer {
  const out = Buffer.alloc(8 + labels.length);
  out.writeUInt32BE(2049, 0);
  out.writeUInt32BE(labels.length, 4);
  labels.forEach((l, i) => (out[8 + i] = l));
  return out;
}

const pixel = (i: number, p: number) => (i * 31 + p * 7) % 256;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'nwb-idx-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('IDX files', () => {
  it('imports a train pair (plain) and a t10k pair (gzipped) with pixels, labels and digit names', async () => {
    const dir = join(tmp, 'mnist');
    await mkdir(dir);
    await writeFile(join(dir, 'train-images-idx3-ubyte'), idxImages(6, 3, 4, pixel));
    await writeFile(join(dir, 'train-labels-idx1-ubyte'), idxLabels([5, 0, 4, 1, 9, 2]));
    await writeFile(
      join(dir, 't10k-images-idx3-ubyte.gz'),
      gzipSync(idxImages(2, 3, 4, (i, p) => 255 - pixel(i, p))),
    );
    await writeFile(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(idxLabels([7, 2])));
    const result = await importImageDataset(dir);
    expect(result.format).toBe('idx-folder');
    const ds = result.dataset;
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([ds.train.count, ds.train.height, ds.train.width, ds.train.channels]).toEqual([6, 3, 4, 1]);
    expect(Array.from(ds.train.labels)).toEqual([5, 0, 4, 1, 9, 2]);
    expect(ds.train.pixels.length).toBe(6 * 12);
    expect(Array.from(ds.train.pixels.subarray(12, 24))).toEqual(
      Array.from({ length: 12 }, (_, p) => pixel(1, p)),
    );
    expect(ds.test?.count).toBe(2);
    expect(Array.from(ds.test?.labels ?? [])).toEqual([7, 2]);
    expect(ds.test?.pixels[12 + 5]).toBe(255 - pixel(1, 5));
  });

  it('names the Fashion-MNIST classes when the files say fashion', async () => {
    const dir = join(tmp, 'fashion-small');
    await mkdir(dir);
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idxImages(2, 2, 2, pixel)));
    await writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(idxLabels([9, 0])));
    const ds = await importIdxFolder(dir);
    expect(ds.classNames).toEqual([...FASHION_MNIST_CLASS_NAMES]);
    expect(ds.classNames[ds.train.labels[0] ?? -1]).toBe('Ankle boot');
    expect(ds.test).toBeNull();
  });

  it('refuses a bad magic number, mismatched counts and a truncated file', async () => {
    const dir = join(tmp, 'bad');
    await mkdir(dir);
    const images = join(dir, 'images');
    const labels = join(dir, 'labels');
    await writeFile(images, idxImages(3, 2, 2, pixel));
    await writeFile(labels, idxLabels([1, 2]));
    await expect(importIdxPair(labels, images)).rejects.toThrow(
      /labels is not an IDX images file \(magic number 2049, expected 2051\)/,
    );
    await expect(importIdxPair(images, labels)).rejects.toThrow(
      /images holds 3 images but labels holds 2 labels/,
    );
    await writeFile(images, idxImages(3, 2, 2, pixel).subarray(0, 20));
    await writeFile(labels, idxLabels([1, 2, 3]));
    await expect(importIdxPair(images, labels)).rejects.toThrow(/images is truncated/);
    await expect(importIdxFolder(dir)).rejects.toThrow(/No train-images-idx3-ubyte/);
  });

  const hasFashion = existsSync(join(FASHION, 'train-images-idx3-ubyte.gz'));
  if (!hasFashion) {
    console.warn(
      `Skipping the real Fashion-MNIST test: ${FASHION} is absent (apt-get install dataset-fashion-mnist).`,
    );
  }
  it.skipIf(!hasFashion)('imports Debian’s Fashion-MNIST (dataset-fashion-mnist)', async () => {
    const ds = await importIdxFolder(FASHION);
    expect(ds.classNames).toEqual([...FASHION_MNIST_CLASS_NAMES]);
    expect([ds.train.count, ds.train.width, ds.train.height, ds.train.channels]).toEqual([60000, 28, 28, 1]);
    expect(ds.test?.count).toBe(10000);
    const rawImages = gunzipSync(await readFile(join(FASHION, 'train-images-idx3-ubyte.gz')));
    const rawLabels = gunzipSync(await readFile(join(FASHION, 'train-labels-idx1-ubyte.gz')));
    expect(Array.from(ds.train.labels.subarray(0, 10))).toEqual(Array.from(rawLabels.subarray(8, 18)));
    expect(ds.classNames[ds.train.labels[0] ?? -1]).toBe('Ankle boot');
    for (const i of [0, 1, 59999]) {
      expect(
        Buffer.from(ds.train.pixels.subarray(i * 784, (i + 1) * 784)).equals(
          rawImages.subarray(16 + i * 784, 16 + (i + 1) * 784),
        ),
      ).toBe(true);
    }
    const perClass = Array.from({ length: 10 }, (_, c) => ds.train.labels.filter((l) => l === c).length);
    expect(perClass).toEqual(Array(10).fill(6000));
  });
});
