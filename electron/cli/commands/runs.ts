import type { RunSummary } from '../../services/storage';
import { openDb } from '../db';
import { UsageError } from '../errors';
import { fmt, table } from '../format';
import type { CommandContext } from '../context';

export function headlineText(run: Pick<RunSummary, 'headline'>): string {
  if (!run.headline) return '–';
  const names = { accuracy: 'accuracy', r2: 'R²', val_loss: 'val_loss', loss: 'loss' } as const;
  return `${names[run.headline.metric]} ${fmt(run.headline.value)}`;
}

/** `nwb runs [--project NAME]`: the run history, newest first. */
export function runsCommand(ctx: CommandContext): number {
  const storage = openDb(ctx);
  try {
    let projectId: number | undefined;
    if (typeof ctx.flags.project === 'string') {
      const project = storage.getProjectByName(ctx.flags.project);
      if (!project) throw new UsageError(`No project named "${ctx.flags.project}": see \`nwb projects\`.`);
      projectId = project.id;
    }
    const runs = storage.listRuns(projectId !== undefined ? { projectId } : {});
    if (ctx.json) {
      ctx.out(JSON.stringify(runs));
      return 0;
    }
    if (runs.length === 0) {
      ctx.out('No runs yet: `nwb train <project|preset>` records one.');
      return 0;
    }
    ctx.out(
      table(
        ['id', 'project', 'status', 'started', 'epochs', 'optimizer', 'lr', 'batch', 'result'],
        runs.map((r) => [
          r.id,
          r.projectName,
          r.status,
          (r.startedAt ?? r.createdAt).replace('T', ' ').slice(0, 19),
          `${r.epochsDone}/${r.settings.epochs}`,
          r.settings.optimizer,
          fmt(r.settings.learningRate),
          r.settings.batchSize,
          headlineText(r),
        ]),
        ['r', 'l', 'l', 'l', 'r', 'l', 'r', 'r', 'l'],
      ),
    );
    return 0;
  } finally {
    storage.close();
  }
}
