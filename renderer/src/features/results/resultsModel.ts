// What the Results view shows of a run's test metrics: headline numbers, tables and chart options. Pure.
import type { EChartsOption } from 'echarts';
import type { Predictions } from '../../../../shared/api/records';
import type { ClassificationReport, RocCurve, TestMetrics } from '../../../../shared/metrics/types';

export interface MetricCard {
  label: string;
  value: string;
  /** A short line saying what the number means. */
  hint: string;
}

function fixed(value: number, digits = 4): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

function percent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(2)} %` : '–';
}

/** The headline test numbers of a run. */
export function metricCards(test: TestMetrics): MetricCard[] {
  switch (test.task) {
    case 'regression':
      return [
        { label: 'R²', value: fixed(test.r2), hint: 'Share of the variance explained (1 is perfect)' },
        { label: 'RMSE', value: fixed(test.rmse), hint: 'Root mean squared error, in target units' },
        { label: 'MAE', value: fixed(test.mae), hint: 'Mean absolute error, in target units' },
        { label: 'MSE', value: fixed(test.mse), hint: 'Mean squared error' },
      ];
    case 'binary':
    case 'multiclass': {
      const cards: MetricCard[] = [
        { label: 'Accuracy', value: percent(test.accuracy), hint: 'Test samples classified correctly' },
      ];
      if (test.auc !== undefined)
        cards.push({
          label: 'ROC AUC',
          value: fixed(test.auc),
          hint: 'Area under the ROC curve (1 is perfect)',
        });
      cards.push(
        { label: 'Macro F1', value: fixed(test.report.macro_avg.f1), hint: 'F1 averaged over classes' },
        {
          label: 'Weighted F1',
          value: fixed(test.report.weighted_avg.f1),
          hint: 'F1 weighted by class support',
        },
      );
      return cards;
    }
  }
}

export interface ReportRow {
  name: string;
  precision: string;
  recall: string;
  f1: string;
  support: string;
  /** Averages and accuracy rows are drawn apart from the classes. */
  summary: boolean;
}

/** The classification report as table rows: one a class, then accuracy, macro and weighted averages. */
export function reportRows(report: ClassificationReport): ReportRow[] {
  const total = report.weighted_avg.support;
  const row = (
    name: string,
    r: { precision: number; recall: number; f1: number; support: number },
    summary: boolean,
  ) => ({
    name,
    precision: fixed(r.precision),
    recall: fixed(r.recall),
    f1: fixed(r.f1),
    support: String(r.support),
    summary,
  });
  return [
    ...report.classes.map((c) => row(c.name, c, false)),
    {
      name: 'accuracy',
      precision: '',
      recall: '',
      f1: fixed(report.accuracy),
      support: String(total),
      summary: true,
    },
    row('macro avg', report.macro_avg, true),
    row('weighted avg', report.weighted_avg, true),
  ];
}

/** Long class names, or many of middling length, are tilted so that they do not run into each other. */
function needsRotation(labels: readonly string[]): boolean {
  return labels.some((l) => l.length > 8) || (labels.length > 6 && labels.some((l) => l.length > 3));
}

/** Class names of a classification result, in label order. */
export function classNames(test: TestMetrics): string[] {
  return test.task === 'regression' ? [] : test.report.classes.map((c) => c.name);
}

/** Confusion matrix heatmap: true classes down, predicted classes across, counts in the cells. */
export function confusionMatrixOption(
  matrix: readonly (readonly number[])[],
  names: readonly string[],
): EChartsOption {
  const n = matrix.length;
  const labels = Array.from({ length: n }, (_, i) => names[i] ?? String(i));
  // [predicted, true, count, share of the true class]: colour by share, so a small class's diagonal
  // reads as clearly as a large one's.
  const data: [number, number, number, number][] = [];
  matrix.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, p) => data.push([p, t, count, total > 0 ? count / total : 0]));
  });
  const rotate = needsRotation(labels) ? 30 : 0;
  return {
    animation: false,
    backgroundColor: 'transparent',
    tooltip: {
      position: 'top',
      formatter: (params) => {
        const p = (Array.isArray(params) ? params[0] : params) as { value?: unknown } | undefined;
        const v = (p?.value ?? []) as number[];
        const share = ((v[3] ?? 0) * 100).toFixed(1);
        return `True <b>${labels[v[1] ?? 0] ?? ''}</b>, predicted <b>${labels[v[0] ?? 0] ?? ''}</b>: ${v[2] ?? 0} (${share} % of the class)`;
      },
    },
    grid: { left: 90, right: 24, top: 16, bottom: rotate ? 86 : 64, containLabel: false },
    xAxis: {
      type: 'category',
      data: labels,
      name: 'Predicted class',
      nameLocation: 'middle',
      nameGap: rotate ? 62 : 36,
      axisLabel: { rotate, interval: 0 },
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      data: labels,
      name: 'True class',
      nameLocation: 'middle',
      nameGap: 70,
      inverse: true,
      axisLabel: { interval: 0 },
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max: 1,
      dimension: 3,
      calculable: false,
      show: false,
      inRange: { color: ['#eef2ff', '#91a7ff', '#364fc7'] },
    },
    series: [
      {
        name: 'Confusion matrix',
        type: 'heatmap',
        data,
        label: {
          show: n <= 12,
          fontSize: n > 8 ? 10 : 13,
          formatter: (p) => String((p.value as number[])[2]),
        },
        emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } },
      },
    ],
  };
}

/** ROC curve of a binary classifier with the chance diagonal and the AUC in the legend. */
export function rocOption(roc: RocCurve, auc: number | undefined): EChartsOption {
  const points = roc.fpr.map((f, i) => [f, roc.tpr[i] ?? 0] as [number, number]);
  return {
    animation: false,
    backgroundColor: 'transparent',
    grid: { left: 56, right: 20, top: 36, bottom: 48 },
    legend: { top: 4 },
    tooltip: { trigger: 'item', valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(3) : String(v)) },
    xAxis: {
      type: 'value',
      name: 'False positive rate',
      nameLocation: 'middle',
      nameGap: 28,
      min: 0,
      max: 1,
    },
    yAxis: { type: 'value', name: 'True positive rate', nameLocation: 'middle', nameGap: 38, min: 0, max: 1 },
    series: [
      {
        name: auc === undefined ? 'ROC curve' : `ROC curve (AUC ${auc.toFixed(4)})`,
        type: 'line',
        data: points,
        showSymbol: false,
        lineStyle: { width: 2, color: '#4c6ef5' },
        itemStyle: { color: '#4c6ef5' },
        areaStyle: { color: 'rgba(76, 110, 245, 0.12)' },
      },
      {
        name: 'Chance',
        type: 'line',
        data: [
          [0, 0],
          [1, 1],
        ],
        showSymbol: false,
        lineStyle: { type: 'dashed', width: 1, color: '#868e96' },
        itemStyle: { color: '#868e96' },
      },
    ],
  };
}

/** Points drawn at most in the scatter; more are sampled evenly (the shape stays, the page stays fast). */
export const MAX_SCATTER_POINTS = 5000;

/** Evenly spaced sample of [actual, predicted] pairs. */
export function scatterPoints(predictions: Predictions, max = MAX_SCATTER_POINTS): [number, number][] {
  const n = Math.min(predictions.yTrue.length, predictions.yPred.length);
  const step = n > max ? n / max : 1;
  const points: [number, number][] = [];
  for (let k = 0; k * step < n; k++) {
    const i = Math.floor(k * step);
    points.push([predictions.yTrue[i]!, predictions.yPred[i]!]);
  }
  return points;
}

/** The range widened to round numbers, so the axes' end labels read "0.1" and "7.5", not float noise. */
export function niceRange(lo: number, hi: number): [number, number] {
  if (!(hi > lo)) return [lo - 1, hi + 1];
  const step = 10 ** (Math.floor(Math.log10(hi - lo)) - 1);
  const round = (v: number) => Number(v.toPrecision(12));
  return [round(Math.floor(lo / step) * step), round(Math.ceil(hi / step) * step)];
}

/** Predicted against actual values of a regression run, with the line of perfect predictions. */
export function scatterOption(predictions: Predictions): EChartsOption {
  const points = scatterPoints(predictions);
  let lo = Infinity;
  let hi = -Infinity;
  for (const [a, p] of points) {
    lo = Math.min(lo, a, p);
    hi = Math.max(hi, a, p);
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  [lo, hi] = niceRange(lo, hi);
  return {
    animation: false,
    backgroundColor: 'transparent',
    grid: { left: 60, right: 24, top: 36, bottom: 48 },
    legend: { top: 4 },
    tooltip: {
      trigger: 'item',
      formatter: (params) => {
        const p = (Array.isArray(params) ? params[0] : params) as { value?: unknown } | undefined;
        const v = (p?.value ?? []) as number[];
        return `Actual ${(v[0] ?? 0).toPrecision(4)}, predicted ${(v[1] ?? 0).toPrecision(4)}`;
      },
    },
    xAxis: {
      type: 'value',
      name: 'Actual',
      nameLocation: 'middle',
      nameGap: 28,
      min: lo,
      max: hi,
      scale: true,
    },
    yAxis: {
      type: 'value',
      name: 'Predicted',
      nameLocation: 'middle',
      nameGap: 42,
      min: lo,
      max: hi,
      scale: true,
    },
    series: [
      {
        name: 'Test samples',
        type: 'scatter',
        data: points,
        symbolSize: 4,
        large: points.length > 2000,
        itemStyle: { color: 'rgba(92, 124, 250, 0.5)' },
      },
      {
        name: 'Perfect prediction',
        type: 'line',
        data: [
          [lo, lo],
          [hi, hi],
        ],
        showSymbol: false,
        lineStyle: { type: 'dashed', width: 1.5, color: '#f76707' },
        itemStyle: { color: '#f76707' },
      },
    ],
  };
}

/** Accuracy of each class as bars (multi-class). */
export function perClassAccuracyOption(names: readonly string[], accuracy: readonly number[]): EChartsOption {
  const labels = accuracy.map((_, i) => names[i] ?? String(i));
  const rotate = needsRotation(labels) ? 30 : 0;
  return {
    animation: false,
    backgroundColor: 'transparent',
    grid: { left: 56, right: 20, top: 20, bottom: rotate ? 72 : 40 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : String(v)),
    },
    xAxis: { type: 'category', data: labels, axisLabel: { rotate, interval: 0 } },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)} %` },
    },
    series: [
      {
        name: 'Accuracy',
        type: 'bar',
        data: [...accuracy],
        barMaxWidth: 48,
        itemStyle: { color: '#4c6ef5', borderRadius: [4, 4, 0, 0] },
        label: {
          show: labels.length <= 12,
          position: 'top',
          formatter: (p) => `${Math.round(Number(p.value) * 100)}%`,
        },
      },
    ],
  };
}
