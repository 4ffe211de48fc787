import type { Graph } from './document';

export interface ChainBlock {
  kind: string;
  params?: Record<string, unknown>;
  id?: string;
  frozen?: boolean;
}

/** A Sequential graph from blocks in order, laid out top to bottom, each connected to the next. */
export function sequentialGraph(blocks: readonly ChainBlock[], spacing = 110): Graph {
  const nodes = blocks.map((b, i) => ({
    id: b.id ?? `${b.kind}-${i + 1}`,
    kind: b.kind,
    params: b.params ?? {},
    position: { x: 0, y: i * spacing },
    frozen: b.frozen ?? false,
  }));
  const edges = nodes.slice(1).map((n, i) => ({
    id: `e-${nodes[i]!.id}-${n.id}`,
    source: nodes[i]!.id,
    target: n.id,
    sourcePort: 'out',
    targetPort: 'in',
  }));
  return { nodes, edges };
}
