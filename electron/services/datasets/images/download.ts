import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImageDataset } from '../../../../shared/data/types';
import type { CifarImportOptions } from './cifarBinary';
import { importCifarBinaryArchiveInWorker } from './importInWorker';
import { phaseReporter, type ProgressListener } from './progress';

/** Why a download failed; each kind has its own message for the user. */
export type DownloadErrorKind = 'address' | 'http' | 'network' | 'incomplete' | 'checksum' | 'cancelled';

/** A download that failed; `message` is meant for the user, `kind` for code. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    readonly kind: DownloadErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface DownloadProgress {
  done: number;
  /** Null when the server does not say how big the file is and no size was expected. */
  total: number | null;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /** Lower-case hex digests; the file is refused (and not kept) when one does not match. */
  expectedSha256?: string;
  expectedMd5?: string;
  expectedBytes?: number;
  signal?: AbortSignal;
  /** Give up when the server sends nothing for this long. Default 60 s. */
  idleTimeoutMs?: number;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  md5: string;
}

const MAX_REDIRECTS = 5;

/**
 * Downloads `url` to `destPath` over http(s), reporting progress. The bytes go to a temporary file
 * next to `destPath`, renamed into place only once complete and checked, so `destPath` never holds a
 * partial or damaged file.
 */
export async function downloadFile(
  url: string,
  destPath: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  options.signal?.throwIfAborted();
  await mkdir(dirname(destPath), { recursive: true });
  const temporary = join(dirname(destPath), `.${basename(destPath)}.${process.pid}.${Date.now()}.part`);
  try {
    const response = await request(url, options, MAX_REDIRECTS);
    const declared = Number(response.headers['content-length']);
    const total = Number.isFinite(declared) && declared >= 0 ? declared : (options.expectedBytes ?? null);
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    let done = 0;
    options.onProgress?.({ done, total });
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        done += chunk.length;
        sha256.update(chunk);
        md5.update(chunk);
        options.onProgress?.({ done, total });
        callback(null, chunk);
      },
    });
    let closedEarly = false;
    response.on('aborted', () => (closedEarly = true));
    await pipeline(
      response,
      meter,
      createWriteStream(temporary),
      options.signal ? { signal: options.signal } : {},
    );
    if (closedEarly || (Number.isFinite(declared) && done !== declared)) throw incomplete(url);
    if (options.expectedBytes !== undefined && done !== options.expectedBytes) {
      throw new DownloadError(
        'checksum',
        `The file downloaded from ${url} has ${done.toLocaleString('en-US')} bytes instead of the expected ${options.expectedBytes.toLocaleString('en-US')}; the file on the server has changed or the download is damaged, so check the address and try again.`,
      );
    }
    const result = { path: destPath, bytes: done, sha256: sha256.digest('hex'), md5: md5.digest('hex') };
    checkDigest(url, 'SHA-256', options.expectedSha256, result.sha256);
    checkDigest(url, 'MD5', options.expectedMd5, result.md5);
    await rename(temporary, destPath);
    return result;
  } catch (error) {
    await rm(temporary, { force: true });
    throw asDownloadError(error, url, options.signal);
  }
}

function checkDigest(url: string, algorithm: string, expected: string | undefined, actual: string): void {
  if (expected === undefined || expected.toLowerCase() === actual) return;
  throw new DownloadError(
    'checksum',
    `The file downloaded from ${url} does not match its ${algorithm} checksum (expected ${expected.toLowerCase()}, got ${actual}); the download is damaged or the file has changed, so try again.`,
  );
}

async function request(
  url: string,
  options: DownloadOptions,
  redirectsLeft: number,
): Promise<IncomingMessage> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DownloadError('address', `"${url}" is not a web address; enter one that starts with https://.`);
  }
  const client = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : null;
  if (!client) {
    throw new DownloadError(
      'address',
      `"${url}" is not an http or https address; enter one that starts with https://.`,
    );
  }
  return new Promise((resolve, reject) => {
    const req = client.get(
      parsed,
      {
        headers: { 'user-agent': 'neural-workbench' },
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location) {
          response.resume();
          if (redirectsLeft === 0) {
            reject(new DownloadError('http', `${url} redirects too many times; check the address.`, status));
            return;
          }
          resolve(request(new URL(location, parsed).toString(), options, redirectsLeft - 1));
          return;
        }
        if (status < 200 || status >= 300) {
          response.resume();
          const what = status === 404 ? 'was not found on the server' : `was refused by the server`;
          reject(
            new DownloadError(
              'http',
              `The file at ${url} ${what} (HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}); check the address.`,
              status,
            ),
          );
          return;
        }
        resolve(response);
      },
    );
    req.setTimeout(options.idleTimeoutMs ?? 60_000, () => {
      req.destroy(
        new DownloadError(
          'network',
          `The server at ${parsed.host} stopped responding; check your connection and try again.`,
        ),
      );
    });
    req.on('error', reject);
  });
}

