import { getBlock, formatShape } from '../../../shared/blocks';
import { analyzeGraph } from '../../../shared/graph';
import { loadProjectArg } from '../project';
import { table } from '../format';
import type { CommandContext } from '../context';

/** `nwb inspect`: the layer table (like Keras's summary()) and every validation error. */
export function inspectCommand(ctx: CommandContext): number {
  const { document } = loadProjectArg(ctx.args[0]);
  const analysis = analyzeGraph(document.graph);
  const byId = new Map(document.graph.nodes.map((n) => [n.id, n]));
  const ordered = [
    ...analysis.chain,
    ...document.graph.nodes.map((n) => n.id).filter((id) => !analysis.chain.includes(id)),
  ];
  const layers = ordered.map((id) => {
    const node = byId.get(id)!;
    const a = analysis.nodes[id]!;
    return {
      id,
      kind: node.kind,
      block: getBlock(node.kind)?.label ?? node.kind,
      output_shape: a.outputShape ? [...a.outputShape] : null,
      params: a.paramCount.trainable + a.paramCount.fixed,
      trainable: a.paramCount.trainable,
      frozen: node.frozen,
      errors: a.errors,
    };
  });
  const errors = analysis.issues.map((i) => ({ node: i.nodeId ?? null, message: i.message }));
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        name: document.name,
        ok: analysis.ok,
        task: analysis.task,
        loss: analysis.loss,
        layers,
        total: analysis.totals.total,
        trainable: analysis.totals.trainable,
        non_trainable: analysis.totals.nonTrainable,
        errors,
      }),
    );
  } else {
    ctx.out(`${document.name}`);
    ctx.out(
      table(
        ['block', 'id', 'output shape', 'params'],
        layers.map((l) => [
          l.block + (l.frozen ? ' (frozen)' : ''),
          l.id,
          l.output_shape ? formatShape(l.output_shape) : '?',
          l.params.toLocaleString('en-US'),
        ]),
        ['l', 'l', 'r', 'r'],
      ),
    );
    ctx.out(`Total params: ${analysis.totals.total.toLocaleString('en-US')}`);
    ctx.out(`Trainable params: ${analysis.totals.trainable.toLocaleString('en-US')}`);
    ctx.out(`Non-trainable params: ${analysis.totals.nonTrainable.toLocaleString('en-US')}`);
  }
  for (const e of errors) ctx.err(e.node ? `${e.node}: ${e.message}` : e.message);
  return analysis.ok ? 0 : 2;
}
