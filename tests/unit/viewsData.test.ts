import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import type { ColumnSummary } from '../../shared/data/types';
import { analyzeGraph, parseProjectDocument, type ProjectDocument } from '../../shared/graph';
import { parseCsv } from '../../electron/services/datasets/csv';
import {
  clampTestPercent,
  featureBlocker,
  guessTarget,
  imageTargets,
  selectedFeatures,
  sourceFromKey,
  sourceKey,
  specForNewTable,
  syncBlocks,
  tableTargets,
  targetFacts,
  withFeature,
  withTarget,
} from '../../renderer/src/features/data/dataModel';
import { bytesToBase64, importBlocker } from '../../renderer/src/features/data/fileBytes';

const dataDir = path.resolve(__dirname, '../../data');
const presetsDir = path.resolve(__dirname, '../../resources/presets');

function columnsOf(file: string): ColumnSummary[] {
  return parseCsv(readFileSync(path.join(dataDir, file), 'utf8')).info.columns;
}

function preset(file: string): ProjectDocument {
  const r = parseProjectDocument(JSON.parse(readFileSync(path.join(presetsDir, file), 'utf8')));
  if (!r.ok) throw new Error(r.message);
  return r.document;
}

const wine = columnsOf('wine-quality-white-and-red.csv');
const housing = columnsOf('california_housing.csv');
const col = (cols: ColumnSummary[], name: string) => cols.find((c) => c.name === name)!;

describe('the target decides the task', () => {
  it('reads a two-class text column as binary, a 7-value score as multi-class, a price as regression', () => {
    expect(targetFacts(col(wine, 'type'))).toEqual({ task: 'binary', classCount: 2 });
    expect(targetFacts(col(wine, 'quality'))).toEqual({ task: 'multiclass', classCount: 7 });
    expect(targetFacts(col(housing, 'MedHouseVal'))).toEqual({ task: 'regression', classCount: null });
  });

  it('guesses the label-like column, else the last one', () => {
    expect(guessTarget(wine)).toBe('type');
    expect(guessTarget(housing)).toBe('MedHouseVal');
  });
});

describe('feature columns', () => {
  it('refuses text columns and columns with empty cells as features, saying why', () => {
    expect(featureBlocker(col(wine, 'type'))).toMatch(/only numeric columns/);
    expect(featureBlocker(col(wine, 'alcohol'))).toBeNull();
    const withGaps: ColumnSummary = { name: 'x', type: 'number', missing: 3, distinct: 10 };
    expect(featureBlocker(withGaps)).toBe('3 empty cells: fill them in the file to use this column');
  });

  it('selects every usable column but the target for a new table', () => {
    const spec = specForNewTable({ kind: 'builtin', name: 'wine-quality-white-and-red.csv' }, wine, null);
    expect(spec.target).toBe('type');
    expect(selectedFeatures(spec, wine)).toHaveLength(12);
    expect(selectedFeatures(spec, wine)).not.toContain('type');
    expect(spec.ignored).toEqual([]);
  });

  it('makes a text target unusable as a feature when another target is picked', () => {
    const spec = specForNewTable({ kind: 'builtin', name: 'wine-quality-white-and-red.csv' }, wine, null);
    const quality = withTarget(spec, wine, 'quality');
    expect(quality.target).toBe('quality');
    expect(quality.ignored).toEqual(['type']);
    expect(selectedFeatures(quality, wine)).toHaveLength(11);
    // Back to `type`: it leaves the ignored list, `quality` becomes a feature again.
    const back = withTarget(quality, wine, 'type');
    expect(back.ignored).toEqual([]);
    expect(selectedFeatures(back, wine)).toContain('quality');
  });

  it('switches single features off and on, with or without an explicit feature list', () => {
    const spec = specForNewTable({ kind: 'builtin', name: 'california_housing.csv' }, housing, null);
    const off = withFeature(spec, housing, 'Population', false);
    expect(selectedFeatures(off, housing)).toHaveLength(7);
    expect(selectedFeatures(withFeature(off, housing, 'Population', true), housing)).toHaveLength(8);

    const explicit = { ...spec, features: ['MedInc', 'HouseAge'] };
    const added = withFeature(explicit, housing, 'Latitude', true);
    expect(selectedFeatures(added, housing)).toEqual(['MedInc', 'HouseAge', 'Latitude']);
    expect(selectedFeatures(withFeature(added, housing, 'MedInc', false), housing)).toEqual([
      'HouseAge',
      'Latitude',
    ]);
  });

  it('reads the shipped presets’ specs the way their trainer does', () => {
    const winePreset = preset('wine-type-ann.json');
    expect(tableTargets(winePreset.data!, wine)).toEqual({ inputShape: [12], task: 'binary', classCount: 2 });
    const housingPreset = preset('california-housing-mlp.json');
    expect(tableTargets(housingPreset.data!, housing)).toEqual({
      inputShape: [8],
      task: 'regression',
      classCount: null,
    });
  });
});

