import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DataError, isMissing, parseNumber, readCsvFile } from '../datasets/csv';
import { decodeImage, UnreadableImageError } from '../datasets/images/decodeImage';
import { writeImageInto } from '../datasets/images/pixels';
import { ExportError } from './errors';
import type { PreprocessingFile } from './preprocessing';

type TabularPreprocessing = Extract<PreprocessingFile, { kind: 'tabular' }>;
type ImagePreprocessing = Extract<PreprocessingFile, { kind: 'image' }>;

/** Inputs ready for the model: `count` rows of the model's input, and a label for each (line or file). */
export interface PreparedInputs {
  x: Float32Array;
  count: number;
  labels: string[];
}

function quoted(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  return q.length > 1 ? `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]!}` : q.join('');
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/**
 * Which of the model's columns `columns` lacks and which it has that the model does not know (the
 * target and ignored columns are allowed), as the end of a sentence; null when they match.
 */
function columnProblem(
  columns: readonly string[],
  pre: TabularPreprocessing,
  allowed: readonly string[],
): string | null {
  const missing = pre.featureNames.filter((f) => !columns.includes(f));
  const known = new Set([...pre.featureNames, pre.targetName, ...allowed]);
  const extra = columns.filter((h) => !known.has(h));
  if (missing.length === 0 && extra.length === 0) return null;
  const parts: string[] = [];
  if (missing.length > 0)
    parts.push(`lacks the ${plural(missing.length, 'column')} ${quoted(missing)} the model was trained on`);
  if (extra.length > 0)
    parts.push(`has ${plural(extra.length, 'column')} ${quoted(extra)} the model does not know`);
  return `${parts.join(' and ')}: give it exactly the model's columns (${quoted(pre.featureNames)})`;
}

/** Rows of raw feature values in the model's column order, standardised as in training. */
function standardised(rows: readonly (readonly number[])[], pre: TabularPreprocessing): Float32Array {
  const width = pre.featureNames.length;
  const s = pre.standardization;
  const x = new Float32Array(rows.length * width);
  rows.forEach((row, r) => {
    for (let j = 0; j < width; j++) {
      const value = row[j]!;
      x[r * width + j] = s ? (value - s.mean[j]!) / s.std[j]! : value;
    }
  });
  return x;
}

/**
 * A CSV's rows as model inputs: columns found by name in the trained order, standardised as in training.
 * Columns the model does not know (other than the target and ignored ones) are refused, so that a
 * misnamed column is never silently dropped.
 */
export async function csvInputs(
  path: string,
  pre: TabularPreprocessing,
  allowed: readonly string[],
): Promise<PreparedInputs> {
  const name = basename(path);
  let table;
  try {
    table = await readCsvFile(path);
  } catch (error) {
    if (error instanceof DataError) throw new ExportError(error.message);
    throw error;
  }
  const { header, rows, rowLines } = table;
  const problem = columnProblem(header, pre, allowed);
  if (problem) throw new ExportError(`${name} ${problem}.`);
  const indices = pre.featureNames.map((f) => header.indexOf(f));
  const values = rows.map((row, r) =>
    indices.map((index, j) => {
      const cell = row[index] ?? '';
      const value = isMissing(cell) ? null : parseNumber(cell);
      if (value === null) {
        throw new ExportError(
          `Column '${pre.featureNames[j]!}' of ${name} has ${isMissing(cell) ? 'an empty cell' : `a non-numeric value '${cell.trim().slice(0, 40)}'`} on line ${rowLines[r]}: the model needs a number there.`,
        );
      }
      return value;
    }),
  );
  return {
    x: standardised(values, pre),
    count: rows.length,
    labels: Array.from(rowLines, (line) => `line ${line}`),
  };
}

/**
 * Rows given as {column: value} (values as a person typed them: numbers, or text that reads as one)
 * as model inputs, by column name and standardised as in training; the same columns rule as a CSV.
 */
export function rowInputs(
  rows: readonly Readonly<Record<string, number | string>>[],
  pre: TabularPreprocessing,
  allowed: readonly string[],
): PreparedInputs {
  const values = rows.map((row, r) => {
    const which = rows.length === 1 ? 'the row' : `row ${r + 1}`;
    const problem = columnProblem(Object.keys(row), pre, allowed);
    if (problem) throw new ExportError(`${which.charAt(0).toUpperCase()}${which.slice(1)} ${problem}.`);
    return pre.featureNames.map((feature) => {
      const given = row[feature]!;
      const value = typeof given === 'number' ? given : isMissing(given) ? null : parseNumber(given);
      if (value === null || !Number.isFinite(value)) {
        throw new ExportError(
          typeof given === 'string' && isMissing(given)
            ? `'${feature}' of ${which} is empty: enter a number there.`
            : `'${feature}' of ${which} is '${String(given).trim().slice(0, 40)}', which is not a number: enter a number there.`,
        );
      }
      return value;
    });
  });
  return {
    x: standardised(values, pre),
    count: rows.length,
    labels: rows.map((_, r) => `row ${r + 1}`),
  };
}

/** Image bytes at the model's size and channels, scaled to 0…1 and normalised per channel as in training. */
function normaliseInto(pixels: Uint8Array, pre: ImagePreprocessing, x: Float32Array, offset: number): void {
  for (let p = 0; p < pixels.length; p++) {
    const c = p % pre.channels;
    x[offset + p] = (pixels[p]! / 255 - pre.mean[c]!) / pre.std[c]!;
  }
}

/**
 * A JPEG or PNG file's bytes as `pre.height`×`pre.width`×`pre.channels` bytes into `out`. With `resize`
 * other sizes are resized as the dataset import resizes them; without, they are refused.
 */
function decodeForModel(
  bytes: Uint8Array,
  name: string,
  pre: ImagePreprocessing,
  resize: boolean,
  out: Uint8Array,
): void {
  let image;
  try {
    image = decodeImage(bytes);
  } catch (error) {
    if (error instanceof UnreadableImageError)
      throw new ExportError(
        `${name} cannot be read as an image (${error.message}): give a JPEG or PNG file.`,
      );
    throw error;
  }
  if (!resize && (image.width !== pre.width || image.height !== pre.height)) {
    throw new ExportError(
      `${name} is ${image.width}×${image.height} pixels but the model takes ${pre.width}×${pre.height} images: resize it to ${pre.width}×${pre.height} first (predict does not resize, so that nothing changes unseen).`,
    );
  }
  // Grey and colour are converted as the dataset import converts them (ITU-R 601 luma).
  writeImageInto(image, out, 0, pre.width, pre.height, pre.channels === 1 ? 1 : 3);
}

/** Images as model inputs: the model's size exactly (never resized here), its channels, normalised as in training. */
export function imageInputs(paths: readonly string[], pre: ImagePreprocessing): PreparedInputs {
  const stride = pre.height * pre.width * pre.channels;
  const x = new Float32Array(paths.length * stride);
  const pixels = new Uint8Array(stride);
  paths.forEach((path, i) => {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new ExportError(`Could not read ${path}: check that the file exists and that you may open it.`);
    }
    decodeForModel(bytes, basename(path), pre, false, pixels);
    normaliseInto(pixels, pre, x, i * stride);
  });
  return { x, count: paths.length, labels: paths.map((p) => basename(p)) };
}

