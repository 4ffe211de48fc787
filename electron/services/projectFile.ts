import { createHash } from 'node:crypto';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { z } from 'zod';
import packageJson from '../../package.json';
import type { ImageDataset, ImageSet } from '../../shared/data/types';
import type { DatasetSource, ProjectDocument } from '../../shared/graph/document';
import { parseProjectDocument } from '../../shared/graph/migrations';
import {
  WEIGHT_DTYPE_BYTES,
  bytesContentHash,
  decodeJson,
  encodeJson,
  epochRecordSchema,
  imageContentHash,
  imageStatsSchema,
  predictionsSchema,
  tableInfoSchema,
  testMetricsSchema,
  weightSpecSchema,
  type DatasetInput,
  type DatasetRecord,
  type EpochRecord,
  type RunImport,
  type RunModel,
  type Storage,
  type StorageReader,
} from './storage';

/**
 * The `.nwb` project file: a zip of `manifest.json`, `project.json` (the document), optionally
 * `dataset/` (the stored dataset, or only its description when shared by reference) and `runs/<n>/`
 * (run record, epochs, model). The manifest lists every other part with its size and sha256, so a
 * damaged or tampered part is refused before anything is written.
 */
export const PROJECT_FILE_FORMAT = 'neural-workbench/project-file';
export const PROJECT_FILE_VERSION = 1;

/** How much a project file may unpack to; checked on the zip's directory before anything is inflated. */
export interface ProjectFileLimits {
  maxEntries: number;
  /** All parts together, uncompressed. */
  maxTotalBytes: number;
  /** One part, uncompressed (SQLite holds at most 1,000,000,000 bytes in one value). */
  maxEntryBytes: number;
  /** One JSON part, and a bare document file. */
  maxJsonBytes: number;
}

export const DEFAULT_PROJECT_FILE_LIMITS: ProjectFileLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 2 * 1024 ** 3,
  maxEntryBytes: 1_000_000_000,
  maxJsonBytes: 64 * 1024 ** 2,
};

export type ProjectFileErrorCode =
  'not-project-file' | 'damaged' | 'too-new' | 'too-large' | 'invalid' | 'no-dataset';

/** A project file that cannot be exported or imported; `message` is one sentence meant for the user. */
export class ProjectFileError extends Error {
  override readonly name = 'ProjectFileError';
  constructor(
    readonly code: ProjectFileErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// ---- the parts ----

const MANIFEST = 'manifest.json';
const PROJECT = 'project.json';
const DATASET_META = 'dataset/dataset.json';
const TABLE = 'dataset/table';
const IMAGE_PARTS = {
  trainPixels: 'dataset/train-pixels.bin',
  trainLabels: 'dataset/train-labels.bin',
  testPixels: 'dataset/test-pixels.bin',
  testLabels: 'dataset/test-labels.bin',
} as const;
const runPart = (n: number, file: 'run.json' | 'epochs.json' | 'model.json' | 'weights.bin') =>
  `runs/${n}/${file}`;
const PART_NAME =
  /^(project\.json|dataset\/(dataset\.json|table|(train|test)-(pixels|labels)\.bin)|runs\/[1-9][0-9]{0,5}\/(run\.json|epochs\.json|model\.json|weights\.bin))$/;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const timestamp = z.iso.datetime();

const manifestSchema = z.object({
  format: z.literal(PROJECT_FILE_FORMAT),
  version: z.literal(PROJECT_FILE_VERSION),
  app: z.object({ name: z.string().max(200), version: z.string().max(100) }),
  created: timestamp,
  contents: z.object({
    dataset: z.enum(['embedded', 'reference', 'none']),
    runs: z.number().int().min(0).max(DEFAULT_PROJECT_FILE_LIMITS.maxEntries),
    models: z.boolean(),
    files: z.record(z.string().regex(PART_NAME), z.object({ size: z.number().int().min(0), sha256 })),
  }),
});
type Manifest = z.infer<typeof manifestSchema>;

const datasetMetaBase = {
  name: z.string().min(1).max(200),
  origin: z.string().max(10_000),
  contentHash: sha256,
  rowCount: z.number().int().min(0),
  classNames: z.array(z.string().max(1000)).max(100_000).nullable(),
};
const datasetMetaSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tabular'), ...datasetMetaBase, table: tableInfoSchema }),
  z.object({ kind: z.literal('image'), ...datasetMetaBase, image: imageStatsSchema }),
]);
type DatasetMeta = z.infer<typeof datasetMetaSchema>;

