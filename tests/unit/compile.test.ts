import { beforeAll, describe, it, expect } from 'vitest';
import {
  compileGraph,
  sequentialGraph,
  type ChainBlock,
  type CompiledModel,
  type GraphAnalysis,
} from '../../shared/graph';
import type { BlockContext } from '../../shared/blocks';
import { buildModel } from '../../electron/trainer/buildModel';
import { tf, type LayersModel } from '../../electron/trainer/tf';
import { cifarNet, housingMlp } from './graphFixtures';

/** Every layer-making block at least once, with BatchNorm, numeric padding, strides, dilation and an odd size. */
const everyBlock: ChainBlock[] = [
  { id: 'input', kind: 'input', params: { dataKind: 'image', height: 15, width: 13, channels: 3 } },
  { id: 'conv-pad', kind: 'conv2d', params: { filters: 8, kernelSize: 3, stride: 2, padding: 1 } },
  { id: 'bn', kind: 'batchnorm' },
  { id: 'leaky', kind: 'leakyrelu', params: { slope: 0.2 } },
  {
    id: 'conv-dilated',
    kind: 'conv2d',
    params: { filters: 6, kernelSize: 3, dilation: 2, padding: 'same', bias: false },
  },
  { id: 'elu', kind: 'elu' },
  { id: 'avg', kind: 'avgpool2d', params: { size: 2, stride: 1 } },
  {
    id: 'conv-same-strided',
    kind: 'conv2d',
    params: { filters: 5, kernelSize: 3, stride: 2, padding: 'same' },
  },
  { id: 'conv-valid', kind: 'conv2d', params: { filters: 4, kernelSize: 2, padding: 0 } },
  { id: 'tanh', kind: 'tanh' },
  { id: 'max', kind: 'maxpool2d', params: { size: 2 } },
  { id: 'flatten', kind: 'flatten' },
  { id: 'dropout', kind: 'dropout', params: { rate: 0.2 } },
  { id: 'fc1', kind: 'dense', params: { units: 16 } },
  { id: 'bn-flat', kind: 'batchnorm' },
  { id: 'sigmoid', kind: 'sigmoid' },
  { id: 'fc2', kind: 'dense', params: { units: 4 } },
  { id: 'softmax', kind: 'softmax' },
  { id: 'output', kind: 'output', params: { task: 'multiclass' } },
];

function compile(
  blocks: ChainBlock[],
  seed = 7,
  ctx?: BlockContext,
): { model: CompiledModel; analysis: GraphAnalysis } {
  const r = compileGraph(sequentialGraph(blocks), { seed, ...(ctx ? { ctx } : {}) });
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r;
}

