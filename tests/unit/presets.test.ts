import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import {
  compileGraph,
  parseProjectDocument,
  type CompileResult,
  type ProjectDocument,
} from '../../shared/graph';

const presetsDir = path.resolve(__dirname, '../../resources/presets');
const dataDir = path.resolve(__dirname, '../../data');

function load(file: string): ProjectDocument {
  const r = parseProjectDocument(JSON.parse(readFileSync(path.join(presetsDir, file), 'utf8')));
  if (!r.ok) throw new Error(`${file}: ${r.message}`);
  return r.document;
}

/** Header and target classes of a shipped CSV (plain files: no quoted delimiters). */
function csvFacts(name: string, target: string): { columns: string[]; classes: Set<string> } {
  const lines = readFileSync(path.join(dataDir, name), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0]!;
  const delimiter = (header.match(/;/g) ?? []).length > (header.match(/,/g) ?? []).length ? ';' : ',';
  const columns = header.split(delimiter).map((c) => c.trim().replace(/^"|"$/g, ''));
  const at = columns.indexOf(target);
  const classes = new Set(lines.slice(1).map((l) => l.split(delimiter)[at]!.trim()));
  return { columns, classes };
}

/** What the image datasets the presets use give: image shape and class count. */
const imageFacts: Record<string, { inputShape: number[]; classes: number }> = {
  'cifar10-jpg.tar.gz': { inputShape: [32, 32, 3], classes: 10 },
  'digits-8x8.csv': { inputShape: [8, 8, 1], classes: 10 },
  // Debian's dataset-fashion-mnist package: not shipped, read where it is installed.
  '/usr/share/datasets/fashion-mnist': { inputShape: [28, 28, 1], classes: 10 },
};

/** Compiles a preset against what its dataset gives: feature count and, for classification, the classes. */
function compileWithData(doc: ProjectDocument): CompileResult {
  const data = doc.data!;
  const name =
    data.source.kind === 'builtin' ? data.source.name : data.source.kind === 'file' ? data.source.path : '';
  if (data.source.kind === 'builtin') expect(existsSync(path.join(dataDir, name))).toBe(true);
  if (data.format === 'images') {
    const facts = imageFacts[name];
    expect(facts).toBeDefined();
    return compileGraph(doc.graph, {
      seed: doc.training.seed,
      ctx: { data: { inputShape: facts!.inputShape, classCount: facts!.classes } },
    });
  }
  expect(data.source.kind).toBe('builtin');
  const { columns, classes } = csvFacts(name, data.target!);
  expect(columns).toContain(data.target);
  const features = data.features ?? columns.filter((c) => c !== data.target && !data.ignored.includes(c));
  const task = doc.graph.nodes.find((n) => n.kind === 'output')?.params.task;
  return compileGraph(doc.graph, {
    seed: doc.training.seed,
    ctx: { data: { inputShape: [features.length], classCount: task === 'regression' ? null : classes.size } },
  });
}

function compiled(file: string) {
  const r = compileWithData(load(file));
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r;
}

describe('every preset', () => {
  const files = readdirSync(presetsDir).filter((f) => f.endsWith('.json'));

  it('includes the two lesson presets', () => {
    expect(files).toEqual(expect.arrayContaining(['california-housing-mlp.json', 'wine-type-ann.json']));
  });

  it.each(files)('%s parses, names a shipped dataset, and compiles against it', (file) => {
    const doc = load(file);
    expect(doc.name.length).toBeGreaterThan(0);
    expect(doc.description.length).toBeGreaterThan(20);
    const r = compileWithData(doc);
    expect(r.ok ? [] : r.issues).toEqual([]);
  });
});

