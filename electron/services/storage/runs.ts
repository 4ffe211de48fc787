import type { BackendName, EpochMetrics } from '../../../shared/api/trainer';
import type { OptimizerKind, ProjectDocument } from '../../../shared/graph/document';
import type { TestMetrics } from '../../../shared/metrics/types';
import { documentToStore, storedDocument } from './documents';
import { StorageError, sqliteCode } from './errors';
import { headlineOf } from './headline';
import { decodeJson, encodeJson } from './json';
import { isOrphaned, type Owner } from './owner';
import { sql, sqlRaw, type Context } from './statements';
import type {
  EpochRecord,
  HeadlineMetric,
  NewRun,
  Predictions,
  RunImport,
  RunModel,
  RunQuery,
  RunRecord,
  RunResult,
  RunStart,
  RunStatus,
  RunSummary,
} from './types';

/** A summary row as an array (see sqlRaw): listing 10,000 runs is about twice as fast as with objects. */
type SummaryTuple = [
  id: number,
  projectId: number,
  projectName: string,
  status: RunStatus,
  createdAt: string,
  startedAt: string | null,
  endedAt: string | null,
  epochsDone: number,
  backend: BackendName | null,
  headlineMetric: HeadlineMetric | null,
  headlineValue: number | null,
  optimizer: OptimizerKind,
  learningRate: number,
  batchSize: number,
  epochs: number,
  seed: number,
  datasetId: number | null,
];

/** The columns of SummaryTuple, in its order. */
const SUMMARY_SELECT = `SELECT r.id, r.project_id, p.name, r.status, r.created_at, r.started_at, r.ended_at,
  r.epochs_done, r.backend, r.headline_metric, r.headline_value, r.optimizer, r.learning_rate, r.batch_size,
  r.epochs, r.seed, r.dataset_id
  FROM runs r JOIN projects p ON p.id = r.project_id`;

function toSummary([
  id,
  projectId,
  projectName,
  status,
  createdAt,
  startedAt,
  endedAt,
  epochsDone,
  backend,
  headlineMetric,
  headlineValue,
  optimizer,
  learningRate,
  batchSize,
  epochs,
  seed,
  datasetId,
]: SummaryTuple): RunSummary {
  return {
    id,
    projectId,
    projectName,
    status,
    createdAt,
    startedAt,
    endedAt,
    epochsDone,
    backend,
    // SQLite keeps NaN as NULL: a diverged run has no headline number.
    headline:
      headlineMetric !== null && headlineValue !== null
        ? { metric: headlineMetric, value: headlineValue }
        : null,
    settings: { optimizer, learningRate, batchSize, epochs },
    seed,
    datasetId,
  };
}

function summaries(db: Context['db'], tail: string, params: (number | string)[]): RunSummary[] {
  const rows = sqlRaw(db, `${SUMMARY_SELECT} ${tail}`).all(...params) as SummaryTuple[];
  return rows.map(toSummary);
}

interface DetailRow {
  document: string;
  error: string | null;
  params: number | null;
  best_epoch: number | null;
  test_metrics: string | null;
  has_model: number;
  has_predictions: number;
}

function whereOf(query: Omit<RunQuery, 'limit' | 'offset'>): { clause: string; params: (number | string)[] } {
  const parts: string[] = [];
  const params: (number | string)[] = [];
  if (query.projectId !== undefined) {
    parts.push('r.project_id = ?');
    params.push(query.projectId);
  }
  if (query.status !== undefined) {
    parts.push('r.status = ?');
    params.push(query.status);
  }
  return { clause: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

function checkPaging(value: number | undefined, what: string): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new StorageError('invalid-input', `The ${what} of a run list must be a whole number of 0 or more.`);
  }
  return value;
}

export function listRuns({ db }: Context, query: RunQuery = {}): RunSummary[] {
  const limit = checkPaging(query.limit, 'limit') ?? -1;
  const offset = checkPaging(query.offset, 'offset') ?? 0;
  const { clause, params } = whereOf(query);
  return summaries(db, `${clause} ORDER BY r.id DESC LIMIT ? OFFSET ?`, [...params, limit, offset]);
}

