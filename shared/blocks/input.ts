import { z } from 'zod';
import { defineBlock, formatShape } from './types';

const schema = z.object({
  dataKind: z.enum(['tabular', 'image']).default('tabular'),
  features: z.number().int().min(1).max(100000).default(8),
  height: z.number().int().min(1).max(1024).default(32),
  width: z.number().int().min(1).max(1024).default(32),
  channels: z.number().int().min(1).max(4).default(3),
});

export const inputBlock = defineBlock({
  kind: 'input',
  label: 'Input',
  group: 'io',
  help: 'Where the data enters: a row of numbers from a table, or an image. Follows the chosen dataset.',
  schema,
  fields: [
    {
      key: 'dataKind',
      label: 'Data',
      kind: 'select',
      options: [
        { value: 'tabular', label: 'Table row' },
        { value: 'image', label: 'Image' },
      ],
    },
    {
      key: 'features',
      label: 'Features',
      kind: 'int',
      min: 1,
      max: 100000,
      help: 'Numbers in one row (tables).',
    },
    { key: 'height', label: 'Height', kind: 'int', min: 1, max: 1024 },
    { key: 'width', label: 'Width', kind: 'int', min: 1, max: 1024 },
    { key: 'channels', label: 'Channels', kind: 'int', min: 1, max: 4, help: '1 for grey, 3 for colour.' },
  ],
  ports: { input: false, output: true },
  outputShape(_input, p, ctx) {
    const shape = p.dataKind === 'tabular' ? [p.features] : [p.height, p.width, p.channels];
    const data = ctx.data?.inputShape;
    if (data && formatShape(data) !== formatShape(shape)) {
      return {
        ok: false,
        message: `Input is set to ${formatShape(shape)} but the dataset gives ${formatShape(data)}: set the Input block to match the dataset.`,
      };
    }
    return { ok: true, shape };
  },
  paramCount: () => ({ trainable: 0, fixed: 0 }),
  layers: () => [],
  summary: (p) =>
    p.dataKind === 'tabular' ? `${p.features} features` : `${p.height}×${p.width}×${p.channels} image`,
});
