import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageDataset, ImageSet } from '../../shared/data/types';
import { DataError } from '../../electron/services/datasets/csv';
import { extractArchive } from '../../electron/services/datasets/images/archive';
import { importCifarBinaryArchive } from '../../electron/services/datasets/images/cifarBinary';
import { ImageImportError } from '../../electron/services/datasets/images/errors';
import {
  importImageDataset,
  type ImageImportOptions,
  type ImportedImages,
} from '../../electron/services/datasets/images/index';
import {
  decodeImportError,
  imageImportWorkerPath,
  importCifarBinaryArchiveInWorker,
  importImageDatasetInWorker,
} from '../../electron/services/datasets/images/importInWorker';
import { encodeImportError } from '../../electron/services/datasets/images/importWorker';
import type { ImportProgress } from '../../electron/services/datasets/images/progress';
import { filesUnder, packTarGz } from '../fixtures/archives';

const datasets = resolve(__dirname, '../../../shared/datasets');
const subsetBin = join(datasets, 'cifar10-subset-bin');
/** The slice compared byte for byte: 3 classes, 100 training and 20 test images each. */
const SLICE_CLASSES = ['airplane', 'cat', 'ship'];
/** The bigger set imported while the main thread's timer runs: 4 classes × (750 + 100) JPEGs. */
const MANY_CLASSES = ['airplane', 'automobile', 'cat', 'ship'];
const MANY_TRAIN = 750;
const MANY_TEST = 100;

let tmp: string;
let many: string;
let slice: string;

function expectSameSet(actual: ImageSet | null, expected: ImageSet | null): void {
  if (!expected) {
    expect(actual).toBeNull();
    return;
  }
  if (!actual) throw new Error('the worker lost a split');
  expect([actual.width, actual.height, actual.channels, actual.count]).toEqual([
    expected.width,
    expected.height,
    expected.channels,
    expected.count,
  ]);
  expect(actual.pixels).toBeInstanceOf(Uint8Array);
  expect(actual.labels).toBeInstanceOf(Int32Array);
  expect(actual.pixels.length).toBe(expected.pixels.length);
  expect(Buffer.from(actual.pixels).equals(Buffer.from(expected.pixels))).toBe(true);
  expect(Array.from(actual.labels)).toEqual(Array.from(expected.labels));
}

function expectSameDataset(actual: ImageDataset, expected: ImageDataset): void {
  expect(actual.classNames).toEqual(expected.classNames);
  expect(actual.skipped).toEqual(expected.skipped);
  expectSameSet(actual.train, expected.train);
  expectSameSet(actual.test, expected.test);
}

