import { describe, it, expect } from 'vitest';
import {
  analyzeGraph,
  sequentialGraph,
  type ChainBlock,
  type Graph,
  type GraphAnalysis,
} from '../../shared/graph';
import { cifarNet, housingMlp } from './graphFixtures';

const tiny: ChainBlock[] = [
  { id: 'input', kind: 'input', params: { features: 4 } },
  { id: 'dense', kind: 'dense', params: { units: 1 } },
  { id: 'output', kind: 'output', params: { task: 'regression' } },
];

function analyze(blocks: ChainBlock[], ctx?: Parameters<typeof analyzeGraph>[1]): GraphAnalysis {
  return analyzeGraph(sequentialGraph(blocks), ctx);
}

function withEdges(graph: Graph, edges: [string, string][]): Graph {
  return {
    nodes: graph.nodes,
    edges: [
      ...graph.edges,
      ...edges.map(([source, target], i) => ({
        id: `extra-${i}`,
        source,
        target,
        sourcePort: 'out',
        targetPort: 'in',
      })),
    ],
  };
}

function withoutEdge(graph: Graph, source: string, target: string): Graph {
  return {
    nodes: graph.nodes,
    edges: graph.edges.filter((e) => !(e.source === source && e.target === target)),
  };
}

function errorsOf(a: GraphAnalysis, nodeId: string): string[] {
  return a.nodes[nodeId]?.errors ?? [];
}

/** Every problem, each as "node: message" (or "-: message" for the whole graph), to compare in one go. */
function problems(a: GraphAnalysis): string[] {
  return a.issues.map((i) => `${i.nodeId ?? '-'}: ${i.message}`);
}

describe('a valid network', () => {
  it('gives the housing MLP 8→24→12→6→1 its 601 parameters and every block its shape', () => {
    const a = analyze(housingMlp);
    expect(problems(a)).toEqual([]);
    expect(a.ok).toBe(true);
    expect(a.totals).toEqual({ trainable: 601, nonTrainable: 0, total: 601 });
    expect(a.chain).toEqual(housingMlp.map((b) => b.id));
    const shapes = Object.fromEntries(a.chain.map((id) => [id, a.nodes[id]!.outputShape]));
    expect(shapes).toEqual({
      input: [8],
      layer1: [24],
      relu1: [24],
      layer2: [12],
      relu2: [12],
      layer3: [6],
      relu3: [6],
      layer4: [1],
      output: [1],
    });
    expect(a.chain.map((id) => a.nodes[id]!.paramCount.trainable)).toEqual([0, 216, 0, 300, 0, 78, 0, 7, 0]);
    expect(a.task).toBe('regression');
    expect(a.loss).toBe('mse');
    expect(a.inputShape).toEqual([8]);
    expect(a.outputShape).toEqual([1]);
  });

  it('gives the lesson’s CIFAR ConvNet 5,389,706 parameters and a Flatten of 10368', () => {
    const a = analyze(cifarNet, { data: { inputShape: [32, 32, 3], classCount: 10 } });
    expect(problems(a)).toEqual([]);
    expect(a.totals.total).toBe(5_389_706);
    expect(a.totals.nonTrainable).toBe(0);
    expect(a.nodes.flatten!.outputShape).toEqual([10368]);
    expect(a.nodes.conv1!.outputShape).toEqual([34, 34, 64]);
    expect(a.nodes.pool1!.outputShape).toEqual([17, 17, 64]);
    expect(a.nodes.conv2!.outputShape).toEqual([19, 19, 128]);
    expect(a.nodes.pool2!.outputShape).toEqual([9, 9, 128]);
    expect(a.nodes.fc1!.paramCount.trainable).toBe(10368 * 512 + 512);
    expect(a.task).toBe('multiclass');
    expect(a.loss).toBe('cce');
  });

  it('counts a frozen block’s weights as fixed, not trainable', () => {
    const blocks = housingMlp.map((b) => (b.id === 'layer1' ? { ...b, frozen: true } : b));
    const a = analyze(blocks);
    expect(a.ok).toBe(true);
    expect(a.nodes.layer1!.paramCount).toEqual({ trainable: 0, fixed: 216 });
    expect(a.totals).toEqual({ trainable: 385, nonTrainable: 216, total: 601 });
  });

  it('counts BatchNorm’s running statistics as not trainable', () => {
    const a = analyze([
      { id: 'input', kind: 'input', params: { dataKind: 'image', height: 8, width: 8, channels: 1 } },
      { id: 'conv', kind: 'conv2d', params: { filters: 16, kernelSize: 3 } },
      { id: 'bn', kind: 'batchnorm' },
      { id: 'flatten', kind: 'flatten' },
      { id: 'fc', kind: 'dense', params: { units: 3 } },
      { id: 'output', kind: 'output', params: { task: 'multiclass' } },
    ]);
    expect(problems(a)).toEqual([]);
    expect(a.totals).toEqual({
      trainable: 160 + 32 + 6 * 6 * 16 * 3 + 3,
      nonTrainable: 32,
      total: 160 + 64 + 1731,
    });
  });
});

