import type { RunRecord } from '../../services/storage';
import { openDb } from '../db';
import { UsageError } from '../errors';
import { fmt, table } from '../format';
import { runIdArg } from './show';
import type { CommandContext } from '../context';

/** The settings a student compares runs by, as label -> text. */
export function settingRows(run: RunRecord): [string, string][] {
  const s = run.document.training;
  const d = run.document.data;
  return [
    ['optimizer', s.optimizer],
    ['learning rate', String(s.learningRate)],
    ['momentum', s.optimizer === 'momentum' ? String(s.momentum) : '–'],
    ['batch size', String(s.batchSize)],
    ['epochs', String(s.epochs)],
    ['shuffle', String(s.shuffle)],
    ['seed', String(s.seed)],
    ['weight decay', String(s.weightDecay)],
    [
      'lr schedule',
      s.lrSchedule.kind === 'step' ? `step every ${s.lrSchedule.every} ×${s.lrSchedule.gamma}` : 'none',
    ],
    [
      'early stopping',
      s.earlyStopping ? `${s.earlyStopping.monitor}, patience ${s.earlyStopping.patience}` : 'off',
    ],
    ['restore best', String(s.restoreBest)],
    ['test split', d ? String(d.testFraction) : '–'],
    ['backend', run.backend ?? '–'],
    ['parameters', run.params?.toLocaleString('en-US') ?? '–'],
  ];
}

function metricRows(run: RunRecord, lastEpoch: Record<string, number> | undefined): [string, string][] {
  const t = run.test;
  const rows: [string, string][] = [
    ['status', run.status],
    ['epochs done', String(run.epochsDone)],
    ['best epoch', run.bestEpoch ? String(run.bestEpoch) : '–'],
    ['final loss', fmt(lastEpoch?.loss)],
    ['final val_loss', fmt(lastEpoch?.val_loss)],
  ];
  if (t?.task === 'regression')
    rows.push(
      ['test mse', fmt(t.mse)],
      ['test rmse', fmt(t.rmse)],
      ['test mae', fmt(t.mae)],
      ['test r2', fmt(t.r2)],
    );
  else if (t)
    rows.push(
      ['test accuracy', fmt(t.accuracy)],
      ['test auc', fmt(t.auc)],
      ['test macro f1', fmt(t.report.macro_avg.f1)],
    );
  return rows;
}

/** `nwb compare <run-id>…`: settings and metrics side by side, the settings that differ marked. */
export function compareCommand(ctx: CommandContext): number {
  if (ctx.args.length < 2)
    throw new UsageError('Name at least two runs to compare: nwb compare <run-id> <run-id>…');
  const ids = ctx.args.map(runIdArg);
  const storage = openDb(ctx);
  try {
    const runs = ids.map((id) => {
      const run = storage.getRun(id);
      if (!run) throw new UsageError(`There is no run ${id}: see \`nwb runs\`.`);
      return run;
    });
    const lasts = runs.map((r) => storage.getRunEpochs(r.id).at(-1)?.metrics);
    const settings = runs.map(settingRows);
    const metrics = runs.map((r, i) => metricRows(r, lasts[i]));
    const labels = settings[0]!.map(([label]) => label);
    const differing = labels.filter((_, row) => new Set(settings.map((s) => s[row]![1])).size > 1);
    if (ctx.json) {
      ctx.out(
        JSON.stringify({
          runs: runs.map((r, i) => ({
            id: r.id,
            project: r.projectName,
            settings: Object.fromEntries(settings[i]!),
            metrics: Object.fromEntries(metrics[i]!),
            test: r.test,
          })),
          differing,
        }),
      );
      return 0;
    }
    const header = ['', ...runs.map((r) => `run ${r.id}`)];
    const settingTable = labels.map((label, row) => [
      (differing.includes(label) ? '* ' : '  ') + label,
      ...settings.map((s) => s[row]![1]),
    ]);
    ctx.out(table(header, settingTable));
    ctx.out('');
    const metricLabels = metrics[0]!.map(([l]) => l);
    ctx.out(
      table(
        header,
        metricLabels.map((label, row) => ['  ' + label, ...metrics.map((m) => m[row]?.[1] ?? '–')]),
      ),
    );
    ctx.out(
      differing.length > 0
        ? `\n* differs between the runs: ${differing.join(', ')}`
        : '\nThe runs have the same settings.',
    );
    return 0;
  } finally {
    storage.close();
  }
}