export function countRuns({ db }: Context, query: Omit<RunQuery, 'limit' | 'offset'> = {}): number {
  const { clause, params } = whereOf(query);
  const row = sql(db, `SELECT COUNT(*) AS n FROM runs r ${clause}`).get(...params) as { n: number };
  return row.n;
}

export function getRun({ db }: Context, id: number): RunRecord | undefined {
  const [summary] = summaries(db, 'WHERE r.id = ?', [id]);
  if (!summary) return undefined;
  const row = sql(
    db,
    `SELECT d.document, r.error, r.params, r.best_epoch, d.test_metrics,
       EXISTS (SELECT 1 FROM run_models m WHERE m.run_id = r.id) AS has_model,
       d.predictions IS NOT NULL AS has_predictions
     FROM runs r JOIN run_details d ON d.run_id = r.id WHERE r.id = ?`,
  ).get(id) as DetailRow | undefined;
  if (!row)
    throw new StorageError(
      'damaged',
      `The details of run ${id} are missing from the database: delete the run.`,
    );
  return {
    ...summary,
    document: storedDocument(row.document, `run ${id}`),
    error: row.error,
    params: row.params,
    bestEpoch: row.best_epoch,
    test: row.test_metrics === null ? null : (decodeJson(row.test_metrics) as TestMetrics),
    hasModel: row.has_model === 1,
    hasPredictions: row.has_predictions === 1,
  };
}

export function getRunEpochs({ db }: Context, runId: number): EpochRecord[] {
  const rows = sql(
    db,
    'SELECT epoch, metrics, learning_rate, seconds FROM run_epochs WHERE run_id = ? ORDER BY epoch',
  ).all(runId) as { epoch: number; metrics: string; learning_rate: number | null; seconds: number | null }[];
  return rows.map((row) => ({
    epoch: row.epoch,
    metrics: decodeJson(row.metrics) as EpochMetrics,
    learningRate: row.learning_rate,
    seconds: row.seconds,
  }));
}

export function getRunModel({ db }: Context, runId: number): RunModel | undefined {
  const row = sql(db, 'SELECT * FROM run_models WHERE run_id = ?').get(runId) as
    { topology: string; weight_specs: string; weight_data: Buffer; preprocessing: string } | undefined;
  if (!row) return undefined;
  // A fresh ArrayBuffer holding exactly the weights (tfjs reads weightData from offset 0).
  const weightData = new Uint8Array(row.weight_data).buffer;
  return {
    artifacts: {
      modelTopology: JSON.parse(row.topology) as unknown,
      weightSpecs: JSON.parse(row.weight_specs) as RunModel['artifacts']['weightSpecs'],
      weightData,
    },
    preprocessing: decodeJson(row.preprocessing),
  };
}

export function getRunPredictions({ db }: Context, runId: number): Predictions | undefined {
  const row = sql(db, 'SELECT predictions FROM run_details WHERE run_id = ?').get(runId) as
    { predictions: string | null } | undefined;
  return row?.predictions ? (decodeJson(row.predictions) as Predictions) : undefined;
}

// ---- writing ----

function invalid(message: string): StorageError {
  return new StorageError('invalid-input', message);
}

function requireRun(ctx: Context, id: number): { status: RunStatus } {
  const row = sql(ctx.db, 'SELECT status FROM runs WHERE id = ?').get(id) as
    { status: RunStatus } | undefined;
  if (!row) throw new StorageError('not-found', `There is no run with id ${id}: it may have been deleted.`);
  return row;
}

function requireActive(ctx: Context, id: number): void {
  const row = requireRun(ctx, id);
  if (row.status !== 'queued' && row.status !== 'running') {
    throw new StorageError(
      'invalid-state',
      `Run ${id} has already ended (${row.status}): start a new run instead.`,
    );
  }
}

