import { z } from 'zod';
import { defineBlock } from './types';

const schema = z.object({
  /** PyTorch's convention: the weight of the new batch in the running statistics. */
  momentum: z.number().gt(0).lt(1).default(0.1),
  epsilon: z.number().gt(0).max(0.1).default(1e-5),
});

export const batchNormBlock = defineBlock({
  kind: 'batchnorm',
  label: 'BatchNorm',
  group: 'regularisation',
  help: 'Normalises each channel over the batch, which makes deep networks train faster and steadier.',
  schema,
  fields: [
    {
      key: 'momentum',
      label: 'Momentum',
      kind: 'number',
      min: 0.001,
      max: 0.999,
      step: 0.01,
      help: 'As in PyTorch (0.1).',
    },
    { key: 'epsilon', label: 'Epsilon', kind: 'number', min: 1e-8, max: 0.1, step: 1e-5 },
  ],
  ports: { input: true, output: true },
  outputShape(input) {
    if (!input) return { ok: false, message: 'BatchNorm needs an input: connect a block to it.' };
    return { ok: true, shape: input };
  },
  paramCount(input) {
    const channels = input[input.length - 1] ?? 0;
    return { trainable: 2 * channels, fixed: 2 * channels };
  },
  layers: (_input, p, { name }) => [
    // Keras's momentum is the weight of the old statistics: the complement of PyTorch's.
    {
      className: 'BatchNormalization',
      config: { name, axis: -1, momentum: 1 - p.momentum, epsilon: p.epsilon },
    },
  ],
  summary: () => '',
});
