import { formatShape, getBlock, type BlockGroup } from '../../../../shared/blocks';
import type { GraphNode } from '../../../../shared/graph/document';
import type { NodeAnalysis } from '../../../../shared/graph/validate';

/** What the canvas shows of one block: everything derived, nothing of React Flow. */
export interface BlockView {
  id: string;
  kind: string;
  /** The block kind's name ("Dense"), or the unknown kind itself. */
  kindLabel: string;
  /** The node's own name: its label, else its id. */
  name: string;
  group: BlockGroup | null;
  summary: string;
  /** "24" or "32×32×3"; null when the shape cannot be worked out (an error upstream). */
  shape: string | null;
  params: number;
  trainable: number;
  errors: string[];
  frozen: boolean;
  ports: { input: boolean; output: boolean };
  ariaLabel: string;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

function summaryOf(node: GraphNode, analysis: NodeAnalysis | undefined): string {
  const block = getBlock(node.kind);
  if (!block) return '';
  const params = analysis?.params ?? block.schema.safeParse(node.params).data;
  if (!params) return '';
  try {
    return block.summary(params);
  } catch {
    return '';
  }
}

/** A block as the canvas draws and a screen reader announces it. */
export function blockView(node: GraphNode, analysis: NodeAnalysis | undefined): BlockView {
  const block = getBlock(node.kind);
  const shape = analysis?.outputShape ? formatShape(analysis.outputShape) : null;
  const params = (analysis?.paramCount.trainable ?? 0) + (analysis?.paramCount.fixed ?? 0);
  const errors = analysis?.errors ?? [];
  const kindLabel = block?.label ?? node.kind;
  const name = node.label ?? node.id;
  const parts = [`output ${shape ?? 'unknown'}`, plural(params, 'parameter', 'parameters')];
  if (node.frozen) parts.push('frozen');
  let ariaLabel = `${kindLabel} block ${name}: ${parts.join(', ')}`;
  if (errors.length > 0) ariaLabel += `. Problem: ${errors.join(' ')}`;
  return {
    id: node.id,
    kind: node.kind,
    kindLabel,
    name,
    group: block?.group ?? null,
    summary: summaryOf(node, analysis),
    shape,
    params,
    trainable: analysis?.paramCount.trainable ?? 0,
    errors,
    frozen: node.frozen,
    ports: block?.ports ?? { input: true, output: true },
    ariaLabel,
  };
}
