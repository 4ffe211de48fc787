import type { BlockDefinition, BlockGroup } from './types';
import { inputBlock } from './input';
import { denseBlock } from './dense';
import { conv2dBlock } from './conv2d';
import { maxPool2dBlock } from './maxPool2d';
import { avgPool2dBlock } from './avgPool2d';
import { flattenBlock } from './flatten';
import { dropoutBlock } from './dropout';
import { batchNormBlock } from './batchNorm';
import { reluBlock } from './relu';
import { leakyReluBlock } from './leakyRelu';
import { sigmoidBlock } from './sigmoid';
import { tanhBlock } from './tanh';
import { softmaxBlock } from './softmax';
import { eluBlock } from './elu';
import { outputBlock } from './output';
import { pretrainedBlock } from './pretrained';

/** Every block kind, in palette order. Adding a block is one file plus one line here. */
export const blocks: readonly BlockDefinition[] = [
  inputBlock,
  outputBlock,
  denseBlock,
  conv2dBlock,
  maxPool2dBlock,
  avgPool2dBlock,
  flattenBlock,
  reluBlock,
  leakyReluBlock,
  sigmoidBlock,
  tanhBlock,
  softmaxBlock,
  eluBlock,
  dropoutBlock,
  batchNormBlock,
  pretrainedBlock,
] as unknown as readonly BlockDefinition[];

const byKind = new Map(blocks.map((b) => [b.kind, b]));

export function getBlock(kind: string): BlockDefinition | undefined {
  return byKind.get(kind);
}

export const groupLabels: Record<BlockGroup, string> = {
  io: 'Input / output',
  layers: 'Layers',
  activations: 'Activations',
  regularisation: 'Regularisation',
};

export const groupOrder: readonly BlockGroup[] = ['io', 'layers', 'activations', 'regularisation'];
