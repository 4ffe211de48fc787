import { describe, expect, it } from 'vitest';
import { sequentialGraph } from '../../shared/graph/build';
import type { Graph } from '../../shared/graph/document';
import { autoLayout } from '../../renderer/src/features/editor/autoLayout';
import { COLUMN, ROW } from '../../renderer/src/features/editor/layoutConstants';

function scattered(): Graph {
  const graph = sequentialGraph([
    { kind: 'input', id: 'input' },
    { kind: 'dense', id: 'a' },
    { kind: 'relu', id: 'b' },
    { kind: 'output', id: 'output' },
  ]);
  graph.nodes.forEach((n, i) => (n.position = { x: (i * 137) % 300, y: 900 - i * 70 }));
  // A loose pair beside the network, and a loose single block further right.
  graph.nodes.push(
    { id: 'c', kind: 'dense', params: {}, position: { x: 900, y: 0 }, frozen: false },
    { id: 'd', kind: 'sigmoid', params: {}, position: { x: 950, y: 500 }, frozen: false },
    { id: 'e', kind: 'tanh', params: {}, position: { x: 1200, y: 0 }, frozen: false },
  );
  graph.edges.push({ id: 'c-d', source: 'c', target: 'd', sourcePort: 'out', targetPort: 'in' });
  return graph;
}

describe('editor: auto-layout', () => {
  it('puts the chain from the Input top to bottom and other runs in columns beside it', () => {
    const p = autoLayout(scattered());
    expect([p.input, p.a, p.b, p.output]).toEqual([0, 1, 2, 3].map((i) => ({ x: 0, y: i * ROW })));
    expect([p.c, p.d]).toEqual([
      { x: COLUMN, y: 0 },
      { x: COLUMN, y: ROW },
    ]);
    expect(p.e).toEqual({ x: 2 * COLUMN, y: 0 });
  });

  it('places every block exactly once, even on a loop with no start', () => {
    const graph: Graph = {
      nodes: ['x', 'y'].map((id, i) => ({
        id,
        kind: 'relu',
        params: {},
        position: { x: i, y: 0 },
        frozen: false,
      })),
      edges: [
        { id: '1', source: 'x', target: 'y', sourcePort: 'out', targetPort: 'in' },
        { id: '2', source: 'y', target: 'x', sourcePort: 'out', targetPort: 'in' },
      ],
    };
    const p = autoLayout(graph);
    expect(Object.keys(p).sort()).toEqual(['x', 'y']);
    expect(p.x).toEqual({ x: 0, y: 0 });
    expect(p.y).toEqual({ x: 0, y: ROW });
  });

  it('gives no two blocks one position', () => {
    const p = Object.values(autoLayout(scattered())).map((q) => `${q.x},${q.y}`);
    expect(new Set(p).size).toBe(p.length);
  });
});

describe('editor: palette', () => {
  it('lists every block once, by group in the palette order', async () => {
    const { paletteGroups } = await import('../../renderer/src/features/editor/paletteModel');
    const { blocks, groupOrder } = await import('../../shared/blocks');
    const groups = paletteGroups('');
    expect(groups.map((g) => g.group)).toEqual(groupOrder.filter((g) => blocks.some((b) => b.group === g)));
    expect(groups.flatMap((g) => g.blocks).length).toBe(blocks.length);
    expect(groups[0]!.label).toBe('Input / output');
  });

  it('searches names, kinds and help, every word', async () => {
    const { paletteGroups } = await import('../../renderer/src/features/editor/paletteModel');
    const names = (q: string) => paletteGroups(q).flatMap((g) => g.blocks.map((b) => b.label));
    expect(names('linear')).toEqual(['Dense']);
    // Help counts: Flatten says it feeds Dense blocks.
    expect(names('dense')).toEqual(['Dense', 'Flatten']);
    expect(names('max pool')).toEqual(['MaxPool2D']);
    expect(names('FLAT')).toEqual(['Flatten']);
    expect(names('pool')).toEqual(expect.arrayContaining(['MaxPool2D', 'AvgPool2D']));
    expect(names('zzz')).toEqual([]);
  });
});
