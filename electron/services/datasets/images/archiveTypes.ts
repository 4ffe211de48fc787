/** Caps that keep a hostile or damaged archive (a "zip bomb") from exhausting memory or disk. */
export interface ArchiveLimits {
  /** Largest single file read into memory. */
  maxEntryBytes: number;
  /** Most bytes decompressed from one archive, all entries together. */
  maxTotalBytes: number;
  /** Most entries (files, folders, links) in one archive. */
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntryBytes: 512 * 1024 ** 2,
  maxTotalBytes: 16 * 1024 ** 3,
  maxEntries: 5_000_000,
};

/** A regular file inside an archive; `path` is relative, `/`-separated and already checked as safe. */
export interface ArchiveEntryInfo {
  path: string;
  size: number;
}

/** An entry as the readers walk it: its bytes when the caller asked for them, null otherwise. */
export interface WalkedEntry extends ArchiveEntryInfo {
  data: Uint8Array | null;
}

export interface WalkOptions {
  /** Whether to read this entry's bytes; entries not wanted are skipped without keeping them. */
  wanted: (entry: ArchiveEntryInfo) => boolean;
  limits: ArchiveLimits;
  signal?: AbortSignal;
  /** Bytes of the archive file read so far, of its size on disk. */
  onBytes?: (done: number, total: number) => void;
}
