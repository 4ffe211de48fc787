import { openDb } from '../db';
import { UsageError } from '../errors';
import { duration, fmt, table } from '../format';
import { metricsTable } from './train';
import type { CommandContext } from '../context';

export function runIdArg(raw: string | undefined): number {
  const id = Number(raw);
  if (!raw || !Number.isInteger(id) || id <= 0)
    throw new UsageError(`A run id is a whole number (see \`nwb runs\`), not ${JSON.stringify(raw ?? '')}.`);
  return id;
}

/** `nwb show <run-id>`: one run with its settings, epoch table and test metrics. */
export function showCommand(ctx: CommandContext): number {
  const id = runIdArg(ctx.args[0]);
  const storage = openDb(ctx);
  try {
    const run = storage.getRun(id);
    if (!run) throw new UsageError(`There is no run ${id}: see \`nwb runs\`.`);
    const epochs = storage.getRunEpochs(id);
    if (ctx.json) {
      const { document: _doc, ...rest } = run;
      ctx.out(JSON.stringify({ ...rest, training: run.document.training, epochs }));
      return 0;
    }
    const s = run.document.training;
    ctx.out(`Run ${run.id} of "${run.projectName}": ${run.status}${run.error ? ` (${run.error})` : ''}`);
    ctx.out(
      `Backend ${run.backend ?? '–'}, ${run.params?.toLocaleString('en-US') ?? '–'} parameters, ${s.optimizer} lr ${s.learningRate}, batch ${s.batchSize}, ${s.epochs} epochs, seed ${run.seed}`,
    );
    if (epochs.length > 0) {
      const keys = Object.keys(epochs[0]!.metrics);
      ctx.out(
        table(
          ['epoch', ...keys, 'lr', 'time'],
          epochs.map((e) => [
            e.epoch,
            ...keys.map((k) => fmt(e.metrics[k])),
            fmt(e.learningRate),
            duration(e.seconds ?? NaN),
          ]),
          ['r', ...keys.map(() => 'r' as const), 'r', 'r'],
        ),
      );
    }
    if (run.test) {
      ctx.out(`\nTest metrics${run.bestEpoch ? ` (weights of epoch ${run.bestEpoch})` : ''}:`);
      ctx.out(metricsTable(run.test));
    }
    return 0;
  } finally {
    storage.close();
  }
}