/** Image inputs with the bytes the network sees (for showing them). */
export interface PreparedImages extends PreparedInputs {
  /** `count` images of height×width×channels bytes. */
  pixels: Uint8Array;
}

/** An uploaded JPEG or PNG as a model input: resized to the model's size as the dataset import resizes. */
export function imageFileInput(
  file: { name: string; bytes: Uint8Array },
  pre: ImagePreprocessing,
): PreparedImages {
  const pixels = new Uint8Array(pre.height * pre.width * pre.channels);
  decodeForModel(file.bytes, file.name, pre, true, pixels);
  return imagePixelInputs(pixels, [file.name], pre);
}

/** Images already at the model's size and channels (a dataset's test images), normalised as in training. */
export function imagePixelInputs(
  pixels: Uint8Array,
  labels: string[],
  pre: ImagePreprocessing,
): PreparedImages {
  const stride = pre.height * pre.width * pre.channels;
  if (pixels.length !== labels.length * stride) {
    throw new ExportError(
      `These images are not ${pre.width}×${pre.height} with ${pre.channels} ${plural(pre.channels, 'channel')}, as the model takes them: the dataset changed since the run trained.`,
    );
  }
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < labels.length; i++)
    normaliseInto(pixels.subarray(i * stride, (i + 1) * stride), pre, x, i * stride);
  return { x, count: labels.length, labels, pixels };
}
