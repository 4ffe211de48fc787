import type {
  ClassificationMetrics,
  ClassificationReport,
  ClassReportRow,
  RegressionMetrics,
  RocCurve,
} from './types';

const DIVERGED =
  "The model's predictions include NaN or infinite values, so no metrics can be computed: training diverged; lower the learning rate and train again.";

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length)
    throw new RangeError(`${what}: ${a.length} true values but ${b.length} predictions.`);
  if (a.length === 0) throw new RangeError(`${what}: no samples to evaluate.`);
}

function checkFinite(values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw new Error(DIVERGED);
}

/** MSE, RMSE, MAE and R² like sklearn.metrics (R² of a constant target: 1 when predicted exactly, else 0). */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  checkLengths(yTrue, yPred, 'regressionMetrics');
  checkFinite(yPred);
  const n = yTrue.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yTrue[i] as number;
  const mean = sum / n;
  let squared = 0;
  let absolute = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i] as number;
    const e = t - (yPred[i] as number);
    squared += e * e;
    absolute += Math.abs(e);
    total += (t - mean) * (t - mean);
  }
  const mse = squared / n;
  const r2 = total === 0 ? (squared === 0 ? 1 : 0) : 1 - squared / total;
  return { mse, rmse: Math.sqrt(mse), mae: absolute / n, r2 };
}

/** Class predicted per sample: binary `p > 0.5` (what the lesson's np.round does), multi-class the first argmax. */
export function predictedClasses(
  scores: ArrayLike<number>,
  classCount: number,
  task: 'binary' | 'multiclass',
): Int32Array {
  switch (task) {
    case 'binary': {
      const out = new Int32Array(scores.length);
      for (let i = 0; i < scores.length; i++) out[i] = (scores[i] as number) > 0.5 ? 1 : 0;
      return out;
    }
    case 'multiclass': {
      const n = scores.length / classCount;
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let k = 1; k < classCount; k++) {
          if ((scores[i * classCount + k] as number) > (scores[i * classCount + best] as number)) best = k;
        }
        out[i] = best;
      }
      return out;
    }
  }
}

/**
 * Accuracy, confusion matrix and sklearn's classification_report over every class in `classNames`
 * (zero division gives 0), plus the ROC curve and AUC for binary tasks. `scores`: binary, the
 * positive-class (index 1) probability per sample; multi-class, row-major samples × classes probabilities.
 * ROC and AUC are left out when the true labels hold only one class (they are undefined then).
 */
export function classificationMetrics(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  classNames: string[],
  task: 'binary' | 'multiclass',
): ClassificationMetrics {
  const k = classNames.length;
  if (task === 'binary' && k !== 2) throw new RangeError(`A binary task needs 2 class names, got ${k}.`);
  if (k < 2) throw new RangeError(`Classification needs at least 2 class names, got ${k}.`);
  const n = yTrue.length;
  const perSample = task === 'binary' ? 1 : k;
  if (scores.length !== n * perSample) {
    throw new RangeError(
      `classificationMetrics: ${n} samples need ${n * perSample} scores, got ${scores.length}.`,
    );
  }
  if (n === 0) throw new RangeError('classificationMetrics: no samples to evaluate.');
  for (let i = 0; i < n; i++) {
    const t = yTrue[i] as number;
    if (!Number.isInteger(t) || t < 0 || t >= k)
      throw new RangeError(`True label ${t} at ${i} is not a class index below ${k}.`);
  }
  checkFinite(scores);

  const predicted = predictedClasses(scores, k, task);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i] as number;
    const p = predicted[i] as number;
    (confusion[t] as number[])[p] = ((confusion[t] as number[])[p] as number) + 1;
    if (t === p) correct++;
  }
  const report = reportFromConfusion(confusion, classNames);
  const metrics: ClassificationMetrics = {
    accuracy: correct / n,
    confusion_matrix: confusion,
    report,
    per_class_accuracy: report.classes.map((row) => row.recall),
  };
  if (task === 'binary') {
    const roc = rocCurve(yTrue, scores);
    if (roc) {
      metrics.roc = roc;
      metrics.auc = trapezoidArea(roc.fpr, roc.tpr);
    }
  }
  return metrics;
}

const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);

/** sklearn's classification_report from a confusion matrix (rows true, columns predicted). */
export function reportFromConfusion(confusion: number[][], classNames: string[]): ClassificationReport {
  const k = classNames.length;
  let total = 0;
  let correct = 0;
  const classes: ClassReportRow[] = classNames.map((name, c) => {
    const row = confusion[c] as number[];
    const support = row.reduce((a, b) => a + b, 0);
    let predictedCount = 0;
    for (let t = 0; t < k; t++) predictedCount += (confusion[t] as number[])[c] as number;
    const tp = row[c] as number;
    total += support;
    correct += tp;
    const precision = ratio(tp, predictedCount);
    const recall = ratio(tp, support);
    return { name, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const average = (weight: (row: ClassReportRow) => number): Omit<ClassReportRow, 'name'> => {
    const weights = classes.map(weight);
    const sum = weights.reduce((a, b) => a + b, 0);
    const mean = (pick: (row: ClassReportRow) => number): number =>
      ratio(
        classes.reduce((acc, row, i) => acc + pick(row) * (weights[i] as number), 0),
        sum,
      );
    return {
      precision: mean((r) => r.precision),
      recall: mean((r) => r.recall),
      f1: mean((r) => r.f1),
      support: total,
    };
  };
  return {
    classes,
    accuracy: ratio(correct, total),
    macro_avg: average(() => 1),
    weighted_avg: average((row) => row.support),
  };
}

/**
 * sklearn's roc_curve (drop_intermediate=True, as in the lesson): one point per distinct score,
 * tied scores taken together, collinear points dropped, and a first point (0, 0) whose threshold is
 * max(score) + 1 (sklearn 1.2; later versions write +inf, which JSON cannot hold). Null when the
 * labels hold only one class.
 */
export function rocCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): RocCurve | null {
  const n = yTrue.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number),
  );
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    const s = order[i] as number;
    if (yTrue[s] === 1) tp++;
    else fp++;
    const next = order[i + 1];
    // Emit only at the last sample of a run of equal scores.
    if (next === undefined || scores[next] !== scores[s]) {
      fps.push(fp);
      tps.push(tp);
      thresholds.push(scores[s] as number);
    }
  }
  if (tp === 0 || fp === 0) return null;

  const keep: number[] = [];
  for (let i = 0; i < fps.length; i++) {
    const last = i === 0 || i === fps.length - 1;
    const bendsFps = !last && (fps[i + 1] as number) - 2 * (fps[i] as number) + (fps[i - 1] as number) !== 0;
    const bendsTps = !last && (tps[i + 1] as number) - 2 * (tps[i] as number) + (tps[i - 1] as number) !== 0;
    if (last || bendsFps || bendsTps) keep.push(i);
  }
  const fpr = [0];
  const tpr = [0];
  const cut = [(thresholds[0] as number) + 1];
  for (const i of keep) {
    fpr.push((fps[i] as number) / fp);
    tpr.push((tps[i] as number) / tp);
    cut.push(thresholds[i] as number);
  }
  return { fpr, tpr, thresholds: cut };
}

/** Area under a curve given by points in x order, by the trapezoid rule (sklearn.metrics.auc). */
export function trapezoidArea(x: number[], y: number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) {
    area += (((x[i] as number) - (x[i - 1] as number)) * ((y[i] as number) + (y[i - 1] as number))) / 2;
  }
  return area;
}
