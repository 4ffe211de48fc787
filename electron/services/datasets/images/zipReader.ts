import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import { safeEntryPath } from './archivePath';
import type { WalkOptions, WalkedEntry } from './archiveTypes';
import { tooLarge, tooManyEntries, totalTooLarge } from './archiveErrors';
import { ImageImportError } from './errors';

const inflateRawAsync = promisify(inflateRaw);

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const HOST_UNIX = 3;

interface CentralEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  isSymlink: boolean;
}

/**
 * Walks a zip file's entries in central-directory order, reading each wanted entry with positional
 * reads so that only one entry is ever in memory (zip64 included).
 */
export async function* walkZip(filePath: string, options: WalkOptions): AsyncGenerator<WalkedEntry> {
  const name = basename(filePath);
  const handle = await open(filePath, 'r');
  try {
    const fileSize = (await handle.stat()).size;
    const entries = await readCentralDirectory(handle, fileSize, name, options.limits.maxEntries);
    let inflatedTotal = 0;
    let readBytes = 0;
    for (const entry of entries) {
      options.signal?.throwIfAborted();
      const path = safeEntryPath(entry.name, name);
      if (entry.name.endsWith('/') || entry.isSymlink || path === '') continue;
      const info = { path, size: entry.size };
      if (!options.wanted(info)) {
        yield { ...info, data: null };
        continue;
      }
      if (entry.size > options.limits.maxEntryBytes || entry.compressedSize > options.limits.maxEntryBytes) {
        throw tooLarge(entry.name, name, options.limits.maxEntryBytes);
      }
      inflatedTotal += entry.size;
      if (inflatedTotal > options.limits.maxTotalBytes)
        throw totalTooLarge(name, options.limits.maxTotalBytes);
      const data = await readEntry(handle, entry, name);
      readBytes += entry.compressedSize;
      options.onBytes?.(Math.min(readBytes, fileSize), fileSize);
      yield { ...info, data };
    }
    options.onBytes?.(fileSize, fileSize);
  } finally {
    await handle.close();
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return bytesRead === length ? buffer : buffer.subarray(0, bytesRead);
}

async function readCentralDirectory(
  handle: FileHandle,
  fileSize: number,
  name: string,
  maxEntries: number,
): Promise<CentralEntry[]> {
  // The end record is 22 bytes plus a comment of at most 65,535 bytes, at the very end of the file.
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tail = await readAt(handle, fileSize - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged(name);
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locatorAt = fileSize - tailLength + eocd - 20;
    const locator = locatorAt >= 0 ? await readAt(handle, locatorAt, 20) : Buffer.alloc(0);
    if (locator.length < 20 || locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) throw damaged(name);
    const record = await readAt(handle, Number(locator.readBigUInt64LE(8)), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw damaged(name);
    count = Number(record.readBigUInt64LE(32));
    cdSize = Number(record.readBigUInt64LE(40));
    cdOffset = Number(record.readBigUInt64LE(48));
  }
  if (count > maxEntries) throw tooManyEntries(name, maxEntries);
  if (cdOffset + cdSize > fileSize) throw damaged(name);
  const cd = await readAt(handle, cdOffset, cdSize);
  const entries: CentralEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw damaged(name);
    const madeBy = cd.readUInt16LE(at + 4);
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    const externalAttributes = cd.readUInt32LE(at + 38);
    let compressedSize = cd.readUInt32LE(at + 20);
    let size = cd.readUInt32LE(at + 24);
    let localOffset = cd.readUInt32LE(at + 42);
    const extra = cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    // Zip64 keeps the real values, in this order, for the fields whose 32-bit slot is saturated.
    for (let e = 0; e + 4 <= extra.length;) {
      const id = extra.readUInt16LE(e);
      const length = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let f = e + 4;
        const next = (): number => {
          const value = f + 8 <= e + 4 + length ? Number(extra.readBigUInt64LE(f)) : 0;
          f += 8;
          return value;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      e += 4 + length;
    }
    entries.push({
      name: cd.toString('utf8', at + 46, at + 46 + nameLength),
      method: cd.readUInt16LE(at + 10),
      flags: cd.readUInt16LE(at + 8),
      compressedSize,
      size,
      localOffset,
      isSymlink: madeBy >> 8 === HOST_UNIX && ((externalAttributes >>> 16) & S_IFMT) === S_IFLNK,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function readEntry(handle: FileHandle, entry: CentralEntry, name: string): Promise<Uint8Array> {
  if (entry.flags & 1) {
    throw new ImageImportError(
      `The file "${entry.name}" in ${name} is encrypted; unpack the archive with a zip tool and choose the folder instead.`,
    );
  }
  const header = await readAt(handle, entry.localOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw damaged(name);
  const dataStart = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const compressed = await readAt(handle, dataStart, entry.compressedSize);
  if (compressed.length < entry.compressedSize) throw damaged(name);
  switch (entry.method) {
    case 0:
      if (entry.compressedSize !== entry.size) throw damaged(name);
      return compressed;
    case 8:
      try {
        // The declared size bounds the output, so an entry cannot inflate past what it claims.
        const data = await inflateRawAsync(compressed, { maxOutputLength: Math.max(1, entry.size) });
        if (data.length !== entry.size) throw damaged(name);
        return data;
      } catch (error) {
        if (error instanceof ImageImportError) throw error;
        throw damaged(name);
      }
    default:
      throw new ImageImportError(
        `The file "${entry.name}" in ${name} uses a zip compression method (${entry.method}) that is not supported; re-create the archive with standard (deflate) compression.`,
      );
  }
}

function damaged(name: string): ImageImportError {
  return new ImageImportError(`${name} is not a valid zip file or is damaged; download or create it again.`);
}
