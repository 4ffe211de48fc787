import { z } from 'zod';
import { defineBlock, formatShape, torchBiasInit, torchKernelInit, type LayerConfig } from './types';
import { spatialOutput, paddingSchema, type Padding } from './spatial';

const schema = z.object({
  filters: z.number().int().min(1).max(4096).default(32),
  kernelSize: z.number().int().min(1).max(15).default(3),
  stride: z.number().int().min(1).max(8).default(1),
  padding: paddingSchema.default('valid'),
  dilation: z.number().int().min(1).max(8).default(1),
  bias: z.boolean().default(true),
});

function paddingLabel(p: Padding): string {
  return typeof p === 'number' ? `pad ${p}` : p;
}

export const conv2dBlock = defineBlock({
  kind: 'conv2d',
  label: 'Conv2D',
  group: 'layers',
  help: 'A 2-D convolution: slides small learned filters over an image to find local patterns.',
  schema,
  fields: [
    {
      key: 'filters',
      label: 'Filters',
      kind: 'int',
      min: 1,
      max: 4096,
      help: 'Output channels (PyTorch out_channels).',
    },
    { key: 'kernelSize', label: 'Kernel size', kind: 'int', min: 1, max: 15 },
    { key: 'stride', label: 'Stride', kind: 'int', min: 1, max: 8 },
    { key: 'padding', label: 'Padding', kind: 'padding', help: 'same, valid, or pixels added on each side.' },
    { key: 'dilation', label: 'Dilation', kind: 'int', min: 1, max: 8 },
    { key: 'bias', label: 'Bias', kind: 'boolean' },
  ],
  ports: { input: true, output: true },
  outputShape(input, p) {
    if (!input) return { ok: false, message: 'Conv2D needs an input: connect a block to it.' };
    if (input.length !== 3) {
      return {
        ok: false,
        message: `Conv2D needs an image input (height×width×channels) but gets ${formatShape(input)}: place it before any Flatten or Dense block.`,
      };
    }
    if (p.dilation > 1 && p.stride > 1) {
      return {
        ok: false,
        message: 'Conv2D cannot use a dilation and a stride above 1 together: set one of them to 1.',
      };
    }
    const [h, w, _c] = input as [number, number, number];
    const oh = spatialOutput(h, p.kernelSize, p.stride, p.padding, p.dilation);
    const ow = spatialOutput(w, p.kernelSize, p.stride, p.padding, p.dilation);
    if (oh < 1 || ow < 1) {
      return {
        ok: false,
        message: `Conv2D's output would be empty (input ${h}×${w}, kernel ${p.kernelSize}): use a smaller kernel, more padding, or fewer pooling blocks before it.`,
      };
    }
    return { ok: true, shape: [oh, ow, p.filters] };
  },
  paramCount(input, p) {
    const inChannels = input[2] ?? 0;
    return {
      trainable: p.kernelSize * p.kernelSize * inChannels * p.filters + (p.bias ? p.filters : 0),
      fixed: 0,
    };
  },
  layers(input, p, { name, seed }) {
    const fanIn = p.kernelSize * p.kernelSize * (input[2] ?? 1);
    const layers: LayerConfig[] = [];
    // tfjs only knows 'same' and 'valid': PyTorch's numeric padding is an explicit zero padding first.
    if (typeof p.padding === 'number' && p.padding > 0) {
      layers.push({
        className: 'ZeroPadding2D',
        config: {
          name: `${name}_pad`,
          padding: [
            [p.padding, p.padding],
            [p.padding, p.padding],
          ],
        },
      });
    }
    layers.push({
      className: 'Conv2D',
      config: {
        name,
        filters: p.filters,
        kernelSize: [p.kernelSize, p.kernelSize],
        strides: [p.stride, p.stride],
        padding: typeof p.padding === 'number' ? 'valid' : p.padding,
        dilationRate: [p.dilation, p.dilation],
        useBias: p.bias,
        kernelInitializer: torchKernelInit(seed),
        biasInitializer: torchBiasInit(fanIn, seed),
      },
    });
    return layers;
  },
  summary: (p) =>
    `${p.filters} × ${p.kernelSize}×${p.kernelSize}, stride ${p.stride}, ${paddingLabel(p.padding)}`,
});