function checkReferences(ctx: Context, projectId: number, datasetId: number | null): void {
  if (!sql(ctx.db, 'SELECT 1 FROM projects WHERE id = ?').get(projectId)) {
    throw new StorageError(
      'not-found',
      `There is no project with id ${projectId}: it may have been deleted.`,
    );
  }
  if (datasetId !== null && !sql(ctx.db, 'SELECT 1 FROM datasets WHERE id = ?').get(datasetId)) {
    throw new StorageError(
      'not-found',
      `There is no dataset with id ${datasetId}: it may have been deleted.`,
    );
  }
}

function checkSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0)
    throw invalid(`A run's seed must be a whole number of 0 or more, not ${seed}.`);
  return seed;
}

function checkEpoch(epoch: EpochRecord): void {
  if (!Number.isInteger(epoch.epoch) || epoch.epoch < 1) {
    throw invalid(`Epochs are numbered from 1, so ${epoch.epoch} is not an epoch number.`);
  }
  for (const [name, value] of Object.entries(epoch.metrics)) {
    if (typeof value !== 'number')
      throw invalid(`The metric "${name}" of epoch ${epoch.epoch} is not a number.`);
  }
}

interface RunRow {
  project_id: number;
  dataset_id: number | null;
  seed: number;
  backend: BackendName | null;
  status: RunStatus;
  error: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  params: number | null;
  best_epoch: number | null;
  epochs_done: number;
  last_metrics: string | null;
  headline_metric: HeadlineMetric | null;
  headline_value: number | null;
  owner_host: string | null;
  owner_pid: number | null;
  owner_token: string | null;
}

/** Inserts a run with its details; the settings columns come from the document. */
function insertRun(
  ctx: Context,
  row: RunRow,
  document: ProjectDocument,
  details: { test: TestMetrics | null; predictions: Predictions | null },
): number {
  const t = document.training;
  const info = sql(
    ctx.db,
    `INSERT INTO runs (project_id, dataset_id, seed, backend, status, error, created_at, started_at, ended_at, params,
       best_epoch, optimizer, learning_rate, batch_size, epochs, epochs_done, last_metrics, headline_metric,
       headline_value, owner_host, owner_pid, owner_token)
     VALUES (@project_id, @dataset_id, @seed, @backend, @status, @error, @created_at, @started_at, @ended_at, @params,
       @best_epoch, @optimizer, @learning_rate, @batch_size, @epochs, @epochs_done, @last_metrics, @headline_metric,
       @headline_value, @owner_host, @owner_pid, @owner_token)`,
  ).run({
    ...row,
    optimizer: t.optimizer,
    learning_rate: t.learningRate,
    batch_size: t.batchSize,
    epochs: t.epochs,
  });
  const id = Number(info.lastInsertRowid);
  sql(
    ctx.db,
    'INSERT INTO run_details (run_id, document, test_metrics, predictions) VALUES (?, ?, ?, ?)',
  ).run(
    id,
    documentToStore(document),
    details.test === null ? null : encodeJson(details.test),
    details.predictions === null ? null : encodeJson(details.predictions),
  );
  return id;
}

export function createRun(ctx: Context, owner: Owner, run: NewRun): RunRecord {
  const datasetId = run.datasetId ?? null;
  const seed = checkSeed(run.seed ?? run.document.training.seed);
  const status = run.status ?? 'queued';
  return ctx.db.transaction(() => {
    checkReferences(ctx, run.projectId, datasetId);
    const time = ctx.now();
    const id = insertRun(
      ctx,
      {
        project_id: run.projectId,
        dataset_id: datasetId,
        seed,
        backend: run.backend ?? null,
        status,
        error: null,
        created_at: time,
        started_at: status === 'running' ? time : null,
        ended_at: null,
        params: null,
        best_epoch: null,
        epochs_done: 0,
        last_metrics: null,
        headline_metric: null,
        headline_value: null,
        owner_host: owner.host,
        owner_pid: owner.pid,
        owner_token: owner.token,
      },
      run.document,
      { test: null, predictions: null },
    );
    const created = getRun(ctx, id);
    if (!created) throw new Error('The run just inserted cannot be read back.');
    return created;
  })();
}

