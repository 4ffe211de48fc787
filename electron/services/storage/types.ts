// The records are part of the API contract, so they live in shared/api; storage adds its interfaces.
export * from '../../../shared/api/records';
import type { ProjectDocument } from '../../../shared/graph/document';
import type {
  DatasetInput,
  DatasetPayload,
  DatasetRecord,
  EpochRecord,
  NewRun,
  Predictions,
  ProjectRecord,
  ProjectSummary,
  ProjectVersion,
  ProjectVersionSummary,
  RunImport,
  RunModel,
  RunQuery,
  RunRecord,
  RunResult,
  RunStart,
  RunSummary,
} from '../../../shared/api/records';

// ---- the interfaces ----

/** Everything that reads; safe over a read-only connection (the trainer reads datasets this way). */
export interface StorageReader {
  /** The database file, absolute. */
  readonly path: string;

  listProjects(): ProjectSummary[];
  getProject(id: number): ProjectRecord | undefined;
  /** Case-insensitive, as names are unique. */
  getProjectByName(name: string): ProjectRecord | undefined;
  /** `name`, or `name (2)`, `name (3)`… whichever is free. */
  availableProjectName(name: string): string;
  /** Newest first. */
  listVersions(projectId: number): ProjectVersionSummary[];
  getVersion(versionId: number): ProjectVersion | undefined;

  listDatasets(): DatasetRecord[];
  getDataset(id: number): DatasetRecord | undefined;
  findDatasetByHash(contentHash: string): DatasetRecord | undefined;
  getDatasetPayload(id: number): DatasetPayload | undefined;

  /** Newest first, in one query. */
  listRuns(query?: RunQuery): RunSummary[];
  countRuns(query?: Omit<RunQuery, 'limit' | 'offset'>): number;
  getRun(id: number): RunRecord | undefined;
  /** In epoch order. */
  getRunEpochs(runId: number): EpochRecord[];
  getRunModel(runId: number): RunModel | undefined;
  getRunPredictions(runId: number): Predictions | undefined;
}

/** Everything that writes. Methods on an id that does not exist throw StorageError `not-found`. */
export interface StorageWriter {
  /** Runs `fn` in one transaction (nested calls join it): all of its writes land, or none. */
  transaction<T>(fn: () => T): T;

  /** The name defaults to the document's; a taken name is a StorageError `name-taken`. Saves version 1. */
  createProject(document: ProjectDocument, options?: { name?: string; note?: string }): ProjectRecord;
  /** Replaces the current document; `version: true` also adds it to the history (the latest 50 are kept). */
  saveProject(
    id: number,
    document: ProjectDocument,
    options?: { version?: boolean; note?: string },
  ): ProjectRecord;
  renameProject(id: number, name: string): ProjectRecord;
  /** A copy named "Copy of X" (or the name given), without runs. */
  duplicateProject(id: number, options?: { name?: string }): ProjectRecord;
  /** Deletes the project with its versions and runs. */
  deleteProject(id: number): void;
  /** Makes a saved version current again; the document it replaces is kept in the history first. */
  restoreVersion(projectId: number, versionId: number): ProjectRecord;

  /** Stores a dataset; the same content stored before returns that one (`existing: true`). */
  addDataset(input: DatasetInput): { dataset: DatasetRecord; existing: boolean };
  renameDataset(id: number, name: string): DatasetRecord;
  /** Runs that used it keep their history, with no dataset. */
  deleteDataset(id: number): void;

  /** Records a new run owned by this process; until it ends, other processes opening the file leave it alone. */
  createRun(run: NewRun): RunRecord;
  startRun(id: number, start: RunStart): void;
  /** One row, in its own transaction, as the epoch arrives: a crash loses no finished epoch. */
  addEpoch(runId: number, epoch: EpochRecord): void;
  finishRun(id: number, result: RunResult): void;
  failRun(id: number, failure: { message: string }): void;
  /** Marks a run of this process that can no longer finish (its trainer died) as interrupted. */
  interruptRun(id: number, reason?: string): void;
  deleteRun(id: number): void;
  importRun(run: RunImport): number;
}

export interface Storage extends StorageReader, StorageWriter {
  /** Runs this connection still has queued or running become `interrupted`. */
  close(): void;
}

export interface ReadOnlyStorage extends StorageReader {
  close(): void;
}
