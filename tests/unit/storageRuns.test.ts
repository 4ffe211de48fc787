import { describe, expect, it } from 'vitest';
import { openStorage } from '../../electron/services/storage';
import {
  binaryTestMetrics,
  presetDocument,
  regressionTestMetrics,
  sampleModel,
  wineCsv,
} from '../fixtures/storage/samples';
import { refusalCode, removeTempDirsAfterAll, steppingStorage } from './storageSetup';

removeTempDirsAfterAll();

describe('recording a run', () => {
  it('records a run from queued to completed with its epochs, test metrics, predictions and model', () => {
    const storage = steppingStorage();
    const { dataset } = storage.addDataset(wineCsv());
    const doc = presetDocument('wine-type-ann');
    const project = storage.createProject(doc);
    const run = storage.createRun({ projectId: project.id, document: doc, datasetId: dataset.id });
    expect(run).toMatchObject({
      status: 'queued',
      projectName: 'Wine type ANN',
      startedAt: null,
      epochsDone: 0,
      seed: 42,
      datasetId: dataset.id,
      settings: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 100 },
      headline: null,
      hasModel: false,
    });
    expect(run.document).toEqual(doc);

    storage.startRun(run.id, { backend: 'wasm', params: 897 });
    for (let epoch = 1; epoch <= 3; epoch++) {
      storage.addEpoch(run.id, {
        epoch,
        metrics: { loss: 1 / epoch, accuracy: 0.5 + epoch / 10, val_loss: 1.2 / epoch, val_accuracy: 0.5 },
        learningRate: 0.001,
        seconds: 0.25,
      });
    }
    expect(storage.listRuns()[0]).toMatchObject({
      status: 'running',
      epochsDone: 3,
      headline: { metric: 'val_loss' },
    });
    expect(storage.listRuns()[0]?.headline?.value).toBeCloseTo(0.4, 12);

    const model = sampleModel(3);
    const test = binaryTestMetrics(0.97);
    storage.finishRun(run.id, {
      status: 'completed',
      test,
      bestEpoch: 2,
      backend: 'wasm',
      params: 897,
      predictions: { yTrue: [0, 1, 1], yPred: [0.1, 0.8, 0.4] },
      model: { artifacts: model, preprocessing: { standardization: { mean: [1, 2], std: [3, 4] } } },
    });

    const done = storage.getRun(run.id)!;
    expect(done).toMatchObject({
      status: 'completed',
      backend: 'wasm',
      params: 897,
      bestEpoch: 2,
      hasModel: true,
      hasPredictions: true,
      error: null,
      headline: { metric: 'accuracy', value: 0.97 },
    });
    // Infinity in the ROC thresholds survives storage.
    expect(done.test).toEqual(test);
    expect(done.startedAt! > done.createdAt).toBe(true);
    expect(done.endedAt! > done.startedAt!).toBe(true);
    expect(storage.getRunEpochs(run.id).map((e) => [e.epoch, e.metrics.loss])).toEqual([
      [1, 1],
      [2, 0.5],
      [3, 1 / 3],
    ]);
    expect(storage.getRunPredictions(run.id)).toEqual({ yTrue: [0, 1, 1], yPred: [0.1, 0.8, 0.4] });
    const stored = storage.getRunModel(run.id)!;
    expect(stored.artifacts.modelTopology).toEqual(model.modelTopology);
    expect(stored.artifacts.weightSpecs).toEqual(model.weightSpecs);
    expect(Array.from(new Float32Array(stored.artifacts.weightData))).toEqual(
      Array.from(new Float32Array(model.weightData)),
    );
    expect(stored.preprocessing).toEqual({ standardization: { mean: [1, 2], std: [3, 4] } });

    // A finished run takes no more epochs or results.
    expect(
      refusalCode(() =>
        storage.addEpoch(run.id, { epoch: 4, metrics: {}, learningRate: null, seconds: null }),
      ),
    ).toBe('invalid-state');
    expect(refusalCode(() => storage.failRun(run.id, { message: 'late' }))).toBe('invalid-state');
    storage.close();
  });

  it('keeps NaN and infinite metrics of a diverged run, with no headline number', () => {
    const storage = steppingStorage();
    const doc = presetDocument('california-housing-mlp');
    const project = storage.createProject(doc);
    const run = storage.createRun({ projectId: project.id, document: doc, status: 'running' });
    storage.addEpoch(run.id, {
      epoch: 1,
      metrics: { loss: Infinity, val_loss: NaN, mae: -Infinity },
      learningRate: 0.1,
      seconds: 1,
    });
    storage.failRun(run.id, { message: 'The loss became NaN in epoch 1: lower the learning rate.' });
    const [epoch] = storage.getRunEpochs(run.id);
    expect(epoch?.metrics.loss).toBe(Infinity);
    expect(epoch?.metrics.val_loss).toBeNaN();
    expect(epoch?.metrics.mae).toBe(-Infinity);
    expect(storage.getRun(run.id)).toMatchObject({
      status: 'failed',
      error: 'The loss became NaN in epoch 1: lower the learning rate.',
      headline: null,
    });
    storage.close();
  });

  it('shows r² as the headline of a regression and records a stopped run', () => {
    const storage = steppingStorage();
    const doc = presetDocument('california-housing-mlp');
    const project = storage.createProject(doc);
    const run = storage.createRun({ projectId: project.id, document: doc, status: 'running' });
    storage.addEpoch(run.id, { epoch: 1, metrics: { loss: 0.8 }, learningRate: 0.0001, seconds: 1 });
    expect(storage.listRuns()[0]?.headline).toEqual({ metric: 'loss', value: 0.8 });
    storage.finishRun(run.id, {
      status: 'stopped',
      test: regressionTestMetrics(0.61),
      bestEpoch: 1,
      backend: 'cpu',
      params: 10,
    });
    expect(storage.getRun(run.id)).toMatchObject({
      status: 'stopped',
      headline: { metric: 'r2', value: 0.61 },
      hasModel: false,
    });
    storage.close();
  });

  it('refuses a repeated or impossible epoch without changing the run', () => {
    const storage = steppingStorage();
    const doc = presetDocument('wine-type-ann');
    const project = storage.createProject(doc);
    const run = storage.createRun({ projectId: project.id, document: doc, status: 'running' });
    storage.addEpoch(run.id, { epoch: 1, metrics: { loss: 1 }, learningRate: 0.001, seconds: 1 });
    expect(
      refusalCode(() =>
        storage.addEpoch(run.id, { epoch: 1, metrics: { loss: 2 }, learningRate: 0.001, seconds: 1 }),
      ),
    ).toBe('invalid-input');
    expect(
      refusalCode(() =>
        storage.addEpoch(run.id, { epoch: 0, metrics: { loss: 2 }, learningRate: 0.001, seconds: 1 }),
      ),
    ).toBe('invalid-input');
    expect(
      refusalCode(() =>
        storage.addEpoch(424242, { epoch: 1, metrics: {}, learningRate: null, seconds: null }),
      ),
    ).toBe('not-found');
    expect(storage.getRun(run.id)?.epochsDone).toBe(1);
    expect(storage.getRunEpochs(run.id).map((e) => e.metrics.loss)).toEqual([1]);
    storage.close();
  });

  it('interrupts a run whose trainer died, and deletes runs', () => {
    const storage = steppingStorage();
    const doc = presetDocument('wine-type-ann');
    const project = storage.createProject(doc);
    const run = storage.createRun({ projectId: project.id, document: doc, status: 'running' });
    storage.interruptRun(run.id, 'The trainer process crashed.');
    expect(storage.getRun(run.id)).toMatchObject({
      status: 'interrupted',
      error: 'The trainer process crashed.',
    });
    storage.deleteRun(run.id);
    expect(storage.getRun(run.id)).toBeUndefined();
    expect(refusalCode(() => storage.deleteRun(run.id))).toBe('not-found');
    storage.close();
  });
});