export function startRun(ctx: Context, id: number, start: RunStart): void {
  ctx.db.transaction(() => {
    requireActive(ctx, id);
    sql(
      ctx.db,
      `UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?), backend = ?, params = ? WHERE id = ?`,
    ).run(ctx.now(), start.backend, start.params, id);
  })();
}

export function addEpoch(ctx: Context, runId: number, epoch: EpochRecord): void {
  checkEpoch(epoch);
  const metrics = encodeJson(epoch.metrics);
  ctx.db.transaction(() => {
    requireActive(ctx, runId);
    try {
      sql(
        ctx.db,
        'INSERT INTO run_epochs (run_id, epoch, metrics, learning_rate, seconds) VALUES (?, ?, ?, ?, ?)',
      ).run(runId, epoch.epoch, metrics, epoch.learningRate, epoch.seconds);
    } catch (error) {
      if (sqliteCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw invalid(`Run ${runId} already has epoch ${epoch.epoch}.`);
      }
      throw error;
    }
    // A run still training has no test metrics yet: its headline is this epoch's loss.
    const headline = headlineOf(null, epoch.metrics);
    sql(
      ctx.db,
      `UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?), epochs_done = epochs_done + 1,
         last_metrics = ?, headline_metric = ?, headline_value = ? WHERE id = ?`,
    ).run(ctx.now(), metrics, headline?.metric ?? null, headline?.value ?? null, runId);
  })();
}

function lastMetrics(ctx: Context, runId: number): EpochMetrics | null {
  const row = sql(ctx.db, 'SELECT last_metrics FROM runs WHERE id = ?').get(runId) as {
    last_metrics: string | null;
  };
  return row.last_metrics === null ? null : (decodeJson(row.last_metrics) as EpochMetrics);
}

function writeModel(ctx: Context, runId: number, model: RunModel): void {
  const { artifacts } = model;
  sql(
    ctx.db,
    'INSERT OR REPLACE INTO run_models (run_id, topology, weight_specs, weight_data, preprocessing) VALUES (?, ?, ?, ?, ?)',
  ).run(
    runId,
    JSON.stringify(artifacts.modelTopology ?? null),
    JSON.stringify(artifacts.weightSpecs),
    Buffer.from(artifacts.weightData),
    encodeJson(model.preprocessing ?? null),
  );
}

export function finishRun(ctx: Context, id: number, result: RunResult): void {
  if (result.bestEpoch !== null && (!Number.isInteger(result.bestEpoch) || result.bestEpoch < 1)) {
    throw invalid(`The best epoch of run ${id} must be an epoch number, not ${result.bestEpoch}.`);
  }
  ctx.db.transaction(() => {
    requireActive(ctx, id);
    const headline = headlineOf(result.test, lastMetrics(ctx, id));
    const time = ctx.now();
    sql(
      ctx.db,
      `UPDATE runs SET status = ?, ended_at = ?, started_at = COALESCE(started_at, ?), best_epoch = ?, backend = ?,
         params = ?, headline_metric = ?, headline_value = ? WHERE id = ?`,
    ).run(
      result.status,
      time,
      time,
      result.bestEpoch,
      result.backend,
      result.params,
      headline?.metric ?? null,
      headline?.value ?? null,
      id,
    );
    sql(ctx.db, 'UPDATE run_details SET test_metrics = ?, predictions = ? WHERE run_id = ?').run(
      result.test === null ? null : encodeJson(result.test),
      result.predictions ? encodeJson(result.predictions) : null,
      id,
    );
    if (result.model) writeModel(ctx, id, result.model);
  })();
}

export function failRun(ctx: Context, id: number, failure: { message: string }): void {
  ctx.db.transaction(() => {
    requireActive(ctx, id);
    sql(ctx.db, `UPDATE runs SET status = 'failed', error = ?, ended_at = ? WHERE id = ?`).run(
      failure.message,
      ctx.now(),
      id,
    );
  })();
}

