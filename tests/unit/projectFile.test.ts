import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PROJECT_FILE_FORMAT,
  ProjectFileError,
  exportProject,
  importProjectFile,
  readProjectFile,
  type ProjectFileErrorCode,
} from '../../electron/services/projectFile';
import { openStorage, type Storage } from '../../electron/services/storage';
import type { ProjectDocument } from '../../shared/graph/document';
import { parseProjectDocument } from '../../shared/graph/migrations';
import {
  binaryTestMetrics,
  presetDocument,
  sampleImages,
  sampleModel,
  tempDbPath,
  wineCsv,
  withStoredDataset,
  removeTempDirs,
} from '../fixtures/storage/samples';

afterAll(removeTempDirs);

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** A database holding a wine project on a stored dataset, with a completed, a failed and a running run. */
function sourceStorage(): { storage: Storage; projectId: number; datasetId: number; runIds: number[] } {
  const storage = openStorage(tempDbPath());
  const { dataset } = storage.addDataset(wineCsv());
  const document = withStoredDataset(presetDocument('wine-type-ann'), dataset.id);
  const project = storage.createProject(document);
  storage.saveProject(project.id, { ...document, description: 'For the class of 2026' }, { version: true });

  const completed = storage.createRun({
    projectId: project.id,
    document,
    datasetId: dataset.id,
    status: 'running',
  });
  storage.startRun(completed.id, { backend: 'wasm', params: 897 });
  storage.addEpoch(completed.id, {
    epoch: 1,
    metrics: { loss: 0.6, val_loss: NaN },
    learningRate: 0.001,
    seconds: 0.5,
  });
  storage.addEpoch(completed.id, {
    epoch: 2,
    metrics: { loss: 0.3, val_loss: 0.35 },
    learningRate: 0.001,
    seconds: 0.5,
  });
  storage.finishRun(completed.id, {
    status: 'completed',
    test: binaryTestMetrics(0.96),
    bestEpoch: 2,
    backend: 'wasm',
    params: 897,
    predictions: { yTrue: [0, 1], yPred: [0.2, 0.9] },
    model: { artifacts: sampleModel(5), preprocessing: { standardization: { mean: [1], std: [2] } } },
  });
  const sgd = { ...document, training: { ...document.training, optimizer: 'sgd' as const } };
  const failed = storage.createRun({
    projectId: project.id,
    document: sgd,
    datasetId: dataset.id,
    status: 'running',
  });
  storage.failRun(failed.id, { message: 'The loss became NaN in epoch 1: lower the learning rate.' });
  storage.createRun({ projectId: project.id, document, datasetId: dataset.id, status: 'running' });
  return { storage, projectId: project.id, datasetId: dataset.id, runIds: [completed.id, failed.id] };
}

/** Everything a failed import must leave untouched. */
function counts(storage: Storage) {
  return {
    projects: storage.listProjects().length,
    datasets: storage.listDatasets().length,
    runs: storage.countRuns(),
    versions: storage.listProjects().reduce((n, p) => n + storage.listVersions(p.id).length, 0),
  };
}

function withoutSource(document: ProjectDocument): unknown {
  return { ...document, data: document.data && { ...document.data, source: null } };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Repacks edited parts with a manifest whose sizes and hashes match them, so deeper checks are reached. */
function repack(
  files: Record<string, Uint8Array>,
  editManifest: (manifest: Record<string, unknown>) => void = () => undefined,
): Uint8Array {
  const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as {
    contents: { files: Record<string, { size: number; sha256: string }> };
  } & Record<string, unknown>;
  manifest.contents.files = Object.fromEntries(
    Object.entries(files)
      .filter(([name]) => name !== 'manifest.json')
      .map(([name, bytes]) => [name, { size: bytes.byteLength, sha256: sha256(bytes) }]),
  );
  editManifest(manifest);
  return zipSync({ ...files, 'manifest.json': strToU8(JSON.stringify(manifest)) });
}

function refusal(fn: () => unknown): ProjectFileError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProjectFileError);
    const message = (error as Error).message;
    // One sentence for the user.
    expect(message).toMatch(/^[A-Z].*\.$/);
    expect(message).not.toContain('\n');
    return error as ProjectFileError;
  }
  throw new Error('expected a ProjectFileError');
}

