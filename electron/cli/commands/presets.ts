import { compileGraph } from '../../../shared/graph';
import { listPresets } from '../../services/presets';
import { table } from '../format';
import type { CommandContext } from '../context';

export function presetsCommand(ctx: CommandContext): number {
  const presets = listPresets().map((p) => {
    const compiled = compileGraph(p.document.graph, { seed: 0 });
    return {
      id: p.id,
      name: p.document.name,
      task: compiled.analysis.task,
      params: compiled.analysis.totals.total,
      dataset: p.document.data?.source.kind === 'builtin' ? p.document.data.source.name : null,
      description: p.document.description,
    };
  });
  if (ctx.json) ctx.out(JSON.stringify(presets));
  else
    ctx.out(
      table(
        ['preset', 'name', 'task', 'params', 'dataset'],
        presets.map((p) => [p.id, p.name, p.task ?? '–', p.params.toLocaleString('en-US'), p.dataset ?? '–']),
        ['l', 'l', 'l', 'r', 'l'],
      ),
    );
  return 0;
}