const datasetRefSchema = z.object({
  name: z.string().max(200),
  origin: z.string().max(10_000),
  contentHash: sha256,
});
type DatasetRef = z.infer<typeof datasetRefSchema>;

const runFileSchema = z.object({
  status: z.enum(['completed', 'stopped', 'failed', 'interrupted']),
  seed: z.number().int().min(0),
  backend: z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).nullable(),
  error: z.string().max(100_000).nullable(),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  endedAt: timestamp.nullable(),
  params: z.number().int().min(0).nullable(),
  bestEpoch: z.number().int().min(1).nullable(),
  test: testMetricsSchema.nullable(),
  predictions: predictionsSchema.nullable(),
  /** The document the run trained, checked with parseProjectDocument. */
  document: z.unknown(),
  /** The dataset it trained on, found again by hash where the file is imported. */
  dataset: datasetRefSchema.nullable(),
  hasModel: z.boolean(),
});
type RunFile = z.infer<typeof runFileSchema>;

const epochsFileSchema = z.array(epochRecordSchema).max(1_000_000);

const modelFileSchema = z.object({
  modelTopology: z.unknown(),
  weightSpecs: z.array(weightSpecSchema).max(100_000),
  preprocessing: z.unknown(),
});

// ---- export ----

export interface ExportOptions {
  /** `embed` (default) puts the data in the file; `reference` only its name, origin and hash; `none` nothing. */
  includeDataset?: 'embed' | 'reference' | 'none';
  /** The project's finished runs with their epochs and test metrics (default false). */
  includeRuns?: boolean;
  /** Their trained models too; implies includeRuns (default false). */
  includeModels?: boolean;
  appVersion?: string;
  now?: () => Date;
}

const text = new TextEncoder();

function jsonPart(value: unknown, pretty = false): Uint8Array {
  return text.encode(encodeJson(value, pretty ? 2 : undefined));
}

function withSource(document: ProjectDocument, source: DatasetSource): ProjectDocument {
  return document.data ? { ...document, data: { ...document.data, source } } : document;
}

function storedDatasetId(document: ProjectDocument): number | null {
  const source = document.data?.source;
  return source?.kind === 'stored' ? Number(source.id) : null;
}

function datasetMeta(dataset: DatasetRecord): DatasetMeta {
  const base = {
    name: dataset.name,
    origin: dataset.origin,
    contentHash: dataset.contentHash,
    rowCount: dataset.rowCount,
    classNames: dataset.classNames,
  };
  switch (dataset.kind) {
    case 'tabular':
      return { kind: 'tabular', ...base, table: dataset.table };
    case 'image':
      return {
        kind: 'image',
        ...base,
        image: { ...dataset.image, channels: dataset.image.channels as 1 | 3 | 4 },
      };
  }
}

function datasetParts(storage: StorageReader, dataset: DatasetRecord): Record<string, Uint8Array> {
  const payload = storage.getDatasetPayload(dataset.id);
  if (!payload)
    throw new ProjectFileError('no-dataset', `The data of dataset "${dataset.name}" is not in the database.`);
  switch (payload.kind) {
    case 'tabular':
      return { [TABLE]: payload.bytes };
    case 'image': {
      const { train, test } = payload.dataset;
      const labels = (set: ImageSet) =>
        new Uint8Array(set.labels.buffer, set.labels.byteOffset, set.labels.byteLength);
      return {
        [IMAGE_PARTS.trainPixels]: train.pixels,
        [IMAGE_PARTS.trainLabels]: labels(train),
        ...(test ? { [IMAGE_PARTS.testPixels]: test.pixels, [IMAGE_PARTS.testLabels]: labels(test) } : {}),
      };
    }
  }
}

