import type { SkippedFile } from '../../../../shared/data/types';
import { ImageImportError } from './errors';

export type SplitName = 'train' | 'test';

/** One image file to decode, with where it goes. */
export interface ImageRef {
  path: string;
  split: SplitName;
  label: number;
}

/** What an image folder holds, worked out from file paths alone (before any image is decoded). */
export interface FolderLayout {
  classNames: string[];
  train: ImageRef[];
  /** Null when the folder has no `test/` split. */
  test: ImageRef[] | null;
  /** Image files in formats that are not supported (GIF, BMP, …). */
  unsupported: SkippedFile[];
}

const SUPPORTED = /\.(jpe?g|png)$/i;
const UNSUPPORTED = /\.(gif|bmp|webp|tiff?|heic|avif)$/i;

/**
 * Plans an import from the relative (`/`-separated) paths of a folder or archive: one sub-folder per
 * class, optionally below `train/` and `test/`, and below any single wrapping folder. Class names are
 * the sorted folder names, as torchvision's ImageFolder does; images are ordered by class then path.
 */
export function planImageFolder(paths: readonly string[], sourceName: string): FolderLayout {
  let files = paths
    .filter((p) => !p.split('/').some((part) => part.startsWith('.') || part === '__MACOSX'))
    .filter((p) => SUPPORTED.test(p) || UNSUPPORTED.test(p))
    .map((p) => ({ original: p, parts: p.split('/') }))
    // Files at the top level belong to no class folder.
    .filter((f) => f.parts.length >= 2);

  // A wrapping folder (`cifar10/train/cat/1.jpg`) is peeled off as long as class folders remain below it.
  for (;;) {
    const first = files[0]?.parts[0];
    if (first === undefined || !files.every((f) => f.parts.length >= 3 && f.parts[0] === first)) break;
    files = files.map((f) => ({ original: f.original, parts: f.parts.slice(1) }));
  }

  const isSplit = files.some((f) => f.parts.length >= 3 && f.parts[0]?.toLowerCase() === 'train');
  const unsupported: SkippedFile[] = [];
  const bySplit: Record<SplitName, { path: string; className: string }[]> = { train: [], test: [] };
  for (const f of files) {
    let split: SplitName = 'train';
    let rest = f.parts;
    if (isSplit) {
      const top = f.parts[0]?.toLowerCase();
      if (top !== 'train' && top !== 'test') continue;
      split = top;
      rest = f.parts.slice(1);
    }
    const className = rest[0];
    if (rest.length < 2 || className === undefined) continue;
    if (!SUPPORTED.test(f.original)) {
      unsupported.push({
        path: f.original,
        reason: 'this image format is not supported; convert it to PNG or JPEG',
      });
      continue;
    }
    bySplit[split].push({ path: f.original, className });
  }

  const classNames = [...new Set([...bySplit.train, ...bySplit.test].map((f) => f.className))].sort();
  if (classNames.length === 0) {
    throw new ImageImportError(
      `No images were found in class folders in ${sourceName}; put the JPEG or PNG images of each class in their own sub-folder (for example cat/ and dog/).`,
    );
  }
  if (classNames.length === 1) {
    throw new ImageImportError(
      `${sourceName} has only one class folder ("${classNames[0]}"), but a classifier needs at least two; add a sub-folder of images for each other class.`,
    );
  }
  if (bySplit.train.length === 0) {
    throw new ImageImportError(
      `${sourceName} has a test/ folder but no images under train/; add the training images there.`,
    );
  }
  const labelOf = new Map(classNames.map((name, index) => [name, index]));
  const toRefs = (split: SplitName): ImageRef[] =>
    bySplit[split]
      .map((f) => ({ path: f.path, split, label: labelOf.get(f.className) ?? 0 }))
      .sort((a, b) => a.label - b.label || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    classNames,
    train: toRefs('train'),
    test: isSplit && bySplit.test.length > 0 ? toRefs('test') : null,
    unsupported,
  };
}