describe('missing or extra Input and Output', () => {
  it('says the network has no Input, and nothing more', () => {
    const a = analyze(housingMlp.slice(1));
    expect(a.ok).toBe(false);
    expect(problems(a)).toEqual([
      '-: The network has no Input block: add one from the palette (Input / output).',
    ]);
  });

  it('says the network has no Output', () => {
    const a = analyze(housingMlp.slice(0, -1));
    expect(a.ok).toBe(false);
    expect(problems(a)).toEqual([
      '-: The network has no Output block: add one from the palette (Input / output) after the last layer.',
    ]);
  });

  it('says so on the second Input', () => {
    const g = sequentialGraph([...tiny, { id: 'input2', kind: 'input', params: { features: 4 } }]);
    const a = analyzeGraph(withoutEdge(g, 'output', 'input2'));
    expect(a.ok).toBe(false);
    expect(problems(a)).toEqual(['input2: A network has one Input block: delete this one or the other.']);
  });

  it('says so on the second Output', () => {
    const g = sequentialGraph([...tiny, { id: 'output2', kind: 'output' }]);
    const a = analyzeGraph(withoutEdge(g, 'output', 'output2'));
    expect(a.ok).toBe(false);
    expect(errorsOf(a, 'output2')).toContain('A network has one Output block: delete this one or the other.');
    expect(errorsOf(a, 'output')).toEqual([]);
  });
});

