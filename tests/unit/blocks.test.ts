import { describe, it, expect } from 'vitest';
import {
  blocks,
  getBlock,
  groupOrder,
  type BlockContext,
  type ParamCount,
  type Shape,
  type ShapeResult,
} from '../../shared/blocks';

/** PyTorch's output length for Conv2d/MaxPool2d/AvgPool2d: floor((H + 2p − d(k−1) − 1)/s) + 1. */
function torchLength(h: number, k: number, s = 1, p = 0, d = 1): number {
  return Math.floor((h + 2 * p - d * (k - 1) - 1) / s) + 1;
}

function block(kind: string) {
  const b = getBlock(kind);
  if (!b) throw new Error(`no block ${kind}`);
  return b;
}

function params(kind: string, raw: Record<string, unknown> = {}): Record<string, unknown> {
  return block(kind).schema.parse(raw);
}

function shape(
  kind: string,
  input: Shape | undefined,
  raw: Record<string, unknown> = {},
  ctx: BlockContext = {},
): ShapeResult {
  return block(kind).outputShape(input, params(kind, raw), ctx);
}

function okShape(
  kind: string,
  input: Shape | undefined,
  raw: Record<string, unknown> = {},
  ctx: BlockContext = {},
): Shape {
  const r = shape(kind, input, raw, ctx);
  if (!r.ok) throw new Error(`${kind} refused ${String(input)}: ${r.message}`);
  return r.shape;
}

function message(
  kind: string,
  input: Shape | undefined,
  raw: Record<string, unknown> = {},
  ctx: BlockContext = {},
): string {
  const r = shape(kind, input, raw, ctx);
  if (r.ok) throw new Error(`${kind} accepted ${String(input)} as ${r.shape.join('×')}`);
  return r.message;
}

function count(kind: string, input: Shape, raw: Record<string, unknown> = {}): ParamCount {
  return block(kind).paramCount(input, params(kind, raw));
}

describe('the block registry', () => {
  it('offers every block the issue lists, each with palette text and a known group', () => {
    const kinds = blocks.map((b) => b.kind).sort();
    expect(kinds).toEqual(
      [
        'avgpool2d',
        'batchnorm',
        'conv2d',
        'dense',
        'dropout',
        'elu',
        'flatten',
        'input',
        'leakyrelu',
        'maxpool2d',
        'output',
        'pretrained',
        'relu',
        'sigmoid',
        'softmax',
        'tanh',
      ].sort(),
    );
    for (const b of blocks) {
      expect(b.label.length).toBeGreaterThan(0);
      expect(b.help.length).toBeGreaterThan(10);
      expect(groupOrder).toContain(b.group);
    }
  });

  it('gives every block usable defaults, and every field names a real param', () => {
    for (const b of blocks) {
      expect(b.schema.safeParse({}).success).toBe(true);
      const keys = Object.keys((b.schema as unknown as { shape: Record<string, unknown> }).shape);
      for (const f of b.fields) expect(keys).toContain(f.key);
    }
  });

  it('gives Input no input port and Output no output port', () => {
    expect(block('input').ports).toEqual({ input: false, output: true });
    expect(block('output').ports).toEqual({ input: true, output: false });
    expect(block('dense').ports).toEqual({ input: true, output: true });
  });

  it('returns nothing for an unknown kind', () => {
    expect(getBlock('transformer')).toBeUndefined();
  });
});

describe('Input', () => {
  it('gives a row of features for tables and H×W×C for images', () => {
    expect(okShape('input', undefined, { dataKind: 'tabular', features: 8 })).toEqual([8]);
    expect(okShape('input', undefined, { dataKind: 'image', height: 28, width: 24, channels: 1 })).toEqual([
      28, 24, 1,
    ]);
  });

  it('accepts a dataset of the same shape', () => {
    expect(
      okShape('input', undefined, { features: 12 }, { data: { inputShape: [12], classCount: 2 } }),
    ).toEqual([12]);
  });

  it('says when it does not match the dataset, and how to fix it', () => {
    expect(message('input', undefined, { features: 8 }, { data: { inputShape: [12], classCount: 2 } })).toBe(
      'Input is set to 8 but the dataset gives 12: set the Input block to match the dataset.',
    );
    expect(
      message(
        'input',
        undefined,
        { dataKind: 'image', height: 32, width: 32, channels: 3 },
        { data: { inputShape: [32, 32, 1], classCount: 10 } },
      ),
    ).toContain('32×32×3 but the dataset gives 32×32×1');
    expect(
      message('input', undefined, { features: 1024 }, { data: { inputShape: [32, 32, 1], classCount: 10 } }),
    ).toContain('1024 but the dataset gives 32×32×1');
  });

  it('has no weights', () => {
    expect(count('input', [8])).toEqual({ trainable: 0, fixed: 0 });
  });
});

