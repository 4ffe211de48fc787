import { mkdir, open, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import {
  DEFAULT_ARCHIVE_LIMITS,
  type ArchiveEntryInfo,
  type ArchiveLimits,
  type WalkOptions,
  type WalkedEntry,
} from './archiveTypes';
import { ImageImportError } from './errors';
import { walkTar } from './tarReader';
import { walkZip } from './zipReader';

export { DEFAULT_ARCHIVE_LIMITS, type ArchiveEntryInfo, type ArchiveLimits } from './archiveTypes';

export type ArchiveFormat = 'tar' | 'tar.gz' | 'zip';

/** A file read from an archive, with its bytes. */
export interface ArchiveFile extends ArchiveEntryInfo {
  data: Uint8Array;
}

export interface ArchiveOptions {
  limits?: Partial<ArchiveLimits>;
  signal?: AbortSignal;
  /** Bytes of the archive file read so far, of its size on disk. */
  onBytes?: (done: number, total: number) => void;
}

export interface ReadArchiveOptions extends ArchiveOptions {
  /** Which files to read; the others are skipped without being kept. Default: all. */
  wanted?: (entry: ArchiveEntryInfo) => boolean;
}

/** The archive format a file name suggests, or null when it does not name an archive. */
export function archiveFormatOf(filePath: string): ArchiveFormat | null {
  const lower = filePath.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar')) return 'tar';
  if (lower.endsWith('.zip')) return 'zip';
  return null;
}

/** Yields the regular files of an archive (paths and sizes, not bytes); stopping early reads no further. */
export async function* archiveEntries(
  filePath: string,
  options: ArchiveOptions = {},
): AsyncGenerator<ArchiveEntryInfo> {
  for await (const entry of walk(filePath, { ...options, wanted: () => false })) {
    yield { path: entry.path, size: entry.size };
  }
}

/** Lists the regular files of an archive (sizes included) without keeping their bytes. */
export async function listArchive(
  filePath: string,
  options: ArchiveOptions = {},
): Promise<ArchiveEntryInfo[]> {
  const files: ArchiveEntryInfo[] = [];
  for await (const entry of archiveEntries(filePath, options)) files.push(entry);
  return files;
}

/** Yields the wanted files of an archive with their bytes, one at a time, in archive order. */
export async function* readArchive(
  filePath: string,
  options: ReadArchiveOptions = {},
): AsyncGenerator<ArchiveFile> {
  const wanted = options.wanted ?? (() => true);
  for await (const entry of walk(filePath, { ...options, wanted })) {
    if (entry.data) yield { path: entry.path, size: entry.size, data: entry.data };
  }
}

/**
 * Unpacks the wanted files of an archive under `targetDir` (links are not created) and returns how
 * many were written. Every path is checked to stay inside `targetDir`.
 */
export async function extractArchive(
  filePath: string,
  targetDir: string,
  options: ReadArchiveOptions = {},
): Promise<number> {
  const root = resolve(targetDir);
  let written = 0;
  for await (const file of readArchive(filePath, options)) {
    const destination = resolve(join(root, file.path));
    // safeEntryPath already refuses `..`; this second check guards against any path it missed.
    if (!destination.startsWith(root + sep)) {
      throw new ImageImportError(
        `The archive ${basename(filePath)} was refused because "${file.path}" leaves the target folder.`,
      );
    }
    await mkdir(dirname(destination), { recursive: true });
    await writeFile(destination, file.data);
    written++;
  }
  return written;
}

async function* walk(
  filePath: string,
  options: ReadArchiveOptions & { wanted: WalkOptions['wanted'] },
): AsyncGenerator<WalkedEntry> {
  const name = basename(filePath);
  const format = await sniffFormat(filePath);
  const walkOptions: WalkOptions = {
    wanted: options.wanted,
    limits: { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits },
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  };
  const entries =
    format === 'zip' ? walkZip(filePath, walkOptions) : walkTar(filePath, format === 'tar.gz', walkOptions);
  let files = 0;
  for await (const entry of entries) {
    files++;
    yield entry;
  }
  if (files === 0) {
    throw new ImageImportError(
      `The archive ${name} contains no files; check that you chose the right archive.`,
    );
  }
}

/** Decides the format from the file's first bytes, so that a renamed archive still opens. */
async function sniffFormat(filePath: string): Promise<ArchiveFormat> {
  const name = basename(filePath);
  let size: number;
  try {
    size = (await stat(filePath)).size;
  } catch {
    throw new ImageImportError(
      `The archive ${filePath} could not be opened; check that it exists and that you may read it.`,
    );
  }
  if (size === 0)
    throw new ImageImportError(`The archive ${name} is empty (0 bytes); download or create it again.`);
  const head = Buffer.alloc(512);
  const handle = await open(filePath, 'r');
  try {
    await handle.read(head, 0, 512, 0);
  } finally {
    await handle.close();
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05)) return 'zip';
  if (head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  const byName = archiveFormatOf(filePath);
  if (byName === 'tar') return 'tar';
  throw new ImageImportError(
    `${name} is not a .tar, .tar.gz or .zip archive (or it is damaged); choose an archive in one of those formats.`,
  );
}
