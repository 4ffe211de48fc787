import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../datasets/csv';
import { downloadCifar10 } from '../datasets/images/download';
import type { ImportProgress } from '../datasets/images';
import {
  importImagesIntoStorage,
  misclassifiedImages,
  resolveImageDataset,
  sampleImages,
} from '../imageDatasets';
import { baseFileName, fileBytes, stem } from './files';
import type { HandlerDeps, HandlerGroup } from './types';

export function imageHandlers({
  storage,
  emit,
}: HandlerDeps): HandlerGroup<'datasets:importImages' | 'datasets:samples' | 'runs:misclassified'> {
  const progress = (p: ImportProgress) =>
    emit?.({ type: 'dataset:progress', phase: p.phase, done: p.done, total: p.total });
  return {
    'datasets:importImages': async ({ source, size, channels, pixelCsv }) => {
      const options = {
        ...(size ? { size } : {}),
        ...(channels ? { channels } : {}),
        ...(pixelCsv ? { csv: pixelCsv } : {}),
      };
      switch (source.kind) {
        case 'upload': {
          // The importers read files: the upload goes to a private temporary folder, removed afterwards.
          const dir = mkdtempSync(join(tmpdir(), 'nwb-import-'));
          const name = baseFileName(source.fileName);
          try {
            const path = join(dir, name);
            writeFileSync(path, fileBytes(source));
            return await importImagesIntoStorage(
              storage,
              path,
              { name: stem(name), origin: name },
              options,
              progress,
            );
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }
        case 'builtin':
          return (
            await resolveImageDataset(
              storage,
              { kind: 'builtin', name: source.name },
              {
                ...(size ? { imageSize: size } : {}),
                ...(channels ? { channels } : {}),
                ...(pixelCsv ? { pixelCsv } : {}),
              },
              progress,
            )
          ).record;
        case 'download': {
          const dir = mkdtempSync(join(tmpdir(), 'nwb-cifar-'));
          try {
            const { dataset } = await downloadCifar10({
              destDir: dir,
              ...(source.url ? { url: source.url } : {}),
              onProgress: progress,
            });
            return storage.addDataset({
              kind: 'image',
              name: 'CIFAR-10',
              origin: source.url ?? 'CIFAR-10 download',
              dataset,
            }).dataset;
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }
      }
    },
    'datasets:samples': async ({ source, count, seed, augmentation, pixelCsv }) => {
      const { dataset } = await resolveImageDataset(storage, source, pixelCsv ? { pixelCsv } : {}, progress);
      return sampleImages(dataset, { count, seed, augmentation });
    },
    'runs:misclassified': async ({ runId, limit }) => {
      const run = storage.getRun(runId);
      if (!run) throw new DataError('bad-spec', `There is no run ${runId}.`);
      const predictions = storage.getRunPredictions(runId);
      const spec = run.document.data;
      if (!predictions || !spec || spec.format !== 'images') {
        throw new DataError(
          'bad-spec',
          'Only finished runs of image projects have a gallery of misclassified images.',
        );
      }
      const source = spec.source;
      const { dataset } = await resolveImageDataset(storage, source, spec, progress);
      return misclassifiedImages(dataset, run.document, predictions, limit);
    },
  };
}