describe('Dense', () => {
  it('outputs its units and counts in×out weights plus one bias per unit (PyTorch Linear)', () => {
    expect(okShape('dense', [8], { units: 24 })).toEqual([24]);
    expect(count('dense', [8], { units: 24 })).toEqual({ trainable: 8 * 24 + 24, fixed: 0 });
    expect(count('dense', [10368], { units: 512 })).toEqual({ trainable: 5_308_928, fixed: 0 });
  });

  it('drops the bias weights when bias is off', () => {
    expect(count('dense', [10], { units: 5, bias: false })).toEqual({ trainable: 50, fixed: 0 });
  });

  it('refuses an image input and tells the user to insert a Flatten', () => {
    expect(message('dense', [9, 9, 128], { units: 10 })).toBe(
      'Dense needs a flat input but gets 9×9×128: insert a Flatten block before it.',
    );
  });

  it('asks for a connection when it has no input', () => {
    expect(message('dense', undefined)).toMatch(/^Dense needs an input: connect/);
  });
});

describe('Conv2D', () => {
  const cases: {
    name: string;
    input: Shape;
    p: {
      filters: number;
      kernelSize: number;
      stride?: number;
      padding?: number | 'valid';
      dilation?: number;
    };
  }[] = [
    {
      name: 'the lesson’s first conv (k3, padding=2)',
      input: [32, 32, 3],
      p: { filters: 64, kernelSize: 3, padding: 2 },
    },
    { name: 'the lesson’s second conv', input: [17, 17, 64], p: { filters: 128, kernelSize: 3, padding: 2 } },
    { name: 'valid, k5', input: [28, 28, 1], p: { filters: 6, kernelSize: 5 } },
    {
      name: 'stride 2, padding 1, odd size',
      input: [33, 31, 3],
      p: { filters: 8, kernelSize: 3, stride: 2, padding: 1 },
    },
    { name: 'stride 3, k5', input: [32, 32, 3], p: { filters: 4, kernelSize: 5, stride: 3 } },
    { name: 'dilation 2', input: [32, 32, 3], p: { filters: 4, kernelSize: 3, dilation: 2 } },
    {
      name: 'dilation 3, padding 3',
      input: [20, 16, 2],
      p: { filters: 4, kernelSize: 3, dilation: 3, padding: 3 },
    },
  ];
  for (const c of cases) {
    it(`matches PyTorch's output size: ${c.name}`, () => {
      const { stride = 1, padding = 'valid', dilation = 1 } = c.p;
      const pad = padding === 'valid' ? 0 : padding;
      const [h, w] = c.input as [number, number, number];
      expect(okShape('conv2d', c.input, c.p)).toEqual([
        torchLength(h, c.p.kernelSize, stride, pad, dilation),
        torchLength(w, c.p.kernelSize, stride, pad, dilation),
        c.p.filters,
      ]);
    });
  }

  it('gives the lesson’s sizes: 32 → 34 with padding 2, 17 → 19', () => {
    expect(okShape('conv2d', [32, 32, 3], { filters: 64, kernelSize: 3, padding: 2 })).toEqual([34, 34, 64]);
    expect(okShape('conv2d', [17, 17, 64], { filters: 128, kernelSize: 3, padding: 2 })).toEqual([
      19, 19, 128,
    ]);
  });

  it('keeps the size with `same` padding and divides it (rounding up) by the stride', () => {
    expect(okShape('conv2d', [32, 30, 3], { filters: 16, kernelSize: 5, padding: 'same' })).toEqual([
      32, 30, 16,
    ]);
    expect(
      okShape('conv2d', [33, 30, 3], { filters: 16, kernelSize: 3, stride: 2, padding: 'same' }),
    ).toEqual([17, 15, 16]);
  });

  it('counts k×k×in×out weights plus a bias per filter, as PyTorch', () => {
    expect(count('conv2d', [32, 32, 3], { filters: 64, kernelSize: 3, padding: 2 })).toEqual({
      trainable: 1792,
      fixed: 0,
    });
    expect(count('conv2d', [17, 17, 64], { filters: 128, kernelSize: 3, padding: 2 })).toEqual({
      trainable: 73_856,
      fixed: 0,
    });
    expect(count('conv2d', [8, 8, 3], { filters: 4, kernelSize: 5, bias: false })).toEqual({
      trainable: 300,
      fixed: 0,
    });
  });

  it('accepts PyTorch-style numeric padding and refuses negative or fractional padding', () => {
    expect(block('conv2d').schema.safeParse({ padding: 2 }).success).toBe(true);
    expect(block('conv2d').schema.safeParse({ padding: -1 }).success).toBe(false);
    expect(block('conv2d').schema.safeParse({ padding: 1.5 }).success).toBe(false);
    expect(block('conv2d').schema.safeParse({ padding: 'full' }).success).toBe(false);
  });

  it('refuses a dilation together with a stride, saying which to change', () => {
    expect(message('conv2d', [32, 32, 3], { kernelSize: 3, stride: 2, dilation: 2 })).toBe(
      'Conv2D cannot use a dilation and a stride above 1 together: set one of them to 1.',
    );
  });

  it('refuses a kernel larger than its input instead of giving an empty or negative size', () => {
    // PyTorch: floor((3 − 5)/1) + 1 = −1.
    const m = message('conv2d', [3, 3, 8], { kernelSize: 5 });
    expect(m).toMatch(
      /^Conv2D's output would be empty \(input 3×3, kernel 5\): use a smaller kernel, more padding/,
    );
    // Exactly zero: 4 − 5 + 1.
    expect(message('conv2d', [4, 9, 8], { kernelSize: 5 })).toMatch(/output would be empty/);
    // A dilated kernel spans d(k−1)+1 pixels: 2·2+1 = 5 > 4.
    expect(message('conv2d', [4, 4, 8], { kernelSize: 3, dilation: 2 })).toMatch(/output would be empty/);
    // Exactly fits: one pixel out.
    expect(okShape('conv2d', [5, 5, 8], { filters: 2, kernelSize: 5 })).toEqual([1, 1, 2]);
  });

  it('refuses a flat input and says where to put it', () => {
    expect(message('conv2d', [100])).toBe(
      'Conv2D needs an image input (height×width×channels) but gets 100: place it before any Flatten or Dense block.',
    );
  });
});

