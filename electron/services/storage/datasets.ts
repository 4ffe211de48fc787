import { gunzipSync, gzipSync } from 'node:zlib';
import type { ImageDataset, ImageSet, TableInfo } from '../../../shared/data/types';
import { bytesContentHash, imageContentHash, int32Bytes } from './contentHash';
import { StorageError } from './errors';
import { checkName } from './names';
import { sql, type Context } from './statements';
import type { DatasetInput, DatasetPayload, DatasetRecord, ImageDatasetStats } from './types';

/** SQLite's default limit on one value is 1,000,000,000 bytes. */
export const MAX_BLOB_BYTES = 1_000_000_000;

interface DatasetRow {
  id: number;
  name: string;
  kind: 'tabular' | 'image';
  origin: string;
  content_hash: string;
  row_count: number;
  table_json: string | null;
  image_stats_json: string | null;
  class_names: string | null;
  byte_size: number;
  created_at: string;
}

interface PayloadRow {
  table_gz: Buffer | null;
  train_pixels: Buffer | null;
  train_labels: Buffer | null;
  test_pixels: Buffer | null;
  test_labels: Buffer | null;
}

const METADATA_COLUMNS =
  'id, name, kind, origin, content_hash, row_count, table_json, image_stats_json, class_names, byte_size, created_at';

function toDataset(row: DatasetRow): DatasetRecord {
  const base = {
    id: row.id,
    name: row.name,
    origin: row.origin,
    contentHash: row.content_hash,
    rowCount: row.row_count,
    classNames: row.class_names === null ? null : (JSON.parse(row.class_names) as string[]),
    byteSize: row.byte_size,
    createdAt: row.created_at,
  };
  switch (row.kind) {
    case 'tabular':
      return { ...base, kind: 'tabular', table: JSON.parse(row.table_json ?? 'null') as TableInfo };
    case 'image':
      return {
        ...base,
        kind: 'image',
        image: JSON.parse(row.image_stats_json ?? 'null') as ImageDatasetStats,
      };
  }
}

export function listDatasets({ db }: Context): DatasetRecord[] {
  const rows = sql(db, `SELECT ${METADATA_COLUMNS} FROM datasets ORDER BY id`).all() as DatasetRow[];
  return rows.map(toDataset);
}

export function getDataset({ db }: Context, id: number): DatasetRecord | undefined {
  const row = sql(db, `SELECT ${METADATA_COLUMNS} FROM datasets WHERE id = ?`).get(id) as
    DatasetRow | undefined;
  return row && toDataset(row);
}

export function findDatasetByHash({ db }: Context, contentHash: string): DatasetRecord | undefined {
  const row = sql(db, `SELECT ${METADATA_COLUMNS} FROM datasets WHERE content_hash = ?`).get(contentHash) as
    DatasetRow | undefined;
  return row && toDataset(row);
}

/** A copy aligned for Int32Array (a blob's bytes may start anywhere). */
function int32From(bytes: Buffer): Int32Array {
  return new Int32Array(new Uint8Array(bytes).buffer);
}

