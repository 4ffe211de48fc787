import { backendChoiceSchema, type TrainerEvent } from '../../../shared/api/trainer';
import {
  analyzeGraph,
  optimizerKinds,
  trainingSettingsSchema,
  type ProjectDocument,
} from '../../../shared/graph';
import type { TestMetrics } from '../../../shared/metrics/types';
import { dataLocationFor } from '../../services/dataLocation';
import { RunManager } from '../../services/runManager';
import type { TrainerOutcome } from '../../services/trainerProcess';
import { openDb } from '../db';
import { loadTrainingData } from '../../trainer/loadData';
import { UsageError } from '../errors';
import { bar, duration, fmt, table } from '../format';
import { loadProjectArg } from '../project';
import type { CommandContext } from '../context';

function numberFlag(ctx: CommandContext, name: string, integer: boolean): number | undefined {
  const raw = ctx.flags[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (
    typeof raw !== 'string' ||
    !Number.isFinite(value) ||
    value <= 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new UsageError(
      `--${name} needs a ${integer ? 'whole ' : ''}number above 0 (got ${JSON.stringify(raw)}).`,
    );
  }
  return value;
}

/** The document's settings with the command line's overrides applied and checked. */
export function applyOverrides(doc: ProjectDocument, ctx: CommandContext): ProjectDocument {
  const optimizer = ctx.flags.optimizer;
  if (optimizer !== undefined && !optimizerKinds.includes(optimizer as never)) {
    throw new UsageError(
      `Unknown optimizer "${String(optimizer)}": choose one of ${optimizerKinds.join(', ')}.`,
    );
  }
  const seedRaw = ctx.flags.seed;
  const seed = seedRaw === undefined ? undefined : Number(seedRaw);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0))
    throw new UsageError(`--seed needs a whole number of 0 or more (got ${JSON.stringify(seedRaw)}).`);
  const merged = {
    ...doc.training,
    ...(numberFlag(ctx, 'epochs', true) !== undefined ? { epochs: numberFlag(ctx, 'epochs', true) } : {}),
    ...(numberFlag(ctx, 'batch-size', true) !== undefined
      ? { batchSize: numberFlag(ctx, 'batch-size', true) }
      : {}),
    ...(numberFlag(ctx, 'lr', false) !== undefined ? { learningRate: numberFlag(ctx, 'lr', false) } : {}),
    ...(optimizer !== undefined ? { optimizer } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
  const parsed = trainingSettingsSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`Invalid training setting ${issue.path.join('.')}: ${issue.message}.`);
  }
  return { ...doc, training: parsed.data };
}

/** --threads N: how many threads the wasm and cpu backends train on (1 to 64); absent: automatic. */
export function threadsFlag(ctx: CommandContext): number | undefined {
  const raw = ctx.flags.threads;
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(`--threads needs a whole number from 1 to 64, not ${JSON.stringify(raw)}.`);
  return n;
}

export function backendFlag(ctx: CommandContext) {
  const raw = ctx.flags.backend ?? 'auto';
  const parsed = backendChoiceSchema.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(`Unknown backend "${String(raw)}": choose auto, tensorflow, wasm or cpu.`);
  return parsed.data;
}

/** Prints a run's progress as it trains: a bar per epoch for people, JSON lines for scripts. */
export function progressPrinter(ctx: CommandContext, tty: boolean): (e: TrainerEvent) => void {
  let epochStarted = Date.now();
  return (e) => {
    switch (e.type) {
      case 'started':
        epochStarted = Date.now();
        if (ctx.json)
          ctx.out(
            JSON.stringify({
              type: 'started',
              backend: e.backend,
              backend_reason: e.backendReason,
              params: e.params,
              train_samples: e.trainSamples,
              test_samples: e.testSamples,
            }),
          );
        else
          ctx.err(
            `Training on ${e.backend} (${e.backendReason}): ${e.params.toLocaleString('en-US')} parameters, ${e.trainSamples.toLocaleString('en-US')} training and ${e.testSamples.toLocaleString('en-US')} test samples.`,
          );
        return;
      case 'batch':
        if (!ctx.json && tty) {
          const elapsed = (Date.now() - epochStarted) / 1000;
          const left = (elapsed / e.batch) * (e.batches - e.batch);
          process.stderr.write(
            `\rEpoch ${e.epoch} ${bar(e.batch / e.batches)} ${e.batch}/${e.batches} loss ${fmt(e.loss)} ${duration(left)} left   `,
          );
        }
        return;
      case 'epoch': {
        epochStarted = Date.now();
        if (ctx.json) {
          ctx.out(
            JSON.stringify({
              type: 'epoch',
              epoch: e.epoch,
              epochs: e.epochs,
              metrics: e.metrics,
              learning_rate: e.learningRate,
              seconds: e.seconds,
              samples_per_second: e.samplesPerSecond,
            }),
          );
        } else {
          const m = Object.entries(e.metrics)
            .map(([k, v]) => `${k} ${fmt(v)}`)
            .join('  ');
          if (tty) process.stderr.write('\r\x1b[K');
          ctx.err(
            `Epoch ${String(e.epoch).padStart(String(e.epochs).length)}/${e.epochs} ${bar(1, 12)} ${m}  (${duration(e.seconds)}, ${Math.round(e.samplesPerSecond).toLocaleString('en-US')} samples/s)`,
          );
        }
        return;
      }
      case 'ready':
      case 'done':
      case 'failed':
        return;
    }
  };
}

