import { ActionIcon, Text, Tooltip, useComputedColorScheme } from '@mantine/core';
import {
  Background,
  BackgroundVariant,
  MiniMap,
  Panel,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
} from '@xyflow/react';
import { LayoutList, Maximize, ZoomIn, ZoomOut } from 'lucide-react';
import { useCallback, useMemo, useState, type DragEvent } from 'react';
import type { BlockGroup } from '../../../../shared/blocks';
import type { Graph } from '../../../../shared/graph/document';
import { groupColor } from '../../app/theme';
import { useProjectStore } from '../../app/useProjectStore';
import { notifyError } from '../../app/useToastStore';
import { BlockNode, type BlockFlowNode } from './BlockNode';
import { checkConnection } from './connectionRules';
import { addBlockAt, connect, moveTo } from './editorActions';
import type { Position } from './graphOps';
import { blockView } from './nodeView';
import { BLOCK_DRAG_TYPE } from './paletteModel';
import { useEditorStore } from './useEditorStore';

const nodeTypes = { block: BlockNode };
/** Fit: a little room around the network, never magnified past its real size. */
export const FIT_OPTIONS = { padding: 0.08, maxZoom: 1, minZoom: 0.5 } as const;
/** Half a block's size: a dropped block is centred on the pointer. */
const HALF_BLOCK = { x: 120, y: 36 };

type Size = { width: number; height: number };

function connectionEnds(state: FinalConnectionState): { source: string; target: string } | null {
  if (!state.fromNode || !state.toNode) return null;
  // Dragging from an input handle up to an output draws the same connection the other way.
  return state.fromHandle?.type === 'target'
    ? { source: state.toNode.id, target: state.fromNode.id }
    : { source: state.fromNode.id, target: state.toNode.id };
}