describe('connections', () => {
  it('marks every block of a loop, and tells the user to remove a connection', () => {
    const g = withEdges(sequentialGraph(housingMlp), [['layer2', 'layer1']]);
    const a = analyzeGraph(g);
    expect(a.ok).toBe(false);
    const loop =
      'This block is part of a loop: a network must flow one way from Input to Output, so remove one of the loop’s connections.';
    for (const id of ['layer1', 'relu1', 'layer2']) expect(errorsOf(a, id)).toContain(loop);
    for (const id of ['input', 'layer3', 'output']) expect(errorsOf(a, id)).not.toContain(loop);
  });

  it('refuses a block connected to itself', () => {
    const a = analyzeGraph(withEdges(sequentialGraph(tiny), [['dense', 'dense']]));
    expect(a.ok).toBe(false);
    expect(errorsOf(a, 'dense')).toEqual(['This block is connected to itself: remove that connection.']);
  });

  it('names a block that is not connected to anything', () => {
    // sequentialGraph connects it after the Output: cut that.
    const a = analyzeGraph(
      withoutEdge(sequentialGraph([...tiny, { id: 'stray', kind: 'dense' }]), 'output', 'stray'),
    );
    expect(a.ok).toBe(false);
    expect(problems(a)).toEqual([
      'stray: This block is not connected to the network: connect it between Input and Output, or delete it.',
    ]);
  });

  it('names the last block of a chain that does not reach the Output', () => {
    const a = analyzeGraph(withoutEdge(sequentialGraph(housingMlp), 'relu3', 'layer4'));
    expect(a.ok).toBe(false);
    expect(errorsOf(a, 'relu3')).toEqual([
      'This block’s output goes nowhere: connect it to the next block or to the Output.',
    ]);
    expect(errorsOf(a, 'layer4')).toContain(
      'This block is not connected to the network: connect it between Input and Output, or delete it.',
    );
    expect(errorsOf(a, 'output')).toContain(
      'This block is not connected to the network: connect it between Input and Output, or delete it.',
    );
    // What it could still work out is shown.
    expect(a.nodes.layer3!.outputShape).toEqual([6]);
    expect(a.outputShape).toBeNull();
  });

  it('refuses branches and merges for now, on the block that branches or merges', () => {
    const g = withEdges(sequentialGraph([...tiny, { id: 'side', kind: 'dense', params: { units: 1 } }]), [
      ['input', 'side'],
    ]);
    const branched = analyzeGraph(withoutEdge(g, 'output', 'side'));
    expect(branched.ok).toBe(false);
    expect(errorsOf(branched, 'input')).toEqual([
      'This block feeds several blocks: networks with branches are not supported yet, keep one connection.',
    ]);
    const merged = analyzeGraph(withEdges(withoutEdge(g, 'output', 'side'), [['side', 'output']]));
    expect(errorsOf(merged, 'output')).toContain(
      'This block has several inputs: networks with merging branches are not supported yet, keep one connection.',
    );
  });

  it('refuses a connection into the Input or out of the Output', () => {
    const a = analyzeGraph(withEdges(sequentialGraph(tiny), [['output', 'input']]));
    expect(a.ok).toBe(false);
    expect(errorsOf(a, 'input')).toContain('Input cannot take an input: remove the connection into it.');
    expect(errorsOf(a, 'output')).toContain(
      'Output cannot feed another block: remove the connection out of it.',
    );
  });

  it('names the block whose connection leads to a block that does not exist', () => {
    const a = analyzeGraph(withEdges(sequentialGraph(tiny), [['dense', 'ghost']]));
    expect(a.ok).toBe(false);
    expect(problems(a)).toEqual([
      'dense: A connection leads to a block "ghost" that does not exist: remove that connection.',
    ]);
  });
});

describe('shapes', () => {
  it('puts a collapsed shape on the block that collapses it and stops there', () => {
    const a = analyze([
      { id: 'input', kind: 'input', params: { dataKind: 'image', height: 8, width: 8, channels: 1 } },
      { id: 'pool1', kind: 'maxpool2d', params: { size: 2 } },
      { id: 'pool2', kind: 'maxpool2d', params: { size: 2 } },
      { id: 'conv', kind: 'conv2d', params: { filters: 4, kernelSize: 5 } },
      { id: 'flatten', kind: 'flatten' },
      { id: 'fc', kind: 'dense', params: { units: 2 } },
      { id: 'output', kind: 'output', params: { task: 'multiclass' } },
    ]);
    expect(a.ok).toBe(false);
    expect(problems(a)).toEqual([
      "conv: Conv2D's output would be empty (input 2×2, kernel 5): use a smaller kernel, more padding, or fewer pooling blocks before it.",
    ]);
    expect(a.nodes.pool2!.outputShape).toEqual([2, 2, 1]);
    expect(a.nodes.flatten!.outputShape).toBeNull();
  });

  it('tells the user to insert a Flatten before a Dense that gets an image', () => {
    const a = analyze(cifarNet.filter((b) => b.id !== 'flatten' && b.id !== 'dropout'));
    expect(problems(a)).toEqual([
      'fc1: Dense needs a flat input but gets 9×9×128: insert a Flatten block before it.',
    ]);
  });

  it('puts an Output that does not fit the task and dataset on the Output', () => {
    const ten = analyze(
      cifarNet.map((b) => (b.id === 'fc2' ? { ...b, params: { units: 7 } } : b)),
      { data: { inputShape: [32, 32, 3], classCount: 10 } },
    );
    expect(problems(ten)).toEqual([
      'output: The dataset has 10 classes but the Output gets 7 values: set the last Dense block to 10 units.',
    ]);
    const binary = analyze(
      [
        { id: 'input', kind: 'input', params: { features: 12 } },
        { id: 'fc', kind: 'dense', params: { units: 1 } },
        { id: 'sigmoid', kind: 'sigmoid' },
        { id: 'output', kind: 'output', params: { task: 'binary' } },
      ],
      { data: { inputShape: [12], classCount: 7 } },
    );
    expect(problems(binary)).toEqual([
      "output: The target has 7 classes, not 2: set the Output's task to multi-class.",
    ]);
    const regression = analyze(
      housingMlp.map((b) => (b.id === 'layer4' ? { ...b, params: { units: 2 } } : b)),
    );
    expect(problems(regression)).toEqual([
      'output: A regression Output predicts 1 number but gets 2: set the last Dense block to 1 unit.',
    ]);
  });

  it('puts a dataset mismatch on the Input', () => {
    const a = analyze(housingMlp, { data: { inputShape: [12], classCount: null } });
    expect(problems(a)).toEqual([
      'input: Input is set to 8 but the dataset gives 12: set the Input block to match the dataset.',
    ]);
  });
});

