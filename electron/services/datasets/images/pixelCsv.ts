import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import Papa from 'papaparse';
import type { ImageDataset } from '../../../../shared/data/types';
import { ImageImportError } from './errors';
import { phaseReporter, type ProgressListener } from './progress';

/** How to read a CSV whose columns are the pixels of one image a row (row-major, HWC). */
export interface PixelCsvOptions {
  height: number;
  width: number;
  channels: 1 | 3;
  /** The column holding the class; every other column is a pixel, in order. Default `label`. */
  labelColumn?: string;
  /** The value that means full intensity (16 for digits-8x8, 255 for MNIST in CSV). Default 255. */
  maxValue?: number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/**
 * Imports a pixel CSV into one image set (no test split: the CSV has none), scaling values from
 * 0..maxValue to 0..255 bytes. Class names are the distinct labels, sorted (numerically when all are
 * numbers), and a label's index is its place in that list.
 */
export async function importPixelCsv(path: string, options: PixelCsvOptions): Promise<ImageDataset> {
  const { height, width, channels } = options;
  const labelColumn = options.labelColumn ?? 'label';
  const maxValue = options.maxValue ?? 255;
  const name = basename(path);
  if (![height, width].every((n) => Number.isInteger(n) && n > 0) || (channels !== 1 && channels !== 3)) {
    throw new ImageImportError(
      'The image shape must be a whole height and width above 0, with 1 or 3 channels.',
    );
  }
  if (!(maxValue > 0))
    throw new ImageImportError('The maximum pixel value must be above 0 (16 for digits, 255 for most).');
  let fileSize: number;
  try {
    fileSize = (await stat(path)).size;
  } catch {
    throw new ImageImportError(`${path} could not be opened; check that it exists and that you may read it.`);
  }

  const stride = height * width * channels;
  const scale = 255 / maxValue;
  let capacity = 1024;
  let pixels = new Uint8Array(capacity * stride);
  let labelIds = new Int32Array(capacity);
  const labelIdOf = new Map<string, number>();
  let count = 0;
  let labelIndex = -1;
  let pixelIndex: number[] = [];

  const file = createReadStream(path);
  const report = phaseReporter(options.onProgress, 'reading', fileSize);
  let readBytes = 0;
  file.on('data', (chunk) => report((readBytes += chunk.length)));
  const onAbort = (): void => void file.destroy(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const rows = file.pipe(Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: 'greedy' }));
  file.on('error', (error) => rows.destroy(error));
  let line = 0;
  try {
    for await (const row of rows as AsyncIterable<string[]>) {
      line++;
      if (line === 1) {
        const header = row.map((cell) => cell.trim());
        labelIndex = header.indexOf(labelColumn);
        if (labelIndex < 0) {
          throw new ImageImportError(
            `${name} has no column named "${labelColumn}" (its columns start ${header.slice(0, 5).join(', ')}); choose the column that holds the class.`,
          );
        }
        pixelIndex = header.map((_, i) => i).filter((i) => i !== labelIndex);
        if (pixelIndex.length !== stride) {
          throw new ImageImportError(
            `${name} has ${pixelIndex.length} pixel columns, but a ${height}×${width}×${channels} image needs ${stride}; check the image shape.`,
          );
        }
        continue;
      }
      if (count === capacity) {
        capacity *= 2;
        const grownPixels = new Uint8Array(capacity * stride);
        grownPixels.set(pixels);
        pixels = grownPixels;
        const grownLabels = new Int32Array(capacity);
        grownLabels.set(labelIds);
        labelIds = grownLabels;
      }
      const label = (row[labelIndex] ?? '').trim();
      if (label === '')
        throw new ImageImportError(
          `Line ${line} of ${name} has no ${labelColumn}; fill it in or remove the line.`,
        );
      let id = labelIdOf.get(label);
      if (id === undefined) labelIdOf.set(label, (id = labelIdOf.size));
      labelIds[count] = id;
      const base = count * stride;
      for (let p = 0; p < stride; p++) {
        const cell = row[pixelIndex[p] as number];
        const value = cell === undefined || cell.trim() === '' ? NaN : Number(cell);
        if (!(value >= 0 && value <= maxValue)) {
          throw new ImageImportError(
            `Line ${line} of ${name} has ${cell === undefined || cell.trim() === '' ? 'no value' : `"${cell}"`} in pixel column ${p + 1}, but pixels must be numbers from 0 to ${maxValue}; check the maximum value or fix the file.`,
          );
        }
        pixels[base + p] = Math.round(value * scale);
      }
      count++;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    file.destroy();
  }
  options.signal?.throwIfAborted();
  if (count === 0)
    throw new ImageImportError(`${name} has no rows of pixels; check that you chose the right file.`);

  const raw = [...labelIdOf.keys()];
  const numeric = raw.every((l) => Number.isFinite(Number(l)));
  const classNames = [...raw].sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  if (classNames.length < 2) {
    throw new ImageImportError(
      `Every row of ${name} has the same ${labelColumn}, but a classifier needs at least two classes.`,
    );
  }
  const sortedIndexOf = new Map(classNames.map((l, i) => [l, i]));
  const remap = Int32Array.from(raw, (l) => sortedIndexOf.get(l) ?? 0);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = remap[labelIds[i] ?? 0] ?? 0;
  return {
    classNames,
    train: { width, height, channels, count, pixels: pixels.slice(0, count * stride), labels },
    test: null,
    skipped: [],
  };
}
