// ECharts options of the Training view's live curves. Pure: the same records always give the same option.
import type { EChartsOption, LineSeriesOption, TooltipComponentOption, XAXisComponentOption } from 'echarts';
import type { EpochRecord } from '../../../../shared/api/records';
import type { Task } from '../../../../shared/data/types';

/** The per-epoch metric the trainer reports next to the loss for a task. */
export type CurveMetric = 'accuracy' | 'mae';

export const metricLabels: Record<CurveMetric, string> = {
  accuracy: 'Accuracy',
  mae: 'Mean absolute error (MAE)',
};
/** Short names for legends. */
const metricShort: Record<CurveMetric, string> = { accuracy: 'accuracy', mae: 'MAE' };

/** Accuracy for classification, MAE for regression; what the records hold wins over the task. */
export function curveMetric(epochs: readonly EpochRecord[], task: Task | null): CurveMetric {
  const first = epochs[0]?.metrics;
  if (first) {
    if ('accuracy' in first) return 'accuracy';
    if ('mae' in first) return 'mae';
  }
  return task === 'regression' ? 'mae' : 'accuracy';
}

/** [epoch, value] points of one metric; epochs without it are skipped. */
export function epochPoints(epochs: readonly EpochRecord[], key: string): [number, number][] {
  const points: [number, number][] = [];
  for (const e of epochs) {
    const v = e.metrics[key];
    if (typeof v === 'number' && Number.isFinite(v)) points.push([e.epoch, v]);
  }
  return points;
}

const TRAIN_COLOUR = '#4c6ef5';
const VAL_COLOUR = '#f76707';
const BATCH_COLOUR = 'rgba(116, 143, 252, 0.55)';

/** The tooltip of a chart by epoch: every curve at the hovered epoch, to four significant digits. */
export function epochTooltip(): TooltipComponentOption {
  return {
    trigger: 'axis',
    valueFormatter: (v) => (typeof v === 'number' ? v.toPrecision(4) : String(v)),
  };
}

/** The x axis of a chart by epoch, in whole epochs from `min` to `max`. */
export function epochAxis(min: number, max: number): XAXisComponentOption {
  return { type: 'value', name: 'Epoch', nameLocation: 'middle', nameGap: 28, min, max, minInterval: 1 };
}

function baseOption(plannedEpochs: number, fromZero: boolean): EChartsOption {
  return {
    animation: false,
    backgroundColor: 'transparent',
    grid: { left: 52, right: 20, top: 36, bottom: 44 },
    legend: { top: 4, itemWidth: 18, textStyle: { fontSize: 12 } },
    tooltip: epochTooltip(),
    xAxis: epochAxis(fromZero ? 0 : 1, Math.max(1, plannedEpochs)),
    // The chart's heading names the axis (an axis name would collide with the legend).
    yAxis: { type: 'value', scale: true, splitLine: { show: true } },
  };
}

/** One per-epoch curve: dots while there are few points, in the split's colour. */
function epochSeries(
  id: string,
  name: string,
  points: [number, number][],
  colour: string,
  z?: number,
): LineSeriesOption {
  return {
    id,
    name,
    type: 'line',
    data: points,
    showSymbol: points.length <= 20,
    symbolSize: 5,
    lineStyle: { width: 2, color: colour },
    itemStyle: { color: colour },
    ...(z === undefined ? {} : { z }),
  };
}

/** Train and validation loss by epoch, with the running batch loss of the epochs under way. */
export function lossChartOption(input: {
  epochs: readonly EpochRecord[];
  batchLoss: readonly [number, number][];
  plannedEpochs: number;
}): EChartsOption {
  const train = epochPoints(input.epochs, 'loss');
  const val = epochPoints(input.epochs, 'val_loss');
  return {
    ...baseOption(input.plannedEpochs, input.batchLoss.length > 0),
    series: [
      {
        id: 'batch-loss',
        name: 'Batch loss',
        type: 'line',
        data: input.batchLoss.map((p) => [p[0], p[1]]),
        showSymbol: false,
        lineStyle: { width: 1.25, color: BATCH_COLOUR },
        itemStyle: { color: BATCH_COLOUR },
        z: 1,
      },
      epochSeries('train-loss', 'Training loss', train, TRAIN_COLOUR, 3),
      epochSeries('val-loss', 'Validation loss', val, VAL_COLOUR, 3),
    ],
  };
}

/** The task's metric (accuracy or MAE) on the training and validation splits by epoch. */
export function metricChartOption(input: {
  epochs: readonly EpochRecord[];
  metric: CurveMetric;
  plannedEpochs: number;
  /** Start the epoch axis at 0, level with a loss chart that shows batch loss. */
  fromZero?: boolean;
}): EChartsOption {
  const train = epochPoints(input.epochs, input.metric);
  const val = epochPoints(input.epochs, `val_${input.metric}`);
  const base = baseOption(input.plannedEpochs, input.fromZero ?? false);
  return {
    ...base,
    yAxis: input.metric === 'accuracy' ? { type: 'value', scale: true, max: 1 } : base.yAxis,
    series: [
      epochSeries('train-metric', `Training ${metricShort[input.metric]}`, train, TRAIN_COLOUR),
      epochSeries('val-metric', `Validation ${metricShort[input.metric]}`, val, VAL_COLOUR),
    ],
  };
}
