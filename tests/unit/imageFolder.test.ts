import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageDataset } from '../../shared/data/types';
import { extractArchive } from '../../electron/services/datasets/images/archive';
import { importCifarBinaryFolder } from '../../electron/services/datasets/images/cifarBinary';
import { importImageFolder } from '../../electron/services/datasets/images/imageFolder';
import { importImageDataset } from '../../electron/services/datasets/images/index';
import { resizeBilinear } from '../../electron/services/datasets/images/pixels';
import type { ImportProgress } from '../../electron/services/datasets/images/progress';
import { filesUnder, packTarGz } from '../fixtures/archives';

const datasets = resolve(__dirname, '../../../shared/datasets');
const CLASSES = ['airplane', 'cat', 'ship'];
const TRAIN_EACH = 100;
const TEST_EACH = 20;

let tmp: string;
let slice: string;
let fromFolder: ImageDataset;

function png(width: number, height: number, rgb: [number, number, number], colorType: 0 | 2 | 6 = 2): Buffer {
  const image = new PNG({ width, height, colorType, inputColorType: 6 });
  // Half-transparent only where the PNG keeps alpha (pngjs blends it away for the other types).
  for (let p = 0; p < width * height; p++) image.data.set([...rgb, colorType === 6 ? 128 : 255], p * 4);
  return PNG.sync.write(image, { colorType, inputColorType: 6 });
}

