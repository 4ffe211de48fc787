import { z } from 'zod';
import { defineBlock, formatShape, type BlockDefinition } from './types';
import { spatialOutput } from './spatial';

const schema = z.object({
  size: z.number().int().min(1).max(16).default(2),
  /** 0 means "same as the size", PyTorch's default. */
  stride: z.number().int().min(0).max(16).default(0),
});
type PoolParams = z.infer<typeof schema>;

/** Max and average pooling differ only in name and layer class: both are built here. */
export function poolingBlock(kind: 'maxpool2d' | 'avgpool2d'): BlockDefinition<PoolParams> {
  const label = kind === 'maxpool2d' ? 'MaxPool2D' : 'AvgPool2D';
  return defineBlock({
    kind,
    label,
    group: 'layers',
    help:
      kind === 'maxpool2d'
        ? 'Shrinks an image by keeping the largest value in each window.'
        : 'Shrinks an image by averaging each window.',
    schema,
    fields: [
      { key: 'size', label: 'Window size', kind: 'int', min: 1, max: 16 },
      { key: 'stride', label: 'Stride', kind: 'int', min: 0, max: 16, help: '0 = same as the window size.' },
    ],
    ports: { input: true, output: true },
    outputShape(input, p) {
      if (!input) return { ok: false, message: `${label} needs an input: connect a block to it.` };
      if (input.length !== 3) {
        return {
          ok: false,
          message: `${label} needs an image input (height×width×channels) but gets ${formatShape(input)}: place it before any Flatten or Dense block.`,
        };
      }
      const stride = p.stride || p.size;
      const [h, w, c] = input as [number, number, number];
      const oh = spatialOutput(h, p.size, stride, 'valid');
      const ow = spatialOutput(w, p.size, stride, 'valid');
      if (oh < 1 || ow < 1) {
        return {
          ok: false,
          message: `${label}'s window ${p.size}×${p.size} is larger than its input ${h}×${w}: use a smaller window or remove a pooling block before it.`,
        };
      }
      return { ok: true, shape: [oh, ow, c] };
    },
    paramCount: () => ({ trainable: 0, fixed: 0 }),
    layers: (_input, p, { name }) => [
      {
        className: kind === 'maxpool2d' ? 'MaxPooling2D' : 'AveragePooling2D',
        config: {
          name,
          poolSize: [p.size, p.size],
          strides: [p.stride || p.size, p.stride || p.size],
          padding: 'valid',
        },
      },
    ],
    summary: (p) => `${p.size}×${p.size}` + (p.stride && p.stride !== p.size ? `, stride ${p.stride}` : ''),
  });
}
