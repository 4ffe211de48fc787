import { getBlock } from '../../../../shared/blocks';
import type { Graph, GraphNode } from '../../../../shared/graph/document';

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

function name(node: GraphNode): string {
  const label = getBlock(node.kind)?.label ?? node.kind;
  return `${label} (${node.label ?? node.id})`;
}

/** Whether `target` can be reached from `start` by following connections. */
function reaches(graph: Graph, start: string, target: string): boolean {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of graph.edges) if (e.source === id) stack.push(e.target);
  }
  return false;
}

/**
 * Whether a connection from `source` to `target` may be drawn, and if not, why (shown to the user).
 * Networks are one chain for now, so a block takes one input and feeds one block.
 */
export function checkConnection(graph: Graph, source: string, target: string): ConnectionCheck {
  const from = graph.nodes.find((n) => n.id === source);
  const to = graph.nodes.find((n) => n.id === target);
  if (!from || !to) return { ok: false, reason: 'That block no longer exists: draw the connection again.' };
  if (source === target) {
    return {
      ok: false,
      reason: 'A block cannot be connected to itself: connect it to the next block instead.',
    };
  }
  const fromBlock = getBlock(from.kind);
  const toBlock = getBlock(to.kind);
  if (fromBlock && !fromBlock.ports.output) {
    return {
      ok: false,
      reason: `${name(from)} is the end of the network: connect blocks into it, not out of it.`,
    };
  }
  if (toBlock && !toBlock.ports.input) {
    return {
      ok: false,
      reason: `${name(to)} is where data enters and takes no input: connect out of it instead.`,
    };
  }
  if (graph.edges.some((e) => e.target === target)) {
    return {
      ok: false,
      reason: `${name(to)} already has an input: delete that connection first (click it and press Delete).`,
    };
  }
  if (graph.edges.some((e) => e.source === source)) {
    return {
      ok: false,
      reason: `${name(from)} already feeds a block and branches are not supported yet: delete that connection first.`,
    };
  }
  if (reaches(graph, target, source)) {
    return {
      ok: false,
      reason: 'That connection would make a loop: a network must flow one way, from Input to Output.',
    };
  }
  return { ok: true };
}