/** Writes a project as a `.nwb` file (the bytes of a zip). */
export function exportProject(
  storage: StorageReader,
  projectId: number,
  options: ExportOptions = {},
): Uint8Array {
  const project = storage.getProject(projectId);
  if (!project)
    throw new ProjectFileError(
      'invalid',
      `There is no project with id ${projectId}: it may have been deleted.`,
    );
  const mode = options.includeDataset ?? 'embed';
  const includeModels = options.includeModels ?? false;
  const includeRuns = (options.includeRuns ?? false) || includeModels;
  const parts: Record<string, Uint8Array> = {};

  let document = project.document;
  let datasetContents: Manifest['contents']['dataset'] = 'none';
  const datasetId = storedDatasetId(document);
  if (datasetId !== null) {
    const dataset = storage.getDataset(datasetId);
    if (!dataset) {
      throw new ProjectFileError(
        'no-dataset',
        `The dataset of project "${project.name}" is no longer in the database: choose its data again before exporting.`,
      );
    }
    switch (mode) {
      case 'embed':
        parts[DATASET_META] = jsonPart(datasetMeta(dataset), true);
        Object.assign(parts, datasetParts(storage, dataset));
        datasetContents = 'embedded';
        break;
      case 'reference':
        parts[DATASET_META] = jsonPart(datasetMeta(dataset), true);
        datasetContents = 'reference';
        break;
      case 'none':
        // A stored id means nothing in another database; where the data came from still helps.
        document = withSource(document, { kind: 'file', path: dataset.origin || dataset.name });
        break;
    }
  }
  parts[PROJECT] = jsonPart(document, true);

  // Oldest first, so runs/1 is the first run; runs still training have no result to share yet.
  const runs = includeRuns
    ? storage
        .listRuns({ projectId })
        .filter((run) => run.status !== 'queued' && run.status !== 'running')
        .reverse()
    : [];
  runs.forEach((summary, index) => {
    const n = index + 1;
    const run = storage.getRun(summary.id);
    if (!run) return;
    const dataset = run.datasetId === null ? undefined : storage.getDataset(run.datasetId);
    const model = includeModels && run.hasModel ? storage.getRunModel(run.id) : undefined;
    const record: RunFile = {
      status: run.status as RunFile['status'],
      seed: run.seed,
      backend: run.backend,
      error: run.error,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      params: run.params,
      bestEpoch: run.bestEpoch,
      test: run.test,
      predictions: storage.getRunPredictions(run.id) ?? null,
      document: run.document,
      dataset: dataset
        ? { name: dataset.name, origin: dataset.origin, contentHash: dataset.contentHash }
        : null,
      hasModel: model !== undefined,
    };
    parts[runPart(n, 'run.json')] = jsonPart(record);
    parts[runPart(n, 'epochs.json')] = jsonPart(storage.getRunEpochs(run.id));
    if (model) {
      const { modelTopology, weightSpecs, weightData } = model.artifacts;
      parts[runPart(n, 'model.json')] = jsonPart({
        modelTopology,
        weightSpecs,
        preprocessing: model.preprocessing,
      });
      parts[runPart(n, 'weights.bin')] = new Uint8Array(weightData);
    }
  });

  const created = (options.now ?? (() => new Date()))();
  const manifest: Manifest = {
    format: PROJECT_FILE_FORMAT,
    version: PROJECT_FILE_VERSION,
    app: { name: 'Neural Workbench', version: options.appVersion ?? packageJson.version },
    created: created.toISOString(),
    contents: {
      dataset: datasetContents,
      runs: runs.length,
      models: includeModels,
      files: Object.fromEntries(
        Object.entries(parts).map(([name, bytes]) => [
          name,
          { size: bytes.byteLength, sha256: hashOf(bytes) },
        ]),
      ),
    },
  };
  const zippable: Zippable = { [MANIFEST]: [jsonPart(manifest, true), { level: 6 }] };
  for (const [name, bytes] of Object.entries(parts)) {
    // Binary parts are large and compress little better at high levels: favour speed.
    zippable[name] = [bytes, { level: name.endsWith('.json') ? 6 : 1 }];
  }
  return zipSync(zippable, { mtime: created });
}

function hashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// ---- reading (validation only: nothing is written) ----

interface ParsedRun {
  file: RunFile;
  document: ProjectDocument;
  epochs: EpochRecord[];
  model: RunModel | null;
}

/** A project file checked in full, ready to be written. */
export interface ParsedProjectFile {
  /** `document` for a bare project document (a preset). */
  kind: 'project-file' | 'document';
  document: ProjectDocument;
  dataset: { meta: DatasetMeta; input: DatasetInput | null } | null;
  runs: ParsedRun[];
}

function damaged(part: string, what: string): ProjectFileError {
  return new ProjectFileError(
    'damaged',
    `This project file is damaged (${part} ${what}): ask for a new copy of it.`,
  );
}

function zodWhere(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return `${where}: ${issue?.message ?? 'invalid'}`;
}

