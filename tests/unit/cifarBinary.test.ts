import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CIFAR10_CLASS_NAMES,
  importCifarBinaryArchive,
  importCifarBinaryFolder,
} from '../../electron/services/datasets/images/cifarBinary';
import { importImageDataset } from '../../electron/services/datasets/images/index';
import type { ImportProgress } from '../../electron/services/datasets/images/progress';
import { sampleGrid } from '../../electron/services/datasets/images/samples';

const subset = resolve(__dirname, '../../../shared/datasets/cifar10-subset-bin');
const RECORD = 3073;

let tmp: string;
let raw: Buffer;
let rawTest: Buffer;
let archivePath: string;

async function tarGz(files: { name: string; data?: Buffer; type?: 'directory' }[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const ended = new Promise<void>((done) => tar.on('end', () => done()));
  for (const f of files) {
    if (f.type === 'directory') tar.entry({ name: f.name, type: 'directory' });
    else tar.entry({ name: f.name, size: f.data?.length ?? 0 }, f.data ?? Buffer.alloc(0));
  }
  tar.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks));
}

/** The HWC byte at (y, x, c) of record `r`, read straight from the planar file. */
function rawPixel(bytes: Buffer, r: number, y: number, x: number, c: number): number {
  return bytes[r * RECORD + 1 + c * 1024 + y * 32 + x] ?? -1;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'nwb-cifar-'));
  raw = await readFile(join(subset, 'data_batch_1.bin'));
  rawTest = await readFile(join(subset, 'test_batch.bin'));
  const meta = await readFile(join(subset, 'batches.meta.txt'));
  archivePath = join(tmp, 'cifar-10-binary.tar.gz');
  await writeFile(
    archivePath,
    await tarGz([
      { name: 'cifar-10-batches-bin/', type: 'directory' },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: raw },
      { name: 'cifar-10-batches-bin/batches.meta.txt', data: meta },
      { name: 'cifar-10-batches-bin/test_batch.bin', data: rawTest },
      { name: 'cifar-10-batches-bin/readme.html', data: Buffer.from('<p>readme</p>') },
    ]),
  );
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('CIFAR-10 binary version', () => {
  it('imports cifar10-subset-bin from its files with counts, labels and class names', async () => {
    const events: ImportProgress[] = [];
    const ds = await importCifarBinaryFolder(subset, { onProgress: (p) => events.push(p) });
    expect(ds.classNames).toEqual([...CIFAR10_CLASS_NAMES]);
    expect(ds.train.count).toBe(1000);
    expect(ds.test?.count).toBe(200);
    expect([ds.train.width, ds.train.height, ds.train.channels]).toEqual([32, 32, 3]);
    expect(ds.train.pixels.length).toBe(1000 * 3072);
    const perClass = (labels: Int32Array) =>
      Array.from({ length: 10 }, (_, c) => labels.filter((l) => l === c).length);
    expect(perClass(ds.train.labels)).toEqual(Array(10).fill(100));
    expect(perClass(ds.test?.labels ?? new Int32Array())).toEqual(Array(10).fill(20));
    for (let r = 0; r < 1000; r += 97) expect(ds.train.labels[r]).toBe(raw[r * RECORD]);
    expect(events.at(-1)).toEqual({
      phase: 'reading',
      done: raw.length + rawTest.length,
      total: raw.length + rawTest.length,
    });
  });

  it('turns the planar R, G, B records into interleaved HWC pixels', async () => {
    const ds = await importCifarBinaryFolder(subset);
    // First image, first pixel, straight from the raw bytes (label byte, then R plane, G plane, B plane).
    expect(Array.from(ds.train.pixels.subarray(0, 3))).toEqual([raw[1], raw[1 + 1024], raw[1 + 2048]]);
    for (const [r, y, x] of [
      [0, 0, 1],
      [0, 17, 5],
      [1, 31, 31],
      [999, 12, 30],
    ] as const) {
      for (let c = 0; c < 3; c++) {
        expect(ds.train.pixels[r * 3072 + (y * 32 + x) * 3 + c]).toBe(rawPixel(raw, r, y, x, c));
      }
    }
    const last = 199;
    expect(ds.test?.labels[last]).toBe(rawTest[last * RECORD]);
    expect(ds.test?.pixels[last * 3072 + 3 * 40 + 2]).toBe(rawPixel(rawTest, last, 1, 8, 2));
  });

  it('imports the same images from a cifar-10-binary.tar.gz', async () => {
    const fromFiles = await importCifarBinaryFolder(subset);
    const phases = new Set<string>();
    const fromArchive = await importCifarBinaryArchive(archivePath, {
      onProgress: (p) => phases.add(p.phase),
    });
    expect(fromArchive.classNames).toEqual(fromFiles.classNames);
    expect(fromArchive.train.count).toBe(1000);
    expect(fromArchive.test?.count).toBe(200);
    expect(Buffer.from(fromArchive.train.pixels).equals(Buffer.from(fromFiles.train.pixels))).toBe(true);
    expect(Array.from(fromArchive.test?.labels ?? [])).toEqual(Array.from(fromFiles.test?.labels ?? []));
    expect([...phases]).toEqual(['listing', 'reading']);
  });

  it('is recognised by importImageDataset as a folder and as an archive', async () => {
    const folder = await importImageDataset(subset);
    expect(folder.format).toBe('cifar-binary-folder');
    expect(folder.dataset.train.count).toBe(1000);
    const archive = await importImageDataset(archivePath);
    expect(archive.format).toBe('cifar-binary-archive');
    expect(archive.dataset.test?.count).toBe(200);
    const grey = await importImageDataset(subset, { channels: 1, size: { width: 16, height: 16 } });
    expect([grey.dataset.train.width, grey.dataset.train.height, grey.dataset.train.channels]).toEqual([
      16, 16, 1,
    ]);
    expect(grey.dataset.train.pixels.length).toBe(1000 * 256);
  });

  it('refuses a truncated .bin with a message naming the file', async () => {
    const dir = join(tmp, 'truncated');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'data_batch_1.bin'), raw.subarray(0, RECORD * 3 + 100));
    await expect(importCifarBinaryFolder(dir)).rejects.toThrow(/data_batch_1\.bin is truncated/);
    const truncatedArchive = join(tmp, 'truncated.tar.gz');
    await writeFile(
      truncatedArchive,
      await tarGz([
        { name: 'cifar-10-batches-bin/test_batch.bin', data: rawTest.subarray(0, 5000) },
        { name: 'cifar-10-batches-bin/data_batch_1.bin', data: raw },
      ]),
    );
    await expect(importCifarBinaryArchive(truncatedArchive)).rejects.toThrow(/test_batch\.bin is truncated/);
  });

  it('uses the CIFAR-10 names when batches.meta.txt is missing and checks labels against them', async () => {
    const dir = join(tmp, 'nometa');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'data_batch_1.bin'), raw.subarray(0, RECORD * 20));
    const ds = await importCifarBinaryFolder(dir);
    expect(ds.classNames[9]).toBe('truck');
    expect(ds.test).toBeNull();
    expect(ds.train.count).toBe(20);

    const bad = Buffer.from(raw.subarray(0, RECORD * 2));
    bad[RECORD] = 42;
    await writeFile(join(dir, 'data_batch_1.bin'), bad);
    await expect(importCifarBinaryFolder(dir)).rejects.toThrow(/label 42.*10 classes/);
  });

  it('refuses a folder with no data_batch files', async () => {
    const dir = join(tmp, 'onlytest');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'test_batch.bin'), rawTest);
    await expect(importCifarBinaryFolder(dir)).rejects.toThrow(/No data_batch_\*\.bin files/);
  });

  it('lays out a make_grid-style sample grid of RGBA tiles with class names', async () => {
    const ds = await importCifarBinaryFolder(subset);
    const grid = sampleGrid(ds.train, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], ds.classNames, { columns: 10 });
    expect(grid.title).toBe(ds.classNames.join(' '));
    expect([grid.grid.width, grid.grid.height]).toEqual([10 * 34 + 2, 36]);
    const tile = grid.tiles[3];
    expect(tile?.className).toBe(ds.classNames[raw[3 * RECORD] ?? 0]);
    // Tile 3's pixel (y=5, x=7) in the tile and in the grid, against the raw planar bytes.
    const expected = [0, 1, 2].map((c) => rawPixel(raw, 3, 5, 7, c));
    expect(Array.from(tile?.rgba.subarray((5 * 32 + 7) * 4, (5 * 32 + 7) * 4 + 4) ?? [])).toEqual([
      ...expected,
      255,
    ]);
    const g = ((2 + 5) * grid.grid.width + 2 + 3 * 34 + 7) * 4;
    expect(Array.from(grid.grid.rgba.subarray(g, g + 4))).toEqual([...expected, 255]);
    expect(Array.from(grid.grid.rgba.subarray(0, 4))).toEqual([0, 0, 0, 255]);
  });
});
