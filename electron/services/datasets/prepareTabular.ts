import { createRng } from '../../../shared/data/random';
import type { PreparedTabular, Split, Task } from '../../../shared/data/types';
import { DataError, isMissing, parseNumber, sortLabels } from './csv';
import type { ParsedTable } from './csv';

/** How to turn a parsed table into training data. */
export interface TabularSpec {
  target: string;
  /** Default: every column but the target and the ignored ones. */
  features?: string[];
  ignored?: string[];
  task: Task;
  /** Share of rows held out for testing, 0 < testFraction < 1; the test set gets ceil(testFraction × rows). */
  testFraction: number;
  splitSeed: number;
  standardize: boolean;
}

/** More classes than this is almost surely a numeric column meant for regression. */
const MAX_CLASSES = 1000;
const MAX_LISTED_COLUMNS = 20;

/**
 * Encodes, splits and standardises a table like the lesson's pandas/sklearn code: LabelEncoder for the
 * target, train_test_split's sizes with a seeded shuffle, StandardScaler fitted on the training rows only.
 * Never imputes: a missing or non-numeric feature value is a DataError the user fixes.
 */
export function prepareTabular(table: ParsedTable, spec: TabularSpec): PreparedTabular {
  const { header, rows } = table;
  const index = new Map(header.map((name, i) => [name, i]));
  const columnOf = (name: string, role: string): number => {
    const i = index.get(name);
    if (i === undefined) {
      throw new DataError(
        role === 'target' ? 'no-target' : 'no-column',
        `The ${role} column '${name}' is not in the file; its columns are ${listColumns(header)}.`,
      );
    }
    return i;
  };

  const targetIndex = columnOf(spec.target, 'target');
  const ignored = new Set(spec.ignored ?? []);
  for (const name of ignored) columnOf(name, 'ignored');
  const featureNames = [...new Set(spec.features ?? header)].filter(
    (name) => !ignored.has(name) && (spec.features !== undefined || name !== spec.target),
  );
  if (featureNames.includes(spec.target)) {
    throw new DataError(
      'bad-spec',
      `The column '${spec.target}' cannot be both the target and a feature: remove it from the features.`,
    );
  }
  const featureIndices = featureNames.map((name) => columnOf(name, 'feature'));
  if (featureIndices.length === 0) {
    throw new DataError(
      'no-features',
      'No feature columns are left to learn from: include at least one column besides the target.',
    );
  }

  const n = rows.length;
  const { testCount } = splitSizes(n, spec.testFraction);
  if (!Number.isFinite(spec.splitSeed)) {
    throw new DataError('bad-spec', `The split seed must be a whole number (it is ${spec.splitSeed}).`);
  }

  const features = featureIndices.map((c, j) =>
    numericColumn(table, c, featureNames[j] as string, 'feature'),
  );
  const { y, classNames } = encodeTarget(table, targetIndex, spec.target, spec.task);

  // Like sklearn's ShuffleSplit: the first n_test shuffled indices are the test set, the rest train.
  const order = createRng(spec.splitSeed).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const testRows = order.subarray(0, testCount);
  const trainRows = order.subarray(testCount);

  const standardization = spec.standardize ? fitScaler(features, trainRows) : null;
  const build = (picked: Int32Array): Split => gather(features, y, picked, standardization);
  return {
    kind: 'tabular',
    task: spec.task,
    featureNames,
    targetName: spec.target,
    inputShape: [featureNames.length],
    classNames,
    standardization,
    train: build(trainRows),
    test: build(testRows),
  };
}

function listColumns(header: string[]): string {
  const shown = header.slice(0, MAX_LISTED_COLUMNS).map((h) => `'${h}'`);
  const more = header.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** Sizes as sklearn's train_test_split computes them for a float test_size. */
export function splitSizes(n: number, testFraction: number): { testCount: number; trainCount: number } {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new DataError(
      'bad-spec',
      `The test fraction must be between 0 and 1, such as 0.2 (it is ${testFraction}).`,
    );
  }
  const testCount = Math.ceil(testFraction * n);
  const trainCount = n - testCount;
  if (testCount < 1 || trainCount < 1) {
    throw new DataError(
      'too-few-rows',
      `The table has ${n} row${n === 1 ? '' : 's'}, too few to keep ${Math.round(testFraction * 100)}% for testing and still train: add rows or change the test fraction.`,
    );
  }
  return { testCount, trainCount };
}

