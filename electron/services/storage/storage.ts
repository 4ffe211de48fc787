import type { Database } from 'better-sqlite3';
import * as datasets from './datasets';
import { openReadOnly, openWritable } from './open';
import { registerOwner, releaseOwner, type Owner } from './owner';
import * as projects from './projects';
import * as runs from './runs';
import type { Context } from './statements';
import type {
  DatasetInput,
  EpochRecord,
  NewRun,
  ReadOnlyStorage,
  RunImport,
  RunQuery,
  RunResult,
  RunStart,
  Storage,
  StorageReader,
} from './types';
import type { ProjectDocument } from '../../../shared/graph/document';

export interface OpenOptions {
  /** The clock times are stamped with (tests make it step). */
  now?: () => Date;
}

class SqliteReader implements StorageReader {
  protected readonly ctx: Context;

  constructor(
    protected readonly db: Database,
    readonly path: string,
    options: OpenOptions,
  ) {
    const clock = options.now ?? (() => new Date());
    this.ctx = { db, now: () => clock().toISOString() };
  }

  listProjects = () => projects.listProjects(this.ctx);
  getProject = (id: number) => projects.getProject(this.ctx, id);
  getProjectByName = (name: string) => projects.getProjectByName(this.ctx, name);
  availableProjectName = (name: string) => projects.availableProjectName(this.ctx, name);
  listVersions = (projectId: number) => projects.listVersions(this.ctx, projectId);
  getVersion = (versionId: number) => projects.getVersion(this.ctx, versionId);

  listDatasets = () => datasets.listDatasets(this.ctx);
  getDataset = (id: number) => datasets.getDataset(this.ctx, id);
  findDatasetByHash = (hash: string) => datasets.findDatasetByHash(this.ctx, hash);
  getDatasetPayload = (id: number) => datasets.getDatasetPayload(this.ctx, id);

  listRuns = (query?: RunQuery) => runs.listRuns(this.ctx, query);
  countRuns = (query?: Omit<RunQuery, 'limit' | 'offset'>) => runs.countRuns(this.ctx, query);
  getRun = (id: number) => runs.getRun(this.ctx, id);
  getRunEpochs = (runId: number) => runs.getRunEpochs(this.ctx, runId);
  getRunModel = (runId: number) => runs.getRunModel(this.ctx, runId);
  getRunPredictions = (runId: number) => runs.getRunPredictions(this.ctx, runId);

  close(): void {
    if (this.db.open) this.db.close();
  }
}

class SqliteStorage extends SqliteReader implements Storage {
  private readonly owner: Owner;

  constructor(db: Database, path: string, options: OpenOptions) {
    super(db, path, options);
    this.owner = registerOwner();
  }

  transaction = <T>(fn: () => T): T => this.db.transaction(fn)();

  createProject = (document: ProjectDocument, options?: { name?: string; note?: string }) =>
    projects.createProject(this.ctx, document, options);
  saveProject = (id: number, document: ProjectDocument, options?: { version?: boolean; note?: string }) =>
    projects.saveProject(this.ctx, id, document, options);
  renameProject = (id: number, name: string) => projects.renameProject(this.ctx, id, name);
  duplicateProject = (id: number, options?: { name?: string }) =>
    projects.duplicateProject(this.ctx, id, options);
  deleteProject = (id: number) => projects.deleteProject(this.ctx, id);
  restoreVersion = (projectId: number, versionId: number) =>
    projects.restoreVersion(this.ctx, projectId, versionId);

  addDataset = (input: DatasetInput) => datasets.addDataset(this.ctx, input);
  renameDataset = (id: number, name: string) => datasets.renameDataset(this.ctx, id, name);
  deleteDataset = (id: number) => datasets.deleteDataset(this.ctx, id);

  createRun = (run: NewRun) => runs.createRun(this.ctx, this.owner, run);
  startRun = (id: number, start: RunStart) => runs.startRun(this.ctx, id, start);
  addEpoch = (runId: number, epoch: EpochRecord) => runs.addEpoch(this.ctx, runId, epoch);
  finishRun = (id: number, result: RunResult) => runs.finishRun(this.ctx, id, result);
  failRun = (id: number, failure: { message: string }) => runs.failRun(this.ctx, id, failure);
  interruptRun = (id: number, reason?: string) => runs.interruptRun(this.ctx, id, reason);
  deleteRun = (id: number) => runs.deleteRun(this.ctx, id);
  importRun = (run: RunImport) => runs.importRun(this.ctx, run);

  /** Runs left queued or running by processes that are gone become interrupted. */
  recoverOrphans(): number[] {
    return runs.interruptOrphanedRuns(this.ctx);
  }

  override close(): void {
    if (!this.db.open) return;
    try {
      runs.interruptOwnRuns(this.ctx, this.owner);
    } finally {
      releaseOwner(this.owner);
      this.db.close();
    }
  }
}

/**
 * Opens the database at `path` (creating and migrating it as needed): WAL, foreign keys on. Refuses a
 * file that is not a Neural Workbench database, or one from a newer app, with a StorageError and
 * without writing to it. Runs left queued or running by a process that is gone become `interrupted`.
 */
export function openStorage(path: string, options: OpenOptions = {}): Storage {
  const { db, file } = openWritable(path);
  const storage = new SqliteStorage(db, file, options);
  try {
    storage.recoverOrphans();
  } catch (error) {
    storage.close();
    throw error;
  }
  return storage;
}

/** Opens an existing database read-only: it writes nothing, not even to recover interrupted runs. */
export function openStorageReadOnly(path: string, options: OpenOptions = {}): ReadOnlyStorage {
  const { db, file } = openReadOnly(path);
  return new SqliteReader(db, file, options);
}
