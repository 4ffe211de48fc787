// Edit operations on the graph document: pure functions, graph in, new graph out. Unchanged nodes and
// edges keep their identity so that undo snapshots share them.
import { getBlock } from '../../../../shared/blocks';
import type { Graph, GraphEdge, GraphNode } from '../../../../shared/graph/document';
import { checkConnection } from './connectionRules';
import { newEdgeId, newNodeId } from './graphIds';
import { COLUMN, ROW } from './layoutConstants';

export interface Position {
  x: number;
  y: number;
}

export interface AddResult {
  graph: Graph;
  id: string;
}

function makeEdge(graph: Graph, source: string, target: string): GraphEdge {
  return { id: newEdgeId(graph, source, target), source, target, sourcePort: 'out', targetPort: 'in' };
}

function makeNode(
  graph: Graph,
  kind: string,
  position: Position,
  params: Record<string, unknown> = {},
): GraphNode {
  return {
    id: newNodeId(graph, kind),
    kind,
    params,
    position: { x: position.x, y: position.y },
    frozen: false,
  };
}

const hasInput = (kind: string) => getBlock(kind)?.ports.input ?? true;
const hasOutput = (kind: string) => getBlock(kind)?.ports.output ?? true;

/** Adds a block at a position, unconnected. */
export function addBlock(graph: Graph, kind: string, position: Position): AddResult {
  const node = makeNode(graph, kind, position);
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id: node.id };
}

/** Node ids from the first Input along the connections, as far as they go. */
export function chainFromInput(graph: Graph): string[] {
  const first = graph.nodes.find((n) => n.kind === 'input');
  const chain: string[] = [];
  const seen = new Set<string>();
  let current = first?.id;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    chain.push(current);
    const from: string = current;
    current = graph.edges.find((e) => e.source === from)?.target;
  }
  return chain;
}

function nodesDownstream(graph: Graph, start: string): Set<string> {
  const found = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    for (const e of graph.edges) if (e.source === id) stack.push(e.target);
  }
  return found;
}

function lowestPosition(graph: Graph): Position {
  const lowest = graph.nodes.reduce<GraphNode | undefined>(
    (a, n) => (!a || n.position.y > a.position.y ? n : a),
    undefined,
  );
  return lowest ? { x: lowest.position.x, y: lowest.position.y + ROW } : { x: 0, y: 0 };
}

/** Adds an Input above the one chain that has no input yet, connected to it. */
function addInput(graph: Graph, kind: string): AddResult {
  const roots = graph.nodes.filter(
    (n) => hasInput(n.kind) && !graph.edges.some((e) => e.target === n.id) && n.kind !== 'input',
  );
  const alreadyHasInput = graph.nodes.some((n) => n.kind === 'input');
  const root = roots.length === 1 && !alreadyHasInput ? roots[0] : undefined;
  if (!root) {
    const top = graph.nodes.reduce<GraphNode | undefined>(
      (a, n) => (!a || n.position.y < a.position.y ? n : a),
      undefined,
    );
    const position = top
      ? { x: top.position.x + (alreadyHasInput ? COLUMN : 0), y: top.position.y - ROW }
      : { x: 0, y: 0 };
    return addBlock(graph, kind, position);
  }
  const node = makeNode(graph, kind, { x: root.position.x, y: root.position.y - ROW });
  const withNode = { ...graph, nodes: [...graph.nodes, node] };
  return {
    graph: { ...withNode, edges: [...graph.edges, makeEdge(withNode, node.id, root.id)] },
    id: node.id,
  };
}

/** The block a new one goes after when none is selected: the end of the chain, before its Output. */
function resolveAnchor(graph: Graph, selectedId: string | null): GraphNode | undefined {
  const byId = (id: string | undefined) => graph.nodes.find((n) => n.id === id);
  let anchor = selectedId !== null ? byId(selectedId) : undefined;
  if (!anchor) {
    const chain = chainFromInput(graph);
    anchor = byId(chain[chain.length - 1]);
  }
  // "After the Output" can only mean just before it.
  if (anchor && !hasOutput(anchor.kind)) {
    const anchorId = anchor.id;
    anchor = byId(graph.edges.find((e) => e.target === anchorId)?.source);
  }
  return anchor;
}

/**
 * Adds a block after `selectedId` (or after the end of the chain): connected to it, and spliced in
 * between it and the block it fed, which moves down with the rest of the chain to make room.
 */
export function insertBlockAfter(graph: Graph, kind: string, selectedId: string | null): AddResult {
  if (!hasInput(kind)) return addInput(graph, kind);
  const anchor = resolveAnchor(graph, selectedId);
  if (!anchor) return addBlock(graph, kind, lowestPosition(graph));
  const nextEdge = graph.edges.find((e) => e.source === anchor.id);
  const position = { x: anchor.position.x, y: anchor.position.y + ROW };
  if (!nextEdge) {
    const { graph: added, id } = addBlock(graph, kind, position);
    return { graph: { ...added, edges: [...added.edges, makeEdge(added, anchor.id, id)] }, id };
  }
  if (!hasOutput(kind)) {
    // An Output cannot be spliced into the middle of a chain: put it beside, unconnected.
    return addBlock(graph, kind, { x: anchor.position.x + COLUMN, y: position.y });
  }
  const below = nodesDownstream(graph, nextEdge.target);
  const moved = graph.nodes.map((n) =>
    below.has(n.id) ? { ...n, position: { x: n.position.x, y: n.position.y + ROW } } : n,
  );
  const node = makeNode(graph, kind, position);
  const nodes = [...moved, node];
  const kept = graph.edges.filter((e) => e !== nextEdge);
  const base: Graph = { nodes, edges: kept };
  const first = makeEdge(base, anchor.id, node.id);
  const second = makeEdge({ nodes, edges: [...kept, first] }, node.id, nextEdge.target);
  return { graph: { nodes, edges: [...kept, first, second] }, id: node.id };
}