function shortValue(cell: string): string {
  const s = cell.trim();
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * Calls `visit` with each filled cell of column `c` and its row, in order; afterwards a DataError naming
 * the empty cells, if any (so an error `visit` throws comes first).
 */
function forEachFilledCell(
  table: ParsedTable,
  c: number,
  name: string,
  role: 'feature' | 'target',
  visit: (cell: string, r: number) => void,
): void {
  const { rows, rowLines } = table;
  let missing = 0;
  let firstMissing = -1;
  for (let r = 0; r < rows.length; r++) {
    const cell = (rows[r] as string[])[c] as string;
    if (isMissing(cell)) {
      if (missing++ === 0) firstMissing = r;
      continue;
    }
    visit(cell, r);
  }
  if (missing > 0) {
    const where = `${missing} empty cell${missing === 1 ? '' : 's'} (the first on line ${rowLines[firstMissing]})`;
    throw new DataError(
      'missing-values',
      role === 'feature'
        ? `Column '${name}' has ${where}: fill them in or mark the column as ignored.`
        : `The target column '${name}' has ${where}: fill them in or remove those rows.`,
    );
  }
}

/** One column as float64, or a DataError naming the first bad cell's line (non-numeric first, then empty cells). */
function numericColumn(
  table: ParsedTable,
  c: number,
  name: string,
  role: 'feature' | 'target',
): Float64Array {
  const values = new Float64Array(table.rows.length);
  forEachFilledCell(table, c, name, role, (cell, r) => {
    const value = parseNumber(cell);
    if (value === null) {
      const line = table.rowLines[r];
      throw new DataError(
        'non-numeric',
        role === 'feature'
          ? `Column '${name}' has a non-numeric value '${shortValue(cell)}' on line ${line}: fix the file or mark the column as ignored.`
          : `The target column '${name}' has a non-numeric value '${shortValue(cell)}' on line ${line}, but regression needs a numeric target: fix the file, pick another target or choose classification.`,
      );
    }
    values[r] = value;
  });
  return values;
}

/** Regression: the numbers. Classification: LabelEncoder indices (classes sorted, numerically when all are numbers). */
function encodeTarget(
  table: ParsedTable,
  c: number,
  name: string,
  task: Task,
): { y: Float64Array; classNames: string[] | null } {
  switch (task) {
    case 'regression':
      return { y: numericColumn(table, c, name, 'target'), classNames: null };
    case 'binary':
    case 'multiclass':
      return encodeLabels(table, c, name, task);
    default: {
      const unknown: never = task;
      throw new DataError(
        'bad-spec',
        `Unknown task '${String(unknown)}': choose regression, binary or multi-class.`,
      );
    }
  }
}

function encodeLabels(
  table: ParsedTable,
  c: number,
  name: string,
  task: 'binary' | 'multiclass',
): { y: Float64Array; classNames: string[] } {
  const { rows } = table;
  const summary = table.info.columns[c];
  // Numeric labels are keyed by value so that "1" and "1.0" are one class.
  const numericLabels = summary?.type === 'number';
  const keyOf = (cell: string): string => (numericLabels ? String(parseNumber(cell)) : cell.trim());
  const firstSpelling = new Map<string, string>();
  forEachFilledCell(table, c, name, 'target', (cell) => {
    const key = keyOf(cell);
    if (!firstSpelling.has(key)) firstSpelling.set(key, cell.trim());
  });
  const keys = sortLabels([...firstSpelling.keys()]);
  const count = keys.length;
  const preview = keys
    .slice(0, 5)
    .map((k) => `'${firstSpelling.get(k)}'`)
    .join(', ');
  if (task === 'binary' && count !== 2) {
    throw new DataError(
      'class-count',
      `Binary classification needs a target with exactly 2 classes, but '${name}' has ${count} (${preview}${count > 5 ? ', ...' : ''}): choose multi-class classification or another target.`,
    );
  }
  if (count < 2) {
    throw new DataError(
      'class-count',
      `The target column '${name}' has only one class (${preview}): a classifier needs at least 2, so choose another target.`,
    );
  }
  if (count > MAX_CLASSES) {
    throw new DataError(
      'class-count',
      `The target column '${name}' has ${count} different values, too many classes to learn: choose regression for a numeric target, or another target.`,
    );
  }
  const label = new Map(keys.map((k, i) => [k, i]));
  const y = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) y[r] = label.get(keyOf((rows[r] as string[])[c] as string)) as number;
  return { y, classNames: keys.map((k) => firstSpelling.get(k) as string) };
}

/** StandardScaler on the training rows: population std, constant features scaled by 1. */
function fitScaler(features: Float64Array[], trainRows: Int32Array): { mean: number[]; std: number[] } {
  const n = trainRows.length;
  const mean: number[] = [];
  const std: number[] = [];
  for (const column of features) {
    let sum = 0;
    for (const r of trainRows) sum += column[r] as number;
    const m = sum / n;
    let squares = 0;
    for (const r of trainRows) {
      const d = (column[r] as number) - m;
      squares += d * d;
    }
    const variance = squares / n;
    mean.push(m);
    std.push(isConstant(variance, m, n) ? 1 : Math.sqrt(variance));
  }
  return { mean, std };
}

/** sklearn's _is_constant_feature: a variance within float64 rounding error of zero. */
function isConstant(variance: number, mean: number, n: number): boolean {
  const eps = Number.EPSILON;
  const bound = n * eps * variance + (n * mean * eps) ** 2;
  return variance <= bound;
}

function gather(
  features: Float64Array[],
  y: Float64Array,
  picked: Int32Array,
  scaler: { mean: number[]; std: number[] } | null,
): Split {
  const width = features.length;
  const x = new Float32Array(picked.length * width);
  const targets = new Float32Array(picked.length);
  for (let i = 0; i < picked.length; i++) {
    const r = picked[i] as number;
    for (let j = 0; j < width; j++) {
      const value = (features[j] as Float64Array)[r] as number;
      x[i * width + j] = scaler ? (value - (scaler.mean[j] as number)) / (scaler.std[j] as number) : value;
    }
    targets[i] = y[r] as number;
  }
  return { x, y: targets, count: picked.length };
}
