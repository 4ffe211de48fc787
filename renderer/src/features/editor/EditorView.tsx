import './editor.css';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { registerCommands } from '../../app/commands';
import { useRoute } from '../../app/useRoute';
import { useProjectStore } from '../../app/useProjectStore';
import {
  addBlockAfterSelection,
  copySelection,
  deleteSelection,
  layOut,
  pasteClipboard,
} from './editorActions';
import { FIT_OPTIONS, GraphCanvas } from './GraphCanvas';
import { Inspector } from './Inspector';
import { IssuesPanel } from './IssuesPanel';
import { Palette } from './Palette';
import { StatusBar } from './StatusBar';

const FIT = { ...FIT_OPTIONS, duration: 200 } as const;
/** Room an error note takes beside its block. */
const ERROR_NOTE_WIDTH = 290;
/** Time for React Flow to draw the new positions before it measures them for a fit. */
const AFTER_RENDER_MS = 60;

function Editor() {
  const flow = useReactFlow();
  const route = useRoute();
  const active = route.view === 'project' && route.tab === 'editor';

  const fit = useCallback(() => void flow.fitView(FIT), [flow]);

  /** Brings blocks into view when they are outside it, keeping the zoom. */
  const reveal = useCallback(
    (ids: string[]) => {
      window.setTimeout(() => {
        const nodes = ids.map((id) => flow.getInternalNode(id)).filter((n) => n !== undefined);
        const first = nodes[0];
        if (!first) return;
        const { x, y } = first.internals.positionAbsolute;
        const hasError = (first.internals.userNode.data as { view?: { errors: string[] } }).view?.errors
          .length;
        const w = (first.measured.width ?? 240) + (hasError ? ERROR_NOTE_WIDTH : 0);
        const h = first.measured.height ?? 72;
        const pane = document.querySelector('.nwb-canvas')?.getBoundingClientRect();
        if (!pane) return;
        const topLeft = flow.screenToFlowPosition({ x: pane.left, y: pane.top });
        const bottomRight = flow.screenToFlowPosition({ x: pane.right, y: pane.bottom });
        const inside = x >= topLeft.x && y >= topLeft.y && x + w <= bottomRight.x && y + h <= bottomRight.y;
        if (!inside) void flow.setCenter(x + w / 2, y + h / 2, { zoom: flow.getZoom(), duration: 200 });
      }, AFTER_RENDER_MS);
    },
    [flow],
  );

  const add = useCallback(
    (kind: string) => {
      const id = addBlockAfterSelection(kind);
      if (id) reveal([id]);
    },
    [reveal],
  );

  const focusNode = useCallback(
    (id: string) => {
      useProjectStore.getState().select([id]);
      reveal([id]);
    },
    [reveal],
  );

  const autoLayout = useCallback(() => {
    layOut();
    window.setTimeout(fit, AFTER_RENDER_MS);
  }, [fit]);

  useEffect(() => {
    if (!active) return;
    return registerCommands({
      delete: deleteSelection,
      copy: () => void copySelection(),
      paste: () => {
        const ids = pasteClipboard();
        if (ids.length > 0) reveal(ids);
      },
      fitView: fit,
      autoLayout,
    });
  }, [active, fit, autoLayout, reveal]);

  return (
    <div style={{ height: '100%', display: 'flex', flexDirection: 'column' }}>
      <Group orientation="horizontal" style={{ flex: '1 1 auto', minHeight: 0 }}>
        <Panel id="palette" defaultSize={230} minSize={180} maxSize={380}>
          <aside aria-label="Block palette" style={{ height: '100%' }}>
            <Palette onAdd={add} />
          </aside>
        </Panel>
        <Separator className="nwb-separator" aria-label="Resize the palette" />
        <Panel id="canvas" minSize={360}>
          <GraphCanvas onLayout={autoLayout} onFit={fit} />
        </Panel>
        <Separator className="nwb-separator" aria-label="Resize the inspector" />
        <Panel id="side" defaultSize={320} minSize={260} maxSize={560}>
          <Group orientation="vertical">
            <Panel id="inspector" minSize={200}>
              <aside aria-label="Block inspector" style={{ height: '100%' }}>
                <Inspector />
              </aside>
            </Panel>
            <Separator className="nwb-separator" aria-label="Resize the issues list" />
            <Panel id="issues" defaultSize="32%" minSize={110}>
              <section aria-label="Issues" style={{ height: '100%' }}>
                <IssuesPanel onFocusNode={focusNode} />
              </section>
            </Panel>
          </Group>
        </Panel>
      </Group>
      <StatusBar />
    </div>
  );
}

/** The node-graph editor: palette | canvas | inspector and issues, with the network's totals below. */
export function EditorView(_props: { projectId: number }) {
  return (
    <ReactFlowProvider>
      <Editor />
    </ReactFlowProvider>
  );
}
