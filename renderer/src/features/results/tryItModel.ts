// What the Results view's "Try it" panel shows and sends: form fields, checks, probability bars. Pure.
import type { ExampleRow, Prediction } from '../../../../shared/api/contract';

/** Example rows and test images the panel fetches at a time. */
export const TEST_ROWS_SHOWN = 10;
export const TEST_IMAGES_SHOWN = 24;

/** Largest picture the panel uploads (its base64 must stay well inside the host's limit). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** The file types a picture may have; the host reads JPEG and PNG. */
export const IMAGE_ACCEPT = 'image/png,image/jpeg';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The form's texts for an example row (empty fields without one), in the form's feature order. */
export function exampleFields(example: ExampleRow | undefined, featureCount: number): string[] {
  return Array.from({ length: featureCount }, (_, j) => {
    const value = example?.values[j];
    return value === undefined ? '' : String(value);
  });
}

/** How an example row is offered in the picker. */
export function exampleLabel(example: ExampleRow): string {
  return `Test row ${(example.testIndex + 1).toLocaleString('en-US')} (line ${example.line.toLocaleString('en-US')} of the file)`;
}

/** Why a field's text cannot be sent as a number, or null when it can. */
export function fieldProblem(text: string): string | null {
  const t = text.trim();
  if (t === '') return 'Enter a number.';
  return NUMBER.test(t) && Number.isFinite(Number(t)) ? null : 'This is not a number.';
}

/** The fields as the request's row, {column: text as typed}: the host reads and checks them. */
export function rowOf(features: readonly string[], fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(features.map((f, j) => [f, (fields[j] ?? '').trim()]));
}

/** Whether the fields still hold the example's values, so that its true target applies. */
export function matchesExample(fields: readonly string[], example: ExampleRow | undefined): boolean {
  if (!example) return false;
  return example.values.every((v, j) => {
    const t = (fields[j] ?? '').trim();
    return t !== '' && Number(t) === v;
  });
}

export interface ProbabilityBar {
  name: string;
  probability: number;
  /** "97.3 %" */
  percent: string;
  /** The class the network chose. */
  top: boolean;
}

/** One bar a class, in the classes' own order (so bars stay put from one prediction to the next). */
export function probabilityBars(
  prediction: Extract<Prediction, { probabilities: number[] }>,
  classNames: readonly string[] | null,
): ProbabilityBar[] {
  return prediction.probabilities.map((p, i) => ({
    name: classNames?.[i] ?? String(i),
    probability: p,
    percent: percentText(p),
    top: i === prediction.classIndex,
  }));
}

export function percentText(p: number): string {
  if (!Number.isFinite(p)) return '–';
  // Tiny shares are not shown as a flat 0.0 % next to a bar that is visibly there.
  return p > 0 && p < 0.001 ? '< 0.1 %' : `${(p * 100).toFixed(1)} %`;
}

/** A predicted value, to 5 significant digits (the model's float32 output has no more worth reading). */
export function valueText(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-4)) return value.toExponential(4);
  return String(Number(value.toPrecision(5)));
}

/** Why a picked file cannot be sent for a prediction, or null. */
export function imageFileProblem(file: { name: string; size: number; type: string }): string | null {
  const isImage = /^image\/(png|jpeg)$/.test(file.type) || /\.(png|jpe?g)$/i.test(file.name);
  if (!isImage) return `${file.name} is not a JPEG or PNG picture: choose a .jpg or .png file.`;
  if (file.size === 0) return `${file.name} is empty: choose another picture.`;
  if (file.size > MAX_IMAGE_BYTES) {
    return `${file.name} is larger than the 20 MB the app takes: choose a smaller picture.`;
  }
  return null;
}

/** How the network sees pictures: "8×8 pixels, grey". */
export function imageSizeText(width: number, height: number, channels: number): string {
  return `${width}×${height} pixels, ${channels === 1 ? 'grey' : 'colour'}`;
}

/** The first test image of the next page, back to the start after the last one. */
export function nextOffset(offset: number, shown: number, testCount: number): number {
  const next = offset + shown;
  return next >= testCount ? 0 : next;
}
