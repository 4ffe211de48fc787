import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ImageDataset, ImageSet, SkippedFile } from '../../../../shared/data/types';
import { listArchive, readArchive, type ArchiveLimits } from './archive';
import { decodeImage, UnreadableImageError, type DecodedImage } from './decodeImage';
import { ImageImportError } from './errors';
import { planImageFolder, type FolderLayout, type ImageRef } from './imageFolderLayout';
import { writeImageInto } from './pixels';
import { phaseReporter, type ProgressListener } from './progress';

export interface ImageFolderOptions {
  /** Resize every image (bilinear) to this size; without it all images must share one size. */
  size?: { width: number; height: number };
  /** 1 = grey, 3 = RGB; by default that of the first image read. */
  channels?: 1 | 3;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  archiveLimits?: Partial<ArchiveLimits>;
}

/** Above this many bytes of pixels, a typed array cannot be allocated in one piece. */
const MAX_PIXEL_BYTES = 2 ** 32 - 1;
/** Files read ahead of the decoder from a folder on disk. */
const READ_AHEAD = 16;

/**
 * Imports an image-folder dataset (one sub-folder per class, optionally under `train/` and `test/`)
 * from a directory or a `.tar`, `.tar.gz`, `.tgz` or `.zip` of one. Damaged images are skipped and
 * listed; the import fails only when none can be read. Pixels go straight into one Uint8Array a split.
 */
export async function importImageFolder(
  source: string,
  options: ImageFolderOptions = {},
): Promise<ImageDataset> {
  const sourceName = basename(source);
  const isDirectory = (await statOrThrow(source)).isDirectory();
  const listing = phaseReporter(options.onProgress, 'listing', null);
  const paths = isDirectory
    ? await listDirectory(source, options.signal, listing)
    : (
        await listArchive(source, {
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.archiveLimits ? { limits: options.archiveLimits } : {}),
          onBytes: (done, total) => options.onProgress?.({ phase: 'listing', done, total }),
        })
      ).map((entry) => entry.path);
  const layout = planImageFolder(paths, sourceName);
  const decoder = new FolderDecoder(layout, sourceName, options);

  if (isDirectory) {
    const refs = [...layout.train, ...(layout.test ?? [])];
    const pending: Promise<Uint8Array | Error>[] = [];
    const readRef = (ref: ImageRef): Promise<Uint8Array | Error> =>
      readFile(join(source, ...ref.path.split('/'))).catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      );
    // Reads run ahead in parallel but are decoded in order, so the first image is always the same one.
    for (let i = 0; i < refs.length; i++) {
      while (pending.length < READ_AHEAD && i + pending.length < refs.length) {
        pending.push(readRef(refs[i + pending.length] as ImageRef));
      }
      const bytes = await (pending.shift() as Promise<Uint8Array | Error>);
      decoder.add((refs[i] as ImageRef).path, bytes);
    }
  } else {
    const wanted = new Set([...layout.train, ...(layout.test ?? [])].map((ref) => ref.path));
    for await (const file of readArchive(source, {
      wanted: (entry) => wanted.has(entry.path),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.archiveLimits ? { limits: options.archiveLimits } : {}),
    })) {
      decoder.add(file.path, file.data);
    }
  }
  return decoder.finish();
}

interface SplitSlots {
  refs: ImageRef[];
  ok: Uint8Array;
  pixels: Uint8Array | null;
}

/** Decodes images as they arrive (in any order) into preallocated slots, then closes the gaps. */
class FolderDecoder {
  private readonly slotOf = new Map<string, { split: SplitSlots; index: number }>();
  private readonly train: SplitSlots;
  private readonly test: SplitSlots | null;
  private readonly skipped: SkippedFile[];
  private readonly report: (done: number) => void;
  private shape: { width: number; height: number; channels: 1 | 3; from: string; fromSize: string } | null =
    null;
  private done = 0;
  private decoded = 0;
  private readonly total: number;

  constructor(
    private readonly layout: FolderLayout,
    private readonly sourceName: string,
    private readonly options: ImageFolderOptions,
  ) {
    this.skipped = [...layout.unsupported];
    this.train = this.slots(layout.train);
    this.test = layout.test ? this.slots(layout.test) : null;
    this.total = layout.train.length + (layout.test?.length ?? 0);
    this.report = phaseReporter(options.onProgress, 'decoding', this.total);
  }

  private slots(refs: ImageRef[]): SplitSlots {
    const split: SplitSlots = { refs, ok: new Uint8Array(refs.length), pixels: null };
    refs.forEach((ref, index) => this.slotOf.set(ref.path, { split, index }));
    return split;
  }

