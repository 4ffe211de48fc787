import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, parseCsv, readCsvFile } from '../../electron/services/datasets/csv';
import type { DataErrorCode, ParsedTable } from '../../electron/services/datasets/csv';
import { prepareTabular, splitSizes } from '../../electron/services/datasets/prepareTabular';
import type { TabularSpec } from '../../electron/services/datasets/prepareTabular';
import type { Split } from '../../shared/data/types';

const datasets = path.resolve(__dirname, '../../../shared/datasets');

const base = { testFraction: 0.2, splitSeed: 42, standardize: true } as const;

function errorOf(run: () => unknown): DataError {
  try {
    run();
  } catch (err) {
    if (err instanceof DataError) return err;
    throw err;
  }
  throw new Error('expected a DataError');
}

function expectDataError(
  table: ParsedTable,
  spec: TabularSpec,
  code: DataErrorCode,
  message: string | RegExp,
): void {
  const err = errorOf(() => prepareTabular(table, spec));
  expect(err.code).toBe(code);
  if (typeof message === 'string') expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
}

/** Column j of a row-major split. */
function column(split: Split, j: number, width: number): number[] {
  return Array.from({ length: split.count }, (_, i) => split.x[i * width + j] as number);
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const populationStd = (v: number[]): number => {
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
};

describe('wine: binary type prediction (preset wine-type-ann)', () => {
  let wine: ParsedTable;
  beforeAll(async () => {
    wine = await readCsvFile(path.join(datasets, 'wine-quality-white-and-red.csv'));
  });

  it('label-encodes red=0, white=1 and uses the 12 other columns', () => {
    const p = prepareTabular(wine, { ...base, target: 'type', task: 'binary' });
    expect(p.classNames).toEqual(['red', 'white']);
    expect(p.featureNames).toHaveLength(12);
    expect(p.featureNames).not.toContain('type');
    expect(p.inputShape).toEqual([12]);
    const ones = [...p.train.y, ...p.test.y].filter((v) => v === 1).length;
    const zeros = [...p.train.y, ...p.test.y].filter((v) => v === 0).length;
    expect(ones).toBe(4898);
    expect(zeros).toBe(1599);
  });

  it('splits like train_test_split(test_size=0.2): 5,197 train, 1,300 test', () => {
    const p = prepareTabular(wine, { ...base, target: 'type', task: 'binary' });
    expect(p.train.count).toBe(5197);
    expect(p.test.count).toBe(1300);
    expect(p.train.x).toBeInstanceOf(Float32Array);
    expect(p.train.x).toHaveLength(5197 * 12);
    expect(p.test.y).toHaveLength(1300);
  });

  it('sorts numeric class labels numerically for a multi-class quality target', () => {
    const p = prepareTabular(wine, { ...base, target: 'quality', ignored: ['type'], task: 'multiclass' });
    expect(p.classNames).toEqual(['3', '4', '5', '6', '7', '8', '9']);
    expect(p.featureNames).toHaveLength(11);
    expect(Math.max(...p.train.y)).toBe(6);
  });

  it('refuses a binary task on a 7-class target', () => {
    expectDataError(
      wine,
      { ...base, target: 'quality', ignored: ['type'], task: 'binary' },
      'class-count',
      /^Binary classification needs a target with exactly 2 classes, but 'quality' has 7 \('3', '4', '5', '6', '7', \.\.\.\)/,
    );
  });

  it('refuses a categorical regression target, naming the value and line', () => {
    expectDataError(
      wine,
      { ...base, target: 'type', task: 'regression' },
      'non-numeric',
      /'type' has a non-numeric value 'white' on line 2/,
    );
  });

  it('refuses a categorical feature column, suggesting to ignore it', () => {
    expectDataError(
      wine,
      { ...base, target: 'quality', task: 'regression' },
      'non-numeric',
      "Column 'type' has a non-numeric value 'white' on line 2: fix the file or mark the column as ignored.",
    );
  });
});

describe('housing: regression (preset california-housing-mlp)', () => {
  let housing: ParsedTable;
  const spec: TabularSpec = { ...base, target: 'MedHouseVal', task: 'regression' };
  beforeAll(async () => {
    housing = await readCsvFile(path.join(datasets, 'california_housing.csv'));
  });

  it('keeps the 8 features in file order and the target values', () => {
    const p = prepareTabular(housing, spec);
    expect(p.featureNames).toEqual([
      'MedInc',
      'HouseAge',
      'AveRooms',
      'AveBedrms',
      'Population',
      'AveOccup',
      'Latitude',
      'Longitude',
    ]);
    expect(p.classNames).toBeNull();
    expect(p.train.count + p.test.count).toBe(20640);
    expect(p.test.count).toBe(Math.ceil(0.2 * 20640));
    const all = [...p.train.y, ...p.test.y];
    expect(Math.min(...all)).toBeCloseTo(0.14999, 5);
  });

  it('gives the same split for the same seed and another split for another seed', () => {
    const a = prepareTabular(housing, spec);
    const b = prepareTabular(housing, spec);
    const c = prepareTabular(housing, { ...spec, splitSeed: 7 });
    expect(b.train.x).toEqual(a.train.x);
    expect(b.test.y).toEqual(a.test.y);
    expect(c.test.count).toBe(a.test.count);
    expect(c.test.y).not.toEqual(a.test.y);
  });

  it('puts every row in exactly one split', () => {
    const p = prepareTabular(housing, { ...spec, standardize: false });
    const pooled = [...column(p.train, 4, 8), ...column(p.test, 4, 8)].sort((x, y) => x - y);
    const original = housing.rows.map((r) => Math.fround(Number(r[4]))).sort((x, y) => x - y);
    expect(pooled).toEqual(original);
  });

  it('fits the standardisation on the training rows only', () => {
    const raw = prepareTabular(housing, { ...spec, standardize: false });
    const scaled = prepareTabular(housing, spec);
    const s = scaled.standardization;
    expect(s).not.toBeNull();
    expect(raw.standardization).toBeNull();
    for (let j = 0; j < 8; j++) {
      const trainRaw = column(raw.train, j, 8);
      // The fitted statistics are those of the training rows (population std, like StandardScaler)...
      expect(s?.mean[j]).toBeCloseTo(mean(trainRaw), 3);
      expect(s?.std[j]).toBeCloseTo(populationStd(trainRaw), 3);
      // ...not those of the whole column.
      expect(s?.mean[j]).not.toBe(housing.info.columns[j]?.mean);
      const trainScaled = column(scaled.train, j, 8);
      expect(mean(trainScaled)).toBeCloseTo(0, 4);
      expect(populationStd(trainScaled)).toBeCloseTo(1, 4);
      // The test split is transformed with the training statistics, so its mean is near but not exactly 0.
      const testMean = mean(column(scaled.test, j, 8));
      expect(testMean).not.toBe(0);
      expect(Math.abs(testMean)).toBeLessThan(0.1);
    }
    // Target values are never scaled.
    expect(scaled.test.y).toEqual(raw.test.y);
  });
});

describe('small tables', () => {
  const table = parseCsv(
    [
      'x,const,label',
      '1,5,b',
      '2,5,a',
      '3,5,b',
      '4,5,a',
      '5,5,b',
      '6,5,a',
      '7,5,b',
      '8,5,a',
      '9,5,b',
      '10,5,a',
    ].join('\n'),
  );

  it('scales a constant feature by 1 instead of dividing by zero', () => {
    const p = prepareTabular(table, { ...base, target: 'label', task: 'binary' });
    expect(p.standardization?.std[1]).toBe(1);
    expect(p.standardization?.mean[1]).toBe(5);
    expect(column(p.train, 1, 2).every((v) => v === 0)).toBe(true);
  });

  it('sorts string classes (a=0, b=1) whatever their order in the file', () => {
    const p = prepareTabular(table, { ...base, target: 'label', task: 'binary', standardize: false });
    expect(p.classNames).toEqual(['a', 'b']);
    for (let i = 0; i < p.train.count; i++) {
      const x = p.train.x[i * 2] as number;
      expect(p.train.y[i]).toBe(x % 2 === 0 ? 0 : 1);
    }
  });

  it('uses the listed features in the order given', () => {
    const p = prepareTabular(table, { ...base, target: 'label', features: ['const', 'x'], task: 'binary' });
    expect(p.featureNames).toEqual(['const', 'x']);
  });

  it('sorts numeric labels numerically and merges spellings of one number', () => {
    const t = parseCsv('f,y\n1,10\n2,2\n3,1\n4,1.0\n5,2\n6,10\n');
    const p = prepareTabular(t, { ...base, target: 'y', task: 'multiclass', standardize: false });
    expect(p.classNames).toEqual(['1', '2', '10']);
    const byFeature = new Map<number, number>();
    for (const s of [p.train, p.test])
      for (let i = 0; i < s.count; i++) byFeature.set(s.x[i] as number, s.y[i] as number);
    expect([1, 2, 3, 4, 5, 6].map((f) => byFeature.get(f))).toEqual([2, 1, 0, 0, 1, 2]);
  });

  it('sizes splits like sklearn (n_test = ceil(fraction × n))', () => {
    expect(splitSizes(10, 0.25)).toEqual({ testCount: 3, trainCount: 7 });
    expect(splitSizes(6497, 0.2)).toEqual({ testCount: 1300, trainCount: 5197 });
    expect(splitSizes(20640, 0.3)).toEqual({ testCount: 6192, trainCount: 14448 });
  });

  it('names the missing target column and lists the available ones', () => {
    expectDataError(
      table,
      { ...base, target: 'price', task: 'regression' },
      'no-target',
      "The target column 'price' is not in the file; its columns are 'x', 'const', 'label'.",
    );
  });

  it('reports a non-numeric feature with its file line', () => {
    const lines = ['alcohol,y', ...Array.from({ length: 20 }, (_, i) => `${i + 8}.5,${i % 2}`)];
    lines[16] = 'abc,1'; // line 17 of the file
    expectDataError(
      parseCsv(lines.join('\n')),
      { ...base, target: 'y', task: 'binary' },
      'non-numeric',
      "Column 'alcohol' has a non-numeric value 'abc' on line 17: fix the file or mark the column as ignored.",
    );
  });

  it('refuses missing feature values instead of imputing them, and accepts ignoring the column', () => {
    const t = parseCsv('a,b,y\n1,,0\n2,3,1\n3,,0\n4,5,1\n5,6,0\n');
    expectDataError(
      t,
      { ...base, target: 'y', task: 'binary' },
      'missing-values',
      "Column 'b' has 2 empty cells (the first on line 2): fill them in or mark the column as ignored.",
    );
    const p = prepareTabular(t, { ...base, target: 'y', ignored: ['b'], task: 'binary' });
    expect(p.featureNames).toEqual(['a']);
  });

  it('refuses missing target values', () => {
    const t = parseCsv('a,y\n1,0\n2,\n3,1\n4,0\n');
    expectDataError(
      t,
      { ...base, target: 'y', task: 'binary' },
      'missing-values',
      /target column 'y' has 1 empty cell \(the first on line 3\)/,
    );
  });

  it('refuses a one-class target, unknown columns and contradictory specs', () => {
    const t = parseCsv('a,y\n1,x\n2,x\n3,x\n');
    expectDataError(t, { ...base, target: 'y', task: 'multiclass' }, 'class-count', /only one class \('x'\)/);
    expectDataError(t, { ...base, target: 'y', task: 'binary' }, 'class-count', /has 1 \('x'\)/);
    expectDataError(
      table,
      { ...base, target: 'label', features: ['x', 'z'], task: 'binary' },
      'no-column',
      /feature column 'z' is not in the file/,
    );
    expectDataError(
      table,
      { ...base, target: 'label', ignored: ['zz'], task: 'binary' },
      'no-column',
      /ignored column 'zz'/,
    );
    expectDataError(
      table,
      { ...base, target: 'label', features: ['x', 'label'], task: 'binary' },
      'bad-spec',
      /both the target and a feature/,
    );
    expectDataError(
      table,
      { ...base, target: 'label', ignored: ['x', 'const'], task: 'binary' },
      'no-features',
      /No feature columns/,
    );
  });

  it('refuses a test fraction outside (0, 1) and tables too small to split', () => {
    expectDataError(
      table,
      { ...base, target: 'x', task: 'regression', testFraction: 0 },
      'bad-spec',
      /between 0 and 1/,
    );
    expectDataError(
      table,
      { ...base, target: 'x', task: 'regression', testFraction: 1.5 },
      'bad-spec',
      /between 0 and 1/,
    );
    const one = parseCsv('a,y\n1,2\n');
    expectDataError(one, { ...base, target: 'y', task: 'regression' }, 'too-few-rows', /has 1 row, too few/);
  });
});
