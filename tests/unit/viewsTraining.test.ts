import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import type { EpochRecord } from '../../shared/api/records';
import { analyzeGraph, parseProjectDocument, type ProjectDocument } from '../../shared/graph';
import {
  curveMetric,
  epochPoints,
  lossChartOption,
  metricChartOption,
} from '../../renderer/src/features/training/chartOptions';
import {
  formatDuration,
  formatSecondsLeft,
  fractionDone,
  progressText,
  secondsLeft,
  unitsDone,
} from '../../renderer/src/features/training/progress';
import {
  applyEdit,
  defaultSettings,
  formatNumber,
  settingsSummary,
} from '../../renderer/src/features/training/trainingForm';
import { trainBlocker } from '../../renderer/src/features/training/trainReadiness';

function preset(file: string): ProjectDocument {
  const p = path.resolve(__dirname, '../../resources/presets', file);
  const r = parseProjectDocument(JSON.parse(readFileSync(p, 'utf8')));
  if (!r.ok) throw new Error(r.message);
  return r.document;
}

describe('training form <-> document.training', () => {
  it('writes valid values and refuses out-of-range ones with a sentence naming the limits', () => {
    const s = defaultSettings();
    const ok = applyEdit(s, { kind: 'epochs', value: 3 });
    expect(ok.ok && ok.settings.epochs).toBe(3);
    expect(applyEdit(s, { kind: 'epochs', value: 0 })).toEqual({
      ok: false,
      message: 'Epochs must be a whole number from 1 to 100000.',
    });
    expect(applyEdit(s, { kind: 'batchSize', value: 2.5 })).toMatchObject({ ok: false });
    expect(applyEdit(s, { kind: 'learningRate', value: 0 })).toEqual({
      ok: false,
      message: 'The learning rate must be a number above 0 up to 10.',
    });
    expect(applyEdit(s, { kind: 'momentum', value: 1 })).toMatchObject({ ok: false });
  });

  it('turns the step schedule and early stopping on with defaults, and edits them', () => {
    const s = defaultSettings();
    const on = applyEdit(s, { kind: 'schedule', on: true });
    if (!on.ok) throw new Error(on.message);
    expect(on.settings.lrSchedule).toEqual({ kind: 'step', every: 10, gamma: 0.5 });
    const every = applyEdit(on.settings, { kind: 'scheduleEvery', value: 4 });
    expect(every.ok && every.settings.lrSchedule).toEqual({ kind: 'step', every: 4, gamma: 0.5 });
    const off = applyEdit(on.settings, { kind: 'schedule', on: false });
    expect(off.ok && off.settings.lrSchedule).toEqual({ kind: 'none' });

    const early = applyEdit(s, { kind: 'earlyStopping', on: true });
    if (!early.ok) throw new Error(early.message);
    expect(early.settings.earlyStopping).toEqual({ monitor: 'val_loss', patience: 5, minDelta: 0 });
    const patience = applyEdit(early.settings, { kind: 'patience', value: 0 });
    expect(patience.ok).toBe(false);
    const monitor = applyEdit(early.settings, { kind: 'monitor', value: 'val_accuracy' });
    expect(monitor.ok && monitor.settings.earlyStopping?.monitor).toBe('val_accuracy');
  });

  it('summarises settings in one line without float noise', () => {
    expect(
      settingsSummary({ optimizer: 'momentum', learningRate: 0.1 + 0.2, batchSize: 64, epochs: 1 }),
    ).toBe('SGD with momentum · lr 0.3 · batch 64 · 1 epoch');
    expect(formatNumber(0.00001)).toBe('1e-5');
    expect(formatNumber(0.001)).toBe('0.001');
  });
});

describe('progress and time left', () => {
  const counts = { epochsDone: 2, epochs: 10, epoch: 3, batch: 41, batches: 82 };

  it('counts batches over the run', () => {
    expect(unitsDone(counts)).toBe(2 * 82 + 41);
    expect(fractionDone(counts)).toBeCloseTo((2 * 82 + 41) / 820);
    expect(fractionDone({ ...counts, epochsDone: 10, epoch: 10, batch: 82 })).toBe(1);
    expect(fractionDone({ epochsDone: 0, epochs: 5, epoch: 0, batch: 0, batches: 0 })).toBe(0);
  });

  it('estimates the time left from recent epoch durations', () => {
    // 7.5 epochs left at 4 s each.
    expect(secondsLeft(counts, [10, 4, 4, 4], null, null)).toBeCloseTo(7.5 * 4);
  });

  it('falls back to the rate seen so far before any epoch finished, and waits for one', () => {
    const first = { epochsDone: 0, epochs: 2, epoch: 1, batch: 10, batches: 100 };
    expect(secondsLeft(first, [], { at: 0, units: 10 }, { at: 0, units: 10 })).toBeNull();
    // 40 batches in 4 s: 0.1 s a batch, 150 left.
    const later = { ...first, batch: 50 };
    expect(secondsLeft(later, [], { at: 0, units: 10 }, { at: 4000, units: 50 })).toBeCloseTo(15);
  });

  it('words the time left and durations for people', () => {
    expect(formatSecondsLeft(null)).toBe('estimating time left…');
    expect(formatSecondsLeft(12.4)).toBe('12 s left');
    expect(formatSecondsLeft(185)).toBe('about 3 min left');
    expect(formatSecondsLeft(3900)).toBe('about 1 h 5 min left');
    expect(formatDuration(0.25)).toBe('250 ms');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(null)).toBe('–');
  });

  it('says where the run is', () => {
    expect(progressText(counts)).toBe('Epoch 3 of 10 · batch 41 of 82');
    expect(progressText({ ...counts, epoch: 2, batch: 82 })).toBe('Epoch 3 of 10 · batch 0 of 82');
    expect(progressText({ epochsDone: 0, epochs: 3, epoch: 0, batch: 0, batches: 0 })).toMatch(/^Preparing/);
  });
});

