import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ImageDataset } from '../../../../shared/data/types';
import { appRoot } from '../../paths';
import { DataError } from '../csv';
import { importCifarBinaryArchive, type CifarImportOptions } from './cifarBinary';
import { ImageImportError } from './errors';
import { importImageDataset, type ImageImportOptions, type ImportedImages } from './index';
import type { EncodedImportError, ImportJob, ImportWorkerMessage } from './importWorker';
import type { ProgressListener } from './progress';

/** Imports an image dataset the way `importImageDataset` does; the host picks in-process or a worker. */
export type ImageImporter = (
  source: string,
  options?: ImageImportOptions,
  onProgress?: ProgressListener,
  signal?: AbortSignal,
) => Promise<ImportedImages>;

/** The bundled import worker (built by `npm run build`). */
export function imageImportWorkerPath(): string {
  return join(appRoot(), 'dist-electron', 'imageImport.cjs');
}

/**
 * `importImageDataset` on a worker thread, so that decoding never blocks the caller's event loop:
 * same result, same progress events, and the same error classes and messages. Runs in-process when
 * the worker bundle is not built (running from the sources).
 */
export async function importImageDatasetInWorker(
  source: string,
  options: ImageImportOptions = {},
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<ImportedImages> {
  const entry = imageImportWorkerPath();
  if (!existsSync(entry)) return importImageDataset(source, options, onProgress, signal);
  return runImportWorker(entry, { kind: 'dataset', path: source, options }, onProgress, signal);
}

/** `importCifarBinaryArchive` on a worker thread, with the same in-process fallback. */
export async function importCifarBinaryArchiveInWorker(
  archivePath: string,
  options: CifarImportOptions = {},
): Promise<ImageDataset> {
  const entry = imageImportWorkerPath();
  if (!existsSync(entry)) return importCifarBinaryArchive(archivePath, options);
  const job: ImportJob = {
    kind: 'cifar-binary-archive',
    path: archivePath,
    ...(options.archiveLimits ? { archiveLimits: options.archiveLimits } : {}),
  };
  return (await runImportWorker(entry, job, options.onProgress, options.signal)).dataset;
}

/** Runs one job on its own worker, relaying progress; the worker is ended however the job ends. */
function runImportWorker(
  entry: string,
  job: ImportJob,
  onProgress: ProgressListener | undefined,
  signal: AbortSignal | undefined,
): Promise<ImportedImages> {
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    // No inherited flags (a TypeScript loader, --inspect): the bundle is plain CommonJS.
    const worker = new Worker(entry, { workerData: job, execArgv: [] });
    let settled = false;
    const settle = (outcome: { result: ImportedImages } | { error: unknown }) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if ('result' in outcome) resolve(outcome.result);
      else reject(outcome.error);
    };
    const onAbort = () => settle({ error: signal?.reason });
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: ImportWorkerMessage) => {
      switch (message.type) {
        case 'progress':
          try {
            onProgress?.(message.progress);
          } catch (error) {
            // As in-process, a listener that throws ends the import with its error.
            settle({ error });
          }
          return;
        case 'done':
          settle({ result: message.result });
          return;
        case 'failed':
          settle({ error: decodeImportError(message.error) });
          return;
      }
    });
    worker.on('error', (error) => settle({ error }));
    worker.on('messageerror', (error) => settle({ error }));
    worker.on('exit', (code) =>
      settle({ error: new Error(`The image import worker exited (code ${code}) before it finished.`) }),
    );
  });
}

/** Rebuilds the error the worker threw as the same class, so callers can tell user errors from bugs. */
export function decodeImportError(encoded: EncodedImportError): Error {
  switch (encoded.class) {
    case 'ImageImportError':
      return new ImageImportError(encoded.message);
    case 'DataError':
      return new DataError(encoded.code, encoded.message);
    case 'AbortError':
      return new DOMException(encoded.message, 'AbortError');
    case 'other': {
      const Builtin = BUILTIN_ERRORS.get(encoded.name);
      const error: Error & { code?: string } = new (Builtin ?? Error)(encoded.message);
      if (!Builtin) error.name = encoded.name;
      if (encoded.code !== undefined) error.code = encoded.code;
      // The worker's stack says where it failed; this thread's would only point here.
      if (encoded.stack) error.stack = encoded.stack;
      return error;
    }
  }
}

const BUILTIN_ERRORS = new Map<string, ErrorConstructor>([
  ['Error', Error],
  ['RangeError', RangeError],
  ['TypeError', TypeError],
  ['SyntaxError', SyntaxError],
  ['ReferenceError', ReferenceError],
]);