describe('exporting and importing a project file', () => {
  it('round-trips the document, dataset, runs, epochs and weights into another database', () => {
    const { storage, projectId, datasetId, runIds } = sourceStorage();
    const bytes = exportProject(storage, projectId, {
      includeDataset: 'embed',
      includeRuns: true,
      includeModels: true,
    });
    const parts = unzipSync(bytes);
    const manifest = JSON.parse(strFromU8(parts['manifest.json']!)) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      format: PROJECT_FILE_FORMAT,
      version: 1,
      app: { name: 'Neural Workbench', version: '0.1.0' },
      contents: { dataset: 'embedded', runs: 2, models: true },
    });
    expect(Object.keys(parts).sort()).toEqual([
      'dataset/dataset.json',
      'dataset/table',
      'manifest.json',
      'project.json',
      'runs/1/epochs.json',
      'runs/1/model.json',
      'runs/1/run.json',
      'runs/1/weights.bin',
      'runs/2/epochs.json',
      'runs/2/run.json',
    ]);

    const target = openStorage(tempDbPath());
    target.addDataset({ ...wineCsv(10), name: 'Something else first' });
    const result = importProjectFile(target, bytes);
    expect(result.name).toBe('Wine type ANN');
    expect(result.runIds).toHaveLength(2);

    const original = storage.getProject(projectId)!;
    const imported = target.getProject(result.projectId)!;
    expect(withoutSource(imported.document)).toEqual(withoutSource(original.document));
    expect(imported.document.data?.source).toEqual({ kind: 'stored', id: String(result.datasetId) });

    const sourceDataset = storage.getDataset(datasetId)!;
    const copiedDataset = target.getDataset(result.datasetId!)!;
    expect(copiedDataset.contentHash).toBe(sourceDataset.contentHash);
    expect({ ...copiedDataset, id: 0, createdAt: '' }).toEqual({ ...sourceDataset, id: 0, createdAt: '' });
    const before = storage.getDatasetPayload(datasetId);
    const after = target.getDatasetPayload(result.datasetId!);
    expect(
      before?.kind === 'tabular' &&
        after?.kind === 'tabular' &&
        Buffer.from(after.bytes).equals(Buffer.from(before.bytes)),
    ).toBe(true);

    runIds.forEach((sourceId, i) => {
      const targetId = result.runIds[i]!;
      const a = storage.getRun(sourceId)!;
      const b = target.getRun(targetId)!;
      const comparable = (run: typeof a) => ({
        ...run,
        id: 0,
        projectId: 0,
        datasetId: run.datasetId === null ? null : 0,
        document: withoutSource(run.document),
      });
      expect(comparable(b)).toEqual(comparable(a));
      expect(b.datasetId).toBe(result.datasetId);
      expect(target.getRunEpochs(targetId)).toEqual(storage.getRunEpochs(sourceId));
      expect(target.getRunPredictions(targetId)).toEqual(storage.getRunPredictions(sourceId));
    });
    const [firstSource, firstTarget] = [runIds[0]!, result.runIds[0]!];
    const modelA = storage.getRunModel(firstSource)!;
    const modelB = target.getRunModel(firstTarget)!;
    expect(Buffer.from(modelB.artifacts.weightData).equals(Buffer.from(modelA.artifacts.weightData))).toBe(
      true,
    );
    expect({ ...modelB, artifacts: { ...modelB.artifacts, weightData: null } }).toEqual({
      ...modelA,
      artifacts: { ...modelA.artifacts, weightData: null },
    });
    expect(target.getRunEpochs(firstTarget)[0]?.metrics.val_loss).toBeNaN();
    storage.close();
    target.close();
  });

  it('imports into the same database as "Name (2)", reusing the stored dataset', () => {
    const { storage, projectId, datasetId } = sourceStorage();
    const bytes = exportProject(storage, projectId, { includeRuns: true });
    const first = importProjectFile(storage, bytes);
    const second = importProjectFile(storage, bytes, { name: 'Wine type ANN' });
    expect([first.name, second.name]).toEqual(['Wine type ANN (2)', 'Wine type ANN (3)']);
    expect([first.datasetId, second.datasetId]).toEqual([datasetId, datasetId]);
    expect(storage.listDatasets()).toHaveLength(1);
    expect(storage.getProject(first.projectId)?.document.data?.source).toEqual({
      kind: 'stored',
      id: String(datasetId),
    });
    // Runs came without models (not asked for).
    expect(first.runIds.map((id) => storage.getRun(id)?.hasModel)).toEqual([false, false]);
    expect(storage.listVersions(first.projectId).map((v) => v.note)).toEqual([
      'Imported from a project file',
    ]);
    expect(importProjectFile(storage, bytes, { name: 'For students' }).name).toBe('For students');
    storage.close();
  });

  it('round-trips an image dataset with and without a test set', () => {
    for (const withTest of [true, false]) {
      const storage = openStorage(tempDbPath());
      const images = sampleImages({ withTest });
      const { dataset } = storage.addDataset({
        kind: 'image',
        name: 'Pets',
        origin: '/data/pets',
        dataset: images,
      });
      const project = storage.createProject(withStoredDataset(presetDocument('wine-type-ann'), dataset.id), {
        name: 'Pets',
      });
      const bytes = exportProject(storage, project.id);
      const target = openStorage(tempDbPath());
      const result = importProjectFile(target, bytes);
      const copied = target.getDataset(result.datasetId!)!;
      expect(copied.contentHash).toBe(dataset.contentHash);
      const payload = target.getDatasetPayload(copied.id);
      if (payload?.kind !== 'image') throw new Error('expected images');
      expect(Array.from(payload.dataset.train.labels)).toEqual(Array.from(images.train.labels));
      expect(Buffer.from(payload.dataset.train.pixels).equals(Buffer.from(images.train.pixels))).toBe(true);
      expect(payload.dataset.test === null).toBe(!withTest);
      storage.close();
      target.close();
    }
  });

  it('shares a dataset by reference: linked where it is already stored, reported missing where not', () => {
    const { storage, projectId } = sourceStorage();
    const bytes = exportProject(storage, projectId, { includeDataset: 'reference' });
    const parts = unzipSync(bytes);
    expect(Object.keys(parts).sort()).toEqual(['dataset/dataset.json', 'manifest.json', 'project.json']);

    const empty = openStorage(tempDbPath());
    const missing = importProjectFile(empty, bytes);
    expect(missing.datasetId).toBeUndefined();
    expect(missing.datasetMissing).toMatchObject({ name: 'Wine sample', origin: '/home/teacher/wine.csv' });
    expect(empty.getProject(missing.projectId)?.document.data?.source).toEqual({
      kind: 'file',
      path: '/home/teacher/wine.csv',
    });
    expect(empty.listDatasets()).toEqual([]);

    const student = openStorage(tempDbPath());
    const { dataset } = student.addDataset({ ...wineCsv(), name: 'My copy of the wine data' });
    const linked = importProjectFile(student, bytes);
    expect(linked.datasetId).toBe(dataset.id);
    expect(linked.datasetMissing).toBeUndefined();
    storage.close();
    empty.close();
    student.close();
  });

  it('leaves the dataset out when asked, pointing the document at where the data came from', () => {
    const { storage, projectId } = sourceStorage();
    const bytes = exportProject(storage, projectId, { includeDataset: 'none' });
    expect(Object.keys(unzipSync(bytes)).sort()).toEqual(['manifest.json', 'project.json']);
    const parsed = readProjectFile(bytes);
    expect(parsed.document.data?.source).toEqual({ kind: 'file', path: '/home/teacher/wine.csv' });
    expect(parsed.runs).toEqual([]);
    storage.close();
  });

  it('imports every preset as a plain project document', () => {
    const storage = openStorage(tempDbPath());
    const dir = join(repo, 'resources/presets');
    const presets = readdirSync(dir).filter((name) => name.endsWith('.json'));
    expect(presets.length).toBeGreaterThan(0);
    for (const name of presets) {
      const bytes = readFileSync(join(dir, name));
      const expected = parseProjectDocument(JSON.parse(bytes.toString('utf8')));
      if (!expected.ok) throw new Error(expected.message);
      const result = importProjectFile(storage, bytes);
      expect(storage.getProject(result.projectId)?.document).toEqual(expected.document);
      expect(result.runIds).toEqual([]);
    }
    storage.close();
  });

  it('reads the version-1 fixture file made by an earlier build', () => {
    const storage = openStorage(tempDbPath());
    const result = importProjectFile(storage, readFileSync(join(repo, 'tests/fixtures/nwb/wine-v1.nwb')));
    expect(storage.getProject(result.projectId)?.name).toBe('Wine type ANN');
    expect(storage.getDataset(result.datasetId!)?.rowCount).toBe(40);
    expect(result.runIds).toHaveLength(2);
    expect(storage.getRunEpochs(result.runIds[0]!)).toHaveLength(2);
    expect(storage.getRunModel(result.runIds[0]!)?.artifacts.weightSpecs).toHaveLength(2);
    storage.close();
  });
});

