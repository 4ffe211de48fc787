import { describe, expect, it } from 'vitest';
import { sequentialGraph } from '../../shared/graph/build';
import type { Graph } from '../../shared/graph/document';
import { checkConnection } from '../../renderer/src/features/editor/connectionRules';
import { addBlock, connectBlocks, removeElements } from '../../renderer/src/features/editor/graphOps';

function mlp(): Graph {
  return sequentialGraph([
    { kind: 'input', id: 'input' },
    { kind: 'dense', id: 'layer1' },
    { kind: 'relu', id: 'relu1' },
    { kind: 'output', id: 'output' },
  ]);
}

function reason(graph: Graph, source: string, target: string): string {
  const r = checkConnection(graph, source, target);
  if (r.ok) throw new Error('expected the connection to be refused');
  return r.reason;
}

describe('editor: connection rules', () => {
  it('allows a connection between a free output and a free input', () => {
    const graph = addBlock(removeElements(mlp(), [], ['e-relu1-output']), 'dense', { x: 0, y: 0 }).graph;
    expect(checkConnection(graph, 'relu1', 'dense1')).toEqual({ ok: true });
    const connected = connectBlocks(graph, 'relu1', 'dense1');
    expect(connected.ok && connected.graph.edges.at(-1)).toMatchObject({ source: 'relu1', target: 'dense1' });
  });

  it('refuses an input into the Input block', () => {
    const graph = addBlock(mlp(), 'dense', { x: 0, y: 0 }).graph;
    expect(reason(graph, 'dense1', 'input')).toMatch(
      /Input \(input\) is where data enters and takes no input/,
    );
  });

  it('refuses an output from the Output block', () => {
    const graph = addBlock(mlp(), 'dense', { x: 0, y: 0 }).graph;
    expect(reason(graph, 'output', 'dense1')).toMatch(/Output \(output\) is the end of the network/);
  });

  it('refuses a second input into a block', () => {
    const graph = addBlock(mlp(), 'dense', { x: 0, y: 0 }).graph;
    expect(reason(graph, 'dense1', 'relu1')).toMatch(
      /ReLU \(relu1\) already has an input: delete that connection first/,
    );
  });

  it('refuses a second output from a block (no branches yet)', () => {
    const graph = addBlock(mlp(), 'dense', { x: 0, y: 0 }).graph;
    expect(reason(graph, 'layer1', 'dense1')).toMatch(/already feeds a block and branches are not supported/);
  });

  it('refuses a loop and a self loop', () => {
    const graph = removeElements(mlp(), [], ['e-input-layer1']);
    expect(reason(graph, 'relu1', 'layer1')).toMatch(/already|loop/);
    const open = removeElements(mlp(), [], ['e-input-layer1', 'e-relu1-output']);
    expect(reason(open, 'relu1', 'layer1')).toMatch(/would make a loop/);
    expect(reason(open, 'layer1', 'layer1')).toMatch(/cannot be connected to itself/);
  });

  it('says so when a block is gone', () => {
    expect(reason(mlp(), 'layer1', 'missing')).toMatch(/no longer exists/);
  });

  it('connectBlocks gives the reason and leaves the graph alone when refused', () => {
    const r = connectBlocks(mlp(), 'output', 'input');
    expect(r.ok).toBe(false);
  });
});
