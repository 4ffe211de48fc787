import { createHash } from 'node:crypto';
import type { ImageDataset, ImageSet } from '../../../shared/data/types';

/** The bytes of an Int32Array as stored: the platform's order, little-endian on every platform Node runs on. */
export function int32Bytes(values: Int32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** sha256 of a file's bytes, hex: importing the same file twice finds the first copy. */
export function bytesContentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 over the decoded images, labels and class names, hex: the same images imported from any format match. */
export function imageContentHash(dataset: Pick<ImageDataset, 'classNames' | 'train' | 'test'>): string {
  const hash = createHash('sha256');
  const header = (set: ImageSet | null) =>
    set ? { width: set.width, height: set.height, channels: set.channels, count: set.count } : null;
  hash.update(
    JSON.stringify({
      classNames: dataset.classNames,
      train: header(dataset.train),
      test: header(dataset.test),
    }) + '\n',
  );
  for (const set of [dataset.train, dataset.test]) {
    if (!set) continue;
    hash.update(set.pixels);
    hash.update(int32Bytes(set.labels));
  }
  return hash.digest('hex');
}