describe('refusing bad project files', () => {
  const { storage: source, projectId } = sourceStorage();
  const good = exportProject(source, projectId, { includeRuns: true, includeModels: true });
  const goodParts = unzipSync(good);
  source.close();

  function expectRefused(bytes: Uint8Array, code: ProjectFileErrorCode, message?: RegExp, limits?: object) {
    const storage = openStorage(tempDbPath());
    storage.createProject(presetDocument('wine-type-ann'));
    const before = counts(storage);
    const error = refusal(() => importProjectFile(storage, bytes, { limits }));
    expect(error.code).toBe(code);
    if (message) expect(error.message).toMatch(message);
    expect(counts(storage)).toEqual(before);
    storage.close();
  }

  it('refuses a truncated file', () => {
    expectRefused(good.subarray(0, Math.floor(good.length / 2)), 'damaged', /damaged or incomplete/);
    expectRefused(good.subarray(0, good.length - 10), 'damaged', /damaged or incomplete/);
  });

  it('refuses a corrupt file', () => {
    // Flip bytes inside the compressed table: either it no longer inflates or its checksum fails.
    const corrupt = new Uint8Array(good);
    const at = Buffer.from(good).indexOf('dataset/table') + 200;
    for (let i = at; i < at + 64; i++) corrupt[i] = corrupt[i]! ^ 0x5a;
    expectRefused(corrupt, 'damaged');
    // A part changed after export, manifest left as it was.
    expectRefused(
      zipSync({ ...goodParts, 'dataset/table': strToU8('type,alcohol\nred,9\n') }),
      'damaged',
      /checksum/,
    );
  });

  it('refuses a file of another format', () => {
    expectRefused(
      zipSync({ 'word/document.xml': strToU8('<w:document/>') }),
      'not-project-file',
      /zip file is not a Neural Workbench/,
    );
    expectRefused(
      zipSync({ 'manifest.json': strToU8(JSON.stringify({ format: 'something-else', version: 1 })) }),
      'not-project-file',
    );
    expectRefused(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
      'not-project-file',
    );
    expectRefused(strToU8('type,alcohol\nred,9\n'), 'not-project-file');
    expectRefused(strToU8('{"hello": "world"}'), 'invalid', /not a Neural Workbench project/);
  });

  it('refuses a future or unknown format version', () => {
    const future = repack(goodParts, (m) => {
      m.version = 2;
      m.contents = { novel: true };
    });
    expectRefused(
      future,
      'too-new',
      /newer Neural Workbench \(file format version 2; this app reads version 1\): update the app/,
    );
    expectRefused(
      repack(goodParts, (m) => (m.version = 0)),
      'damaged',
      /no valid format version/,
    );
    expectRefused(
      repack(goodParts, (m) => (m.version = '1')),
      'damaged',
      /no valid format version/,
    );
    const futureDocument = { ...JSON.parse(strFromU8(goodParts['project.json']!)), version: 9 };
    expectRefused(
      repack({ ...goodParts, 'project.json': strToU8(JSON.stringify(futureDocument)) }),
      'invalid',
      /newer Neural Workbench/,
    );
  });

  it('refuses malformed parts', () => {
    expectRefused(
      repack({ ...goodParts, 'project.json': strToU8('{"format": ') }),
      'damaged',
      /project\.json is not valid JSON/,
    );
    const noGraph = { ...JSON.parse(strFromU8(goodParts['project.json']!)), graph: { nodes: 'none' } };
    expectRefused(
      repack({ ...goodParts, 'project.json': strToU8(JSON.stringify(noGraph)) }),
      'invalid',
      /damaged at graph\.nodes/,
    );
    const badRun = { ...JSON.parse(strFromU8(goodParts['runs/1/run.json']!)), status: 'exploded' };
    expectRefused(
      repack({ ...goodParts, 'runs/1/run.json': strToU8(JSON.stringify(badRun)) }),
      'damaged',
      /runs\/1\/run\.json/,
    );
    expectRefused(
      repack({ ...goodParts, 'runs/1/weights.bin': new Uint8Array(12) }),
      'damaged',
      /does not match its model/,
    );
    expectRefused(
      repack({ ...goodParts, 'dataset/table': strToU8('other,data\n') }),
      'damaged',
      /dataset does not match/,
    );
    expectRefused(
      zipSync({ ...goodParts, 'runs/9/run.json': strToU8('{}') }),
      'damaged',
      /not listed in its manifest/,
    );
    const { ['runs/2/epochs.json']: _dropped, ...missingPart } = goodParts;
    expectRefused(repack(missingPart), 'damaged', /"runs\/2\/epochs\.json" is missing/);
    const stored = repack(
      { ...goodParts },
      (m) => ((m.contents as Record<string, unknown>).dataset = 'none'),
    );
    expectRefused(stored, 'no-dataset', /dataset kept in another Neural Workbench database/);
  });

  it('refuses oversized files from their directory, before inflating them', () => {
    expectRefused(good, 'too-large', /unpacks to more than/, { maxTotalBytes: 1000 });
    expectRefused(good, 'too-large', /more than 3 parts/, { maxEntries: 3 });
    expectRefused(good, 'too-large', /part "/, { maxJsonBytes: 100 });
    // A zip that claims a 4 GB part: refused on the claim, with the default limits.
    const lying = new Uint8Array(good);
    const view = Buffer.from(lying.buffer);
    const central = view.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    view.writeUInt32LE(0xfffffff0, central + 24);
    expectRefused(lying, 'too-large');
  });

  it('writes nothing when the import fails halfway through writing', () => {
    // Valid to the schemas, but epoch 1 twice only fails when the run is written, after the project.
    const epochs = JSON.parse(strFromU8(goodParts['runs/2/epochs.json']!)) as unknown[];
    const twice = [
      { epoch: 1, metrics: { loss: 1 }, learningRate: 0.001, seconds: 1 },
      { epoch: 1, metrics: { loss: 2 }, learningRate: 0.001, seconds: 1 },
      ...epochs,
    ];
    const bytes = repack({ ...goodParts, 'runs/2/epochs.json': strToU8(JSON.stringify(twice)) });
    const storage = openStorage(tempDbPath());
    const before = counts(storage);
    expect(() => importProjectFile(storage, bytes)).toThrow(/epoch 1 twice/);
    expect(counts(storage)).toEqual(before);
    storage.close();
  });
});
