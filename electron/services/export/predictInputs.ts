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
  const missing = pre.featureNames.filter((f) => !header.includes(f));
  const known = new Set([...pre.featureNames, pre.targetName, ...allowed]);
  const extra = header.filter((h) => !known.has(h));
  if (missing.length > 0 || extra.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0)
      parts.push(`lacks the ${plural(missing.length, 'column')} ${quoted(missing)} the model was trained on`);
    if (extra.length > 0)
      parts.push(`has ${plural(extra.length, 'column')} ${quoted(extra)} the model does not know`);
    throw new ExportError(
      `${name} ${parts.join(' and ')}: give it exactly the model's columns (${quoted(pre.featureNames)}).`,
    );
  }
  const width = pre.featureNames.length;
  const indices = pre.featureNames.map((f) => header.indexOf(f));
  const x = new Float32Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    for (let j = 0; j < width; j++) {
      const cell = rows[r]![indices[j]!] ?? '';
      const value = isMissing(cell) ? null : parseNumber(cell);
      if (value === null) {
        throw new ExportError(
          `Column '${pre.featureNames[j]!}' of ${name} has ${isMissing(cell) ? 'an empty cell' : `a non-numeric value '${cell.trim().slice(0, 40)}'`} on line ${rowLines[r]}: the model needs a number there.`,
        );
      }
      const s = pre.standardization;
      x[r * width + j] = s ? (value - s.mean[j]!) / s.std[j]! : value;
    }
  }
  return { x, count: rows.length, labels: Array.from(rowLines, (line) => `line ${line}`) };
}

/** Images as model inputs: the model's size exactly (never resized here), its channels, normalised as in training. */
export function imageInputs(paths: readonly string[], pre: ImagePreprocessing): PreparedInputs {
  const stride = pre.height * pre.width * pre.channels;
  const x = new Float32Array(paths.length * stride);
  const pixels = new Uint8Array(stride);
  paths.forEach((path, i) => {
    const name = basename(path);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new ExportError(`Could not read ${path}: check that the file exists and that you may open it.`);
    }
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
    if (image.width !== pre.width || image.height !== pre.height) {
      throw new ExportError(
        `${name} is ${image.width}×${image.height} pixels but the model takes ${pre.width}×${pre.height} images: resize it to ${pre.width}×${pre.height} first (predict does not resize, so that nothing changes unseen).`,
      );
    }
    // Grey and colour are converted as the dataset import converts them (ITU-R 601 luma).
    writeImageInto(image, pixels, 0, pre.width, pre.height, pre.channels === 1 ? 1 : 3);
    for (let p = 0; p < stride; p++) {
      const c = p % pre.channels;
      x[i * stride + p] = (pixels[p]! / 255 - pre.mean[c]!) / pre.std[c]!;
    }
  });
  return { x, count: paths.length, labels: paths.map((p) => basename(p)) };
}
