import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sequentialGraph, type ProjectDocument } from '../../shared/graph';
import { projectDocumentSchema } from '../../shared/graph';
import { dataLocationFor } from '../../electron/services/dataLocation';
import { findPreset } from '../../electron/services/presets';
import { loadTrainingData } from '../../electron/trainer/loadData';
import { trainNetwork } from '../../electron/trainer/train';
import { initBackend } from '../../electron/trainer/backends/setup';

const cifarSubset = resolve(__dirname, '../../../shared/datasets/cifar10-subset-bin');

async function train(doc: ProjectDocument) {
  const data = await loadTrainingData(doc, dataLocationFor(doc));
  const backend = await initBackend('auto');
  const epochs: number[] = [];
  const done = await trainNetwork({
    runId: 1,
    document: doc,
    data,
    backend: backend.name,
    backendReason: backend.reason,
    emit: (e) => {
      if (e.type === 'epoch') epochs.push(e.metrics.val_accuracy!);
    },
    shouldStop: () => false,
  });
  return { done, epochs, data };
}

beforeAll(async () => {
  await initBackend('auto');
});

describe('training on images', () => {
  it('digits-cnn reaches a test accuracy of at least 0.90', async () => {
    const preset = findPreset('digits-cnn')!.document;
    const { done, data } = await train(preset);
    expect(data.inputShape).toEqual([8, 8, 1]);
    expect(data.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(done.test.task).toBe('multiclass');
    if (done.test.task === 'multiclass') {
      expect(done.test.accuracy).toBeGreaterThanOrEqual(0.9);
      expect(done.test.confusion_matrix).toHaveLength(10);
      expect(done.test.per_class_accuracy).toHaveLength(10);
    }
  });

  it('a small ConvNet learns CIFAR-10 from the binary subset in a few epochs, with augmentation on', async () => {
    const doc = projectDocumentSchema.parse({
      format: 'neural-workbench/project',
      version: 1,
      name: 'CIFAR subset',
      graph: sequentialGraph([
        { kind: 'input', params: { dataKind: 'image', height: 32, width: 32, channels: 3 } },
        { kind: 'conv2d', params: { filters: 16, kernelSize: 3, padding: 1 } },
        { kind: 'relu' },
        { kind: 'maxpool2d', params: { size: 2 } },
        { kind: 'conv2d', params: { filters: 32, kernelSize: 3, padding: 1 } },
        { kind: 'relu' },
        { kind: 'maxpool2d', params: { size: 2 } },
        { kind: 'flatten' },
        { kind: 'dense', params: { units: 64 } },
        { kind: 'relu' },
        { kind: 'dense', params: { units: 10 } },
        { kind: 'output', params: { task: 'multiclass' } },
      ]),
      data: {
        source: { kind: 'file', path: cifarSubset },
        format: 'images',
        normalization: 'half',
        augmentation: { horizontalFlip: true, cropPadding: 2 },
      },
      training: { optimizer: 'adam', learningRate: 0.002, batchSize: 32, epochs: 6, seed: 1 },
    });
    const { done, data } = await train(doc);
    expect(data.trainCount).toBe(1000);
    expect(data.test.count).toBe(200);
    expect(data.classNames).toHaveLength(10);
    if (done.test.task !== 'multiclass') throw new Error('expected multi-class');
    // Chance is 0.1 with ten balanced classes.
    expect(done.test.accuracy).toBeGreaterThan(0.2);
  });
});