function trainableCount(model: LayersModel): number {
  return model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

function weightsOf(model: LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('compileGraph', () => {
  it('turns the housing MLP into four Dense layers with ReLUs between, ending without an activation', () => {
    const { model } = compile(housingMlp);
    expect(model.layers.map((l) => l.className)).toEqual([
      'Dense',
      'ReLU',
      'Dense',
      'ReLU',
      'Dense',
      'ReLU',
      'Dense',
    ]);
    expect(model.layers.filter((l) => l.className === 'Dense').map((l) => l.config.units)).toEqual([
      24, 12, 6, 1,
    ]);
    expect(model.inputShape).toEqual([8]);
    expect(model.outputSize).toBe(1);
    expect(model.task).toBe('regression');
    expect(model.loss).toBe('mse');
    expect(model.outputActivation).toBe('linear');
    expect(model.params).toEqual({ trainable: 601, nonTrainable: 0, total: 601 });
  });

  it('makes PyTorch’s numeric padding an explicit zero padding before a valid convolution', () => {
    const { model } = compile(cifarNet);
    const first = model.blockLayers.find((b) => b.nodeId === 'conv1')!;
    expect(first.layerNames).toHaveLength(2);
    const [pad, conv] = model.layers.slice(0, 2);
    expect(pad!.className).toBe('ZeroPadding2D');
    expect(pad!.config.padding).toEqual([
      [2, 2],
      [2, 2],
    ]);
    expect(conv!.className).toBe('Conv2D');
    expect(conv!.config.padding).toBe('valid');
    // padding 0 is plain valid: no extra layer.
    const zero = compile(everyBlock).model.blockLayers.find((b) => b.nodeId === 'conv-valid')!;
    expect(zero.layerNames).toHaveLength(1);
  });

  it('leaves a multi-class net without Softmax as raw scores, and notes a final Sigmoid or Softmax', () => {
    expect(compile(cifarNet).model.outputActivation).toBe('linear');
    expect(compile(everyBlock).model.outputActivation).toBe('softmax');
    const wine: ChainBlock[] = [
      { id: 'input', kind: 'input', params: { features: 12 } },
      { id: 'fc1', kind: 'dense', params: { units: 64 } },
      { id: 'relu', kind: 'relu' },
      { id: 'fc2', kind: 'dense', params: { units: 1 } },
      { id: 'sigmoid', kind: 'sigmoid' },
      { id: 'output', kind: 'output', params: { task: 'binary' } },
    ];
    expect(compile(wine).model.outputActivation).toBe('sigmoid');
  });

  it('refuses an invalid graph with the errors of the blocks that cause them', () => {
    const r = compileGraph(sequentialGraph(cifarNet.filter((b) => b.id !== 'flatten')), { seed: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      {
        nodeId: 'fc1',
        message: 'Dense needs a flat input but gets 9×9×128: insert a Flatten block before it.',
      },
    ]);
  });

  it('refuses a network with nothing between Input and Output', () => {
    const r = compileGraph(
      sequentialGraph([
        { id: 'input', kind: 'input', params: { features: 1 } },
        { id: 'output', kind: 'output', params: { task: 'regression' } },
      ]),
      { seed: 1 },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.message)).toEqual([
      'The network has no layers between Input and Output: add a Dense block.',
    ]);
  });

  it('checks against the dataset it is given', () => {
    const r = compileGraph(sequentialGraph(cifarNet), {
      seed: 1,
      ctx: { data: { inputShape: [32, 32, 3], classCount: 100 } },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.nodeId)).toEqual(['output']);
  });

  it('gives every layer a distinct name even when node ids differ only in punctuation', () => {
    const { model } = compile([
      { id: 'in', kind: 'input', params: { features: 3 } },
      { id: 'fc-1', kind: 'dense', params: { units: 3 } },
      { id: 'fc_1', kind: 'dense', params: { units: 1 } },
      { id: 'out', kind: 'output' },
    ]);
    const names = model.layers.map((l) => String(l.config.name));
    expect(new Set(names).size).toBe(names.length);
    expect(() => buildModel(model).dispose()).not.toThrow();
  });
});

describe('the built tfjs model', () => {
  const nets: [string, ChainBlock[], number][] = [
    ['the housing MLP', housingMlp, 601],
    ['the CIFAR ConvNet', cifarNet, 5_389_706],
    ['a net with every block, BatchNorm and numeric padding', everyBlock, -1],
  ];

  it.each(nets)(
    '%s: each block’s tfjs output shape and the parameter total equal the analysis',
    (_name, blocks, expectedTotal) => {
      const { model: compiled, analysis } = compile(blocks);
      const model = buildModel(compiled);
      try {
        let checked = 0;
        for (const b of compiled.blockLayers) {
          const last = b.layerNames[b.layerNames.length - 1];
          if (last === undefined) continue;
          expect([b.nodeId, model.getLayer(last).outputShape]).toEqual([
            b.nodeId,
            [null, ...analysis.nodes[b.nodeId]!.outputShape!],
          ]);
          checked += 1;
        }
        expect(checked).toBe(blocks.length - 2);
        expect(model.countParams()).toBe(analysis.totals.total);
        const trainable = trainableCount(model);
        expect(trainable).toBe(analysis.totals.trainable);
        if (expectedTotal > 0) expect(model.countParams()).toBe(expectedTotal);
        expect(model.outputs[0]!.shape).toEqual([null, compiled.outputSize]);
      } finally {
        model.dispose();
      }
    },
  );

  it('runs the every-block net forward to one probability per class', () => {
    const { model: compiled } = compile(everyBlock);
    const model = buildModel(compiled);
    const out = tf.tidy(
      () => model.predict(tf.randomNormal([2, 15, 13, 3], 0, 1, 'float32', 3)) as tf.Tensor,
    );
    expect(out.shape).toEqual([2, 4]);
    const rows = out.arraySync() as number[][];
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    out.dispose();
    model.dispose();
  });

  it('keeps BatchNorm’s 2C running statistics as non-trainable weights, as PyTorch’s 2C buffers', () => {
    const { model: compiled, analysis } = compile(everyBlock);
    const model = buildModel(compiled);
    const bn = model.getLayer(compiled.blockLayers.find((b) => b.nodeId === 'bn')!.layerNames[0]!);
    expect(bn.countParams()).toBe(4 * 8);
    expect(bn.trainableWeights.map((w) => w.shape)).toEqual([[8], [8]]);
    expect(analysis.nodes.bn!.paramCount).toEqual({ trainable: 16, fixed: 16 });
    model.dispose();
  });

  it('moves a frozen block’s weights from trainable to fixed', () => {
    const frozen = housingMlp.map((b) =>
      b.id === 'layer1' || b.id === 'layer3' ? { ...b, frozen: true } : b,
    );
    const { model: compiled, analysis } = compile(frozen);
    expect(analysis.totals).toEqual({ trainable: 601 - 216 - 78, nonTrainable: 216 + 78, total: 601 });
    expect(compiled.blockLayers.filter((b) => b.frozen).map((b) => b.nodeId)).toEqual(['layer1', 'layer3']);
    const model = buildModel(compiled);
    const trainable = trainableCount(model);
    expect(trainable).toBe(601 - 216 - 78);
    expect(model.countParams()).toBe(601);
    expect(model.getLayer('b_layer1').trainable).toBe(false);
    expect(model.getLayer('b_layer2').trainable).toBe(true);
    model.dispose();
  });
});

describe('initial weights', () => {
  it('are the same for the same seed and different for another', () => {
    const a = buildModel(compile(everyBlock, 123).model);
    const b = buildModel(compile(everyBlock, 123).model);
    const c = buildModel(compile(everyBlock, 124).model);
    expect(weightsOf(a)).toEqual(weightsOf(b));
    const kernelA = weightsOf(a)[0]!;
    const kernelC = weightsOf(c)[0]!;
    expect(kernelA).not.toEqual(kernelC);
    for (const m of [a, b, c]) m.dispose();
  });

  it('differ between two blocks of the same size in one network', () => {
    const model = buildModel(
      compile([
        { id: 'in', kind: 'input', params: { features: 8 } },
        { id: 'a', kind: 'dense', params: { units: 8 } },
        { id: 'b', kind: 'dense', params: { units: 8 } },
        { id: 'c', kind: 'dense', params: { units: 1 } },
        { id: 'out', kind: 'output' },
      ]).model,
    );
    const [kernelA, , kernelB] = weightsOf(model);
    expect(kernelA).not.toEqual(kernelB);
    model.dispose();
  });

  it('follow PyTorch’s default U(−1/√fan-in, 1/√fan-in) for kernels and biases', () => {
    const model = buildModel(compile(housingMlp, 5).model);
    const weights = weightsOf(model);
    // [kernel 8×24, bias 24, kernel 24×12, bias 12, …]: fan-in of each Dense is its input size.
    const fanIns = [8, 8, 24, 24, 12, 12, 6, 6];
    weights.forEach((values, i) => {
      const bound = 1 / Math.sqrt(fanIns[i]!);
      const maxAbs = Math.max(...values.map(Math.abs));
      expect(maxAbs).toBeLessThanOrEqual(bound + 1e-6);
      // Wide enough that a tighter (e.g. Glorot on a big layer) or zero initialiser would fail.
      if (values.length >= 24) expect(maxAbs).toBeGreaterThan(bound * 0.7);
    });
    // Biases are not zero, as PyTorch's are not.
    expect(weights[1]!.some((v) => v !== 0)).toBe(true);
    model.dispose();
  });
});
