import type { Graph } from '../../../../shared/graph/document';
import { chainFromInput, type Position } from './graphOps';
import { COLUMN, ROW } from './layoutConstants';

function follow(graph: Graph, start: string, placed: Set<string>): string[] {
  const run: string[] = [];
  let current: string | undefined = start;
  while (current !== undefined && !placed.has(current)) {
    placed.add(current);
    run.push(current);
    const from: string = current;
    current = graph.edges.find((e) => e.source === from && !placed.has(e.target))?.target;
  }
  return run;
}

/**
 * Positions for every block: the chain from the Input top to bottom in the first column, every other
 * run of connected blocks in its own column beside it, in the order they stood on the canvas.
 */
export function autoLayout(graph: Graph): Record<string, Position> {
  const placed = new Set<string>();
  const columns: string[][] = [];
  const main = chainFromInput(graph);
  for (const id of main) placed.add(id);
  if (main.length > 0) columns.push(main);

  const rest = graph.nodes
    .filter((n) => !placed.has(n.id))
    .sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y);
  const restIds = new Set(rest.map((n) => n.id));
  const roots = rest.filter((n) => !graph.edges.some((e) => e.target === n.id && restIds.has(e.source)));
  for (const root of roots) {
    const run = follow(graph, root.id, placed);
    if (run.length > 0) columns.push(run);
  }
  // Whatever is left sits on a loop with no start: one column for each, in canvas order.
  for (const n of rest) {
    const run = follow(graph, n.id, placed);
    if (run.length > 0) columns.push(run);
  }

  const positions: Record<string, Position> = {};
  columns.forEach((column, c) => {
    column.forEach((id, i) => {
      positions[id] = { x: c * COLUMN, y: i * ROW };
    });
  });
  return positions;
}
