import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import type { ImageDataset, ImageSet } from '../../../../shared/data/types';
import { listArchive, readArchive, type ArchiveLimits } from './archive';
import { ImageImportError } from './errors';
import { phaseReporter, type ProgressListener } from './progress';

/** The classes of CIFAR-10 in label order, as `batches.meta.txt` lists them. */
export const CIFAR10_CLASS_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

const SIDE = 32;
const PLANE = SIDE * SIDE;
/** One label byte, then the red, green and blue planes. */
export const CIFAR_RECORD_BYTES = 1 + 3 * PLANE;
const META_FILE = 'batches.meta.txt';
const FOLDER_IN_ARCHIVE = 'cifar-10-batches-bin';

export interface CifarImportOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  archiveLimits?: Partial<ArchiveLimits>;
}

/** Which split a file of the binary version belongs to, from its name; null for other files. */
export function cifarBatchSplit(fileName: string): { split: 'train' | 'test'; order: number } | null {
  const match = /^data_batch_(\d+)\.bin$/.exec(fileName);
  if (match) return { split: 'train', order: Number(match[1]) };
  return fileName === 'test_batch.bin' ? { split: 'test', order: 0 } : null;
}

/** Class names from `batches.meta.txt`: one a line, blank lines ignored. */
export function parseCifarMeta(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The number of records in a batch file of `byteLength` bytes; a partial record means a truncated file. */
export function cifarRecordCount(byteLength: number, fileName: string): number {
  if (byteLength === 0 || byteLength % CIFAR_RECORD_BYTES !== 0) {
    throw new ImageImportError(
      `${fileName} is truncated or not a CIFAR-10 batch: its ${byteLength.toLocaleString('en-US')} bytes are not a whole number of 3,073-byte records; download it again.`,
    );
  }
  return byteLength / CIFAR_RECORD_BYTES;
}

/**
 * Decodes the records of one batch file into `set` from image `start` on, turning the planar
 * (R plane, G plane, B plane) layout into interleaved HWC. Returns the largest label met.
 */
export function decodeCifarBatch(bytes: Uint8Array, fileName: string, set: ImageSet, start: number): number {
  const count = cifarRecordCount(bytes.length, fileName);
  if (start + count > set.count) throw new RangeError(`${fileName} does not fit in the image set`);
  const { pixels, labels } = set;
  let maxLabel = 0;
  for (let r = 0; r < count; r++) {
    const base = r * CIFAR_RECORD_BYTES;
    const label = bytes[base] ?? 0;
    if (label > maxLabel) maxLabel = label;
    labels[start + r] = label;
    const out = (start + r) * 3 * PLANE;
    for (let p = 0; p < PLANE; p++) {
      pixels[out + p * 3] = bytes[base + 1 + p] ?? 0;
      pixels[out + p * 3 + 1] = bytes[base + 1 + PLANE + p] ?? 0;
      pixels[out + p * 3 + 2] = bytes[base + 1 + 2 * PLANE + p] ?? 0;
    }
  }
  return maxLabel;
}

interface BatchFile {
  /** Where to read it: a file path, or an entry path inside an archive. */
  location: string;
  name: string;
  size: number;
  split: 'train' | 'test';
  order: number;
}

/** Imports the binary version from a folder of `data_batch_*.bin` / `test_batch.bin` (or its parent). */
export async function importCifarBinaryFolder(
  dir: string,
  options: CifarImportOptions = {},
): Promise<ImageDataset> {
  let folder = dir;
  let names = await readdirOrThrow(folder);
  if (!names.some((n) => cifarBatchSplit(n)) && names.includes(FOLDER_IN_ARCHIVE)) {
    folder = join(dir, FOLDER_IN_ARCHIVE);
    names = await readdirOrThrow(folder);
  }
  const batches: BatchFile[] = [];
  for (const name of names) {
    const split = cifarBatchSplit(name);
    if (split)
      batches.push({
        location: join(folder, name),
        name,
        size: (await stat(join(folder, name))).size,
        ...split,
      });
  }
  const classNames = names.includes(META_FILE)
    ? parseCifarMeta(await readFile(join(folder, META_FILE), 'utf8'))
    : [...CIFAR10_CLASS_NAMES];
  const target = allocate(batches, basename(dir));
  const report = phaseReporter(options.onProgress, 'reading', target.totalBytes);
  let done = 0;
  report(0);
  for (const batch of target.order) {
    options.signal?.throwIfAborted();
    const bytes = await readFile(batch.location);
    target.decode(batch, bytes);
    done += bytes.length;
    report(done);
  }
  return target.dataset(classNames);
}

/** Imports the binary version from `cifar-10-binary.tar.gz` (entries under `cifar-10-batches-bin/`). */
export async function importCifarBinaryArchive(
  archivePath: string,
  options: CifarImportOptions = {},
): Promise<ImageDataset> {
  const archiveOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.archiveLimits ? { limits: options.archiveLimits } : {}),
  };
  const entries = await listArchive(archivePath, {
    ...archiveOptions,
    onBytes: (done, total) => options.onProgress?.({ phase: 'listing', done, total }),
  });
  const batches: BatchFile[] = [];
  let metaPath: string | null = null;
  for (const entry of entries) {
    const name = posix.basename(entry.path);
    const split = cifarBatchSplit(name);
    // The first copy of each file wins, should an archive hold two.
    if (split && !batches.some((b) => b.name === name))
      batches.push({ location: entry.path, name, size: entry.size, ...split });
    if (name === META_FILE) metaPath ??= entry.path;
  }
  const wanted = new Set([...batches.map((b) => b.location), ...(metaPath ? [metaPath] : [])]);
  const target = allocate(batches, basename(archivePath));
  let classNames: string[] = [...CIFAR10_CLASS_NAMES];
  const report = phaseReporter(options.onProgress, 'reading', target.totalBytes);
  let done = 0;
  report(0);
  for await (const file of readArchive(archivePath, {
    ...archiveOptions,
    wanted: (e) => wanted.has(e.path),
  })) {
    if (file.path === metaPath) {
      classNames = parseCifarMeta(new TextDecoder().decode(file.data));
      continue;
    }
    const batch = batches.find((b) => b.location === file.path);
    if (!batch) continue;
    target.decode(batch, file.data);
    done += file.data.length;
    report(done);
  }
  return target.dataset(classNames);
}

