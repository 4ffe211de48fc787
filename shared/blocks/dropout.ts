import { z } from 'zod';
import { defineBlock } from './types';

const schema = z.object({ rate: z.number().min(0).max(0.95).default(0.5) });

export const dropoutBlock = defineBlock({
  kind: 'dropout',
  label: 'Dropout',
  group: 'regularisation',
  help: 'While training, sets a random share of its inputs to zero so the network cannot rely on any one of them.',
  schema,
  fields: [
    {
      key: 'rate',
      label: 'Rate',
      kind: 'number',
      min: 0,
      max: 0.95,
      step: 0.05,
      help: 'Share of inputs dropped.',
    },
  ],
  ports: { input: true, output: true },
  outputShape(input) {
    if (!input) return { ok: false, message: 'Dropout needs an input: connect a block to it.' };
    return { ok: true, shape: input };
  },
  paramCount: () => ({ trainable: 0, fixed: 0 }),
  layers: (_input, p, { name }) => [{ className: 'Dropout', config: { name, rate: p.rate } }],
  summary: (p) => `rate ${p.rate}`,
});