describe('block settings', () => {
  function settingProblems(id: string, kind: string, params: Record<string, unknown>): string[] {
    const blocks = [...cifarNet];
    const at = blocks.findIndex((b) => b.id === id);
    blocks[at] = { id, kind, params };
    return problems(analyze(blocks));
  }

  it('explains a number outside its limits', () => {
    expect(settingProblems('fc1', 'dense', { units: 0 })).toEqual([
      'fc1: Dense: Units must be a whole number from 1 to 100000 (it is 0).',
    ]);
    expect(settingProblems('dropout', 'dropout', { rate: 1.5 })).toEqual([
      'dropout: Dropout: Rate must be a number from 0 to 0.95 (it is 1.5).',
    ]);
    expect(settingProblems('conv1', 'conv2d', { filters: 64, kernelSize: 3, padding: -1 })).toEqual([
      'conv1: Conv2D: Padding must be same, valid or a whole number of pixels from 0 to 16 (it is -1).',
    ]);
    expect(settingProblems('pool1', 'maxpool2d', { size: 40 })).toEqual([
      'pool1: MaxPool2D: Window size must be a whole number from 1 to 16 (it is 40).',
    ]);
  });

  it('explains a fraction where a whole number is needed, and a value that is not a number', () => {
    expect(settingProblems('fc1', 'dense', { units: 2.5 })).toEqual([
      'fc1: Dense: Units must be a whole number from 1 to 100000 (it is 2.5).',
    ]);
    expect(settingProblems('fc1', 'dense', { units: 'many' })).toEqual([
      'fc1: Dense: Units must be a whole number from 1 to 100000 (it is "many").',
    ]);
    expect(settingProblems('fc1', 'dense', { units: null })).toEqual([
      'fc1: Dense: Units must be a whole number from 1 to 100000 (it is null).',
    ]);
    expect(settingProblems('fc1', 'dense', { units: 512, bias: 'yes' })).toEqual([
      'fc1: Dense: Bias must be on or off (it is "yes").',
    ]);
  });

  it('explains a choice that is not one of the options', () => {
    expect(settingProblems('output', 'output', { task: 'clustering' })).toEqual([
      'output: Output: Task must be one of regression, binary, multiclass (it is "clustering").',
    ]);
  });

  it('reports every bad setting of a block, not only the first', () => {
    expect(settingProblems('conv1', 'conv2d', { filters: 0, kernelSize: 99 })).toEqual([
      'conv1: Conv2D: Filters must be a whole number from 1 to 4096 (it is 0).',
      'conv1: Conv2D: Kernel size must be a whole number from 1 to 15 (it is 99).',
    ]);
  });

  it('names an unknown block kind and what to do about it', () => {
    expect(settingProblems('relu1', 'swish', {})).toEqual([
      'relu1: Unknown block "swish": it may come from a newer version of the app, so update the app or delete this block.',
    ]);
  });
});

describe('robustness', () => {
  it('analyses an empty canvas without throwing', () => {
    const a = analyzeGraph({ nodes: [], edges: [] });
    expect(a.ok).toBe(false);
    expect(a.totals.total).toBe(0);
    expect(a.issues.length).toBe(2);
  });
});
