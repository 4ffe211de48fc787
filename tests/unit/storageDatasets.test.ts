import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  bytesContentHash,
  imageContentHash,
  openStorage,
  openStorageReadOnly,
} from '../../electron/services/storage';
import { presetDocument, sampleImages, tempDbPath, wineCsv } from '../fixtures/storage/samples';
import { refusalCode, removeTempDirsAfterAll } from './storageSetup';

removeTempDirsAfterAll();

describe('tabular datasets', () => {
  it('stores the original file compressed, with its schema, and gives it back byte for byte', () => {
    const path = tempDbPath();
    const storage = openStorage(path);
    const input = wineCsv(200);
    const { dataset, existing } = storage.addDataset(input);
    expect(existing).toBe(false);
    expect(dataset).toMatchObject({
      kind: 'tabular',
      name: 'Wine sample',
      origin: '/home/teacher/wine.csv',
      contentHash: bytesContentHash(input.bytes),
      rowCount: 200,
      classNames: ['red', 'white'],
      table: input.table,
    });
    expect(dataset.byteSize).toBeGreaterThan(0);
    expect(dataset.byteSize).toBeLessThan(input.bytes.byteLength);
    const payload = storage.getDatasetPayload(dataset.id);
    expect(payload?.kind).toBe('tabular');
    expect(payload?.kind === 'tabular' && Buffer.from(payload.bytes).equals(Buffer.from(input.bytes))).toBe(
      true,
    );
    expect(storage.getDatasetPayload(999)).toBeUndefined();
    storage.close();
  });

  it('returns the dataset already stored when the same content comes again', () => {
    const storage = openStorage(tempDbPath());
    const first = storage.addDataset(wineCsv());
    const again = storage.addDataset({
      ...wineCsv(),
      name: 'Same file, other name',
      origin: '/elsewhere/w.csv',
    });
    expect(again).toEqual({ dataset: first.dataset, existing: true });
    expect(storage.findDatasetByHash(first.dataset.contentHash)?.id).toBe(first.dataset.id);
    const other = storage.addDataset(wineCsv(41));
    expect(other.existing).toBe(false);
    expect(storage.listDatasets().map((d) => d.id)).toEqual([first.dataset.id, other.dataset.id]);
    storage.close();
  });

  it('lists metadata only, and renames and deletes (runs that used it keep their history)', () => {
    const storage = openStorage(tempDbPath());
    const { dataset } = storage.addDataset(wineCsv());
    const listed = storage.listDatasets()[0] as unknown as Record<string, unknown>;
    expect(Object.keys(listed)).not.toContain('bytes');
    expect(storage.renameDataset(dataset.id, 'Wine (first 40)').name).toBe('Wine (first 40)');
    const doc = presetDocument('wine-type-ann');
    const project = storage.createProject(doc);
    const run = storage.createRun({ projectId: project.id, document: doc, datasetId: dataset.id });
    storage.deleteDataset(dataset.id);
    expect(storage.getDataset(dataset.id)).toBeUndefined();
    expect(storage.getRun(run.id)?.datasetId).toBeNull();
    expect(refusalCode(() => storage.deleteDataset(dataset.id))).toBe('not-found');
    storage.close();
  });
});

describe('image datasets', () => {
  it('stores pixels and labels of both sets and gives them back, typed', () => {
    const path = tempDbPath();
    const storage = openStorage(path);
    const images = sampleImages();
    const { dataset } = storage.addDataset({
      kind: 'image',
      name: 'Pets',
      origin: 'https://example.org/pets.tgz',
      dataset: images,
    });
    expect(dataset).toMatchObject({
      kind: 'image',
      rowCount: 15,
      classNames: ['cat', 'dog', 'frog'],
      contentHash: imageContentHash(images),
      image: {
        width: 4,
        height: 3,
        channels: 3,
        trainCount: 10,
        testCount: 5,
        trainClassCounts: [3, 4, 3],
        skipped: 1,
      },
    });
    storage.close();

    // The trainer reads it back over a read-only connection.
    const reader = openStorageReadOnly(path);
    const payload = reader.getDatasetPayload(dataset.id);
    if (payload?.kind !== 'image') throw new Error('expected images');
    const { train, test, classNames } = payload.dataset;
    expect(classNames).toEqual(images.classNames);
    expect(train.labels).toBeInstanceOf(Int32Array);
    expect(Array.from(train.labels)).toEqual(Array.from(images.train.labels));
    expect(Buffer.from(train.pixels).equals(Buffer.from(images.train.pixels))).toBe(true);
    expect(test && Array.from(test.labels)).toEqual(Array.from(images.test!.labels));
    expect(test && Buffer.from(test.pixels).equals(Buffer.from(images.test!.pixels))).toBe(true);
    expect(imageContentHash(payload.dataset)).toBe(dataset.contentHash);
    reader.close();
  });

  it('keeps a missing test set missing, and tells datasets apart by their content', () => {
    const storage = openStorage(tempDbPath());
    const noTest = storage.addDataset({
      kind: 'image',
      name: 'A',
      origin: 'a',
      dataset: sampleImages({ withTest: false }),
    });
    const payload = storage.getDatasetPayload(noTest.dataset.id);
    expect(payload?.kind === 'image' && payload.dataset.test).toBeNull();
    const otherPixels = storage.addDataset({
      kind: 'image',
      name: 'B',
      origin: 'b',
      dataset: sampleImages({ seed: 2 }),
    });
    expect(otherPixels.existing).toBe(false);
    const renamedClasses = sampleImages({ withTest: false });
    renamedClasses.classNames = ['kitten', 'puppy', 'tadpole'];
    expect(
      storage.addDataset({ kind: 'image', name: 'C', origin: 'c', dataset: renamedClasses }).existing,
    ).toBe(false);
    storage.close();
  });

  it('refuses inconsistent images before writing anything', () => {
    const path = tempDbPath();
    const storage = openStorage(path);
    const badLabel = sampleImages();
    badLabel.train.labels[0] = 7;
    expect(
      refusalCode(() => storage.addDataset({ kind: 'image', name: 'x', origin: 'x', dataset: badLabel })),
    ).toBe('invalid-input');
    const short = sampleImages();
    short.train = { ...short.train, pixels: short.train.pixels.subarray(1) };
    expect(
      refusalCode(() => storage.addDataset({ kind: 'image', name: 'x', origin: 'x', dataset: short })),
    ).toBe('invalid-input');
    const mismatch = sampleImages();
    mismatch.test = { ...mismatch.test!, width: 2, pixels: new Uint8Array(5 * 2 * 3 * 3) };
    expect(
      refusalCode(() => storage.addDataset({ kind: 'image', name: 'x', origin: 'x', dataset: mismatch })),
    ).toBe('invalid-input');
    storage.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM datasets').get()).toEqual({ n: 0 });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM dataset_payloads').get()).toEqual({ n: 0 });
    raw.close();
  });
});