describe.each([
  ['maxpool2d', 'MaxPool2D'],
  ['avgpool2d', 'AvgPool2D'],
])('%s', (kind, label) => {
  it('uses a stride equal to the window by default, as PyTorch', () => {
    expect(okShape(kind, [34, 34, 64], { size: 2 })).toEqual([17, 17, 64]);
    expect(okShape(kind, [19, 19, 128], { size: 2 })).toEqual([9, 9, 128]);
    expect(okShape(kind, [10, 11, 3], { size: 3 })).toEqual([
      torchLength(10, 3, 3),
      torchLength(11, 3, 3),
      3,
    ]);
  });

  it('uses an explicit stride', () => {
    expect(okShape(kind, [32, 32, 16], { size: 3, stride: 2 })).toEqual([
      torchLength(32, 3, 2),
      torchLength(32, 3, 2),
      16,
    ]);
    expect(okShape(kind, [32, 32, 16], { size: 3, stride: 2 })).toEqual([15, 15, 16]);
    expect(okShape(kind, [7, 7, 1], { size: 2, stride: 1 })).toEqual([6, 6, 1]);
  });

  it('says when its window is larger than its input', () => {
    expect(message(kind, [3, 3, 8], { size: 4 })).toBe(
      `${label}'s window 4×4 is larger than its input 3×3: use a smaller window or remove a pooling block before it.`,
    );
  });

  it('has no weights and refuses a flat input', () => {
    expect(count(kind, [34, 34, 64], { size: 2 })).toEqual({ trainable: 0, fixed: 0 });
    expect(message(kind, [64], { size: 2 })).toMatch(
      new RegExp(`^${label} needs an image input .* but gets 64: place it before any Flatten`),
    );
  });
});

describe('Flatten', () => {
  it('turns H×W×C into H·W·C, as the lesson’s 9×9×128 → 10368', () => {
    expect(okShape('flatten', [9, 9, 128])).toEqual([10368]);
    expect(okShape('flatten', [28, 28, 1])).toEqual([784]);
  });

  it('leaves a flat input as it is and has no weights', () => {
    expect(okShape('flatten', [12])).toEqual([12]);
    expect(count('flatten', [9, 9, 128])).toEqual({ trainable: 0, fixed: 0 });
  });
});

describe('Dropout', () => {
  it('keeps its input shape, has no weights, and limits the rate', () => {
    expect(okShape('dropout', [9, 9, 128], { rate: 0.5 })).toEqual([9, 9, 128]);
    expect(count('dropout', [512])).toEqual({ trainable: 0, fixed: 0 });
    expect(params('dropout')).toEqual({ rate: 0.5 });
    expect(block('dropout').schema.safeParse({ rate: 1 }).success).toBe(false);
    expect(block('dropout').schema.safeParse({ rate: -0.1 }).success).toBe(false);
  });
});

describe('BatchNorm', () => {
  it('learns a scale and shift per channel (2C, PyTorch’s count) and keeps 2C running statistics', () => {
    expect(count('batchnorm', [16, 16, 64])).toEqual({ trainable: 128, fixed: 128 });
    expect(count('batchnorm', [24])).toEqual({ trainable: 48, fixed: 48 });
    expect(okShape('batchnorm', [16, 16, 64])).toEqual([16, 16, 64]);
  });

  it('uses PyTorch’s defaults', () => {
    expect(params('batchnorm')).toEqual({ momentum: 0.1, epsilon: 1e-5 });
  });
});