describe('Input and Output blocks follow the dataset', () => {
  it('leaves a matching preset untouched (no wasted undo step)', () => {
    const doc = preset('wine-type-ann.json');
    expect(syncBlocks(doc, { inputShape: [12], task: 'binary' })).toBe(doc);
  });

  it('sets the Input features and the Output task, dropping a loss the new task cannot use', () => {
    const doc = preset('california-housing-mlp.json');
    const next = syncBlocks(doc, { inputShape: [12], task: 'binary' });
    const input = next.graph.nodes.find((n) => n.kind === 'input')!;
    const output = next.graph.nodes.find((n) => n.kind === 'output')!;
    expect(input.params).toMatchObject({ dataKind: 'tabular', features: 12 });
    expect(output.params).toEqual({ task: 'binary' });
    // The other blocks are the same objects: only what differs changed.
    expect(next.graph.nodes.find((n) => n.kind === 'dense')).toBe(
      doc.graph.nodes.find((n) => n.kind === 'dense'),
    );
    const analysis = analyzeGraph(next.graph, { data: { inputShape: [12], classCount: 2 } });
    expect(analysis.nodes[input.id]!.errors).toEqual([]);
    expect(analysis.nodes[output.id]!.errors).toEqual([]);
  });

  it('leaves the Output alone when the target says nothing (no target chosen)', () => {
    const doc = preset('california-housing-mlp.json');
    const next = syncBlocks(doc, { inputShape: [8], task: null });
    expect(next).toBe(doc);
  });

  it('sets an image shape on the Input block', () => {
    const doc = preset('california-housing-mlp.json');
    const next = syncBlocks(doc, { inputShape: [8, 8, 1], task: 'multiclass' });
    expect(next.graph.nodes.find((n) => n.kind === 'input')!.params).toMatchObject({
      dataKind: 'image',
      height: 8,
      width: 8,
      channels: 1,
    });
  });
});

describe('small pieces of the data view', () => {
  it('keeps the test split between 5 and 50 percent', () => {
    expect(clampTestPercent(2)).toBe(5);
    expect(clampTestPercent(33.4)).toBe(33);
    expect(clampTestPercent(80)).toBe(50);
    expect(clampTestPercent(Number.NaN)).toBe(20);
  });

  it('turns a dataset source into a Select value and back', () => {
    for (const source of [
      { kind: 'builtin', name: 'california_housing.csv' },
      { kind: 'stored', id: '12' },
    ] as const) {
      expect(sourceFromKey(sourceKey(source)!)).toEqual(source);
    }
    expect(sourceFromKey('nonsense')).toBeNull();
    expect(sourceFromKey('builtin:')).toBeNull();
  });

  it('encodes file bytes as the same base64 as Node does, past one chunk', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 256);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('refuses empty, huge and non-CSV files before reading them', () => {
    expect(importBlocker({ name: 'a.csv', size: 0 })).toMatch(/empty/);
    expect(importBlocker({ name: 'a.csv', size: 300 * 1024 * 1024 })).toMatch(/256 MB/);
    expect(importBlocker({ name: 'photo.png', size: 10 })).toMatch(/not a CSV/);
    expect(importBlocker({ name: 'wine.CSV', size: 10 })).toBeNull();
  });
});

describe('image datasets', () => {
  it('reads a pixel CSV’s shape and classes for shape inference, like the digits preset', () => {
    const doc = preset('digits-cnn.json');
    const digits = columnsOf('digits-8x8.csv');
    expect(imageTargets(doc.data!, digits)).toEqual({ inputShape: [8, 8, 1], classCount: 10 });
    const analysis = analyzeGraph(doc.graph, { data: { inputShape: [8, 8, 1], classCount: 10 } });
    expect(analysis.issues).toEqual([]);
  });

  it('knows no shape for an archive until the trainer reads it, unless a resize is set', () => {
    const spec = { pixelCsv: undefined, imageSize: undefined, channels: undefined };
    expect(imageTargets(spec, null)).toBeNull();
    expect(imageTargets({ ...spec, imageSize: { width: 32, height: 24 }, channels: 3 }, null)).toEqual({
      inputShape: [24, 32, 3],
      classCount: null,
    });
  });
});
