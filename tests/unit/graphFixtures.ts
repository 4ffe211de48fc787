// Networks from the lesson as block chains, shared by the graph tests.
import type { ChainBlock } from '../../shared/graph';

/** The lesson's California-housing MLP (8-24-12-6-1, 601 parameters). */
export const housingMlp: ChainBlock[] = [
  { id: 'input', kind: 'input', params: { dataKind: 'tabular', features: 8 } },
  { id: 'layer1', kind: 'dense', params: { units: 24 } },
  { id: 'relu1', kind: 'relu' },
  { id: 'layer2', kind: 'dense', params: { units: 12 } },
  { id: 'relu2', kind: 'relu' },
  { id: 'layer3', kind: 'dense', params: { units: 6 } },
  { id: 'relu3', kind: 'relu' },
  { id: 'layer4', kind: 'dense', params: { units: 1 } },
  { id: 'output', kind: 'output', params: { task: 'regression', loss: 'mse' } },
];

/** The lesson's CIFAR-10 ConvNet. */
export const cifarNet: ChainBlock[] = [
  { id: 'input', kind: 'input', params: { dataKind: 'image', height: 32, width: 32, channels: 3 } },
  { id: 'conv1', kind: 'conv2d', params: { filters: 64, kernelSize: 3, padding: 2 } },
  { id: 'relu1', kind: 'relu' },
  { id: 'pool1', kind: 'maxpool2d', params: { size: 2 } },
  { id: 'conv2', kind: 'conv2d', params: { filters: 128, kernelSize: 3, padding: 2 } },
  { id: 'relu2', kind: 'relu' },
  { id: 'pool2', kind: 'maxpool2d', params: { size: 2 } },
  { id: 'flatten', kind: 'flatten' },
  { id: 'dropout', kind: 'dropout', params: { rate: 0.5 } },
  { id: 'fc1', kind: 'dense', params: { units: 512 } },
  { id: 'relu3', kind: 'relu' },
  { id: 'fc2', kind: 'dense', params: { units: 10 } },
  { id: 'output', kind: 'output', params: { task: 'multiclass' } },
];
