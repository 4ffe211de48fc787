import type { ImageDataset, ImageSet } from '../../shared/data/types';
import { createRng } from '../../shared/data/random';
import type { DataSpec, DatasetSource, ProjectDocument } from '../../shared/graph';
import type { ImageTile, ImageTiles } from '../../shared/api/contract';
import { fillAugmentedBatch, splitImages } from '../trainer/imageData';
import { DataError } from './datasets/csv';
import type { ImageImportOptions, ProgressListener } from './datasets/images';
import { importImageDatasetInWorker, type ImageImporter } from './datasets/images/importInWorker';
import { builtinDataPath } from './paths';
import type { DatasetRecord, Storage } from './storage';

/** The origin recorded for a shipped image dataset once it is imported into the database. */
export function builtinOrigin(name: string): string {
  return `builtin:${name}`;
}

/**
 * Imports an image dataset from a file or folder into the database (the same content twice is stored
 * once). Decodes on a worker thread by default, so the host's event loop keeps turning meanwhile.
 */
export async function importImagesIntoStorage(
  storage: Storage,
  path: string,
  meta: { name: string; origin: string },
  options: ImageImportOptions = {},
  onProgress?: ProgressListener,
  importer: ImageImporter = importImageDatasetInWorker,
): Promise<DatasetRecord> {
  const { dataset } = await importer(path, options, onProgress);
  return storage.addDataset({ kind: 'image', name: meta.name, origin: meta.origin, dataset }).dataset;
}

/**
 * The image dataset a data source names, imported into the database on first use (with `importer`,
 * on a worker thread by default) when it is a shipped one.
 */
export async function resolveImageDataset(
  storage: Storage,
  source: DatasetSource,
  spec: Pick<DataSpec, 'imageSize' | 'channels' | 'pixelCsv'> = {},
  onProgress?: ProgressListener,
  importer: ImageImporter = importImageDatasetInWorker,
): Promise<{ record: DatasetRecord; dataset: ImageDataset }> {
  let record: DatasetRecord | undefined;
  switch (source.kind) {
    case 'stored':
      record = storage.getDataset(Number(source.id));
      break;
    case 'builtin':
      record =
        storage.listDatasets().find((d) => d.origin === builtinOrigin(source.name)) ??
        (await importImagesIntoStorage(
          storage,
          builtinDataPath(source.name),
          { name: source.name.replace(/\.(tar\.gz|tgz|zip|csv)$/, ''), origin: builtinOrigin(source.name) },
          {
            ...(spec.imageSize ? { size: spec.imageSize } : {}),
            ...(spec.channels ? { channels: spec.channels } : {}),
            ...(spec.pixelCsv ? { csv: spec.pixelCsv } : {}),
          },
          onProgress,
          importer,
        ));
      break;
    case 'file':
      throw new DataError(
        'bad-spec',
        'Import the image files in the Data view first: then they are kept in the app.',
      );
  }
  if (!record)
    throw new DataError(
      'bad-spec',
      'That dataset is no longer in the database: choose another in the Data view.',
    );
  const payload = storage.getDatasetPayload(record.id);
  if (!payload || payload.kind !== 'image')
    throw new DataError('bad-spec', `"${record.name}" is not an image dataset.`);
  return { record, dataset: payload.dataset };
}

/** One image's grey or RGB bytes as opaque RGBA (base64), for a canvas. */
export function rgbaBase64(src: Uint8Array, width: number, height: number, channels: number): string {
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    for (let k = 0; k < 3; k++) rgba[p * 4 + k] = src[p * channels + (channels === 1 ? 0 : k)]!;
    rgba[p * 4 + 3] = 255;
  }
  return Buffer.from(rgba).toString('base64');
}

/** Image `index` of a set as a tile with its class name (`pixels`: other bytes to show for it). */
export function tile(
  set: ImageSet,
  index: number,
  classNames: readonly string[],
  pixels?: Uint8Array,
): ImageTile {
  const { width, height, channels } = set;
  const size = width * height * channels;
  const src = pixels ?? set.pixels.subarray(index * size, (index + 1) * size);
  const label = set.labels[index]!;
  return {
    index,
    label,
    className: classNames[label] ?? String(label),
    rgbaBase64: rgbaBase64(src, width, height, channels),
  };
}

/**
 * Sample training images with their class names, as the lesson's make_grid figure shows them; with
 * `augmentation`, as one training epoch would see them (same seeded crop and flip as the trainer).
 */
export function sampleImages(
  dataset: ImageDataset,
  options: { count: number; seed: number; augmentation?: DataSpec['augmentation'] | undefined },
): ImageTiles {
  const set = dataset.train;
  const order = createRng(options.seed).shuffle(Int32Array.from({ length: set.count }, (_, i) => i));
  const indices = Array.from(order.subarray(0, Math.min(options.count, set.count)));
  const size = set.width * set.height * set.channels;
  let tiles: ImageTile[];
  if (options.augmentation && (options.augmentation.horizontalFlip || options.augmentation.cropPadding > 0)) {
    const out = new Float32Array(indices.length * size);
    fillAugmentedBatch(
      set,
      indices,
      { mean: Array(set.channels).fill(0), std: Array(set.channels).fill(1) },
      options.augmentation,
      createRng(options.seed + 1),
      out,
    );
    tiles = indices.map((index, i) =>
      tile(
        set,
        index,
        dataset.classNames,
        Uint8Array.from(out.subarray(i * size, (i + 1) * size), (v) => Math.round(v * 255)),
      ),
    );
  } else {
    tiles = indices.map((index) => tile(set, index, dataset.classNames));
  }
  return { width: set.width, height: set.height, tiles };
}

/** The test images a run got wrong, with true and predicted classes, in test-set order. */
export function misclassifiedImages(
  dataset: ImageDataset,
  document: ProjectDocument,
  predictions: { yTrue: number[]; yPred: number[] },
  limit: number,
): ImageTiles & { total: number; testCount: number } {
  if (!document.data) throw new DataError('bad-spec', 'This run has no dataset.');
  const { test } = splitImages(dataset, document.data);
  if (test.count !== predictions.yPred.length) {
    throw new DataError(
      'bad-spec',
      'The dataset changed since this run trained: its test images no longer match the predictions.',
    );
  }
  const wrong: number[] = [];
  predictions.yPred.forEach((p, i) => {
    if (p !== predictions.yTrue[i]) wrong.push(i);
  });
  const tiles = wrong.slice(0, limit).map((i) => ({
    ...tile(test, i, dataset.classNames),
    predicted: predictions.yPred[i]!,
    predictedName: dataset.classNames[predictions.yPred[i]!] ?? String(predictions.yPred[i]),
  }));
  return { width: test.width, height: test.height, tiles, total: wrong.length, testCount: test.count };
}
