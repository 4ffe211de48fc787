import type { ExampleRow } from '../../../shared/api/contract';
import { createRng } from '../../../shared/data/random';
import type { ImageSet } from '../../../shared/data/types';
import type { ProjectDocument } from '../../../shared/graph';
import { splitImages } from '../../trainer/imageData';
import { dataLocationFor } from '../dataLocation';
import { DataError, decodeText, parseCsv, parseNumber, readCsvFile, type ParsedTable } from '../datasets/csv';
import { splitSizes } from '../datasets/prepareTabular';
import { resolveImageDataset } from '../imageDatasets';
import type { Storage } from '../storage';

/** A run's test split as its trainer drew it: table rows by index (in test order), or the test images. */
export type RunTestSet =
  | { kind: 'tabular'; table: ParsedTable; rows: Int32Array }
  | { kind: 'image'; set: ImageSet; classNames: string[] };

/**
 * The rows prepareTabular holds out for testing: like sklearn's ShuffleSplit, the first `testCount`
 * of a seeded shuffle (tests/unit/predictHandlers.test.ts checks it against the trainer's own split).
 */
function testRows(n: number, testFraction: number, splitSeed: number): Int32Array {
  const { testCount } = splitSizes(n, testFraction);
  const order = createRng(splitSeed).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  return order.subarray(0, testCount);
}

async function tableOf(storage: Storage, document: ProjectDocument): Promise<ParsedTable> {
  const location = dataLocationFor(document, { dbPath: storage.path });
  switch (location.kind) {
    case 'csv':
      return readCsvFile(location.path);
    case 'stored': {
      const payload = storage.getDatasetPayload(location.datasetId);
      if (!payload || payload.kind !== 'tabular') {
        throw new DataError(
          'bad-spec',
          'The dataset this run trained on is no longer in the app, so its test rows cannot be shown.',
        );
      }
      return parseCsv(decodeText(payload.bytes));
    }
    case 'images':
      throw new DataError('bad-spec', 'This run trained on images, not on a table.');
  }
}

/** Reads the data a finished run trained on and splits it exactly as its trainer did; a DataError when it is gone. */
export async function runTestSet(storage: Storage, document: ProjectDocument): Promise<RunTestSet> {
  const spec = document.data;
  if (!spec) throw new DataError('bad-spec', 'This run has no dataset.');
  if (spec.format === 'images') {
    const { dataset } = await resolveImageDataset(storage, spec.source, spec);
    return { kind: 'image', set: splitImages(dataset, spec).test, classNames: dataset.classNames };
  }
  const table = await tableOf(storage, document);
  return { kind: 'tabular', table, rows: testRows(table.rows.length, spec.testFraction, spec.splitSeed) };
}

/** Test rows `offset`… of a tabular run as raw feature values (in `features` order) with their true target. */
export function exampleRows(
  test: Extract<RunTestSet, { kind: 'tabular' }>,
  features: readonly string[],
  targetName: string,
  offset: number,
  count: number,
): ExampleRow[] {
  const { header, rows, rowLines } = test.table;
  const columns = features.map((f) => header.indexOf(f));
  const target = header.indexOf(targetName);
  const examples: ExampleRow[] = [];
  for (let i = offset; i < Math.min(test.rows.length, offset + count); i++) {
    const r = test.rows[i]!;
    const cells = rows[r]!;
    const values = columns.map((c) => (c < 0 ? null : parseNumber(cells[c] ?? '')));
    // A row the model could not have trained on (the file changed since) is not offered as an example.
    if (values.some((v) => v === null)) continue;
    examples.push({
      testIndex: i,
      line: rowLines[r]!,
      values: values as number[],
      actual: (cells[target] ?? '').trim(),
    });
  }
  return examples;
}