async function folder(name: string, files: Record<string, Buffer | string>): Promise<string> {
  const root = join(tmp, name);
  for (const [path, data] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), data);
  }
  return root;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'nwb-imagefolder-'));
  slice = join(tmp, 'slice');
  const pattern = new RegExp(`^(train|test)/(${CLASSES.join('|')})/(\\d{4})\\.jpg$`);
  const written = await extractArchive(join(datasets, 'cifar10-jpg.tar.gz'), slice, {
    wanted: ({ path }) => {
      const m = pattern.exec(path);
      return !!m && Number(m[3]) < (m[1] === 'train' ? TRAIN_EACH : TEST_EACH);
    },
  });
  expect(written).toBe(CLASSES.length * (TRAIN_EACH + TEST_EACH));
  fromFolder = await importImageFolder(slice);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('image folders', () => {
  it('imports a slice of cifar10-jpg with sorted class names, counts and labels', () => {
    expect(fromFolder.classNames).toEqual(CLASSES);
    expect(fromFolder.train.count).toBe(300);
    expect(fromFolder.test?.count).toBe(60);
    expect([fromFolder.train.width, fromFolder.train.height, fromFolder.train.channels]).toEqual([32, 32, 3]);
    expect(fromFolder.train.pixels.length).toBe(300 * 3072);
    expect(Array.from(fromFolder.train.labels.subarray(98, 102))).toEqual([0, 0, 1, 1]);
    expect(fromFolder.train.labels[299]).toBe(2);
    expect(Array.from(fromFolder.test?.labels.subarray(19, 21) ?? [])).toEqual([0, 1]);
    expect(fromFolder.skipped).toEqual([]);
  });

  it('decodes known images to their pixels', async () => {
    // Image 100 is train/cat/0000.jpg (cats come after the 100 airplanes).
    const cat = decodeJpeg(await readFile(join(slice, 'train/cat/0000.jpg')), {
      useTArray: true,
      formatAsRGBA: false,
    });
    expect(
      Buffer.from(fromFolder.train.pixels.subarray(100 * 3072, 101 * 3072)).equals(Buffer.from(cat.data)),
    ).toBe(true);
    const ship = decodeJpeg(await readFile(join(slice, 'test/ship/0019.jpg')), {
      useTArray: true,
      formatAsRGBA: false,
    });
    expect(Array.from(fromFolder.test?.pixels.subarray(59 * 3072, 59 * 3072 + 12) ?? [])).toEqual(
      Array.from(ship.data.subarray(0, 12)),
    );
  });

  it('matches the official binary images of the same classes, up to JPEG loss', async () => {
    const bin = await importCifarBinaryFolder(join(datasets, 'cifar10-subset-bin'));
    const meanAbsDiff = (a: Uint8Array, b: Uint8Array) =>
      a.reduce((sum, v, i) => sum + Math.abs(v - (b[i] ?? 0)), 0) / a.length;
    for (const split of ['train', 'test'] as const) {
      const jpg = fromFolder[split];
      const binary = bin[split];
      if (!jpg || !binary) throw new Error('missing split');
      const per = split === 'train' ? TRAIN_EACH : TEST_EACH;
      CLASSES.forEach((name, c) => {
        const binLabel = bin.classNames.indexOf(name);
        const binIndices = Array.from(binary.labels.keys()).filter((i) => binary.labels[i] === binLabel);
        for (const k of [0, 7, per - 1]) {
          const a = jpg.pixels.subarray((c * per + k) * 3072, (c * per + k + 1) * 3072);
          const b = binary.pixels.subarray((binIndices[k] ?? 0) * 3072, ((binIndices[k] ?? 0) + 1) * 3072);
          expect(meanAbsDiff(a, b)).toBeLessThan(6);
        }
        // A different image is far off, so the check above can tell images apart.
        const other = binary.pixels.subarray((binIndices[1] ?? 0) * 3072, ((binIndices[1] ?? 0) + 1) * 3072);
        expect(meanAbsDiff(jpg.pixels.subarray(c * per * 3072, (c * per + 1) * 3072), other)).toBeGreaterThan(
          15,
        );
      });
    }
  });

  it('imports the same images from a .tar.gz (with a wrapping folder) and from a .zip', async () => {
    const tgz = join(tmp, 'slice.tar.gz');
    await writeFile(tgz, await packTarGz(slice, 'cifar10-slice/'));
    const events: ImportProgress[] = [];
    const fromTar = await importImageFolder(tgz, { onProgress: (p) => events.push(p) });
    expect(fromTar.classNames).toEqual(CLASSES);
    expect(Buffer.from(fromTar.train.pixels).equals(Buffer.from(fromFolder.train.pixels))).toBe(true);
    expect(Buffer.from(fromTar.test?.pixels ?? []).equals(Buffer.from(fromFolder.test?.pixels ?? []))).toBe(
      true,
    );
    expect(new Set(events.map((e) => e.phase))).toEqual(new Set(['listing', 'decoding']));
    expect(events.at(-1)).toEqual({ phase: 'decoding', done: 360, total: 360 });

    const files: Record<string, Uint8Array> = {};
    for (const file of await filesUnder(slice)) files[file] = await readFile(join(slice, file));
    const zip = join(tmp, 'slice.zip');
    await writeFile(zip, zipSync(files, { level: 0 }));
    const viaIndex = await importImageDataset(zip);
    expect(viaIndex.format).toBe('image-archive');
    expect(Array.from(viaIndex.dataset.train.labels)).toEqual(Array.from(fromFolder.train.labels));
    expect(Buffer.from(viaIndex.dataset.train.pixels).equals(Buffer.from(fromFolder.train.pixels))).toBe(
      true,
    );
  });

  it('skips, counts and lists a corrupt JPEG', async () => {
    const root = join(tmp, 'corrupt');
    await cp(slice, root, { recursive: true });
    const good = await readFile(join(slice, 'train/cat/0001.jpg'));
    await writeFile(join(root, 'train/cat/broken.jpg'), good.subarray(0, 300));
    await writeFile(join(root, 'train/ship/notes.jpg'), 'not an image at all');
    await writeFile(join(root, 'train/ship/anim.gif'), 'GIF89a');
    await writeFile(join(root, 'train/ship/.DS_Store'), 'junk');
    const ds = await importImageDataset(root);
    expect(ds.format).toBe('image-folder');
    expect(ds.dataset.train.count).toBe(300);
    expect(ds.dataset.skipped).toHaveLength(3);
    const reasons = Object.fromEntries(ds.dataset.skipped.map((s) => [s.path, s.reason]));
    expect(reasons['train/cat/broken.jpg']).toMatch(/damaged JPEG/);
    expect(reasons['train/ship/notes.jpg']).toMatch(/not a JPEG or PNG/);
    expect(reasons['train/ship/anim.gif']).toMatch(/not supported/);
    // The images around the broken one stay in order.
    expect(Buffer.from(ds.dataset.train.pixels).equals(Buffer.from(fromFolder.train.pixels))).toBe(true);
  });

  it('fails when every image is bad', async () => {
    const root = await folder('allbad', { 'a/1.jpg': 'nope', 'b/2.png': 'nope' });
    await expect(importImageFolder(root)).rejects.toThrow(/None of the 2 images in allbad could be read/);
  });

  it('refuses a folder with only one class', async () => {
    const root = await folder('oneclass', {
      'cat/1.png': png(4, 4, [1, 2, 3]),
      'cat/2.png': png(4, 4, [1, 2, 3]),
    });
    await expect(importImageFolder(root)).rejects.toThrow(/only one class folder \("cat"\).*at least two/);
    const flat = await folder('flat', { '1.png': png(4, 4, [1, 2, 3]) });
    await expect(importImageFolder(flat)).rejects.toThrow(/No images were found in class folders/);
  });

  it('refuses images of different sizes unless a size is chosen, then resizes them', async () => {
    const root = await folder('sizes', {
      'red/a.png': png(32, 32, [255, 0, 0]),
      'blue/b.png': png(40, 30, [0, 0, 255], 6),
    });
    await expect(importImageFolder(root)).rejects.toThrow(
      /different sizes \(40×30 for "blue\/b\.png", 32×32 for "red\/a\.png"\); pick an image size/,
    );
    const ds = await importImageFolder(root, { size: { width: 16, height: 8 } });
    expect([ds.train.width, ds.train.height, ds.train.count]).toEqual([16, 8, 2]);
    expect(ds.classNames).toEqual(['blue', 'red']);
    // Solid colours stay solid through bilinear resizing; alpha is dropped.
    expect(Array.from(ds.train.pixels.subarray(0, 6))).toEqual([0, 0, 255, 0, 0, 255]);
    expect(Array.from(ds.train.pixels.subarray(16 * 8 * 3, 16 * 8 * 3 + 3))).toEqual([255, 0, 0]);
  });

  it('resizes bilinearly with pixel centres', () => {
    const out = new Uint8Array(4);
    resizeBilinear(Uint8Array.from([0, 255]), 2, 1, 1, out, 0, 4, 1);
    expect(Array.from(out)).toEqual([0, 64, 191, 255]);
    const down = new Uint8Array(1);
    resizeBilinear(Uint8Array.from([10, 20, 30, 40]), 2, 2, 1, down, 0, 1, 1);
    expect(down[0]).toBe(25);
  });

  it('takes grey or RGB from the first image, or converts to the channels asked for', async () => {
    const root = await folder('channels', {
      'a/grey.png': png(2, 2, [100, 100, 100], 0),
      'b/colour.png': png(2, 2, [255, 0, 0]),
    });
    const grey = await importImageFolder(root);
    expect(grey.train.channels).toBe(1);
    expect(Array.from(grey.train.pixels)).toEqual([100, 100, 100, 100, 76, 76, 76, 76]);
    const rgb = await importImageFolder(root, { channels: 3 });
    expect(Array.from(rgb.train.pixels.subarray(0, 3))).toEqual([100, 100, 100]);
    expect(Array.from(rgb.train.pixels.subarray(12, 15))).toEqual([255, 0, 0]);
  });
});
