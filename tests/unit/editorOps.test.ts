import { describe, expect, it } from 'vitest';
import { sequentialGraph } from '../../shared/graph/build';
import type { Graph } from '../../shared/graph/document';
import { analyzeGraph } from '../../shared/graph/validate';
import {
  addBlock,
  chainFromInput,
  copyBlocks,
  insertBlockAfter,
  moveBlocks,
  pasteBlocks,
  removeElements,
  setBlockFrozen,
  setBlockParam,
} from '../../renderer/src/features/editor/graphOps';
import { ROW } from '../../renderer/src/features/editor/layoutConstants';

const empty: Graph = { nodes: [], edges: [] };

function mlp(): Graph {
  return sequentialGraph(
    [
      { kind: 'input', id: 'input', params: { features: 8 } },
      { kind: 'dense', id: 'layer1', params: { units: 24 } },
      { kind: 'relu', id: 'relu1' },
      { kind: 'dense', id: 'layer2', params: { units: 1 } },
      { kind: 'output', id: 'output', params: { task: 'regression' } },
    ],
    ROW,
  );
}

const edgesOf = (g: Graph) => g.edges.map((e) => `${e.source}>${e.target}`).sort();

/** Adds blocks one after another, each after the one added before, as clicking the palette does. */
function build(kinds: string[], params: Record<string, unknown>[] = []): Graph {
  let graph = empty;
  let selected: string | null = null;
  kinds.forEach((kind, i) => {
    const added = insertBlockAfter(graph, kind, selected);
    graph = added.graph;
    if (params[i])
      for (const [k, v] of Object.entries(params[i]!)) graph = setBlockParam(graph, added.id, k, v);
    selected = added.id;
  });
  return graph;
}

describe('editor: adding blocks', () => {
  it('builds the housing MLP (601 parameters) by adding each block after the last', () => {
    const graph = build(
      ['input', 'dense', 'relu', 'dense', 'relu', 'dense', 'relu', 'dense', 'output'],
      [{ features: 8 }, { units: 24 }, {}, { units: 12 }, {}, { units: 6 }, {}, { units: 1 }, {}],
    );
    const analysis = analyzeGraph(graph);
    expect(analysis.issues).toEqual([]);
    expect(analysis.totals.total).toBe(601);
    expect(analysis.chain).toEqual([
      'input1',
      'dense1',
      'relu1',
      'dense2',
      'relu2',
      'dense3',
      'relu3',
      'dense4',
      'output1',
    ]);
    // Laid out top to bottom, one row apart.
    expect(graph.nodes.map((n) => n.position.y)).toEqual(graph.nodes.map((_, i) => i * ROW));
  });

  it('splices a block in after the selected one and moves the rest of the chain down', () => {
    const graph = mlp();
    const { graph: next, id } = insertBlockAfter(graph, 'dropout', 'relu1');
    expect(id).toBe('dropout1');
    expect(chainFromInput(next)).toEqual(['input', 'layer1', 'relu1', 'dropout1', 'layer2', 'output']);
    const y = (nodeId: string) => next.nodes.find((n) => n.id === nodeId)!.position.y;
    expect(y('dropout1')).toBe(y('relu1') + ROW);
    expect(y('layer2')).toBe(graph.nodes.find((n) => n.id === 'layer2')!.position.y + ROW);
    expect(y('input')).toBe(0);
    expect(analyzeGraph(next).issues).toEqual([]);
  });

  it('with nothing selected, adds before the Output at the end of the chain', () => {
    const { graph } = insertBlockAfter(mlp(), 'sigmoid', null);
    expect(chainFromInput(graph)).toEqual(['input', 'layer1', 'relu1', 'layer2', 'sigmoid1', 'output']);
  });

  it('adding after the Output means just before it', () => {
    const { graph } = insertBlockAfter(mlp(), 'tanh', 'output');
    expect(chainFromInput(graph).slice(-2)).toEqual(['tanh1', 'output']);
  });

  it('connects a new Input to the one chain that has none', () => {
    const headless = build(['dense', 'relu']);
    expect(headless.edges).toHaveLength(1);
    const { graph, id } = insertBlockAfter(headless, 'input', null);
    expect(chainFromInput(graph)).toEqual([id, 'dense1', 'relu1']);
    expect(graph.nodes.find((n) => n.id === id)!.position.y).toBe(-ROW);
  });

  it('gives each block a fresh id and does not change the graph it was given', () => {
    const graph = mlp();
    const before = structuredClone(graph);
    const a = addBlock(graph, 'dense', { x: 5, y: 6 });
    const b = addBlock(a.graph, 'dense', { x: 5, y: 6 });
    expect([a.id, b.id]).toEqual(['dense1', 'dense2']);
    expect(graph).toEqual(before);
    expect(b.graph.nodes.at(-1)).toMatchObject({
      kind: 'dense',
      position: { x: 5, y: 6 },
      params: {},
      frozen: false,
    });
  });
});

