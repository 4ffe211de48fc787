import { z } from 'zod';
import { defineBlock, formatShape, torchBiasInit, torchKernelInit } from './types';

const schema = z.object({
  units: z.number().int().min(1).max(100000).default(64),
  bias: z.boolean().default(true),
});

export const denseBlock = defineBlock({
  kind: 'dense',
  label: 'Dense',
  group: 'layers',
  help: 'A fully connected layer (PyTorch Linear): every output is a weighted sum of every input.',
  schema,
  fields: [
    {
      key: 'units',
      label: 'Units',
      kind: 'int',
      min: 1,
      max: 100000,
      help: 'How many numbers this layer outputs.',
    },
    { key: 'bias', label: 'Bias', kind: 'boolean' },
  ],
  ports: { input: true, output: true },
  outputShape(input, p) {
    if (!input) return { ok: false, message: 'Dense needs an input: connect a block to it.' };
    if (input.length !== 1) {
      return {
        ok: false,
        message: `Dense needs a flat input but gets ${formatShape(input)}: insert a Flatten block before it.`,
      };
    }
    return { ok: true, shape: [p.units] };
  },
  paramCount(input, p) {
    const inFeatures = input[0] ?? 0;
    return { trainable: inFeatures * p.units + (p.bias ? p.units : 0), fixed: 0 };
  },
  layers(input, p, { name, seed }) {
    const fanIn = input[0] ?? 1;
    return [
      {
        className: 'Dense',
        config: {
          name,
          units: p.units,
          useBias: p.bias,
          kernelInitializer: torchKernelInit(seed),
          biasInitializer: torchBiasInit(fanIn, seed),
        },
      },
    ];
  },
  summary: (p) => `${p.units} ${p.units === 1 ? 'unit' : 'units'}`,
});
