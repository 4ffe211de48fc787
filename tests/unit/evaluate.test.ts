import { describe, expect, it } from 'vitest';
import { classificationMetrics, regressionMetrics, rocCurve } from '../../shared/metrics/evaluate';
import { createRng } from '../../shared/data/random';

/** One-hot rows for the given predicted classes: row-major samples × classes. */
function oneHot(predicted: number[], classes: number): Float32Array {
  const out = new Float32Array(predicted.length * classes);
  predicted.forEach((p, i) => (out[i * classes + p] = 1));
  return out;
}

/** AUC as the share of (positive, negative) pairs ranked right, ties counting one half. */
function pairwiseAuc(y: number[], s: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      const a = s[i] as number;
      const b = s[j] as number;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('regressionMetrics', () => {
  it('matches hand-computed values (sklearn docs example)', () => {
    const m = regressionMetrics([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
    expect(m.mse).toBeCloseTo(0.375, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(m.mae).toBeCloseTo(0.5, 12);
    // 1 - 1.5 / 29.1875
    expect(m.r2).toBeCloseTo(0.9486081370449679, 12);
  });

  it('gives R² = 1 for a perfect predictor and 0 for predicting the mean', () => {
    const y = Float32Array.from([1.5, 2.5, 4, 8]);
    expect(regressionMetrics(y, y)).toEqual({ mse: 0, rmse: 0, mae: 0, r2: 1 });
    const mean = (1.5 + 2.5 + 4 + 8) / 4;
    const m = regressionMetrics(y, [mean, mean, mean, mean]);
    expect(m.r2).toBeCloseTo(0, 12);
    expect(m.mse).toBeCloseTo(
      ((1.5 - mean) ** 2 + (2.5 - mean) ** 2 + (4 - mean) ** 2 + (8 - mean) ** 2) / 4,
      12,
    );
  });

  it('handles a constant target like sklearn (1 if exact, else 0)', () => {
    expect(regressionMetrics([1, 1, 1], [1, 1, 1]).r2).toBe(1);
    expect(regressionMetrics([1, 1, 1], [1, 2, 1]).r2).toBe(0);
  });

  it('refuses mismatched lengths and diverged predictions', () => {
    expect(() => regressionMetrics([1, 2], [1])).toThrow(RangeError);
    expect(() => regressionMetrics([1, 2], [1, Number.NaN])).toThrow(/training diverged/);
  });
});

describe('classificationMetrics: multi-class', () => {
  const yTrue = [0, 0, 0, 0, 1, 1, 2, 2, 2];
  const yPred = [0, 0, 1, 1, 1, 1, 2, 2, 0];
  const m = classificationMetrics(yTrue, oneHot(yPred, 3), ['a', 'b', 'c'], 'multiclass');

  it('builds the confusion matrix with true classes as rows', () => {
    expect(m.confusion_matrix).toEqual([
      [2, 2, 0],
      [0, 2, 0],
      [1, 0, 2],
    ]);
    expect(m.accuracy).toBeCloseTo(6 / 9, 12);
  });

  it('computes per-class precision, recall, F1 and support', () => {
    const [a, b, c] = m.report.classes;
    expect(a).toMatchObject({ name: 'a', support: 4 });
    expect(a?.precision).toBeCloseTo(2 / 3, 12);
    expect(a?.recall).toBeCloseTo(1 / 2, 12);
    expect(a?.f1).toBeCloseTo(4 / 7, 12);
    expect(b?.precision).toBeCloseTo(1 / 2, 12);
    expect(b?.recall).toBe(1);
    expect(b?.f1).toBeCloseTo(2 / 3, 12);
    expect(c?.precision).toBe(1);
    expect(c?.recall).toBeCloseTo(2 / 3, 12);
    expect(c?.f1).toBeCloseTo(4 / 5, 12);
    expect(m.per_class_accuracy.map((v) => Number(v.toFixed(12)))).toEqual([
      0.5,
      1,
      Number((2 / 3).toFixed(12)),
    ]);
  });

  it('averages like classification_report (macro: plain mean; weighted: by support)', () => {
    expect(m.report.accuracy).toBeCloseTo(2 / 3, 12);
    expect(m.report.macro_avg.precision).toBeCloseTo(13 / 18, 12);
    expect(m.report.macro_avg.recall).toBeCloseTo(13 / 18, 12);
    expect(m.report.macro_avg.f1).toBeCloseTo(214 / 315, 12);
    expect(m.report.macro_avg.support).toBe(9);
    expect(m.report.weighted_avg.precision).toBeCloseTo(20 / 27, 12);
    expect(m.report.weighted_avg.recall).toBeCloseTo(2 / 3, 12);
    expect(m.report.weighted_avg.f1).toBeCloseTo(632 / 945, 12);
    expect(m.auc).toBeUndefined();
    expect(m.roc).toBeUndefined();
  });

  it('gives 0 (not NaN) for a class that is never predicted', () => {
    const r = classificationMetrics(
      [0, 1, 2, 2],
      oneHot([0, 1, 1, 0], 3),
      ['x', 'y', 'z'],
      'multiclass',
    ).report;
    expect(r.classes[2]).toEqual({ name: 'z', precision: 0, recall: 0, f1: 0, support: 2 });
    expect(r.macro_avg.precision).toBeCloseTo(1 / 3, 12);
    expect(r.macro_avg.recall).toBeCloseTo(2 / 3, 12);
    expect(r.macro_avg.f1).toBeCloseTo(4 / 9, 12);
    expect(r.weighted_avg.precision).toBeCloseTo(0.25, 12);
    expect(r.weighted_avg.f1).toBeCloseTo(1 / 3, 12);
  });

  it('keeps a class absent from the test set in the report with support 0', () => {
    const r = classificationMetrics([0, 1, 0], oneHot([0, 1, 1], 3), ['x', 'y', 'z'], 'multiclass');
    expect(r.confusion_matrix[2]).toEqual([0, 0, 0]);
    expect(r.report.classes[2]).toEqual({ name: 'z', precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('takes the first class on tied probabilities, like argmax', () => {
    const m2 = classificationMetrics(
      [1, 2],
      Float32Array.from([0.2, 0.4, 0.4, 0.5, 0.25, 0.25]),
      ['a', 'b', 'c'],
      'multiclass',
    );
    expect(m2.confusion_matrix).toEqual([
      [0, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
  });

  it('refuses scores of the wrong size and labels out of range', () => {
    expect(() => classificationMetrics([0, 1], [0.5, 0.5, 1], ['a', 'b', 'c'], 'multiclass')).toThrow(
      RangeError,
    );
    expect(() => classificationMetrics([0, 3], oneHot([0, 1], 3), ['a', 'b', 'c'], 'multiclass')).toThrow(
      RangeError,
    );
  });
});

describe('classificationMetrics: binary', () => {
  it('thresholds the positive-class probability at 0.5 (0.5 itself is negative, like np.round)', () => {
    const m = classificationMetrics([0, 1, 1, 0], [0.5, 0.51, 0.9, 0.1], ['red', 'white'], 'binary');
    expect(m.confusion_matrix).toEqual([
      [2, 0],
      [0, 2],
    ]);
    expect(m.accuracy).toBe(1);
  });

  it('gives AUC 1 for a perfect ranking and 0 for an inverted one', () => {
    const y = [0, 0, 1, 1, 0, 1];
    const perfect = classificationMetrics(y, [0.1, 0.2, 0.7, 0.8, 0.3, 0.9], ['n', 'p'], 'binary');
    expect(perfect.auc).toBe(1);
    expect(perfect.roc).toEqual({
      fpr: [0, 0, 0, 1],
      tpr: [0, 1 / 3, 1, 1],
      thresholds: [1.9, 0.9, 0.7, 0.1],
    });
    const inverted = classificationMetrics(y, [0.9, 0.8, 0.3, 0.2, 0.7, 0.1], ['n', 'p'], 'binary');
    expect(inverted.auc).toBe(0);
    expect(inverted.accuracy).toBe(0);
  });

  it('matches sklearn roc_curve on its documented example (AUC 0.75)', () => {
    const m = classificationMetrics([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], ['n', 'p'], 'binary');
    expect(m.auc).toBeCloseTo(0.75, 12);
    expect(m.roc?.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(m.roc?.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(m.roc?.thresholds.map((t) => Number(t.toFixed(12)))).toEqual([1.8, 0.8, 0.4, 0.35, 0.1]);
  });

  it('takes tied scores together', () => {
    // Pairs: 7 of 9 ranked right counting ties as half.
    const y = [0, 0, 1, 1, 1, 0];
    const s = [0.2, 0.6, 0.6, 0.9, 0.2, 0.1];
    const m = classificationMetrics(y, s, ['n', 'p'], 'binary');
    expect(m.auc).toBeCloseTo(7 / 9, 12);
    expect(m.roc?.fpr.map((v) => Number(v.toFixed(12)))).toEqual([0, 0, 0.666666666667, 1]);
    expect(m.roc?.tpr.map((v) => Number(v.toFixed(12)))).toEqual([0, 0.333333333333, 1, 1]);
    expect(m.roc?.thresholds.map((t) => Number(t.toFixed(12)))).toEqual([1.9, 0.9, 0.2, 0.1]);
    // All scores equal: the chance diagonal.
    const flat = rocCurve([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]);
    expect(flat).toEqual({ fpr: [0, 1], tpr: [0, 1], thresholds: [1.5, 0.5] });
  });

  it('agrees with the pairwise AUC on a noisy classifier with many ties', () => {
    const rng = createRng(3);
    const y: number[] = [];
    const s: number[] = [];
    for (let i = 0; i < 400; i++) {
      const label = rng.next() < 0.4 ? 1 : 0;
      y.push(label);
      // Coarse scores (tenths) so that ties are common.
      s.push(Math.min(1, Math.round((rng.next() * 0.8 + label * 0.25) * 10) / 10));
    }
    const m = classificationMetrics(Float32Array.from(y), Float32Array.from(s), ['n', 'p'], 'binary');
    const expected = pairwiseAuc(y, Array.from(Float32Array.from(s)));
    expect(expected).toBeGreaterThan(0.55);
    expect(expected).toBeLessThan(0.95);
    expect(m.auc).toBeCloseTo(expected, 10);
    const roc = m.roc;
    expect(roc?.fpr[0]).toBe(0);
    expect(roc?.tpr[0]).toBe(0);
    expect(roc?.fpr[roc.fpr.length - 1]).toBe(1);
    expect(roc?.tpr[roc.tpr.length - 1]).toBe(1);
    for (let i = 1; i < (roc?.thresholds.length ?? 0); i++) {
      expect(roc?.thresholds[i]).toBeLessThan(roc?.thresholds[i - 1] as number);
    }
  });

  it('leaves out ROC and AUC when the test set holds one class only', () => {
    const m = classificationMetrics([1, 1, 1], [0.9, 0.2, 0.7], ['n', 'p'], 'binary');
    expect(m.auc).toBeUndefined();
    expect(m.roc).toBeUndefined();
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
  });

  it('refuses NaN scores with a message for the user', () => {
    expect(() => classificationMetrics([0, 1], [Number.NaN, 0.2], ['n', 'p'], 'binary')).toThrow(
      /lower the learning rate/,
    );
  });
});