export type ConnectResult = { ok: true; graph: Graph } | { ok: false; reason: string };

/** Connects two blocks if the connection rules allow it. */
export function connectBlocks(graph: Graph, source: string, target: string): ConnectResult {
  const check = checkConnection(graph, source, target);
  if (!check.ok) return check;
  return { ok: true, graph: { ...graph, edges: [...graph.edges, makeEdge(graph, source, target)] } };
}

/**
 * Removes blocks and connections. A run of removed blocks in the middle of a chain is bridged, so
 * deleting a layer keeps the blocks around it connected.
 */
export function removeElements(
  graph: Graph,
  nodeIds: readonly string[],
  edgeIds: readonly string[] = [],
): Graph {
  const gone = new Set(nodeIds);
  const goneEdges = new Set(edgeIds);
  if (gone.size === 0 && goneEdges.size === 0) return graph;
  const bridges: [string, string][] = [];
  for (const id of gone) {
    const into = graph.edges.find((e) => e.target === id && !goneEdges.has(e.id));
    if (!into || gone.has(into.source)) continue;
    // Follow the removed run down to the first block that stays.
    let current = id;
    const seen = new Set<string>();
    let next: string | undefined;
    while (!seen.has(current)) {
      seen.add(current);
      const from = current;
      const out = graph.edges.find((e) => e.source === from && !goneEdges.has(e.id));
      if (!out) break;
      if (!gone.has(out.target)) {
        next = out.target;
        break;
      }
      current = out.target;
    }
    if (next !== undefined) bridges.push([into.source, next]);
  }
  let result: Graph = {
    nodes: gone.size === 0 ? graph.nodes : graph.nodes.filter((n) => !gone.has(n.id)),
    edges: graph.edges.filter((e) => !goneEdges.has(e.id) && !gone.has(e.source) && !gone.has(e.target)),
  };
  for (const [source, target] of bridges) {
    const connected = connectBlocks(result, source, target);
    if (connected.ok) result = connected.graph;
  }
  return result;
}

/** Moves blocks to new positions (after a drag). */
export function moveBlocks(graph: Graph, positions: Readonly<Record<string, Position>>): Graph {
  let changed = false;
  const nodes = graph.nodes.map((n) => {
    const p = positions[n.id];
    if (!p || (p.x === n.position.x && p.y === n.position.y)) return n;
    changed = true;
    return { ...n, position: { x: p.x, y: p.y } };
  });
  return changed ? { ...graph, nodes } : graph;
}

function updateNode(graph: Graph, id: string, change: (n: GraphNode) => GraphNode): Graph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? change(n) : n)) };
}

/** Sets one param of a block; `undefined` removes it so the block's default applies. */
export function setBlockParam(graph: Graph, id: string, key: string, value: unknown): Graph {
  return updateNode(graph, id, (n) => {
    const params = { ...n.params };
    if (value === undefined) delete params[key];
    else params[key] = value;
    return { ...n, params };
  });
}

export function setBlockFrozen(graph: Graph, id: string, frozen: boolean): Graph {
  return updateNode(graph, id, (n) => ({ ...n, frozen }));
}

/** Copied blocks and the connections among them. */
export interface BlockClipboard {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function copyBlocks(graph: Graph, ids: readonly string[]): BlockClipboard | null {
  const wanted = new Set(ids);
  const nodes = graph.nodes.filter((n) => wanted.has(n.id));
  if (nodes.length === 0) return null;
  const edges = graph.edges.filter((e) => wanted.has(e.source) && wanted.has(e.target));
  return { nodes: structuredClone(nodes), edges: structuredClone(edges) };
}

/** Pastes copied blocks with new ids, offset, keeping the connections among them. */
export function pasteBlocks(
  graph: Graph,
  clip: BlockClipboard,
  offset: Position,
): AddResult & { ids: string[] } {
  const taken = new Set<string>();
  const rename = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = newNodeId(graph, n.kind, taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  const nodes = clip.nodes.map((n) => ({
    ...structuredClone(n),
    id: rename.get(n.id)!,
    position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
  }));
  let result: Graph = { nodes: [...graph.nodes, ...nodes], edges: graph.edges };
  for (const e of clip.edges) {
    result = {
      ...result,
      edges: [...result.edges, makeEdge(result, rename.get(e.source)!, rename.get(e.target)!)],
    };
  }
  const ids = nodes.map((n) => n.id);
  return { graph: result, id: ids[0]!, ids };
}