function view(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function getDatasetPayload(ctx: Context, id: number): DatasetPayload | undefined {
  const dataset = getDataset(ctx, id);
  if (!dataset) return undefined;
  const row = sql(ctx.db, 'SELECT * FROM dataset_payloads WHERE dataset_id = ?').get(id) as
    PayloadRow | undefined;
  const damaged = () =>
    new StorageError(
      'damaged',
      `The data of dataset "${dataset.name}" is missing from the database: import it again.`,
    );
  if (!row) throw damaged();
  switch (dataset.kind) {
    case 'tabular':
      if (!row.table_gz) throw damaged();
      return { kind: 'tabular', bytes: view(gunzipSync(row.table_gz)) };
    case 'image': {
      const { width, height, channels, trainCount, testCount } = dataset.image;
      const set = (pixels: Buffer | null, labels: Buffer | null, count: number): ImageSet => {
        if (!pixels || !labels) throw damaged();
        return { width, height, channels, count, pixels: view(pixels), labels: int32From(labels) };
      };
      const image: ImageDataset = {
        classNames: dataset.classNames ?? [],
        train: set(row.train_pixels, row.train_labels, trainCount),
        test: row.test_pixels ? set(row.test_pixels, row.test_labels, testCount) : null,
        skipped: [],
      };
      return { kind: 'image', dataset: image };
    }
  }
}

function invalid(message: string): StorageError {
  return new StorageError('invalid-input', message);
}

function checkImageSet(set: ImageSet, which: string, classCount: number, like: ImageSet | null): number[] {
  const dims = [set.width, set.height, set.channels, set.count];
  if (!dims.every((n) => Number.isInteger(n) && n >= 0) || set.width < 1 || set.height < 1) {
    throw invalid(`The ${which} images have an impossible size: import them again.`);
  }
  if (set.channels !== 1 && set.channels !== 3 && set.channels !== 4) {
    throw invalid(
      `The ${which} images have ${set.channels} channels: only 1 (grey), 3 (RGB) or 4 (RGBA) are supported.`,
    );
  }
  if (like && (like.width !== set.width || like.height !== set.height || like.channels !== set.channels)) {
    throw invalid(
      'The test images differ in size or channels from the training images: import them at one size.',
    );
  }
  if (
    set.pixels.length !== set.count * set.width * set.height * set.channels ||
    set.labels.length !== set.count
  ) {
    throw invalid(`The ${which} images do not match their count of ${set.count}: import them again.`);
  }
  const counts = new Array<number>(classCount).fill(0);
  for (const label of set.labels) {
    if (label < 0 || label >= classCount) {
      throw invalid(
        `A ${which} image has label ${label}, but there are ${classCount} classes: import them again.`,
      );
    }
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

function checkBlob(bytes: Uint8Array, what: string): Uint8Array {
  if (bytes.byteLength > MAX_BLOB_BYTES) {
    throw invalid(
      `The ${what} is ${Math.ceil(bytes.byteLength / 1e6)} MB, over the 1000 MB one dataset part may hold: use a smaller dataset.`,
    );
  }
  return bytes;
}

/** The rows to insert for an input, or a StorageError if the input is inconsistent. */
function prepare(input: DatasetInput): {
  hash: string;
  rowCount: number;
  tableJson: string | null;
  statsJson: string | null;
  classNames: string[] | null;
  dims: { width: number; height: number; channels: number; trainCount: number; testCount: number } | null;
  payload: PayloadRow;
} {
  switch (input.kind) {
    case 'tabular': {
      const tableGz = checkBlob(gzipSync(input.bytes), 'compressed table');
      if (!Number.isInteger(input.table.rows) || input.table.rows < 0)
        throw invalid('The table has no valid row count.');
      return {
        hash: bytesContentHash(input.bytes),
        rowCount: input.table.rows,
        tableJson: JSON.stringify(input.table),
        statsJson: null,
        classNames: input.classNames ?? null,
        dims: null,
        payload: {
          table_gz: Buffer.from(tableGz),
          train_pixels: null,
          train_labels: null,
          test_pixels: null,
          test_labels: null,
        },
      };
    }
    case 'image': {
      const { classNames, train, test, skipped } = input.dataset;
      if (classNames.length < 1) throw invalid('An image dataset needs at least one class.');
      const trainClassCounts = checkImageSet(train, 'training', classNames.length, null);
      const testClassCounts = test ? checkImageSet(test, 'test', classNames.length, train) : [];
      const stats: ImageDatasetStats = {
        width: train.width,
        height: train.height,
        channels: train.channels,
        trainCount: train.count,
        testCount: test?.count ?? 0,
        trainClassCounts,
        testClassCounts,
        skipped: skipped.length,
      };
      const blob = (bytes: Uint8Array, what: string) => {
        checkBlob(bytes, what);
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      };
      return {
        hash: imageContentHash(input.dataset),
        rowCount: train.count + (test?.count ?? 0),
        tableJson: null,
        statsJson: JSON.stringify(stats),
        classNames,
        dims: {
          width: train.width,
          height: train.height,
          channels: train.channels,
          trainCount: train.count,
          testCount: test?.count ?? 0,
        },
        payload: {
          table_gz: null,
          train_pixels: blob(train.pixels, 'training images'),
          train_labels: blob(int32Bytes(train.labels), 'training labels'),
          test_pixels: test ? blob(test.pixels, 'test images') : null,
          test_labels: test ? blob(int32Bytes(test.labels), 'test labels') : null,
        },
      };
    }
  }
}

export function addDataset(ctx: Context, input: DatasetInput): { dataset: DatasetRecord; existing: boolean } {
  const name = checkName(input.name, 'dataset');
  const prepared = prepare(input);
  return ctx.db.transaction(() => {
    const found = findDatasetByHash(ctx, prepared.hash);
    if (found) return { dataset: found, existing: true };
    const { payload, dims } = prepared;
    const byteSize = [
      payload.table_gz,
      payload.train_pixels,
      payload.train_labels,
      payload.test_pixels,
      payload.test_labels,
    ]
      .map((b) => b?.byteLength ?? 0)
      .reduce((a, b) => a + b, 0);
    const info = sql(
      ctx.db,
      `INSERT INTO datasets (name, kind, origin, content_hash, row_count, table_json, image_stats_json, class_names,
         width, height, channels, train_count, test_count, byte_size, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      name,
      input.kind,
      input.origin,
      prepared.hash,
      prepared.rowCount,
      prepared.tableJson,
      prepared.statsJson,
      prepared.classNames && JSON.stringify(prepared.classNames),
      dims?.width ?? null,
      dims?.height ?? null,
      dims?.channels ?? null,
      dims?.trainCount ?? null,
      dims?.testCount ?? null,
      byteSize,
      ctx.now(),
    );
    const id = Number(info.lastInsertRowid);
    sql(
      ctx.db,
      `INSERT INTO dataset_payloads (dataset_id, table_gz, train_pixels, train_labels, test_pixels, test_labels)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      payload.table_gz,
      payload.train_pixels,
      payload.train_labels,
      payload.test_pixels,
      payload.test_labels,
    );
    return { dataset: requireDataset(ctx, id), existing: false };
  })();
}

function requireDataset(ctx: Context, id: number): DatasetRecord {
  const dataset = getDataset(ctx, id);
  if (!dataset)
    throw new StorageError('not-found', `There is no dataset with id ${id}: it may have been deleted.`);
  return dataset;
}

export function renameDataset(ctx: Context, id: number, newName: string): DatasetRecord {
  const name = checkName(newName, 'dataset');
  return ctx.db.transaction(() => {
    requireDataset(ctx, id);
    sql(ctx.db, 'UPDATE datasets SET name = ? WHERE id = ?').run(name, id);
    return requireDataset(ctx, id);
  })();
}

export function deleteDataset(ctx: Context, id: number): void {
  ctx.db.transaction(() => {
    requireDataset(ctx, id);
    // Its payload goes with it; runs that used it keep their history (ON DELETE SET NULL).
    sql(ctx.db, 'DELETE FROM datasets WHERE id = ?').run(id);
  })();
}
