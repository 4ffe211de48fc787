import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract, type Extract } from 'tar-stream';
import { safeEntryPath } from './archivePath';
import { tooLarge, tooManyEntries, totalTooLarge } from './archiveErrors';
import type { WalkOptions, WalkedEntry } from './archiveTypes';
import { ImageImportError } from './errors';

/**
 * Streams a `.tar` or `.tar.gz` file entry by entry: the archive is never unpacked to disk and only
 * wanted entries are kept in memory, one at a time. Links and special files are ignored.
 */
export async function* walkTar(
  filePath: string,
  gzipped: boolean,
  options: WalkOptions,
): AsyncGenerator<WalkedEntry> {
  const name = basename(filePath);
  const fileSize = (await stat(filePath)).size;
  const { limits } = options;
  const source = createReadStream(filePath, { highWaterMark: 1 << 20 });
  const extract = tarExtract();
  let failure: unknown = null;
  const fail = (error: unknown): void => {
    failure ??= error;
    extract.destroy(error instanceof Error ? error : new Error(String(error)));
  };

  let readBytes = 0;
  source.on('data', (chunk) => {
    readBytes += chunk.length;
    options.onBytes?.(readBytes, fileSize);
  });
  let unpacked = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      unpacked += chunk.length;
      if (unpacked > limits.maxTotalBytes) callback(totalTooLarge(name, limits.maxTotalBytes));
      else callback(null, chunk);
    },
  });
  source.on('error', fail);
  limiter.on('error', fail);
  if (gzipped) {
    const gunzip = createGunzip();
    gunzip.on('error', (error) => fail(notValid(name, 'gzip', error)));
    source.pipe(gunzip).pipe(limiter);
  } else {
    source.pipe(limiter);
  }
  limiter.pipe(extract);
  const onAbort = (): void => fail(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let entries = 0;
  try {
    for await (const entry of extract) {
      if (++entries > limits.maxEntries) throw tooManyEntries(name, limits.maxEntries);
      const header = entry.header;
      const type = header.type ?? 'file';
      if (type !== 'file' && type !== 'contiguous-file' && type !== 'directory') {
        entry.resume();
        continue;
      }
      const path = safeEntryPath(header.name, name);
      if (type === 'directory' || path === '') {
        entry.resume();
        continue;
      }
      const info = { path, size: header.size ?? 0 };
      if (!options.wanted(info)) {
        entry.resume();
        yield { ...info, data: null };
        continue;
      }
      if (info.size > limits.maxEntryBytes) throw tooLarge(header.name, name, limits.maxEntryBytes);
      yield { ...info, data: await readEntry(entry, info.size) };
    }
  } catch (error) {
    throw failure ?? asImportError(error, name);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    source.destroy();
  }
  if (failure) throw failure;
  if (readBytes !== fileSize) options.onBytes?.(fileSize, fileSize);
}

type TarEntry = Extract extends AsyncIterable<infer T> ? T : never;

async function readEntry(entry: TarEntry, size: number): Promise<Uint8Array> {
  const data = new Uint8Array(size);
  let at = 0;
  for await (const chunk of entry as AsyncIterable<Uint8Array>) {
    data.set(chunk, at);
    at += chunk.length;
  }
  return data;
}

function asImportError(error: unknown, name: string): unknown {
  if (error instanceof ImageImportError || (error instanceof Error && error.name === 'AbortError'))
    return error;
  return notValid(name, 'tar', error);
}

function notValid(name: string, format: 'gzip' | 'tar', error: unknown): ImageImportError {
  const detail = error instanceof Error ? error.message : String(error);
  return new ImageImportError(
    `${name} is not a valid ${format === 'gzip' ? '.tar.gz' : '.tar'} archive or is damaged (${detail}); download or create it again.`,
  );
}