const epochs: EpochRecord[] = [1, 2, 3].map((e) => ({
  epoch: e,
  metrics: { loss: 1 / e, val_loss: 1.2 / e, accuracy: 0.8 + e / 100, val_accuracy: 0.79 + e / 100 },
  learningRate: 0.001,
  seconds: 1,
}));

describe('live chart options', () => {
  it('plots one point an epoch for training and validation loss, with the batch loss apart', () => {
    const option = lossChartOption({
      epochs,
      batchLoss: [
        [0.5, 1.4],
        [1, 1.1],
      ],
      plannedEpochs: 20,
    });
    const series = option.series as { id: string; data: number[][] }[];
    expect(series.map((s) => s.id)).toEqual(['batch-loss', 'train-loss', 'val-loss']);
    expect(series[1]!.data).toEqual([
      [1, 1],
      [2, 0.5],
      [3, 1 / 3],
    ]);
    expect(series[2]!.data).toHaveLength(3);
    expect(series[0]!.data).toHaveLength(2);
    // The axis spans the planned run so the curve grows into it.
    expect((option.xAxis as { max: number }).max).toBe(20);
  });

  it('shows accuracy for classifiers and MAE for regression', () => {
    expect(curveMetric(epochs, 'regression')).toBe('accuracy'); // the records win
    expect(curveMetric([], 'regression')).toBe('mae');
    expect(curveMetric([], 'binary')).toBe('accuracy');
    const option = metricChartOption({ epochs, metric: 'accuracy', plannedEpochs: 3 });
    const series = option.series as { name: string; data: number[][] }[];
    expect(series.map((s) => s.name)).toEqual(['Training accuracy', 'Validation accuracy']);
    expect(series[1]!.data.map((p) => p[0])).toEqual([1, 2, 3]);
    expect(series[1]!.data[2]![1]).toBeCloseTo(0.82);
  });

  it('skips epochs that lack a metric', () => {
    const gaps: EpochRecord[] = [
      { epoch: 1, metrics: { loss: 1 }, learningRate: null, seconds: null },
      ...epochs.slice(1),
    ];
    expect(epochPoints(gaps, 'val_loss').map((p) => p[0])).toEqual([2, 3]);
  });
});

describe('when Train is disabled', () => {
  it('allows training the wine preset', () => {
    const doc = preset('wine-type-ann.json');
    const analysis = analyzeGraph(doc.graph, { data: { inputShape: [12], classCount: 2 } });
    expect(trainBlocker(doc, analysis, { running: false, imageData: false })).toBeNull();
  });

  it('sends the user to the Data view without a dataset or a target', () => {
    const doc = preset('wine-type-ann.json');
    expect(trainBlocker({ ...doc, data: null }, null, { running: false, imageData: false })).toMatchObject({
      kind: 'no-data',
      view: 'data',
    });
    const { target: _t, ...noTarget } = doc.data!;
    expect(
      trainBlocker({ ...doc, data: noTarget }, null, { running: false, imageData: false }),
    ).toMatchObject({
      kind: 'no-target',
      view: 'data',
    });
  });

  it('sends the user to the Editor with the first graph problem', () => {
    const doc = preset('wine-type-ann.json');
    const analysis = analyzeGraph(doc.graph, { data: { inputShape: [11], classCount: 2 } });
    const blocker = trainBlocker(doc, analysis, { running: false, imageData: false });
    expect(blocker).toMatchObject({ kind: 'graph', view: 'editor' });
    expect(blocker?.message).toMatch(/^The network has a problem to fix in the Editor: Input is set to 12/);
  });

  it('says so while a run trains', () => {
    const doc = preset('wine-type-ann.json');
    expect(trainBlocker(doc, null, { running: true, imageData: false })?.kind).toBe('running');
  });
});