describe('california-housing-mlp', () => {
  const doc = load('california-housing-mlp.json');

  it('is the lesson’s 8→24→12→6→1 ReLU network with 601 parameters and an MSE loss', () => {
    const { model, analysis } = compiled('california-housing-mlp.json');
    expect(model.params.total).toBe(601);
    expect(analysis.chain.map((id) => analysis.nodes[id]!.kind)).toEqual([
      'input',
      'dense',
      'relu',
      'dense',
      'relu',
      'dense',
      'relu',
      'dense',
      'output',
    ]);
    expect(analysis.chain.map((id) => analysis.nodes[id]!.outputShape![0])).toEqual([
      8, 24, 24, 12, 12, 6, 6, 1, 1,
    ]);
    expect(model.task).toBe('regression');
    expect(model.loss).toBe('mse');
  });

  it('has the lesson’s settings: Adam 1e-4, batch 10, 100 epochs, 70/30 split, standardised, best weights restored', () => {
    expect(doc.training).toMatchObject({
      optimizer: 'adam',
      learningRate: 1e-4,
      batchSize: 10,
      epochs: 100,
      restoreBest: true,
      earlyStopping: null,
    });
    expect(doc.data).toMatchObject({ target: 'MedHouseVal', testFraction: 0.3, standardize: true });
    expect(doc.data?.source).toEqual({ kind: 'builtin', name: 'california_housing.csv' });
  });
});

describe('wine-type-ann', () => {
  const doc = load('wine-type-ann.json');

  it('is the lesson’s 12 inputs → 64 ReLU → 1 sigmoid binary classifier', () => {
    const { model, analysis } = compiled('wine-type-ann.json');
    expect(analysis.chain.map((id) => analysis.nodes[id]!.kind)).toEqual([
      'input',
      'dense',
      'relu',
      'dense',
      'sigmoid',
      'output',
    ]);
    expect(analysis.inputShape).toEqual([12]);
    expect(analysis.chain.map((id) => analysis.nodes[id]!.outputShape![0])).toEqual([12, 64, 64, 1, 1, 1]);
    expect(model.params.total).toBe(12 * 64 + 64 + 64 + 1);
    expect(model.task).toBe('binary');
    expect(model.loss).toBe('bce');
    expect(model.outputActivation).toBe('sigmoid');
  });

  it('predicts the wine’s type from the 11 measurements and the quality', () => {
    const { columns, classes } = csvFacts('wine-quality-white-and-red.csv', 'type');
    expect(doc.data?.target).toBe('type');
    expect([...classes].sort()).toEqual(['red', 'white']);
    expect(columns.filter((c) => c !== 'type' && !doc.data!.ignored.includes(c))).toHaveLength(12);
  });

  it('has the lesson’s settings: Adam 1e-3, batch 64, 100 epochs, 80/20 split', () => {
    expect(doc.training).toMatchObject({ optimizer: 'adam', learningRate: 1e-3, batchSize: 64, epochs: 100 });
    expect(doc.data).toMatchObject({ testFraction: 0.2 });
    expect(doc.data?.source).toEqual({ kind: 'builtin', name: 'wine-quality-white-and-red.csv' });
  });
});

describe('the CIFAR-10 presets', () => {
  it('cifar10-convnet is the lesson’s ConvNet with 5,389,706 parameters, Adam 1e-3, batch 32, 32 epochs', () => {
    const { model } = compiled('cifar10-convnet.json');
    const doc = load('cifar10-convnet.json');
    expect(model.params.total).toBe(5_389_706);
    expect(doc.training).toMatchObject({ optimizer: 'adam', learningRate: 0.001, batchSize: 32, epochs: 32 });
    expect(doc.data).toMatchObject({
      format: 'images',
      normalization: 'half',
      augmentation: { horizontalFlip: false, cropPadding: 0 },
    });
  });

  it('cifar10-regularized adds augmentation, dropout before each dense layer, L2, step LR and early stopping', () => {
    const doc = load('cifar10-regularized.json');
    const { analysis } = compiled('cifar10-regularized.json');
    const kinds = analysis.chain.map((id) => analysis.nodes[id]!.kind);
    const denses = kinds.flatMap((k, i) => (k === 'dense' ? [i] : []));
    expect(denses.map((i) => kinds[i - 1] === 'dropout' || kinds[i - 2] === 'dropout')).toEqual([true, true]);
    expect(doc.data!.augmentation).toEqual({ horizontalFlip: true, cropPadding: 4 });
    expect(doc.training).toMatchObject({
      weightDecay: 1e-4,
      lrSchedule: { kind: 'step', every: 10, gamma: 0.1 },
      earlyStopping: { monitor: 'val_loss', patience: 5 },
      restoreBest: true,
    });
  });
});
