import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import type { EpochRecord, RunRecord } from '../../shared/api/records';
import { parseProjectDocument, type ProjectDocument } from '../../shared/graph';
import {
  headlineText,
  networkSummary,
  overlayOption,
  runLabel,
  runSeconds,
  settingsRows,
} from '../../renderer/src/features/runs/compareModel';

function preset(file: string): ProjectDocument {
  const p = path.resolve(__dirname, '../../resources/presets', file);
  const r = parseProjectDocument(JSON.parse(readFileSync(p, 'utf8')));
  if (!r.ok) throw new Error(r.message);
  return r.document;
}

const wine = preset('wine-type-ann.json');

function run(id: number, document: ProjectDocument, over: Partial<RunRecord> = {}): RunRecord {
  const t = document.training;
  return {
    id,
    projectId: 1,
    projectName: 'Wine',
    status: 'completed',
    createdAt: '2026-12-01T09:00:00.000Z',
    startedAt: '2026-12-01T09:00:00.000Z',
    endedAt: '2026-12-01T09:02:05.000Z',
    epochsDone: t.epochs,
    backend: 'wasm',
    headline: { metric: 'accuracy', value: 0.9969 },
    settings: {
      optimizer: t.optimizer,
      learningRate: t.learningRate,
      batchSize: t.batchSize,
      epochs: t.epochs,
    },
    seed: t.seed,
    datasetId: null,
    document,
    error: null,
    params: 897,
    bestEpoch: null,
    test: null,
    hasModel: true,
    hasPredictions: true,
    ...over,
  };
}

const withTraining = (
  doc: ProjectDocument,
  training: Partial<ProjectDocument['training']>,
): ProjectDocument => ({
  ...doc,
  training: { ...doc.training, ...training },
});

describe('settings side by side', () => {
  it('marks exactly the settings two runs disagree on', () => {
    const adam = run(1, withTraining(wine, { epochs: 3 }));
    const sgd = run(2, withTraining(wine, { epochs: 3, optimizer: 'sgd', learningRate: 0.01 }));
    const rows = settingsRows([adam, sgd]);
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['optimizer', 'learningRate']);
    expect(rows.find((r) => r.key === 'optimizer')!.values).toEqual(['Adam', 'SGD']);
    expect(rows.find((r) => r.key === 'epochs')).toMatchObject({ values: ['3', '3'], differs: false });
  });

  it('shows momentum only for SGD with momentum, and the data and network of each run', () => {
    const m = run(3, withTraining(wine, { optimizer: 'momentum', momentum: 0.8 }));
    const a = run(4, wine, { backend: 'cpu' });
    const rows = settingsRows([m, a]);
    expect(rows.find((r) => r.key === 'momentum')!.values).toEqual(['0.8', '–']);
    expect(rows.find((r) => r.key === 'backend')).toMatchObject({ values: ['wasm', 'cpu'], differs: true });
    expect(rows.find((r) => r.key === 'dataset')!.values[0]).toBe('wine-quality-white-and-red.csv');
    expect(rows.find((r) => r.key === 'target')!.values[0]).toBe('type');
    expect(rows.find((r) => r.key === 'testFraction')!.values[0]).toBe('20 %');
  });

  it('writes the network as its layers in order', () => {
    expect(networkSummary(wine)).toBe('Dense 64 units → ReLU → Dense 1 unit → Sigmoid');
    expect(networkSummary(preset('california-housing-mlp.json'))).toBe(
      'Dense 24 units → ReLU → Dense 12 units → ReLU → Dense 6 units → ReLU → Dense 1 unit',
    );
  });
});

describe('run history texts', () => {
  it('names runs by id and optimizer, and words the headline metric', () => {
    expect(runLabel(run(12, wine))).toBe('#12 Adam');
    expect(headlineText({ metric: 'accuracy', value: 0.9969 })).toBe('accuracy 99.69 %');
    expect(headlineText({ metric: 'r2', value: 0.78123 })).toBe('R² 0.7812');
    expect(headlineText(null)).toBe('–');
  });

  it('measures a run from start to end, or to now while it trains', () => {
    expect(runSeconds(run(1, wine), 0)).toBe(125);
    const live = run(2, wine, { status: 'running', endedAt: null });
    expect(runSeconds(live, Date.parse('2026-12-01T09:00:10.000Z'))).toBe(10);
    expect(runSeconds(run(3, wine, { startedAt: null }), 0)).toBeNull();
  });
});

describe('overlaid loss curves', () => {
  const epochs = (n: number, scale: number): EpochRecord[] =>
    Array.from({ length: n }, (_, i) => ({
      epoch: i + 1,
      metrics: { loss: scale / (i + 1), val_loss: (scale * 1.1) / (i + 1) },
      learningRate: 0.001,
      seconds: 1,
    }));

  it('draws training and validation loss of every run in one colour, legend by run id and optimizer', () => {
    const adam = run(1, wine);
    const sgd = run(2, withTraining(wine, { optimizer: 'sgd' }));
    const option = overlayOption([
      { run: adam, epochs: epochs(3, 1) },
      { run: sgd, epochs: epochs(5, 2) },
    ]);
    const series = option.series as {
      id: string;
      name: string;
      data: number[][];
      lineStyle: { color: string; type?: string };
    }[];
    expect(series.map((s) => s.name)).toEqual(['#1 Adam', '#1 Adam', '#2 SGD', '#2 SGD']);
    expect(series[0]!.data).toHaveLength(3);
    expect(series[2]!.data).toHaveLength(5);
    expect(series[0]!.lineStyle.color).toBe(series[1]!.lineStyle.color);
    expect(series[0]!.lineStyle.color).not.toBe(series[2]!.lineStyle.color);
    expect(series[1]!.lineStyle.type).toBe('dashed');
    expect((option.xAxis as { max: number }).max).toBe(5);
  });
});