describe('listing runs', () => {
  it('lists newest first with project names and settings, by project, by status and by page', () => {
    const storage = steppingStorage();
    const wine = storage.createProject(presetDocument('wine-type-ann'));
    const housing = storage.createProject(presetDocument('california-housing-mlp'));
    const ids: number[] = [];
    for (const optimizer of ['adam', 'sgd', 'rmsprop'] as const) {
      for (const project of [wine, housing]) {
        const document = {
          ...project.document,
          training: { ...project.document.training, optimizer, learningRate: 0.01 },
        };
        const run = storage.createRun({ projectId: project.id, document, status: 'running' });
        ids.push(run.id);
        storage.finishRun(run.id, {
          status: 'completed',
          test: null,
          bestEpoch: null,
          backend: 'cpu',
          params: 1,
        });
      }
    }
    const all = storage.listRuns();
    expect(all.map((r) => r.id)).toEqual([...ids].reverse());
    expect(storage.countRuns()).toBe(6);
    const wineRuns = storage.listRuns({ projectId: wine.id });
    expect(wineRuns.map((r) => [r.projectName, r.settings.optimizer])).toEqual([
      ['Wine type ANN', 'rmsprop'],
      ['Wine type ANN', 'sgd'],
      ['Wine type ANN', 'adam'],
    ]);
    expect(wineRuns[0]?.settings).toEqual({
      optimizer: 'rmsprop',
      learningRate: 0.01,
      batchSize: 64,
      epochs: 100,
    });
    expect(storage.listRuns({ limit: 2, offset: 1 }).map((r) => r.id)).toEqual([ids[4], ids[3]]);
    expect(storage.countRuns({ projectId: housing.id, status: 'completed' })).toBe(3);
    expect(storage.listRuns({ status: 'failed' })).toEqual([]);
    expect(refusalCode(() => storage.listRuns({ limit: -1 }))).toBe('invalid-input');
    expect(storage.listProjects().map((p) => [p.name, p.runCount])).toEqual([
      ['California housing MLP', 3],
      ['Wine type ANN', 3],
    ]);
    storage.close();
  });

  it('imports a finished run whole, with its epochs and model', () => {
    const storage = steppingStorage();
    const doc = presetDocument('wine-type-ann');
    const project = storage.createProject(doc);
    const id = storage.importRun({
      projectId: project.id,
      document: doc,
      datasetId: null,
      seed: 7,
      backend: 'tensorflow',
      status: 'completed',
      error: null,
      createdAt: '2025-01-01T00:00:00.000Z',
      startedAt: '2025-01-01T00:00:01.000Z',
      endedAt: '2025-01-01T00:01:00.000Z',
      params: 897,
      bestEpoch: 2,
      test: binaryTestMetrics(0.99),
      predictions: null,
      epochs: [
        { epoch: 1, metrics: { loss: 0.3 }, learningRate: 0.001, seconds: 2 },
        { epoch: 2, metrics: { loss: 0.2 }, learningRate: 0.001, seconds: 2 },
      ],
      model: { artifacts: sampleModel(), preprocessing: null },
    });
    expect(storage.getRun(id)).toMatchObject({
      status: 'completed',
      seed: 7,
      epochsDone: 2,
      createdAt: '2025-01-01T00:00:00.000Z',
      headline: { metric: 'accuracy', value: 0.99 },
      hasModel: true,
      hasPredictions: false,
    });
    storage.close();
    // Imported runs belong to no process: reopening leaves them as they are.
    const reopened = openStorage(storage.path);
    expect(reopened.getRun(id)?.status).toBe('completed');
    reopened.close();
  });
});
