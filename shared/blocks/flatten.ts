import { z } from 'zod';
import { defineBlock } from './types';

export const flattenBlock = defineBlock({
  kind: 'flatten',
  label: 'Flatten',
  group: 'layers',
  help: 'Turns an image-shaped input (height×width×channels) into one long row, for Dense blocks.',
  schema: z.object({}),
  fields: [],
  ports: { input: true, output: true },
  outputShape(input) {
    if (!input) return { ok: false, message: 'Flatten needs an input: connect a block to it.' };
    return { ok: true, shape: [input.reduce((a, b) => a * b, 1)] };
  },
  paramCount: () => ({ trainable: 0, fixed: 0 }),
  layers: (input, _p, { name }) => (input.length === 1 ? [] : [{ className: 'Flatten', config: { name } }]),
  summary: () => '',
});
