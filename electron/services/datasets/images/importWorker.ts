// The image importer on a worker thread (bundled to dist-electron/imageImport.cjs): JPEG and PNG
// decoding is synchronous, so the host's main thread hands imports here to keep its event loop free.
import * as workerThreads from 'node:worker_threads';
import type { ImageDataset } from '../../../../shared/data/types';
import { DataError, type DataErrorCode } from '../csv';
import { importCifarBinaryArchive } from './cifarBinary';
import { ImageImportError } from './errors';
import { importImageDataset, type ImageImportOptions, type ImportedImages } from './index';
import type { ArchiveLimits } from './archiveTypes';
import type { ImportProgress } from './progress';

/** What the worker is asked to import (its workerData). */
export type ImportJob =
  | { kind: 'dataset'; path: string; options: ImageImportOptions }
  | { kind: 'cifar-binary-archive'; path: string; archiveLimits?: Partial<ArchiveLimits> };

/** An error as it crosses the thread boundary: enough to rethrow the same class with the same message. */
export type EncodedImportError =
  | { class: 'ImageImportError'; message: string }
  | { class: 'DataError'; code: DataErrorCode; message: string }
  | { class: 'AbortError'; message: string }
  | { class: 'other'; name: string; message: string; code?: string; stack?: string };

/** Messages the worker posts: progress (any number), then exactly one of done or failed. */
export type ImportWorkerMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; result: ImportedImages }
  | { type: 'failed'; error: EncodedImportError };

/** Turns a thrown value into its message form, keeping the class and code the host rethrows. */
export function encodeImportError(error: unknown): EncodedImportError {
  if (error instanceof ImageImportError) return { class: 'ImageImportError', message: error.message };
  if (error instanceof DataError) return { class: 'DataError', code: error.code, message: error.message };
  if (error instanceof Error || error instanceof DOMException) {
    if (error.name === 'AbortError') return { class: 'AbortError', message: error.message };
    const code = (error as { code?: unknown }).code;
    return {
      class: 'other',
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { class: 'other', name: 'Error', message: String(error) };
}

/** The ArrayBuffers behind a dataset's pixels and labels, each once, that may be moved to another thread. */
export function transferableBuffers(dataset: ImageDataset): ArrayBuffer[] {
  // Node 21+ refuses buffers marked untransferable (its shared pool of small Buffers); Node 20 copies them.
  const untransferable = (workerThreads as { isMarkedAsUntransferable?: (o: object) => boolean })
    .isMarkedAsUntransferable;
  const buffers = new Set<ArrayBuffer>();
  for (const set of [dataset.train, dataset.test]) {
    if (!set) continue;
    for (const view of [set.pixels, set.labels]) {
      if (view.buffer instanceof ArrayBuffer && !untransferable?.(view.buffer)) buffers.add(view.buffer);
    }
  }
  return [...buffers];
}

async function runJob(
  job: ImportJob,
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportedImages> {
  switch (job.kind) {
    case 'dataset':
      return importImageDataset(job.path, job.options, onProgress);
    case 'cifar-binary-archive':
      return {
        format: 'cifar-binary-archive',
        dataset: await importCifarBinaryArchive(job.path, {
          onProgress,
          ...(job.archiveLimits ? { archiveLimits: job.archiveLimits } : {}),
        }),
      };
  }
}

async function main(port: workerThreads.MessagePort): Promise<void> {
  const post = (message: ImportWorkerMessage, transfer: ArrayBuffer[] = []) =>
    port.postMessage(message, transfer);
  try {
    const result = await runJob(workerThreads.workerData as ImportJob, (progress) =>
      post({ type: 'progress', progress }),
    );
    try {
      // Moving the buffers hands the pixels over without copying them (or turning them into JSON).
      post({ type: 'done', result }, transferableBuffers(result.dataset));
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'DataCloneError')) throw error;
      post({ type: 'done', result });
    }
  } catch (error) {
    post({ type: 'failed', error: encodeImportError(error) });
  }
}

// Only as a worker: a module importing this one for its types starts nothing.
if (!workerThreads.isMainThread && workerThreads.parentPort) void main(workerThreads.parentPort);
