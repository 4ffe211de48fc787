// Pure helpers of the image side of the Data view: import checks, progress wording, normalisation choices.
import type { RequestArgs } from '../../../../shared/api/contract';
import type { DataSpec } from '../../../../shared/graph/document';

/** The archives an upload can be (one file: IDX and CIFAR-10 binary sets come packed in one). */
export const IMAGE_ARCHIVE_ACCEPT = '.zip,.tar.gz,.tgz,application/zip,application/gzip,application/x-gzip';

/** Largest archive the app uploads (the preview's socket refuses bigger messages once base64-encoded). */
export const MAX_IMAGE_ARCHIVE_BYTES = 360 * 1024 * 1024;

/** Why a file cannot be imported as images before reading it, or null. */
export function imageImportBlocker(file: { name: string; size: number }): string | null {
  if (file.size === 0) return `The file ${file.name} is empty: choose a .zip or .tar.gz archive of images.`;
  if (file.size > MAX_IMAGE_ARCHIVE_BYTES) {
    return `The file ${file.name} is ${Math.round(file.size / 1024 / 1024)} MB, more than the 360 MB the app imports: use a smaller archive.`;
  }
  if (!/\.(zip|tar\.gz|tgz)$/i.test(file.name)) {
    return `The file ${file.name} is not an archive of images: choose a .zip, .tar.gz or .tgz file (class folders, CIFAR-10 binary or IDX files).`;
  }
  return null;
}

/** The normalisation choices, as the Select shows them. */
export const normalizationOptions: { value: DataSpec['normalization']; label: string }[] = [
  { value: 'half', label: 'From −1 to 1: Normalize(0.5, 0.5), as in the lesson' },
  { value: 'unit', label: 'From 0 to 1: pixel values divided by 255' },
  { value: 'dataset', label: 'Dataset mean and standard deviation per channel' },
];

export function isNormalization(value: string | null): value is DataSpec['normalization'] {
  return normalizationOptions.some((o) => o.value === value);
}

/** Whether the augmentation changes anything (else the augmented samples equal the plain ones). */
export function augments(augmentation: DataSpec['augmentation']): boolean {
  return augmentation.horizontalFlip || augmentation.cropPadding > 0;
}

/** The crop padding as the document keeps it: a whole number of pixels from 0 to 8. */
export function clampCropPadding(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(8, Math.max(0, Math.round(value)));
}

/** How the host reads a shipped image source: the document's shape options, only those it has. */
export function builtinImportArgs(spec: DataSpec): RequestArgs<'datasets:importImages'> | null {
  if (spec.source.kind !== 'builtin') return null;
  return {
    source: { kind: 'builtin', name: spec.source.name },
    ...(spec.imageSize ? { size: spec.imageSize } : {}),
    ...(spec.channels ? { channels: spec.channels } : {}),
    ...(spec.pixelCsv ? { pixelCsv: spec.pixelCsv } : {}),
  };
}

/** Host progress of an import, as the bar shows it. */
export interface ImportStep {
  phase: string;
  done: number;
  total: number | null;
}

const phaseLabels: Record<string, string> = {
  downloading: 'Downloading',
  listing: 'Listing the files',
  reading: 'Reading',
  decoding: 'Decoding images',
};

function amount(phase: string, n: number): string {
  if (phase === 'decoding') return n.toLocaleString('en-US');
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** One line for a progress step ("Decoding images: 12,000 of 60,000"). */
export function importStepText(step: ImportStep): string {
  const label = phaseLabels[step.phase] ?? step.phase;
  if (step.total === null) return `${label}: ${amount(step.phase, step.done)}`;
  return `${label}: ${amount(step.phase, step.done)} of ${amount(step.phase, step.total)}`;
}

/** The bar's value in percent; null when the total is unknown (the bar then animates). */
export function importStepPercent(step: ImportStep | null): number | null {
  if (!step || step.total === null || step.total <= 0) return null;
  return Math.min(100, Math.round((step.done / step.total) * 100));
}
