import { describe, it, expect } from 'vitest';
import { classificationMetrics, regressionMetrics } from '../../shared/metrics/evaluate';
import type { TestMetrics } from '../../shared/metrics/types';
import {
  MAX_SCATTER_POINTS,
  classNames,
  confusionMatrixOption,
  metricCards,
  niceRange,
  perClassAccuracyOption,
  reportRows,
  rocOption,
  scatterOption,
  scatterPoints,
} from '../../renderer/src/features/results/resultsModel';

// red, red, white, white, white, red: the model gets one red wrong.
const binary: TestMetrics = {
  task: 'binary',
  ...classificationMetrics([0, 0, 1, 1, 1, 0], [0.1, 0.7, 0.9, 0.8, 0.6, 0.2], ['red', 'white'], 'binary'),
};
const multi: TestMetrics = {
  task: 'multiclass',
  ...classificationMetrics(
    [0, 1, 2, 2],
    [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.6, 0.3, 0.1, 0.1, 0.8],
    ['3', '4', '5'],
    'multiclass',
  ),
};
const regression: TestMetrics = {
  task: 'regression',
  ...regressionMetrics([1, 2, 3, 4], [1.1, 1.9, 3.2, 3.8]),
};

describe('headline test metrics', () => {
  it('shows R², RMSE, MAE and MSE for regression', () => {
    const cards = metricCards(regression);
    expect(cards.map((c) => c.label)).toEqual(['R²', 'RMSE', 'MAE', 'MSE']);
    expect(cards[0]!.value).toBe((regression as { r2: number }).r2.toFixed(4));
  });

  it('shows accuracy as a percentage and the AUC for binary tasks only', () => {
    const b = metricCards(binary);
    expect(b.map((c) => c.label)).toEqual(['Accuracy', 'ROC AUC', 'Macro F1', 'Weighted F1']);
    expect(b[0]!.value).toBe('83.33 %');
    expect(metricCards(multi).map((c) => c.label)).not.toContain('ROC AUC');
  });
});

describe('classification report table', () => {
  it('lists the classes, then accuracy, macro and weighted averages', () => {
    const rows = reportRows(binary.report);
    expect(rows.map((r) => r.name)).toEqual(['red', 'white', 'accuracy', 'macro avg', 'weighted avg']);
    expect(rows[0]).toMatchObject({ precision: '1.0000', recall: '0.6667', support: '3', summary: false });
    expect(rows[1]).toMatchObject({ precision: '0.7500', recall: '1.0000' });
    expect(rows[2]).toMatchObject({ f1: '0.8333', support: '6', summary: true });
  });
});

describe('result charts', () => {
  it('draws the confusion matrix with class names, true classes down and counts in cells', () => {
    const option = confusionMatrixOption(binary.confusion_matrix, classNames(binary));
    expect((option.xAxis as { data: string[] }).data).toEqual(['red', 'white']);
    expect((option.yAxis as { data: string[] }).data).toEqual(['red', 'white']);
    const cells = (option.series as { data: number[][] }[])[0]!.data;
    // [predicted, true, count, share of the true class]: one red predicted white.
    expect(cells).toEqual(
      expect.arrayContaining([
        [0, 0, 2, 2 / 3],
        [1, 0, 1, 1 / 3],
        [0, 1, 0, 0],
        [1, 1, 3, 1],
      ]),
    );
    expect(cells).toHaveLength(4);
    // Coloured by the share, so the small class's diagonal is as dark as the large one's.
    expect(option.visualMap).toMatchObject({ dimension: 3, min: 0, max: 1 });
  });

  it('draws the ROC curve with its AUC in the legend and the chance line', () => {
    if (!binary.roc) throw new Error('binary metrics have a ROC curve');
    const option = rocOption(binary.roc, binary.auc);
    const series = option.series as { name: string; data: number[][] }[];
    expect(series[0]!.name).toBe(`ROC curve (AUC ${binary.auc!.toFixed(4)})`);
    expect(series[0]!.data[0]).toEqual([binary.roc.fpr[0], binary.roc.tpr[0]]);
    expect(series[1]!.data).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it('plots predicted against actual with the perfect-prediction diagonal over their range', () => {
    const option = scatterOption({ yTrue: [1, 2, 3, 4], yPred: [1.1, 1.9, 3.2, 3.8] });
    const series = option.series as { data: number[][] }[];
    expect(series[0]!.data).toEqual([
      [1, 1.1],
      [2, 1.9],
      [3, 3.2],
      [4, 3.8],
    ]);
    expect(series[1]!.data).toEqual([
      [1, 1],
      [4, 4],
    ]);
  });

  it('rounds the scatter’s axis ends to readable numbers that still hold every point', () => {
    expect(niceRange(0.17499999701976776, 7.423213481903076)).toEqual([0.1, 7.5]);
    expect(niceRange(101.37, 186.9)).toEqual([101, 187]);
    expect(niceRange(3, 3)).toEqual([2, 4]);
  });

  it('samples large prediction sets evenly instead of drawing them all', () => {
    const n = 20_000;
    const yTrue = Array.from({ length: n }, (_, i) => i);
    const points = scatterPoints({ yTrue, yPred: yTrue });
    expect(points.length).toBe(MAX_SCATTER_POINTS);
    expect(points[0]).toEqual([0, 0]);
    expect(points[1]).toEqual([4, 4]);
  });

  it('draws one accuracy bar a class for multi-class results', () => {
    const option = perClassAccuracyOption(classNames(multi), multi.per_class_accuracy);
    expect((option.xAxis as { data: string[] }).data).toEqual(['3', '4', '5']);
    expect((option.series as { data: number[] }[])[0]!.data).toEqual([1, 1, 0.5]);
  });
});