function parseJsonPart(bytes: Uint8Array, part: string): unknown {
  try {
    return decodeJson(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw damaged(part, 'is not valid JSON');
  }
}

function checked<T>(schema: z.ZodType<T>, value: unknown, part: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw damaged(part, `does not have the expected content${zodWhere(result.error)}`);
  return result.data;
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1e6)} MB`;
}

/** Unpacks the zip, refusing from its directory alone one that holds too many or too large parts. */
function unpack(bytes: Uint8Array, limits: ProjectFileLimits): Map<string, Uint8Array> {
  const cannotUnpack = () =>
    new ProjectFileError(
      'damaged',
      'This project file is damaged or incomplete and cannot be unpacked: ask for a new copy of it.',
    );
  let entries = 0;
  let total = 0;
  const seen = new Set<string>();
  try {
    unzipSync(bytes, {
      filter: (file) => {
        entries += 1;
        total += file.originalSize;
        if (entries > limits.maxEntries) {
          throw new ProjectFileError(
            'too-large',
            `This project file has more than ${limits.maxEntries} parts, more than a project file may hold: it was not made by this app.`,
          );
        }
        if (file.originalSize > limits.maxEntryBytes || total > limits.maxTotalBytes) {
          throw new ProjectFileError(
            'too-large',
            `This project file unpacks to more than ${megabytes(Math.min(limits.maxEntryBytes, limits.maxTotalBytes))}, more than a project file may hold: export it again with fewer runs or without models.`,
          );
        }
        if (seen.has(file.name)) throw cannotUnpack();
        seen.add(file.name);
        return false;
      },
    });
    const files = unzipSync(bytes, { filter: (file) => !file.name.endsWith('/') });
    return new Map(Object.entries(files));
  } catch (error) {
    if (error instanceof ProjectFileError) throw error;
    throw cannotUnpack();
  }
}

function readManifest(files: Map<string, Uint8Array>): Manifest {
  const bytes = files.get(MANIFEST);
  const notOurs = new ProjectFileError(
    'not-project-file',
    'This zip file is not a Neural Workbench project file (it has no project manifest): check that you picked the right file.',
  );
  if (!bytes) throw notOurs;
  const json = parseJsonPart(bytes, MANIFEST);
  const head = z.object({ format: z.unknown(), version: z.unknown() }).safeParse(json);
  if (!head.success || head.data.format !== PROJECT_FILE_FORMAT) throw notOurs;
  const version = head.data.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw damaged(MANIFEST, 'has no valid format version');
  }
  if (version > PROJECT_FILE_VERSION) {
    throw new ProjectFileError(
      'too-new',
      `This project file was made by a newer Neural Workbench (file format version ${version}; this app reads version ${PROJECT_FILE_VERSION}): update the app to open it.`,
    );
  }
  return checked(manifestSchema, json, MANIFEST);
}

/** Every part is listed in the manifest with its size and hash, and every listed part is there. */
function checkParts(files: Map<string, Uint8Array>, manifest: Manifest): void {
  const listed = manifest.contents.files;
  for (const name of files.keys()) {
    if (name !== MANIFEST && !Object.hasOwn(listed, name))
      throw damaged(`"${name}"`, 'is not listed in its manifest');
  }
  for (const [name, { size, sha256: hash }] of Object.entries(listed)) {
    const bytes = files.get(name);
    if (!bytes) throw damaged(`"${name}"`, 'is missing');
    if (bytes.byteLength !== size || hashOf(bytes) !== hash)
      throw damaged(`"${name}"`, 'does not match its checksum');
  }
}

function parseDocument(json: unknown, what: string): ProjectDocument {
  const parsed = parseProjectDocument(json);
  if (!parsed.ok) {
    throw new ProjectFileError(
      'invalid',
      what === '' ? parsed.message : `${what}: ${parsed.message.replace(/^This/, 'this')}`,
    );
  }
  return parsed.document;
}

function requirePart(files: Map<string, Uint8Array>, name: string): Uint8Array {
  const bytes = files.get(name);
  if (!bytes) throw damaged(`"${name}"`, 'is missing');
  return bytes;
}

function readImageSet(
  files: Map<string, Uint8Array>,
  pixelsPart: string,
  labelsPart: string,
  stats: DatasetMeta & { kind: 'image' },
  count: number,
): ImageSet {
  const { width, height, channels } = stats.image;
  const pixels = requirePart(files, pixelsPart);
  const labels = requirePart(files, labelsPart);
  if (pixels.byteLength !== count * width * height * channels)
    throw damaged(`"${pixelsPart}"`, 'has the wrong size');
  if (labels.byteLength !== count * 4) throw damaged(`"${labelsPart}"`, 'has the wrong size');
  // Copied so the Int32Array starts on a 4-byte boundary.
  return { width, height, channels, count, pixels, labels: new Int32Array(new Uint8Array(labels).buffer) };
}

function readDataset(files: Map<string, Uint8Array>, manifest: Manifest): ParsedProjectFile['dataset'] {
  if (manifest.contents.dataset === 'none') return null;
  const meta = checked(
    datasetMetaSchema,
    parseJsonPart(requirePart(files, DATASET_META), DATASET_META),
    DATASET_META,
  );
  if (manifest.contents.dataset === 'reference') return { meta, input: null };
  let input: DatasetInput;
  let hash: string;
  switch (meta.kind) {
    case 'tabular': {
      const bytes = requirePart(files, TABLE);
      input = {
        kind: 'tabular',
        name: meta.name,
        origin: meta.origin,
        bytes,
        table: meta.table,
        classNames: meta.classNames,
      };
      hash = bytesContentHash(bytes);
      break;
    }
    case 'image': {
      if (!meta.classNames || meta.classNames.length === 0) throw damaged(DATASET_META, 'names no classes');
      const hasTest = files.has(IMAGE_PARTS.testPixels);
      const dataset: ImageDataset = {
        classNames: meta.classNames,
        train: readImageSet(
          files,
          IMAGE_PARTS.trainPixels,
          IMAGE_PARTS.trainLabels,
          meta,
          meta.image.trainCount,
        ),
        test: hasTest
          ? readImageSet(files, IMAGE_PARTS.testPixels, IMAGE_PARTS.testLabels, meta, meta.image.testCount)
          : null,
        skipped: [],
      };
      input = { kind: 'image', name: meta.name, origin: meta.origin, dataset };
      hash = imageContentHash(dataset);
      break;
    }
  }
  if (hash !== meta.contentHash) throw damaged('its dataset', 'does not match its checksum');
  return { meta, input };
}

function readRun(files: Map<string, Uint8Array>, manifest: Manifest, n: number): ParsedRun {
  const runName = runPart(n, 'run.json');
  const file = checked(runFileSchema, parseJsonPart(requirePart(files, runName), runName), runName);
  const epochsName = runPart(n, 'epochs.json');
  const epochs = checked(
    epochsFileSchema,
    parseJsonPart(requirePart(files, epochsName), epochsName),
    epochsName,
  );
  const document = parseDocument(file.document, `Run ${n} in this project file cannot be read`);
  let model: RunModel | null = null;
  if (file.hasModel && manifest.contents.models) {
    const modelName = runPart(n, 'model.json');
    const parsed = checked(
      modelFileSchema,
      parseJsonPart(requirePart(files, modelName), modelName),
      modelName,
    );
    const weights = requirePart(files, runPart(n, 'weights.bin'));
    const expected = parsed.weightSpecs.reduce(
      (sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * WEIGHT_DTYPE_BYTES[spec.dtype],
      0,
    );
    if (weights.byteLength !== expected)
      throw damaged(`"${runPart(n, 'weights.bin')}"`, 'does not match its model');
    model = {
      artifacts: {
        modelTopology: parsed.modelTopology,
        weightSpecs: parsed.weightSpecs,
        weightData: new Uint8Array(weights).buffer,
      },
      preprocessing: parsed.preprocessing ?? null,
    };
  }
  return { file, document, epochs, model };
}

function readZip(bytes: Uint8Array, limits: ProjectFileLimits): ParsedProjectFile {
  const files = unpack(bytes, limits);
  for (const [name, part] of files) {
    if (name.endsWith('.json') && part.byteLength > limits.maxJsonBytes) {
      throw new ProjectFileError(
        'too-large',
        `This project file's part "${name}" is ${megabytes(part.byteLength)}, more than a project file may hold: it was not made by this app.`,
      );
    }
  }
  const manifest = readManifest(files);
  checkParts(files, manifest);
  const document = parseDocument(parseJsonPart(requirePart(files, PROJECT), PROJECT), '');
  const dataset = readDataset(files, manifest);
  const runs = Array.from({ length: manifest.contents.runs }, (_, i) => readRun(files, manifest, i + 1));
  return { kind: 'project-file', document, dataset, runs };
}