describe('editor: deleting, moving, editing', () => {
  it('deletes a block in the middle of a chain and bridges the gap', () => {
    const next = removeElements(mlp(), ['relu1']);
    expect(next.nodes.map((n) => n.id)).toEqual(['input', 'layer1', 'layer2', 'output']);
    expect(chainFromInput(next)).toEqual(['input', 'layer1', 'layer2', 'output']);
  });

  it('bridges a run of deleted blocks and leaves ends open when a whole end goes', () => {
    const middle = removeElements(mlp(), ['layer1', 'relu1']);
    expect(edgesOf(middle)).toEqual(['input>layer2', 'layer2>output']);
    const tail = removeElements(mlp(), ['layer2', 'output']);
    expect(edgesOf(tail)).toEqual(['input>layer1', 'layer1>relu1']);
  });

  it('deletes a connection without touching the blocks', () => {
    const graph = mlp();
    const next = removeElements(graph, [], ['e-relu1-layer2']);
    expect(next.nodes).toBe(graph.nodes);
    expect(edgesOf(next)).not.toContain('relu1>layer2');
    expect(removeElements(graph, [], [])).toBe(graph);
  });

  it('moves blocks, keeping every other node object as it was', () => {
    const graph = mlp();
    const next = moveBlocks(graph, { layer1: { x: 40, y: 50 } });
    expect(next.nodes[1]!.position).toEqual({ x: 40, y: 50 });
    expect(next.nodes[0]).toBe(graph.nodes[0]);
    expect(moveBlocks(graph, { layer1: graph.nodes[1]!.position })).toBe(graph);
  });

  it('sets and clears params and freezes blocks', () => {
    let graph = setBlockParam(mlp(), 'layer1', 'units', 10);
    expect(analyzeGraph(graph).nodes.layer1!.paramCount.trainable).toBe(90);
    graph = setBlockParam(graph, 'output', 'loss', undefined);
    expect('loss' in graph.nodes.find((n) => n.id === 'output')!.params).toBe(false);
    graph = setBlockFrozen(graph, 'layer1', true);
    expect(analyzeGraph(graph).nodes.layer1!.paramCount).toEqual({ trainable: 0, fixed: 90 });
  });
});

describe('editor: copy and paste', () => {
  it('pastes copies with new ids, offset, keeping the connections among them', () => {
    const graph = mlp();
    const clip = copyBlocks(graph, ['layer1', 'relu1'])!;
    expect(clip.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['layer1>relu1']);
    const { graph: next, ids } = pasteBlocks(graph, clip, { x: 40, y: 40 });
    expect(ids).toEqual(['dense1', 'relu2']);
    const pasted = next.nodes.filter((n) => ids.includes(n.id));
    expect(pasted.map((n) => n.position)).toEqual([
      { x: 40, y: ROW + 40 },
      { x: 40, y: 2 * ROW + 40 },
    ]);
    expect(pasted[0]!.params).toEqual({ units: 24 });
    expect(edgesOf(next)).toContain('dense1>relu2');
    expect(next.edges).toHaveLength(graph.edges.length + 1);
    // Pasting twice gives other ids again.
    const again = pasteBlocks(next, clip, { x: 80, y: 80 });
    expect(again.ids).toEqual(['dense2', 'relu3']);
  });

  it('keeps the clipboard apart from later edits of the graph', () => {
    const graph = mlp();
    const clip = copyBlocks(graph, ['layer1'])!;
    clip.nodes[0]!.params.units = 3;
    expect(graph.nodes[1]!.params.units).toBe(24);
    expect(copyBlocks(graph, [])).toBeNull();
  });
});