  add(path: string, bytes: Uint8Array | Error): void {
    this.options.signal?.throwIfAborted();
    const slot = this.slotOf.get(path);
    if (!slot) return;
    this.report(++this.done);
    let image: DecodedImage;
    try {
      if (bytes instanceof Error) throw new UnreadableImageError(`could not be read (${bytes.message})`);
      image = decodeImage(bytes);
    } catch (error) {
      if (!(error instanceof UnreadableImageError)) throw error;
      this.skipped.push({ path, reason: error.message });
      return;
    }
    const shape = this.shape ?? this.allocate(image, path);
    if (!this.options.size && (image.width !== shape.width || image.height !== shape.height)) {
      throw new ImageImportError(
        `The images in ${this.sourceName} have different sizes (${shape.fromSize} for "${shape.from}", ${image.width}×${image.height} for "${path}"); pick an image size to resize them all to, then import again.`,
      );
    }
    const stride = shape.width * shape.height * shape.channels;
    writeImageInto(
      image,
      slot.split.pixels as Uint8Array,
      slot.index * stride,
      shape.width,
      shape.height,
      shape.channels,
    );
    slot.split.ok[slot.index] = 1;
    this.decoded++;
  }

  private allocate(first: DecodedImage, path: string): NonNullable<FolderDecoder['shape']> {
    const width = this.options.size?.width ?? first.width;
    const height = this.options.size?.height ?? first.height;
    const channels = this.options.channels ?? first.channels;
    const stride = width * height * channels;
    for (const split of [this.train, this.test]) {
      if (!split) continue;
      const bytes = split.refs.length * stride;
      if (bytes > MAX_PIXEL_BYTES) {
        throw new ImageImportError(
          `${split.refs.length.toLocaleString('en-US')} images of ${width}×${height} would need ${(bytes / 1024 ** 3).toFixed(1)} GB of memory; pick a smaller image size.`,
        );
      }
      split.pixels = new Uint8Array(bytes);
    }
    this.shape = { width, height, channels, from: path, fromSize: `${first.width}×${first.height}` };
    return this.shape;
  }

  finish(): ImageDataset {
    const shape = this.shape;
    if (!shape || this.decoded === 0) {
      const first = this.skipped[0];
      throw new ImageImportError(
        `None of the ${this.total.toLocaleString('en-US')} images in ${this.sourceName} could be read${first ? ` ("${first.path}": ${first.reason})` : ''}; check that they are JPEG or PNG files.`,
      );
    }
    const train = compact(this.train, shape);
    if (train.count === 0) {
      throw new ImageImportError(
        `None of the training images in ${this.sourceName} could be read; check the files under train/.`,
      );
    }
    const test = this.test ? compact(this.test, shape) : null;
    return {
      classNames: this.layout.classNames,
      train,
      test: test && test.count > 0 ? test : null,
      skipped: this.skipped,
    };
  }
}

/** Moves decoded images down over the slots of skipped ones, keeping their order. */
function compact(split: SplitSlots, shape: { width: number; height: number; channels: number }): ImageSet {
  const stride = shape.width * shape.height * shape.channels;
  const pixels = split.pixels as Uint8Array;
  const labels = new Int32Array(split.refs.length);
  let count = 0;
  for (let i = 0; i < split.refs.length; i++) {
    if (!split.ok[i]) continue;
    if (count !== i) pixels.copyWithin(count * stride, i * stride, (i + 1) * stride);
    labels[count] = (split.refs[i] as ImageRef).label;
    count++;
  }
  return {
    width: shape.width,
    height: shape.height,
    channels: shape.channels,
    count,
    pixels: count === split.refs.length ? pixels : pixels.subarray(0, count * stride),
    labels: count === split.refs.length ? labels : labels.slice(0, count),
  };
}

async function statOrThrow(source: string): ReturnType<typeof stat> {
  try {
    return await stat(source);
  } catch {
    throw new ImageImportError(
      `${source} could not be opened; check that it exists and that you may read it.`,
    );
  }
}

/** Relative `/`-separated paths of the files under `root`; symlinked folders are not followed. */
async function listDirectory(
  root: string,
  signal: AbortSignal | undefined,
  report: (done: number) => void,
): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    signal?.throwIfAborted();
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(join(dir, entry.name), relative);
      else if (
        entry.isFile() ||
        (entry.isSymbolicLink() && (await stat(join(dir, entry.name)).catch(() => null))?.isFile())
      ) {
        found.push(relative);
        report(found.length);
      }
    }
  };
  await walk(root, '');
  return found;
}
