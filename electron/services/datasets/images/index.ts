import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { z } from 'zod';
import type { ImageDataset } from '../../../../shared/data/types';
import { archiveEntries, archiveFormatOf } from './archive';
import { cifarBatchSplit, importCifarBinaryArchive, importCifarBinaryFolder } from './cifarBinary';
import { ImageImportError } from './errors';
import { findIdxFiles, importIdxFolder } from './idx';
import { importImageFolder } from './imageFolder';
import { importPixelCsv } from './pixelCsv';
import { reshapeSet } from './pixels';
import type { ProgressListener } from './progress';

export { ImageImportError } from './errors';
export type { ImportPhase, ImportProgress, ProgressListener } from './progress';

/** What kind of image dataset a file or folder holds. */
export type ImageSourceFormat =
  | 'cifar-binary-folder'
  | 'cifar-binary-archive'
  | 'image-folder'
  | 'image-archive'
  | 'idx-folder'
  | 'pixel-csv';

const side = z.number().int().min(1).max(4096);

/** Import options as they arrive from the renderer; parsed before any file is touched. */
export const imageImportOptionsSchema = z
  .object({
    /** Resize every image to this size (bilinear); required for image folders whose sizes differ. */
    size: z.object({ width: side, height: side }).strict().optional(),
    /** 1 = grey, 3 = RGB; by default that of the data (the first image, for image folders). */
    channels: z.union([z.literal(1), z.literal(3)]).optional(),
    /** The image shape of a pixel CSV (required for one). */
    csv: z
      .object({
        height: side,
        width: side,
        channels: z.union([z.literal(1), z.literal(3)]),
        labelColumn: z.string().min(1).max(200).optional(),
        maxValue: z.number().positive().max(65535).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ImageImportOptions = z.infer<typeof imageImportOptionsSchema>;

export interface ImportedImages {
  format: ImageSourceFormat;
  dataset: ImageDataset;
}

/** Works out what `source` holds, reading as little as possible (an archive's first entry). */
export async function detectImageSource(
  source: string,
): Promise<{ format: ImageSourceFormat; path: string }> {
  let info;
  try {
    info = await stat(source);
  } catch {
    throw new ImageImportError(
      `${source} could not be opened; check that it exists and that you may read it.`,
    );
  }
  if (info.isDirectory()) {
    const names = await readdir(source);
    if (names.some((n) => cifarBatchSplit(n)) || names.includes('cifar-10-batches-bin')) {
      return { format: 'cifar-binary-folder', path: source };
    }
    if (await findIdxFiles(source)) return { format: 'idx-folder', path: source };
    return { format: 'image-folder', path: source };
  }
  const name = basename(source);
  if (extname(name).toLowerCase() === '.csv') return { format: 'pixel-csv', path: source };
  if (cifarBatchSplit(name) || name === 'batches.meta.txt')
    return { format: 'cifar-binary-folder', path: dirname(source) };
  if (/-ubyte(\.gz)?$/i.test(name)) return { format: 'idx-folder', path: dirname(source) };
  if (archiveFormatOf(name)) {
    // The official archive starts with cifar-10-batches-bin/; a few entries are enough to tell.
    let seen = 0;
    for await (const entry of archiveEntries(source)) {
      const parts = entry.path.split('/');
      if (parts.includes('cifar-10-batches-bin') || cifarBatchSplit(parts.at(-1) ?? '')) {
        return { format: 'cifar-binary-archive', path: source };
      }
      if (++seen === 20) break;
    }
    return { format: 'image-archive', path: source };
  }
  throw new ImageImportError(
    `${name} is not an image dataset the app can read; choose a folder of class sub-folders, a .tar.gz or .zip of one, CIFAR-10 (binary version), MNIST-style IDX files or a pixel CSV.`,
  );
}

/**
 * Imports any supported image dataset: CIFAR-10 binary (folder or archive), an image folder (folder
 * or archive), an IDX folder, or a pixel CSV (which needs `options.csv`).
 */
export async function importImageDataset(
  source: string,
  options: ImageImportOptions = {},
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<ImportedImages> {
  const parsed = imageImportOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ImageImportError(
      `The import options are not valid (${z.prettifyError(parsed.error)}); check the image size and channels.`,
    );
  }
  const opts = parsed.data;
  const { format, path } = await detectImageSource(source);
  const common = { ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) };
  let dataset: ImageDataset;
  switch (format) {
    case 'cifar-binary-folder':
      dataset = await importCifarBinaryFolder(path, common);
      break;
    case 'cifar-binary-archive':
      dataset = await importCifarBinaryArchive(path, common);
      break;
    case 'idx-folder':
      dataset = await importIdxFolder(path, common);
      break;
    case 'image-folder':
    case 'image-archive':
      return {
        format,
        dataset: await importImageFolder(path, {
          ...common,
          ...(opts.size ? { size: opts.size } : {}),
          ...(opts.channels ? { channels: opts.channels } : {}),
        }),
      };
    case 'pixel-csv':
      if (!opts.csv) {
        throw new ImageImportError(
          `${basename(path)} is a CSV: give the image shape (height, width and channels) so its columns can be read as pixels.`,
        );
      }
      dataset = await importPixelCsv(path, { ...opts.csv, ...common });
      break;
  }
  // Image folders resize while decoding; the fixed-size formats are resized afterwards.
  return {
    format,
    dataset: {
      ...dataset,
      train: reshapeSet(dataset.train, opts.size, opts.channels),
      test: dataset.test ? reshapeSet(dataset.test, opts.size, opts.channels) : null,
    },
  };
}