describe('editor: how a block reads on the canvas', () => {
  it('names the block, its output shape and parameter count, live', async () => {
    const { blockView } = await import('../../renderer/src/features/editor/nodeView');
    const graph = mlp();
    const analysis = analyzeGraph(graph);
    const view = blockView(graph.nodes[1]!, analysis.nodes.layer1);
    expect(view).toMatchObject({
      kindLabel: 'Dense',
      name: 'layer1',
      shape: '24',
      params: 216,
      summary: '24 units',
    });
    expect(view.ariaLabel).toBe('Dense block layer1: output 24, 216 parameters');
  });

  it('shows an image shape, the error on the block that causes it, and frozen blocks', async () => {
    const { blockView } = await import('../../renderer/src/features/editor/nodeView');
    let graph = setBlockParam(mlp(), 'input', 'dataKind', 'image');
    graph = setBlockFrozen(graph, 'layer2', true);
    const analysis = analyzeGraph(graph);
    const input = blockView(graph.nodes[0]!, analysis.nodes.input);
    expect(input.shape).toBe('32×32×3');
    const dense = blockView(graph.nodes[1]!, analysis.nodes.layer1);
    expect(dense.shape).toBeNull();
    expect(dense.errors[0]).toMatch(/insert a Flatten/);
    expect(dense.ariaLabel).toMatch(
      /^Dense block layer1: output unknown, 0 parameters\. Problem: .*insert a Flatten/,
    );
    const fixed = insertBlockAfter(graph, 'flatten', 'input').graph;
    const after = analyzeGraph(fixed);
    expect(
      blockView(
        fixed.nodes.find((n) => n.id === 'layer1')!,
        after.nodes.layer1,
      ).errors,
    ).toEqual([]);
    expect(
      blockView(
        fixed.nodes.find((n) => n.id === 'layer2')!,
        after.nodes.layer2,
      ).ariaLabel,
    ).toBe('Dense block layer2: output 1, 25 parameters, frozen');
  });
});

describe('editor: inspector fields', () => {
  it('accepts numbers within the field limits and says what to enter otherwise', async () => {
    const { checkNumber } = await import('../../renderer/src/features/editor/fieldModel');
    const units = { key: 'units', label: 'Units', kind: 'int', min: 1, max: 100000 } as const;
    expect(checkNumber(units, '24')).toEqual({ ok: true, value: 24 });
    expect(checkNumber(units, 12)).toEqual({ ok: true, value: 12 });
    expect(checkNumber(units, '')).toEqual({ ok: false, message: 'Enter a number.' });
    expect(checkNumber(units, '2.5')).toEqual({ ok: false, message: 'Enter a whole number.' });
    expect(checkNumber(units, '0')).toEqual({ ok: false, message: 'Enter a number from 1 to 100000.' });
    const rate = { key: 'rate', label: 'Rate', kind: 'number', min: 0 } as const;
    expect(checkNumber(rate, '0.25')).toEqual({ ok: true, value: 0.25 });
    expect(checkNumber(rate, '-1')).toEqual({ ok: false, message: 'Enter a number of at least 0.' });
  });

  it('shows defaults for unset params and knows which may stay unset', async () => {
    const { isOptional, paramValue } = await import('../../renderer/src/features/editor/fieldModel');
    const { getBlock } = await import('../../shared/blocks');
    const dense = getBlock('dense')!;
    expect(paramValue(dense, {}, 'units')).toBe(64);
    expect(paramValue(dense, { units: 3 }, 'units')).toBe(3);
    expect(isOptional(dense, {}, 'units')).toBe(false);
    const output = getBlock('output')!;
    expect(isOptional(output, { task: 'binary' }, 'loss')).toBe(true);
    expect(paramValue(output, { task: 'binary' }, 'loss')).toBeUndefined();
  });
});
