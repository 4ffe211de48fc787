import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importImageDataset } from '../../electron/services/datasets/images/index';
import { importPixelCsv } from '../../electron/services/datasets/images/pixelCsv';

const shared = resolve(__dirname, '../../../shared/datasets/digits-8x8.csv');
const shipped = resolve(__dirname, '../../data/digits-8x8.csv');
const shape = { height: 8, width: 8, channels: 1 as const, labelColumn: 'label', maxValue: 16 };
let tmp: string;
let rows: number[][];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'nwb-pixelcsv-'));
  const lines = (await readFile(shared, 'utf8')).trim().split('\n');
  rows = lines.slice(1).map((line) => line.split(',').map(Number));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('pixel CSV', () => {
  it('ships the digits CSV unchanged in data/', async () => {
    expect((await readFile(shipped)).equals(await readFile(shared))).toBe(true);
  });

  it('imports digits-8x8.csv with counts, labels, class names and scaled pixels', async () => {
    const ds = await importPixelCsv(shipped, shape);
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([ds.train.count, ds.train.height, ds.train.width, ds.train.channels]).toEqual([1797, 8, 8, 1]);
    expect(ds.test).toBeNull();
    expect(Array.from(ds.train.labels)).toEqual(rows.map((r) => r[64]));
    // First image: grey levels 0..16 from the CSV, scaled to bytes.
    const first = rows[0]?.slice(0, 64) ?? [];
    expect(first.slice(0, 5)).toEqual([0, 0, 5, 13, 9]);
    expect(Array.from(ds.train.pixels.subarray(0, 64))).toEqual(first.map((v) => Math.round((v * 255) / 16)));
    expect(Array.from(ds.train.pixels.subarray(0, 5))).toEqual([0, 0, 80, 207, 143]);
    const last = rows.at(-1)?.slice(0, 64) ?? [];
    expect(Array.from(ds.train.pixels.subarray(1796 * 64))).toEqual(
      last.map((v) => Math.round((v * 255) / 16)),
    );
    expect(Math.max(...ds.train.pixels)).toBe(255);
  });

  it('is imported through importImageDataset with the shape given', async () => {
    const result = await importImageDataset(shipped, { csv: shape });
    expect(result.format).toBe('pixel-csv');
    expect(result.dataset.train.count).toBe(1797);
    await expect(importImageDataset(shipped)).rejects.toThrow(/is a CSV: give the image shape/);
    await expect(importImageDataset(shipped, { csv: { ...shape, height: 0 } })).rejects.toThrow(
      /import options are not valid/,
    );
  });

  it('sorts text labels into class names and accepts the label in any column', async () => {
    const path = join(tmp, 'pets.csv');
    await writeFile(path, 'kind,a,b,c,d\ndog,0,255,10,20\ncat,1,2,3,4\n\ndog,5,6,7,8\n');
    const ds = await importPixelCsv(path, { height: 2, width: 2, channels: 1, labelColumn: 'kind' });
    expect(ds.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(ds.train.labels)).toEqual([1, 0, 1]);
    expect(Array.from(ds.train.pixels.subarray(0, 4))).toEqual([0, 255, 10, 20]);
  });

  it('explains a wrong shape, a missing label column and out-of-range values', async () => {
    await expect(importPixelCsv(shipped, { ...shape, width: 7 })).rejects.toThrow(
      /64 pixel columns, but a 8×7×1 image needs 56/,
    );
    await expect(importPixelCsv(shipped, { ...shape, labelColumn: 'digit' })).rejects.toThrow(
      /no column named "digit"/,
    );
    await expect(importPixelCsv(shipped, { ...shape, maxValue: 15 })).rejects.toThrow(
      /Line \d+ of digits-8x8\.csv has "16"/,
    );
    const path = join(tmp, 'holes.csv');
    await writeFile(path, 'a,b,label\n1,2,x\n3,,y\n');
    await expect(importPixelCsv(path, { height: 1, width: 2, channels: 1 })).rejects.toThrow(
      /Line 3 of holes\.csv has no value in pixel column 2/,
    );
    const one = join(tmp, 'one.csv');
    await writeFile(one, 'a,label\n1,x\n2,x\n');
    await expect(importPixelCsv(one, { height: 1, width: 1, channels: 1 })).rejects.toThrow(
      /at least two classes/,
    );
  });
});