/** Imports `source` in-process and through the worker, recording both runs' progress events. */
async function bothWays(
  source: string,
  options: ImageImportOptions = {},
): Promise<{
  local: ImportedImages;
  worker: ImportedImages;
  localEvents: ImportProgress[];
  workerEvents: ImportProgress[];
}> {
  const localEvents: ImportProgress[] = [];
  const workerEvents: ImportProgress[] = [];
  const local = await importImageDataset(source, options, (p) => localEvents.push(p));
  const worker = await importImageDatasetInWorker(source, options, (p) => workerEvents.push(p));
  return { local, worker, localEvents, workerEvents };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-error: ${String(error)}`);
  }
  throw new Error('expected the import to fail');
}

beforeAll(async () => {
  // Without the bundle the worker functions fall back to in-process and this file would test nothing.
  expect(
    existsSync(imageImportWorkerPath()),
    'build the worker first: node scripts/build.mjs --node-only',
  ).toBe(true);
  tmp = await mkdtemp(join(tmpdir(), 'nwb-import-worker-'));
  many = join(tmp, 'many');
  const pattern = new RegExp(`^(train|test)/(${MANY_CLASSES.join('|')})/(\\d{4})\\.jpg$`);
  const written = await extractArchive(join(datasets, 'cifar10-jpg.tar.gz'), many, {
    wanted: ({ path }) => {
      const m = pattern.exec(path);
      return !!m && Number(m[3]) < (m[1] === 'train' ? MANY_TRAIN : MANY_TEST);
    },
  });
  expect(written).toBe(MANY_CLASSES.length * (MANY_TRAIN + MANY_TEST));
  slice = join(tmp, 'slice');
  const inSlice = new RegExp(`^(train|test)/(${SLICE_CLASSES.join('|')})/(\\d{4})\\.jpg$`);
  for (const file of await filesUnder(many)) {
    const m = inSlice.exec(file);
    if (!m || Number(m[3]) >= (m[1] === 'train' ? 100 : 20)) continue;
    await mkdir(join(slice, file, '..'), { recursive: true });
    await cp(join(many, file), join(slice, file));
  }
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('image imports on a worker thread', () => {
  it('give the same image folder as in-process, with the same progress events', async () => {
    const { local, worker, localEvents, workerEvents } = await bothWays(slice);
    expect(local.dataset.train.count).toBe(300);
    expect(worker.format).toBe('image-folder');
    expectSameDataset(worker.dataset, local.dataset);
    expect(workerEvents.length).toBeGreaterThan(2);
    expect(workerEvents).toEqual(localEvents);
    expect(workerEvents.at(-1)).toEqual({ phase: 'decoding', done: 360, total: 360 });
  });

  it('pass the import options through (resized to grey 16×16)', async () => {
    const { local, worker } = await bothWays(slice, { size: { width: 16, height: 16 }, channels: 1 });
    expect([worker.dataset.train.width, worker.dataset.train.channels]).toEqual([16, 1]);
    expectSameDataset(worker.dataset, local.dataset);
  });

  it('give the same images from a .tar.gz of the folder', async () => {
    const tgz = join(tmp, 'slice.tar.gz');
    await writeFile(tgz, await packTarGz(slice, 'cifar10-slice/'));
    const { local, worker, localEvents, workerEvents } = await bothWays(tgz);
    expect(worker.format).toBe('image-archive');
    expectSameDataset(worker.dataset, local.dataset);
    expect(new Set(workerEvents.map((e) => e.phase))).toEqual(new Set(['listing', 'decoding']));
    expect(workerEvents).toEqual(localEvents);
  });

  it('list and leave out the same damaged files', async () => {
    const root = join(tmp, 'corrupt');
    await cp(slice, root, { recursive: true });
    const good = await readFile(join(slice, 'train/cat/0001.jpg'));
    await writeFile(join(root, 'train/cat/0000b.jpg'), good.subarray(0, 300));
    await writeFile(join(root, 'train/ship/notes.jpg'), 'not an image at all');
    const { local, worker } = await bothWays(root);
    expect(local.dataset.skipped.map((s) => s.path).sort()).toEqual([
      'train/cat/0000b.jpg',
      'train/ship/notes.jpg',
    ]);
    // The kept images are a view on a longer pixel buffer here, which must survive the move too.
    expect(worker.dataset.train.count).toBe(300);
    expectSameDataset(worker.dataset, local.dataset);
  });

  it('give the same CIFAR-10 binary dataset, from its folder and from an archive', async () => {
    const { local, worker, localEvents, workerEvents } = await bothWays(subsetBin);
    expect(worker.format).toBe('cifar-binary-folder');
    expect([worker.dataset.train.count, worker.dataset.test?.count]).toEqual([1000, 200]);
    expectSameDataset(worker.dataset, local.dataset);
    expect(workerEvents).toEqual(localEvents);
    expect(workerEvents.every((e) => e.phase === 'reading')).toBe(true);

    const archive = join(tmp, 'cifar-10-binary.tar.gz');
    await writeFile(archive, await packTarGz(subsetBin, 'cifar-10-batches-bin/'));
    const archiveEvents: ImportProgress[] = [];
    const fromArchive = await importCifarBinaryArchiveInWorker(archive, {
      onProgress: (p) => archiveEvents.push(p),
    });
    expectSameDataset(fromArchive, await importCifarBinaryArchive(archive));
    expect(new Set(archiveEvents.map((e) => e.phase))).toEqual(new Set(['listing', 'reading']));
  });

  it('reject bad inputs with the same error class and message as in-process', async () => {
    const allBad = join(tmp, 'allbad');
    await mkdir(join(allBad, 'a'), { recursive: true });
    await mkdir(join(allBad, 'b'), { recursive: true });
    await writeFile(join(allBad, 'a/1.jpg'), 'nope');
    await writeFile(join(allBad, 'b/2.png'), 'nope');
    const oneClass = join(tmp, 'oneclass');
    await cp(join(slice, 'train/cat'), join(oneClass, 'cat'), { recursive: true });
    const truncated = join(tmp, 'truncated-bin');
    await cp(subsetBin, truncated, { recursive: true });
    const batch = await readFile(join(truncated, 'data_batch_1.bin'));
    await writeFile(join(truncated, 'data_batch_1.bin'), batch.subarray(0, batch.length - 100));
    const csv = join(tmp, 'pixels.csv');
    await writeFile(csv, 'p0,p1,label\n1,2,0\n');
    const cases: [string, ImageImportOptions, RegExp][] = [
      [join(tmp, 'missing'), {}, /could not be opened/],
      [allBad, {}, /None of the 2 images in allbad could be read/],
      [oneClass, {}, /only one class folder/],
      [truncated, {}, /data_batch_1\.bin is truncated/],
      [csv, {}, /is a CSV: give the image shape/],
      [slice, { channels: 2 as 1 }, /import options are not valid/],
    ];
    for (const [source, options, expected] of cases) {
      const local = await failure(importImageDataset(source, options));
      const worker = await failure(importImageDatasetInWorker(source, options));
      expect(local).toBeInstanceOf(ImageImportError);
      expect(local.message).toMatch(expected);
      expect(worker).toBeInstanceOf(ImageImportError);
      expect(worker.name).toBe(local.name);
      expect(worker.message).toBe(local.message);
    }
  });

  it('carry the class and code of other errors across the thread boundary', () => {
    const data = decodeImportError(encodeImportError(new DataError('ragged', 'Row 3 has 2 cells.')));
    expect(data).toBeInstanceOf(DataError);
    expect((data as DataError).code).toBe('ragged');
    expect(data.message).toBe('Row 3 has 2 cells.');
    const system = Object.assign(new Error("ENOENT: no such file, open 'x'"), { code: 'ENOENT' });
    const back = decodeImportError(encodeImportError(system)) as Error & { code?: string };
    expect([back.constructor, back.message, back.code]).toEqual([Error, system.message, 'ENOENT']);
    expect(decodeImportError(encodeImportError(new RangeError('out')))).toBeInstanceOf(RangeError);
    const abort = decodeImportError(encodeImportError(new DOMException('stopped', 'AbortError')));
    expect([abort.name, abort.message]).toEqual(['AbortError', 'stopped']);
  });

  it('keep the main thread turning while a few thousand JPEGs decode, and stop when aborted', async () => {
    let ticks = 0;
    let ticksWhileDecoding = 0;
    let decoding = false;
    const timer = setInterval(() => {
      ticks++;
      if (decoding) ticksWhileDecoding++;
    }, 50);
    let result: ImportedImages;
    try {
      result = await importImageDatasetInWorker(many, {}, (p) => {
        decoding = p.phase === 'decoding' && p.done !== p.total;
      });
    } finally {
      clearInterval(timer);
    }
    expect(result.dataset.train.count).toBe(MANY_CLASSES.length * MANY_TRAIN);
    expect(result.dataset.test?.count).toBe(MANY_CLASSES.length * MANY_TEST);
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(ticksWhileDecoding).toBeGreaterThanOrEqual(3);

    const controller = new AbortController();
    const aborted = await failure(
      importImageDatasetInWorker(
        many,
        {},
        (p) => {
          if (p.phase === 'decoding') controller.abort();
        },
        controller.signal,
      ),
    );
    expect(aborted.name).toBe('AbortError');
  });
});
