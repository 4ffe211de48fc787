import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { ImageDataset, ImageSet } from '../../../../shared/data/types';
import { ImageImportError } from './errors';
import { phaseReporter, type ProgressListener } from './progress';

const gunzipAsync = promisify(gunzip);

/** IDX magic numbers: unsigned bytes, 3 dimensions (images) or 1 (labels). */
export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;

/** Fashion-MNIST's classes in label order (Zalando Research). */
export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** The dimensions and bytes of one IDX file. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses an IDX file's bytes (already gunzipped); only unsigned-byte data is accepted. */
export function parseIdx(bytes: Uint8Array, fileName: string, expectedMagic: number): IdxArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = bytes.length >= 4 ? view.getUint32(0) : -1;
  if (magic !== expectedMagic) {
    const want = expectedMagic === IDX_IMAGES_MAGIC ? 'images' : 'labels';
    throw new ImageImportError(
      `${fileName} is not an IDX ${want} file (magic number ${magic < 0 ? 'missing' : magic}, expected ${expectedMagic}); check that you chose the ${want} file.`,
    );
  }
  const rank = magic & 0xff;
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw truncated(fileName);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - headerBytes < size) throw truncated(fileName);
  return { dims, data: bytes.subarray(headerBytes, headerBytes + size) };
}

/** Reads an IDX file, gunzipping it when it is gzipped (by content, whatever its name). */
export async function readIdxFile(path: string, expectedMagic: number): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    throw new ImageImportError(`${path} could not be opened; check that it exists and that you may read it.`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch {
      throw new ImageImportError(`${basename(path)} is a damaged gzip file; download it again.`);
    }
  }
  return parseIdx(bytes, basename(path), expectedMagic);
}

/** Reads an images file and its labels file into one grey ImageSet; their counts must match. */
export async function importIdxPair(imagesPath: string, labelsPath: string): Promise<ImageSet> {
  const [images, labels] = await Promise.all([
    readIdxFile(imagesPath, IDX_IMAGES_MAGIC),
    readIdxFile(labelsPath, IDX_LABELS_MAGIC),
  ]);
  const [count = 0, height = 0, width = 0] = images.dims;
  const labelCount = labels.dims[0] ?? 0;
  if (count !== labelCount) {
    throw new ImageImportError(
      `${basename(imagesPath)} holds ${count.toLocaleString('en-US')} images but ${basename(labelsPath)} holds ${labelCount.toLocaleString('en-US')} labels; choose the labels file that belongs to these images.`,
    );
  }
  return { width, height, channels: 1, count, pixels: images.data, labels: Int32Array.from(labels.data) };
}

/** Fashion-MNIST names when the paths say "fashion", else the digits 0..n-1 (MNIST). */
export function idxClassNames(paths: readonly string[], labelCount: number): string[] {
  if (paths.some((p) => /fashion/i.test(p)) && labelCount <= FASHION_MNIST_CLASS_NAMES.length) {
    return [...FASHION_MNIST_CLASS_NAMES];
  }
  return Array.from({ length: Math.max(labelCount, 10) }, (_, i) => String(i));
}

const IDX_NAME = /(train|t10k)-(images|labels)[-.]idx[13]-ubyte(\.gz)?$/i;

export interface IdxFolderOptions {
  onProgress?: ProgressListener;
}

/** The train-/t10k- image and label files of an IDX folder (MNIST layout), or null when there are none. */
export async function findIdxFiles(dir: string): Promise<{
  train: { images: string; labels: string };
  test: { images: string; labels: string } | null;
} | null> {
  const found: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    const match = IDX_NAME.exec(name);
    if (match) found[`${match[1]?.toLowerCase()}-${match[2]?.toLowerCase()}`] ??= join(dir, name);
  }
  const pair = (split: string) => {
    const images = found[`${split}-images`];
    const labels = found[`${split}-labels`];
    return images && labels ? { images, labels } : null;
  };
  const train = pair('train');
  if (!train) return null;
  return { train, test: pair('t10k') };
}

/** Imports an MNIST-style folder: `train-images-idx3-ubyte[.gz]` + labels, and the `t10k-` pair. */
export async function importIdxFolder(dir: string, options: IdxFolderOptions = {}): Promise<ImageDataset> {
  const files = await findIdxFiles(dir);
  if (!files) {
    throw new ImageImportError(
      `No train-images-idx3-ubyte and train-labels-idx1-ubyte files were found in ${dir}; choose the folder that holds the MNIST-style files.`,
    );
  }
  const sizeOf = async (pair: { images: string; labels: string }): Promise<number> =>
    (await stat(pair.images)).size + (await stat(pair.labels)).size;
  const trainBytes = await sizeOf(files.train);
  const testBytes = files.test ? await sizeOf(files.test) : 0;
  const report = phaseReporter(options.onProgress, 'reading', trainBytes + testBytes);
  report(0);
  const train = await importIdxPair(files.train.images, files.train.labels);
  report(trainBytes);
  const test = files.test ? await importIdxPair(files.test.images, files.test.labels) : null;
  if (test) report(trainBytes + testBytes);
  if (test && (test.width !== train.width || test.height !== train.height)) {
    throw new ImageImportError(
      `The training images are ${train.width}×${train.height} but the test images are ${test.width}×${test.height}; use files from the same dataset.`,
    );
  }
  let maxLabel = 0;
  for (const set of [train, test])
    if (set) for (const label of set.labels) maxLabel = Math.max(maxLabel, label);
  const paths = [dir, ...Object.values(files.train), ...Object.values(files.test ?? {})];
  return { classNames: idxClassNames(paths, maxLabel + 1), train, test, skipped: [] };
}

function truncated(fileName: string): ImageImportError {
  return new ImageImportError(`${fileName} is truncated (shorter than its header says); download it again.`);
}
