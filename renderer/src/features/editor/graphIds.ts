import type { Graph } from '../../../../shared/graph/document';

/** The first free id of the form `dense1`, `dense2`… (the presets name their blocks the same way). */
export function newNodeId(graph: Graph, kind: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set(graph.nodes.map((n) => n.id));
  const base = kind.replace(/[^A-Za-z0-9_-]/g, '') || 'block';
  for (let n = 1; ; n++) {
    const id = `${base}${n}`;
    if (!used.has(id) && !taken.has(id)) return id;
  }
}

/** A unique edge id named after its ends. */
export function newEdgeId(graph: Graph, source: string, target: string): string {
  const used = new Set(graph.edges.map((e) => e.id));
  const base = `e-${source}-${target}`;
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}