/** Checks the batch files and allocates one pixel array a split, sized from the file sizes. */
function allocate(batches: BatchFile[], sourceName: string) {
  const train = batches.filter((b) => b.split === 'train').sort((a, b) => a.order - b.order);
  const test = batches.filter((b) => b.split === 'test');
  if (train.length === 0) {
    throw new ImageImportError(
      `No data_batch_*.bin files were found in ${sourceName}; choose the cifar-10-batches-bin folder or the cifar-10-binary.tar.gz archive.`,
    );
  }
  const makeSet = (files: BatchFile[]): { set: ImageSet; starts: Map<string, number> } => {
    const starts = new Map<string, number>();
    let count = 0;
    for (const file of files) {
      starts.set(file.location, count);
      count += cifarRecordCount(file.size, file.name);
    }
    const set: ImageSet = {
      width: SIDE,
      height: SIDE,
      channels: 3,
      count,
      pixels: new Uint8Array(count * 3 * PLANE),
      labels: new Int32Array(count),
    };
    return { set, starts };
  };
  const trainSet = makeSet(train);
  const testSet = test.length > 0 ? makeSet(test) : null;
  const maxLabels = new Map<string, number>();
  return {
    order: [...train, ...test],
    totalBytes: [...train, ...test].reduce((sum, b) => sum + b.size, 0),
    decode(batch: BatchFile, bytes: Uint8Array): void {
      const target = batch.split === 'train' ? trainSet : testSet;
      const start = target?.starts.get(batch.location);
      if (!target || start === undefined) return;
      if (bytes.length !== batch.size) {
        throw new ImageImportError(`${batch.name} changed while it was being read; import it again.`);
      }
      maxLabels.set(batch.name, decodeCifarBatch(bytes, batch.name, target.set, start));
    },
    /** The dataset, once every batch is decoded; labels are checked against the class list here. */
    dataset(classNames: string[]): ImageDataset {
      if (classNames.length < 2) {
        throw new ImageImportError(
          `${META_FILE} in ${sourceName} lists fewer than two classes; download the dataset again.`,
        );
      }
      for (const batch of [...train, ...test]) {
        const maxLabel = maxLabels.get(batch.name);
        if (maxLabel === undefined) {
          throw new ImageImportError(
            `${batch.name} in ${sourceName} could not be read completely; download it again.`,
          );
        }
        if (maxLabel >= classNames.length) {
          throw new ImageImportError(
            `${batch.name} has label ${maxLabel}, but ${sourceName} names only ${classNames.length} classes; the file is damaged or not CIFAR-10, so download it again.`,
          );
        }
      }
      return { classNames, train: trainSet.set, test: testSet?.set ?? null, skipped: [] };
    },
  };
}

async function readdirOrThrow(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    throw new ImageImportError(
      `The folder ${dir} could not be opened; check that it exists and that you may read it.`,
    );
  }
}
