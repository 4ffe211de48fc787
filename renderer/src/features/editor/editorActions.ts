// Editor actions: each applies one graph operation through the project store (one undo step each).
import { getBlock } from '../../../../shared/blocks';
import type { Graph, ProjectDocument } from '../../../../shared/graph/document';
import { useProjectStore } from '../../app/useProjectStore';
import { autoLayout } from './autoLayout';
import {
  addBlock,
  connectBlocks,
  copyBlocks,
  insertBlockAfter,
  moveBlocks,
  pasteBlocks,
  removeElements,
  setBlockFrozen,
  setBlockParam,
  type ConnectResult,
  type Position,
} from './graphOps';
import { PASTE_OFFSET } from './layoutConstants';
import { useEditorStore } from './useEditorStore';

const store = () => useProjectStore.getState();
const label = (kind: string) => getBlock(kind)?.label ?? kind;

function withGraph(doc: ProjectDocument, graph: Graph): ProjectDocument {
  return graph === doc.graph ? doc : { ...doc, graph };
}

function currentGraph(): Graph | null {
  return store().document?.graph ?? null;
}

/** Adds a block after the selected one (or at the end of the chain) and selects it. */
export function addBlockAfterSelection(kind: string): string | null {
  const graph = currentGraph();
  if (!graph) return null;
  const selected = store().selectedNodeIds;
  const { graph: next, id } = insertBlockAfter(graph, kind, selected.length === 1 ? selected[0]! : null);
  store().updateDocument((doc) => withGraph(doc, next), `Add ${label(kind)}`);
  store().select([id]);
  return id;
}

/** Adds a block where it was dropped, unconnected, and selects it. */
export function addBlockAt(kind: string, position: Position): string | null {
  const graph = currentGraph();
  if (!graph) return null;
  const { graph: next, id } = addBlock(graph, kind, position);
  store().updateDocument((doc) => withGraph(doc, next), `Add ${label(kind)}`);
  store().select([id]);
  return id;
}

export function connect(source: string, target: string): ConnectResult {
  const graph = currentGraph();
  if (!graph) return { ok: false, reason: 'No project is open.' };
  const result = connectBlocks(graph, source, target);
  if (result.ok) store().updateDocument((doc) => withGraph(doc, result.graph), 'Connect blocks');
  return result;
}

export function deleteSelection(): void {
  const graph = currentGraph();
  if (!graph) return;
  const nodes = store().selectedNodeIds;
  const edges = useEditorStore.getState().selectedEdgeIds;
  if (nodes.length === 0 && edges.length === 0) return;
  const first = graph.nodes.find((n) => n.id === nodes[0]);
  const what =
    nodes.length === 1 && first
      ? `Delete ${label(first.kind)}`
      : nodes.length > 1
        ? `Delete ${nodes.length} blocks`
        : edges.length === 1
          ? 'Delete connection'
          : `Delete ${edges.length} connections`;
  store().updateDocument((doc) => withGraph(doc, removeElements(doc.graph, nodes, edges)), what);
  store().select([]);
  useEditorStore.getState().setSelectedEdgeIds([]);
}

export function copySelection(): boolean {
  const graph = currentGraph();
  if (!graph) return false;
  const clip = copyBlocks(graph, store().selectedNodeIds);
  if (clip) useEditorStore.getState().setClipboard(clip);
  return clip !== null;
}

export function pasteClipboard(): string[] {
  const clip = useEditorStore.getState().clipboard;
  const graph = currentGraph();
  if (!clip || !graph) return [];
  const n = useEditorStore.getState().countPaste();
  const { graph: next, ids } = pasteBlocks(graph, clip, { x: PASTE_OFFSET.x * n, y: PASTE_OFFSET.y * n });
  store().updateDocument(
    (doc) => withGraph(doc, next),
    ids.length === 1 ? `Paste ${label(clip.nodes[0]!.kind)}` : `Paste ${ids.length} blocks`,
  );
  store().select(ids);
  return ids;
}

export function moveTo(positions: Record<string, Position>): void {
  const count = Object.keys(positions).length;
  store().updateDocument(
    (doc) => withGraph(doc, moveBlocks(doc.graph, positions)),
    count === 1 ? 'Move block' : `Move ${count} blocks`,
  );
}

export function layOut(): void {
  store().updateDocument(
    (doc) => withGraph(doc, moveBlocks(doc.graph, autoLayout(doc.graph))),
    'Auto-layout',
  );
}

export function setParam(nodeId: string, key: string, value: unknown, fieldLabel: string): void {
  store().updateDocument(
    (doc) => withGraph(doc, setBlockParam(doc.graph, nodeId, key, value)),
    `Change ${fieldLabel}`,
    {
      mergeKey: `${nodeId}.${key}`,
    },
  );
}

export function setFrozen(nodeId: string, frozen: boolean): void {
  store().updateDocument(
    (doc) => withGraph(doc, setBlockFrozen(doc.graph, nodeId, frozen)),
    frozen ? 'Freeze block' : 'Unfreeze block',
  );
}
