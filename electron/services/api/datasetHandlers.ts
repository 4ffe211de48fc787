import { DataError, MAX_FILE_BYTES, decodeText, parseCsv } from '../datasets/csv';
import type { DatasetPreviews } from './datasetPreviews';
import { baseFileName, fileBytes, stem } from './files';
import type { HandlerDeps, HandlerGroup } from './types';

export function datasetHandlers(
  { storage }: HandlerDeps,
  previews: DatasetPreviews,
): HandlerGroup<'datasets:list' | 'datasets:preview' | 'datasets:importCsv'> {
  return {
    'datasets:list': async () => ({ builtin: await previews.builtin(), stored: storage.listDatasets() }),
    'datasets:preview': async ({ source }) => previews.preview(source),
    'datasets:importCsv': async (file) => {
      const name = baseFileName(file.fileName);
      const bytes = fileBytes(file);
      if (bytes.byteLength > MAX_FILE_BYTES) {
        throw new DataError(
          'too-large',
          `'${name}' is more than the ${MAX_FILE_BYTES / (1024 * 1024)} MiB a CSV import can hold: use a smaller sample of it.`,
        );
      }
      const table = parseCsv(decodeText(bytes, name));
      return storage.addDataset({ kind: 'tabular', name: stem(name), origin: name, bytes, table: table.info })
        .dataset;
    },
  };
}
