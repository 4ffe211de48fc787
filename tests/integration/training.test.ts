import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../shared/api/trainer';
import type { ProjectDocument, TrainingSettings } from '../../shared/graph';
import { dataLocationFor } from '../../electron/services/dataLocation';
import { findPreset } from '../../electron/services/presets';
import { loadTrainingData } from '../../electron/trainer/loadData';
import { TrainingError, trainNetwork, type DoneEvent } from '../../electron/trainer/train';
import { tf } from '../../electron/trainer/tf';

function preset(id: string, training: Partial<TrainingSettings> = {}): ProjectDocument {
  const p = findPreset(id);
  if (!p) throw new Error(`no preset ${id}`);
  return { ...p.document, training: { ...p.document.training, ...training } };
}

async function train(
  doc: ProjectDocument,
  options: { shouldStop?: (events: TrainerEvent[]) => boolean } = {},
) {
  const data = await loadTrainingData(doc, dataLocationFor(doc));
  const events: TrainerEvent[] = [];
  const done = await trainNetwork({
    runId: 1,
    document: doc,
    data,
    backend: 'cpu',
    backendReason: 'test',
    emit: (e) => events.push(e),
    shouldStop: () => options.shouldStop?.(events) ?? false,
    batchEventIntervalMs: 0,
  });
  return { done, events, epochs: events.filter((e) => e.type === 'epoch') };
}

function testMetric(done: DoneEvent, name: 'accuracy' | 'r2'): number {
  const t = done.test as unknown as Record<string, number>;
  return t[name]!;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('training the lesson presets on the shipped data', () => {
  it('wine-type-ann reaches a test accuracy of at least 0.98 in 20 epochs', async () => {
    const { done, epochs } = await train(preset('wine-type-ann', { epochs: 20 }));
    expect(epochs).toHaveLength(20);
    expect(done.status).toBe('completed');
    expect(done.params).toBe(897);
    expect(testMetric(done, 'accuracy')).toBeGreaterThanOrEqual(0.98);
    expect(done.test.task).toBe('binary');
    if (done.test.task === 'binary') {
      expect(done.test.confusion_matrix.flat().reduce((a, b) => a + b, 0)).toBe(1300);
      expect(done.test.auc).toBeGreaterThan(0.98);
      expect(done.test.report.classes.map((c) => c.name)).toEqual(['red', 'white']);
    }
  });

  it('california-housing-mlp with batch 64 and lr 1e-3 reaches a test R² of at least 0.70 in 20 epochs', async () => {
    const { done, epochs } = await train(
      preset('california-housing-mlp', { epochs: 20, batchSize: 64, learningRate: 1e-3 }),
    );
    expect(epochs).toHaveLength(20);
    expect(done.params).toBe(601);
    expect(testMetric(done, 'r2')).toBeGreaterThanOrEqual(0.7);
    // restoreBest is on in the preset: the weights are those of the epoch with the lowest val_loss.
    const valLosses = epochs.map((e) => (e.type === 'epoch' ? e.metrics.val_loss! : NaN));
    expect(done.bestEpoch).toBe(valLosses.indexOf(Math.min(...valLosses)) + 1);
  });
});

describe('reproducibility and ending a run', () => {
  it('gives identical metrics for two runs with the same seed on the same backend, and others for another seed', async () => {
    const doc = preset('wine-type-ann', { epochs: 2, seed: 7 });
    const a = await train(doc);
    const b = await train(doc);
    const c = await train({ ...doc, training: { ...doc.training, seed: 8 } });
    expect(b.epochs).toEqual(
      a.epochs.map((e) => ({ ...e, seconds: expect.any(Number), samplesPerSecond: expect.any(Number) })),
    );
    expect(b.done.test).toEqual(a.done.test);
    expect(c.epochs[0]).not.toEqual(
      expect.objectContaining({ metrics: (a.epochs[0] as { metrics: unknown }).metrics }),
    );
  });

  it('ends at the next batch when asked to stop, keeping the finished epochs and test figures', async () => {
    const { done, epochs, events } = await train(preset('wine-type-ann', { epochs: 50 }), {
      shouldStop: (ev) => ev.filter((e) => e.type === 'epoch').length >= 2,
    });
    expect(done.status).toBe('stopped');
    expect(epochs).toHaveLength(2);
    expect(done.bestEpoch).toBe(2);
    expect(testMetric(done, 'accuracy')).toBeGreaterThan(0.5);
    // The batch after the stop request was the last one trained: no third epoch was reported.
    expect(events.filter((e) => e.type === 'batch' && e.epoch === 3).length).toBeLessThanOrEqual(1);
  });

  it('ends with a message naming the epoch and what to try when the loss becomes NaN or infinite', async () => {
    const doc = preset('california-housing-mlp', {
      epochs: 5,
      optimizer: 'sgd',
      learningRate: 5,
      batchSize: 64,
      standardize: undefined,
    } as Partial<TrainingSettings>);
    const run = train({ ...doc, data: { ...doc.data!, standardize: false } });
    await expect(run).rejects.toBeInstanceOf(TrainingError);
    await expect(run).rejects.toMatchObject({ code: 'nan', epoch: 1 });
    await expect(run).rejects.toThrow(/became (NaN|infinite) in epoch 1: .*learning rate 10 times smaller/);
  });

  it('follows a step learning-rate schedule and stops early when the monitored loss stops improving', async () => {
    const { epochs } = await train(
      preset('wine-type-ann', {
        epochs: 30,
        learningRate: 0.01,
        lrSchedule: { kind: 'step', every: 2, gamma: 0.5 },
        earlyStopping: { monitor: 'val_loss', patience: 1, minDelta: 0.5 },
      }),
    );
    // minDelta 0.5 can never be beaten after the first epoch: patience 1 stops at epoch 2.
    expect(epochs).toHaveLength(2);
    const rates = epochs.map((e) => (e.type === 'epoch' ? e.learningRate : 0));
    expect(rates).toEqual([0.01, 0.01]);
    const long = await train(
      preset('wine-type-ann', {
        epochs: 5,
        learningRate: 0.01,
        lrSchedule: { kind: 'step', every: 2, gamma: 0.5 },
      }),
    );
    expect(long.epochs.map((e) => (e.type === 'epoch' ? e.learningRate : 0))).toEqual([
      0.01, 0.01, 0.005, 0.005, 0.0025,
    ]);
  });
});