function readDocumentFile(bytes: Uint8Array, limits: ProjectFileLimits): ParsedProjectFile {
  const notOurs = new ProjectFileError(
    'not-project-file',
    'This file is not a Neural Workbench project (.nwb) or project document (.json): check that you picked the right file.',
  );
  if (bytes.byteLength > limits.maxJsonBytes) throw notOurs;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''));
  } catch {
    throw notOurs;
  }
  return { kind: 'document', document: parseDocument(json, ''), dataset: null, runs: [] };
}

/**
 * Checks a project file (or a bare project document such as a preset) in full without writing anything:
 * every part against the manifest, every JSON part against its schema, every document with
 * parseProjectDocument, every dataset against its hash. Throws a ProjectFileError saying what is wrong.
 */
export function readProjectFile(
  bytes: Uint8Array,
  limits: Partial<ProjectFileLimits> = {},
): ParsedProjectFile {
  const all = { ...DEFAULT_PROJECT_FILE_LIMITS, ...limits };
  const parsed = isZip(bytes) ? readZip(bytes, all) : readDocumentFile(bytes, all);
  if (storedDatasetId(parsed.document) !== null && !parsed.dataset) {
    throw new ProjectFileError(
      'no-dataset',
      'This project uses a dataset kept in another Neural Workbench database, and the file does not include it: ask for a copy exported with its dataset.',
    );
  }
  return parsed;
}

