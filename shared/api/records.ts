// Records the storage keeps and the API returns: shared by storage, the API contract and the renderer.
import type { BackendName, EpochMetrics, ModelArtifacts } from './trainer';
import type { ImageDataset, TableInfo } from '../data/types';
import type { OptimizerKind, ProjectDocument } from '../graph/document';
import type { TestMetrics } from '../metrics/types';

/** Times are ISO 8601 strings in UTC (`2026-12-01T09:30:00.000Z`). */
export type Timestamp = string;

// ---- projects ----

export interface ProjectSummary {
  id: number;
  name: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  runCount: number;
  /** When its latest run was created; null when it has none. */
  lastRunAt: Timestamp | null;
}

/** A project and its current document; the document's `name` always equals the project's name. */
export interface ProjectRecord {
  id: number;
  name: string;
  document: ProjectDocument;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ProjectVersionSummary {
  id: number;
  projectId: number;
  /** 1 for the first version of the project, counting up. */
  number: number;
  savedAt: Timestamp;
  note: string | null;
}

export interface ProjectVersion extends ProjectVersionSummary {
  document: ProjectDocument;
}

// ---- datasets ----

export type DatasetKind = 'tabular' | 'image';

interface DatasetBase {
  id: number;
  name: string;
  /** Where it came from: a file path or a URL, as the user gave it. */
  origin: string;
  /** sha256 of the content, hex: of the original file for tables, of the decoded images for images. */
  contentHash: string;
  /** Data rows of a table; images in the training and test sets together. */
  rowCount: number;
  classNames: string[] | null;
  /** Bytes the payload takes in the database. */
  byteSize: number;
  createdAt: Timestamp;
}

export interface TabularDatasetRecord extends DatasetBase {
  kind: 'tabular';
  /** Column schema and statistics of the table. */
  table: TableInfo;
}

export interface ImageDatasetRecord extends DatasetBase {
  kind: 'image';
  image: ImageDatasetStats;
}

export interface ImageDatasetStats {
  width: number;
  height: number;
  channels: number;
  trainCount: number;
  testCount: number;
  /** Images of each class, in class-name order. */
  trainClassCounts: number[];
  testClassCounts: number[];
  /** Files the importer could not read. */
  skipped: number;
}

/** A stored dataset's metadata (never its payload). */
export type DatasetRecord = TabularDatasetRecord | ImageDatasetRecord;

/** What addDataset stores. */
export type DatasetInput =
  | {
      kind: 'tabular';
      name: string;
      origin: string;
      /** The original file, byte for byte (stored gzipped). */
      bytes: Uint8Array;
      table: TableInfo;
      classNames?: string[] | null;
    }
  | { kind: 'image'; name: string; origin: string; dataset: ImageDataset };

/** The stored data, as it was given to addDataset (image datasets come back with no skipped list). */
export type DatasetPayload =
  { kind: 'tabular'; bytes: Uint8Array } | { kind: 'image'; dataset: ImageDataset };

// ---- runs ----

export const runStatuses = ['queued', 'running', 'completed', 'stopped', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof runStatuses)[number];
/** Statuses of a run that is over. */
export type EndedRunStatus = Exclude<RunStatus, 'queued' | 'running'>;

/** The one number a run is judged by in lists: test accuracy or r², else the last validation loss. */
export type HeadlineMetric = 'accuracy' | 'r2' | 'val_loss' | 'loss';

export interface RunSettingsSummary {
  optimizer: OptimizerKind;
  learningRate: number;
  batchSize: number;
  epochs: number;
}

export interface RunSummary {
  id: number;
  projectId: number;
  projectName: string;
  status: RunStatus;
  createdAt: Timestamp;
  startedAt: Timestamp | null;
  endedAt: Timestamp | null;
  epochsDone: number;
  /** The backend the run actually used; null until training started. */
  backend: BackendName | null;
  headline: { metric: HeadlineMetric; value: number } | null;
  settings: RunSettingsSummary;
  seed: number;
  datasetId: number | null;
}

/** A run with its snapshot and results (epochs, model and predictions are read separately). */
export interface RunRecord extends RunSummary {
  /** The exact document it trained, settings included. */
  document: ProjectDocument;
  error: string | null;
  params: number | null;
  /** 1-based epoch whose weights the model holds. */
  bestEpoch: number | null;
  test: TestMetrics | null;
  hasModel: boolean;
  hasPredictions: boolean;
}

export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  metrics: EpochMetrics;
  learningRate: number | null;
  seconds: number | null;
}

export interface Predictions {
  yTrue: number[];
  yPred: number[];
}

export interface RunModel {
  artifacts: ModelArtifacts;
  /** How the trainer prepared inputs (scaler, encodings); needed to evaluate the model later. */
  preprocessing: unknown;
}

export interface RunQuery {
  projectId?: number;
  status?: RunStatus;
  /** Default: every run. */
  limit?: number;
  offset?: number;
}

export interface NewRun {
  projectId: number;
  document: ProjectDocument;
  datasetId?: number | null;
  /** Default: the document's training seed. */
  seed?: number;
  /** Default `queued`; `running` starts the clock now. */
  status?: 'queued' | 'running';
  backend?: BackendName | null;
}

export interface RunStart {
  backend: BackendName;
  params: number;
}

export interface RunResult {
  status: 'completed' | 'stopped';
  test: TestMetrics | null;
  bestEpoch: number | null;
  backend: BackendName;
  params: number;
  predictions?: Predictions | null;
  model?: RunModel | null;
}

/** A whole run from elsewhere (a project file): written at once, never owned by a process. */
export interface RunImport {
  projectId: number;
  document: ProjectDocument;
  datasetId: number | null;
  seed: number;
  backend: BackendName | null;
  status: EndedRunStatus;
  error: string | null;
  createdAt: Timestamp;
  startedAt: Timestamp | null;
  endedAt: Timestamp | null;
  params: number | null;
  bestEpoch: number | null;
  test: TestMetrics | null;
  predictions: Predictions | null;
  epochs: EpochRecord[];
  model: RunModel | null;
}