describe('activations', () => {
  const kinds = ['relu', 'leakyrelu', 'sigmoid', 'tanh', 'softmax', 'elu'];
  it.each(kinds)('%s keeps any shape and has no weights', (kind) => {
    expect(okShape(kind, [7])).toEqual([7]);
    expect(okShape(kind, [9, 9, 128])).toEqual([9, 9, 128]);
    expect(count(kind, [9, 9, 128])).toEqual({ trainable: 0, fixed: 0 });
    expect(message(kind, undefined)).toMatch(/needs an input: connect a block to it\.$/);
  });

  it('uses PyTorch’s defaults for LeakyReLU’s slope and ELU’s alpha, within limits', () => {
    expect(params('leakyrelu')).toEqual({ slope: 0.01 });
    expect(block('leakyrelu').schema.safeParse({ slope: -0.5 }).success).toBe(false);
    // tfjs's ELU layer supports alpha = 1 only, PyTorch's default: the block compiles to exactly that.
    expect(block('elu').layers([4], params('elu'), { name: 'e', seed: 0 })[0]!.config.alpha).toBe(1);
  });
});

describe('Output', () => {
  const withClasses = (classCount: number | null): BlockContext => ({
    data: { inputShape: [12], classCount },
  });

  it('chooses the task’s default loss', () => {
    expect(block('output').summary(params('output', { task: 'regression' }))).toBe('regression, mse');
    expect(block('output').summary(params('output', { task: 'binary' }))).toBe('binary, bce');
    expect(block('output').summary(params('output', { task: 'multiclass' }))).toBe('multiclass, cce');
  });

  it('regression: takes one number, with or without a dataset', () => {
    expect(okShape('output', [1], { task: 'regression', loss: 'huber' })).toEqual([1]);
    expect(okShape('output', [1], { task: 'regression', loss: 'mae' }, withClasses(null))).toEqual([1]);
    expect(message('output', [3], { task: 'regression' })).toBe(
      'A regression Output predicts 1 number but gets 3: set the last Dense block to 1 unit.',
    );
  });

  it('binary: takes one probability, and only for a two-class target', () => {
    expect(okShape('output', [1], { task: 'binary' })).toEqual([1]);
    expect(okShape('output', [1], { task: 'binary' }, withClasses(2))).toEqual([1]);
    expect(message('output', [2], { task: 'binary' })).toBe(
      'A binary Output predicts 1 probability but gets 2: set the last Dense block to 1 unit.',
    );
    expect(message('output', [1], { task: 'binary' }, withClasses(3))).toBe(
      "The target has 3 classes, not 2: set the Output's task to multi-class.",
    );
  });

  it('multi-class: one value per class of the dataset', () => {
    expect(okShape('output', [10], { task: 'multiclass' })).toEqual([10]);
    expect(okShape('output', [10], { task: 'multiclass' }, withClasses(10))).toEqual([10]);
    expect(message('output', [7], { task: 'multiclass' }, withClasses(10))).toBe(
      'The dataset has 10 classes but the Output gets 7 values: set the last Dense block to 10 units.',
    );
    expect(message('output', [1], { task: 'multiclass' }, withClasses(3))).toBe(
      'The dataset has 3 classes but the Output gets 1 value: set the last Dense block to 3 units.',
    );
    expect(message('output', [1], { task: 'multiclass' })).toBe(
      'A multi-class Output needs one value per class (at least 2): set the last Dense block to the number of classes.',
    );
  });

  it('says when the chosen loss does not fit the task, naming the ones that do', () => {
    expect(message('output', [1], { task: 'regression', loss: 'bce' })).toBe(
      'The Binary cross-entropy loss does not fit a regression Output: choose Mean squared error (MSE), Mean absolute error (MAE) or Huber.',
    );
    expect(message('output', [10], { task: 'multiclass', loss: 'mse' })).toBe(
      'The Mean squared error (MSE) loss does not fit a multi-class Output: choose Categorical cross-entropy.',
    );
    expect(message('output', [1], { task: 'binary', loss: 'cce' })).toMatch(
      /does not fit a binary Output: choose Binary cross-entropy\.$/,
    );
  });

  it('needs a flat input', () => {
    expect(message('output', [4, 4, 10], { task: 'multiclass' })).toMatch(
      /^Output needs a flat input but gets 4×4×10: add a Flatten/,
    );
  });

  it('has no weights', () => {
    expect(count('output', [10])).toEqual({ trainable: 0, fixed: 0 });
  });
});