function incomplete(url: string): DownloadError {
  return new DownloadError(
    'incomplete',
    `The connection closed before the download from ${url} finished; try again.`,
  );
}

function asDownloadError(error: unknown, url: string, signal: AbortSignal | undefined): DownloadError {
  if (error instanceof DownloadError) return error;
  if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) {
    return new DownloadError('cancelled', 'The download was cancelled.');
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') return incomplete(url);
  if (code === 'ENOSPC')
    return new DownloadError('network', 'The disk is full; free some space and try again.');
  const host = URL.canParse(url) ? new URL(url).host : url;
  return new DownloadError(
    'network',
    `Could not download from ${host}${code ? ` (${code})` : ''}; check your internet connection and the address.`,
  );
}

/** Where the CIFAR-10 binary version is published, and its published MD5. */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
export const CIFAR10_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';
export const CIFAR10_ARCHIVE_NAME = 'cifar-10-binary.tar.gz';

export interface Cifar10DownloadOptions {
  /** The folder the archive is kept in. */
  destDir: string;
  /** Another copy of `cifar-10-binary.tar.gz` (a mirror); the official one by default. */
  url?: string;
  /** Checksums for a custom URL; the official URL is always checked against its published MD5. */
  expectedMd5?: string;
  expectedSha256?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Decodes the archive; by default on a worker thread, so the caller's event loop keeps turning. */
  importArchive?: (archivePath: string, options: CifarImportOptions) => Promise<ImageDataset>;
}

/** The checksums a CIFAR-10 download is held to: the published MD5 for the official URL. */
export function cifar10Checksums(
  options: Pick<Cifar10DownloadOptions, 'url' | 'expectedMd5' | 'expectedSha256'>,
): {
  md5?: string;
  sha256?: string;
} {
  const official = (options.url ?? CIFAR10_URL) === CIFAR10_URL;
  const md5 = options.expectedMd5 ?? (official ? CIFAR10_MD5 : undefined);
  return { ...(md5 ? { md5 } : {}), ...(options.expectedSha256 ? { sha256: options.expectedSha256 } : {}) };
}

/**
 * The "Download CIFAR-10" action: fetches the binary version (reusing a copy already in `destDir`
 * that passes the checksum), checks it and imports it.
 */
export async function downloadCifar10(
  options: Cifar10DownloadOptions,
): Promise<{ archivePath: string; dataset: ImageDataset }> {
  const url = options.url ?? CIFAR10_URL;
  const archivePath = join(options.destDir, CIFAR10_ARCHIVE_NAME);
  const checksums = cifar10Checksums(options);
  if (!(await existingCopyMatches(archivePath, checksums))) {
    let report: ((done: number) => void) | null = null;
    await downloadFile(url, archivePath, {
      ...(checksums.md5 ? { expectedMd5: checksums.md5 } : {}),
      ...(checksums.sha256 ? { expectedSha256: checksums.sha256 } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: ({ done, total }) => {
        report ??= phaseReporter(options.onProgress, 'downloading', total);
        report(done);
      },
    });
  }
  const importArchive = options.importArchive ?? importCifarBinaryArchiveInWorker;
  const dataset = await importArchive(archivePath, {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { archivePath, dataset };
}

/** A copy is reused only when a checksum vouches for it. */
async function existingCopyMatches(
  path: string,
  checksums: { md5?: string; sha256?: string },
): Promise<boolean> {
  if (!checksums.md5 && !checksums.sha256) return false;
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) {
      md5.update(chunk as Buffer);
      sha256.update(chunk as Buffer);
    }
  } catch {
    return false;
  }
  return (
    (!checksums.md5 || md5.digest('hex') === checksums.md5.toLowerCase()) &&
    (!checksums.sha256 || sha256.digest('hex') === checksums.sha256.toLowerCase())
  );
}