// ---- import ----

export interface ImportResult {
  projectId: number;
  /** The name it got: the one asked for, with " (2)" and so on added when taken. */
  name: string;
  /** The project's dataset in this database, when the file embedded it or it was already here. */
  datasetId?: number;
  runIds: number[];
  /** The file shares its dataset by reference and this database does not hold it: import it from `origin`. */
  datasetMissing?: DatasetRef;
}

/**
 * Points a document's stored dataset at this database's copy, or at its origin when there is none. A
 * run whose dataset was already gone when it was exported keeps its snapshot as it was: it is history.
 */
function remapSource(
  document: ProjectDocument,
  localId: number | undefined,
  ref: DatasetRef | null,
): ProjectDocument {
  if (storedDatasetId(document) === null) return document;
  if (localId !== undefined) return withSource(document, { kind: 'stored', id: String(localId) });
  if (ref) return withSource(document, { kind: 'file', path: ref.origin || ref.name });
  return document;
}

/**
 * Imports a `.nwb` file or a bare project document: everything is checked first (readProjectFile), then
 * written in one transaction, so a refused file leaves the database as it was.
 */
export function importProjectFile(
  storage: Storage,
  bytes: Uint8Array,
  options: { name?: string; limits?: Partial<ProjectFileLimits> } = {},
): ImportResult {
  const parsed = readProjectFile(bytes, options.limits);
  return storage.transaction(() => {
    let datasetId: number | undefined;
    let datasetMissing: DatasetRef | undefined;
    let ref: DatasetRef | null = null;
    if (parsed.dataset) {
      const { meta, input } = parsed.dataset;
      ref = { name: meta.name, origin: meta.origin, contentHash: meta.contentHash };
      datasetId = input
        ? storage.addDataset(input).dataset.id
        : storage.findDatasetByHash(meta.contentHash)?.id;
      if (datasetId === undefined) datasetMissing = ref;
    }
    const name = storage.availableProjectName(options.name ?? parsed.document.name);
    const project = storage.createProject(remapSource(parsed.document, datasetId, ref), {
      name,
      note: parsed.kind === 'document' ? 'Imported from a project document' : 'Imported from a project file',
    });
    const runIds = parsed.runs.map(({ file, document, epochs, model }) => {
      const runDatasetId = file.dataset ? storage.findDatasetByHash(file.dataset.contentHash)?.id : undefined;
      const run: RunImport = {
        projectId: project.id,
        document: remapSource(document, runDatasetId, file.dataset),
        datasetId: runDatasetId ?? null,
        seed: file.seed,
        backend: file.backend,
        status: file.status,
        error: file.error,
        createdAt: file.createdAt,
        startedAt: file.startedAt,
        endedAt: file.endedAt,
        params: file.params,
        bestEpoch: file.bestEpoch,
        test: file.test,
        predictions: file.predictions,
        epochs,
        model,
      };
      return storage.importRun(run);
    });
    return {
      projectId: project.id,
      name: project.name,
      ...(datasetId !== undefined ? { datasetId } : {}),
      runIds,
      ...(datasetMissing ? { datasetMissing } : {}),
    };
  });
}