/** The canvas: React Flow drawing the document's graph; every edit goes back to the document. */
export function GraphCanvas({ onLayout, onFit }: { onLayout(): void; onFit(): void }) {
  const graph = useProjectStore((s) => s.document?.graph);
  const analysis = useProjectStore((s) => s.analysis);
  const selected = useProjectStore((s) => s.selectedNodeIds);
  const select = useProjectStore((s) => s.select);
  const selectedEdges = useEditorStore((s) => s.selectedEdgeIds);
  const setSelectedEdges = useEditorStore((s) => s.setSelectedEdgeIds);
  const flow = useReactFlow();
  const scheme = useComputedColorScheme('light');
  // While a drag is under way positions live here; the document gets them once, when it ends.
  const [dragging, setDragging] = useState<Record<string, Position>>({});
  // React Flow measures nodes; passing the sizes back keeps it from measuring them afresh each render.
  const [sizes, setSizes] = useState<Record<string, Size>>({});

  const nodes = useMemo<BlockFlowNode[]>(() => {
    if (!graph) return [];
    const chosen = new Set(selected);
    return graph.nodes.map((n) => {
      const view = blockView(n, analysis?.nodes[n.id]);
      const size = sizes[n.id];
      return {
        id: n.id,
        type: 'block',
        position: dragging[n.id] ?? n.position,
        data: { view },
        selected: chosen.has(n.id),
        ariaLabel: view.ariaLabel,
        ...(size ? { measured: size } : {}),
      };
    });
  }, [graph, analysis, selected, dragging, sizes]);

  const edges = useMemo<Edge[]>(() => {
    if (!graph) return [];
    const chosen = new Set(selectedEdges);
    return graph.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      sourceHandle: 'out',
      targetHandle: 'in',
      selected: chosen.has(e.id),
      ariaLabel: `Connection from ${e.source} to ${e.target}`,
    }));
  }, [graph, selectedEdges]);

  const onNodesChange = useCallback(
    (changes: NodeChange<BlockFlowNode>[]) => {
      let selection: Set<string> | null = null;
      const drags: Record<string, Position> = {};
      const moves: Record<string, Position> = {};
      const measured: Record<string, Size> = {};
      for (const c of changes) {
        switch (c.type) {
          case 'select':
            selection ??= new Set(useProjectStore.getState().selectedNodeIds);
            if (c.selected) selection.add(c.id);
            else selection.delete(c.id);
            break;
          case 'position':
            if (!c.position) break;
            if (c.dragging) drags[c.id] = c.position;
            else moves[c.id] = c.position;
            break;
          case 'dimensions':
            if (c.dimensions) measured[c.id] = c.dimensions;
            break;
          default:
            // Removal and additions come from the document, never from React Flow.
            break;
        }
      }
      if (selection) select([...selection]);
      if (Object.keys(drags).length > 0) setDragging((d) => ({ ...d, ...drags }));
      if (Object.keys(moves).length > 0) moveTo(moves);
      if (Object.keys(measured).length > 0) setSizes((s) => ({ ...s, ...measured }));
    },
    [select],
  );

  const onNodeDragStop = useCallback((_event: unknown, _node: BlockFlowNode, dragged: BlockFlowNode[]) => {
    const positions: Record<string, Position> = {};
    for (const n of dragged) positions[n.id] = n.position;
    moveTo(positions);
    setDragging({});
  }, []);

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let selection: Set<string> | null = null;
      for (const c of changes) {
        if (c.type !== 'select') continue;
        selection ??= new Set(useEditorStore.getState().selectedEdgeIds);
        if (c.selected) selection.add(c.id);
        else selection.delete(c.id);
      }
      if (selection) setSelectedEdges([...selection]);
    },
    [setSelectedEdges],
  );

  const currentGraph = (): Graph | null => useProjectStore.getState().document?.graph ?? null;

  const isValidConnection = useCallback((c: Connection | Edge) => {
    const g = currentGraph();
    return g !== null && checkConnection(g, c.source, c.target).ok;
  }, []);

  const onConnect = useCallback((c: Connection) => {
    const result = connect(c.source, c.target);
    if (!result.ok) notifyError(result.reason, 'Cannot connect these blocks');
  }, []);

  const onConnectEnd = useCallback((_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid) return;
    if (state.toHandle && state.fromHandle && state.toHandle.type === state.fromHandle.type) {
      notifyError(
        "Connect a block's bottom handle (its output) to another block's top handle (its input).",
        'Cannot connect these blocks',
      );
      return;
    }
    const ends = connectionEnds(state);
    const g = currentGraph();
    if (!ends || !g) return;
    const check = checkConnection(g, ends.source, ends.target);
    if (!check.ok) notifyError(check.reason, 'Cannot connect these blocks');
  }, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(BLOCK_DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(BLOCK_DRAG_TYPE);
      if (!kind) return;
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addBlockAt(kind, { x: Math.round(at.x - HALF_BLOCK.x), y: Math.round(at.y - HALF_BLOCK.y) });
    },
    [flow],
  );

  const empty = (graph?.nodes.length ?? 0) === 0;

  return (
    <div
      className="nwb-canvas"
      style={{ height: '100%', position: 'relative' }}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <ReactFlow<BlockFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onPaneClick={() => {
          select([]);
          setSelectedEdges([]);
        }}
        colorMode={scheme}
        // Delete and the other shortcuts are the app's (one undo step each), not React Flow's.
        deleteKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        fitView
        fitViewOptions={FIT_OPTIONS}
        minZoom={0.2}
        maxZoom={2}
        defaultEdgeOptions={{ type: 'smoothstep' }}
        proOptions={{ hideAttribution: true }}
        aria-label="Network canvas"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        <MiniMap
          pannable
          zoomable
          ariaLabel="Overview of the network"
          bgColor="var(--mantine-color-body)"
          maskColor="color-mix(in srgb, var(--mantine-color-default-hover) 70%, transparent)"
          nodeColor={(n) => {
            const group = (n.data as { view?: { group: BlockGroup | null } }).view?.group;
            return group ? groupColor(group, 5) : 'var(--mantine-color-gray-5)';
          }}
          style={{ width: 160, height: 110 }}
        />
        <Panel position="top-left">
          <ActionIcon.Group>
            <Tooltip label="Auto-layout: the chain top to bottom">
              <ActionIcon variant="default" size="lg" aria-label="Auto-layout" onClick={onLayout}>
                <LayoutList size={18} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Fit view (F)">
              <ActionIcon variant="default" size="lg" aria-label="Fit view" onClick={onFit}>
                <Maximize size={18} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Zoom in">
              <ActionIcon
                variant="default"
                size="lg"
                aria-label="Zoom in"
                onClick={() => void flow.zoomIn({ duration: 150 })}
              >
                <ZoomIn size={18} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Zoom out">
              <ActionIcon
                variant="default"
                size="lg"
                aria-label="Zoom out"
                onClick={() => void flow.zoomOut({ duration: 150 })}
              >
                <ZoomOut size={18} />
              </ActionIcon>
            </Tooltip>
          </ActionIcon.Group>
        </Panel>
      </ReactFlow>
      {empty && (
        <div
          style={{
            position: 'absolute',
            inset: 0,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            pointerEvents: 'none',
          }}
        >
          <Text c="dimmed" size="sm" ta="center" maw={360}>
            The canvas is empty. Add an Input block from the palette, then the layers after it, and end with
            an Output block. Drag blocks here or click them in the palette.
          </Text>
        </div>
      )}
    </div>
  );
}