const INTERRUPTED = 'The program recording this run stopped before the run finished.';

export function interruptRun(ctx: Context, id: number, reason: string = INTERRUPTED): void {
  ctx.db.transaction(() => {
    requireActive(ctx, id);
    sql(ctx.db, `UPDATE runs SET status = 'interrupted', error = ?, ended_at = ? WHERE id = ?`).run(
      reason,
      ctx.now(),
      id,
    );
  })();
}

/** Marks runs whose recording process is gone as interrupted; their epochs stay. Returns their ids. */
export function interruptOrphanedRuns(ctx: Context): number[] {
  const activeRuns = () =>
    sql(
      ctx.db,
      `SELECT id, owner_host, owner_pid, owner_token FROM runs WHERE status IN ('queued', 'running')`,
    ).all() as {
      id: number;
      owner_host: string | null;
      owner_pid: number | null;
      owner_token: string | null;
    }[];
  // Look first without a write lock: usually nothing is left behind, and opening should not wait on a writer.
  if (!activeRuns().some(isOrphaned)) return [];
  return ctx.db
    .transaction(() => {
      const orphaned = activeRuns()
        .filter(isOrphaned)
        .map((run) => run.id);
      for (const id of orphaned) interruptRun(ctx, id);
      return orphaned;
    })
    .immediate();
}

/** Interrupts the runs this connection still has open (it is closing, so they can record nothing more). */
export function interruptOwnRuns(ctx: Context, owner: Owner): void {
  ctx.db.transaction(() => {
    const own = sql(
      ctx.db,
      `SELECT id FROM runs WHERE status IN ('queued', 'running') AND owner_token = ?`,
    ).all(owner.token) as { id: number }[];
    for (const { id } of own) interruptRun(ctx, id);
  })();
}

export function deleteRun(ctx: Context, id: number): void {
  ctx.db.transaction(() => {
    requireRun(ctx, id);
    sql(ctx.db, 'DELETE FROM runs WHERE id = ?').run(id);
  })();
}

export function importRun(ctx: Context, run: RunImport): number {
  const seed = checkSeed(run.seed);
  run.epochs.forEach(checkEpoch);
  return ctx.db.transaction(() => {
    checkReferences(ctx, run.projectId, run.datasetId);
    const last = run.epochs.reduce<EpochRecord | null>(
      (a, b) => (a === null || b.epoch > a.epoch ? b : a),
      null,
    );
    const headline = headlineOf(run.test, last?.metrics ?? null);
    const id = insertRun(
      ctx,
      {
        project_id: run.projectId,
        dataset_id: run.datasetId,
        seed,
        backend: run.backend,
        status: run.status,
        error: run.error,
        created_at: run.createdAt,
        started_at: run.startedAt,
        ended_at: run.endedAt,
        params: run.params,
        best_epoch: run.bestEpoch,
        epochs_done: run.epochs.length,
        last_metrics: last ? encodeJson(last.metrics) : null,
        headline_metric: headline?.metric ?? null,
        headline_value: headline?.value ?? null,
        // Nobody records an imported run: it is never taken for one left running.
        owner_host: null,
        owner_pid: null,
        owner_token: null,
      },
      run.document,
      { test: run.test, predictions: run.predictions },
    );
    const insertEpoch = sql(
      ctx.db,
      'INSERT INTO run_epochs (run_id, epoch, metrics, learning_rate, seconds) VALUES (?, ?, ?, ?, ?)',
    );
    for (const epoch of run.epochs) {
      try {
        insertEpoch.run(id, epoch.epoch, encodeJson(epoch.metrics), epoch.learningRate, epoch.seconds);
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw invalid(`The run lists epoch ${epoch.epoch} twice.`);
        }
        throw error;
      }
    }
    if (run.model) writeModel(ctx, id, run.model);
    return id;
  })();
}