export function metricsTable(test: TestMetrics): string {
  switch (test.task) {
    case 'regression':
      return table(
        ['metric', 'value'],
        [
          ['MSE', fmt(test.mse)],
          ['RMSE', fmt(test.rmse)],
          ['MAE', fmt(test.mae)],
          ['R²', fmt(test.r2)],
        ],
        ['l', 'r'],
      );
    case 'binary':
    case 'multiclass': {
      const rows = test.report.classes.map((c) => [
        c.name,
        fmt(c.precision),
        fmt(c.recall),
        fmt(c.f1),
        c.support,
      ]);
      const summary =
        `Accuracy ${fmt(test.accuracy)}` + (test.auc !== undefined ? `   AUC ${fmt(test.auc)}` : '');
      const names = test.report.classes.map((c) => c.name);
      const confusion = table(
        ['true \\ predicted', ...names],
        test.confusion_matrix.map((r, i) => [names[i] ?? String(i), ...r]),
        ['l', ...names.map(() => 'r' as const)],
      );
      return [
        summary,
        table(['class', 'precision', 'recall', 'f1', 'support'], rows, ['l', 'r', 'r', 'r', 'r']),
        '',
        'Confusion matrix',
        confusion,
      ].join('\n');
    }
  }
}

/** Maps a run's outcome to the exit code: bad data or network = 2, a failed run = 1. */
export function outcomeExitCode(o: TrainerOutcome): number {
  switch (o.type) {
    case 'done':
      return 0;
    case 'failed':
      return o.code === 'data' || o.code === 'model' ? 2 : 1;
    case 'crashed':
      return 1;
  }
}

/** `nwb train <project|preset>`: trains in a trainer process, records the run, prints progress and the test metrics. */
export async function trainCommand(ctx: CommandContext): Promise<number> {
  const loaded = loadProjectArg(ctx.args[0]);
  const document = applyOverrides(loaded.document, ctx);
  const analysis = analyzeGraph(document.graph);
  if (!analysis.ok) {
    const first = analysis.issues[0];
    const more =
      analysis.issues.length > 1 ? ` (and ${analysis.issues.length - 1} more: see \`nwb inspect\`)` : '';
    throw new UsageError(
      `The network is not valid: ${first ? (first.nodeId ? `${first.nodeId}: ` : '') + first.message : 'it does not reach the Output'}${more}`,
    );
  }
  const backend = backendFlag(ctx);
  const threads = threadsFlag(ctx);
  // Bad data is refused before a run is recorded: tables are checked here (they load in well under a
  // second); the trainer loads them again in its own process.
  const location = dataLocationFor(document, { baseDir: loaded.baseDir });
  if (location.kind === 'csv') await loadTrainingData(document, location);
  const storage = openDb(ctx);
  try {
    const project = storage.getProjectByName(document.name) ?? storage.createProject(loaded.document);
    const print = progressPrinter(ctx, process.stderr.isTTY === true);
    const manager = new RunManager({ storage, onTrainerEvent: print });
    const fromRun = ctx.flags['from-run'];
    let fromRunId: number | undefined;
    if (fromRun !== undefined) {
      fromRunId = Number(fromRun);
      if (!Number.isInteger(fromRunId) || !storage.getRunModel(fromRunId)) {
        throw new UsageError(
          `--from-run needs the id of a finished run with a trained model (see \`nwb runs\`), not ${JSON.stringify(fromRun)}.`,
        );
      }
    }
    const run = manager.start(project.id, {
      backend,
      ...(threads !== undefined ? { threads } : {}),
      document,
      baseDir: loaded.baseDir,
      ...(fromRunId ? { fromRunId } : {}),
    });
    if (ctx.json)
      ctx.out(JSON.stringify({ type: 'run', run_id: run.id, project: project.name, db: storage.path }));
    else ctx.err(`Run ${run.id} of project "${project.name}" (database ${storage.path})`);
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      if (interrupts === 1) {
        ctx.err('\nStopping after this batch (Ctrl+C again to abort)…');
        manager.stop(run.id);
      } else manager.dispose();
    };
    process.on('SIGINT', onSigint);
    const outcome = await manager.outcome(run.id)!;
    process.off('SIGINT', onSigint);
    switch (outcome.type) {
      case 'done':
        if (ctx.json) {
          ctx.out(
            JSON.stringify({
              type: 'done',
              run_id: run.id,
              status: outcome.status,
              backend: outcome.backend,
              params: outcome.params,
              best_epoch: outcome.bestEpoch,
              test: outcome.test,
            }),
          );
        } else {
          ctx.out(
            `Run ${run.id} ${outcome.status === 'stopped' ? 'stopped' : 'finished'} on ${outcome.backend}${outcome.bestEpoch ? `, weights of epoch ${outcome.bestEpoch}` : ''}. Test metrics:`,
          );
          ctx.out(metricsTable(outcome.test));
        }
        break;
      case 'failed':
      case 'crashed':
        if (ctx.json)
          ctx.out(
            JSON.stringify({
              type: 'failed',
              run_id: run.id,
              code: outcome.type === 'failed' ? outcome.code : 'crashed',
              message: outcome.message,
            }),
          );
        ctx.err(`nwb: ${outcome.message}`);
        break;
    }
    return outcomeExitCode(outcome);
  } finally {
    storage.close();
  }
}
