// The Runs view's comparison: settings side by side with differences marked, and overlaid curves. Pure.
import type { EChartsOption } from 'echarts';
import type { EpochRecord, RunRecord, RunStatus, RunSummary } from '../../../../shared/api/records';
import { getBlock } from '../../../../shared/blocks';
import { analyzeGraph, type ProjectDocument } from '../../../../shared/graph';
import { epochAxis, epochPoints, epochTooltip } from '../training/chartOptions';
import { formatNumber, monitorLabels, optimizerLabels } from '../training/trainingForm';

/** One setting across the compared runs. */
export interface SettingRow {
  key: string;
  label: string;
  /** One value a run, in the runs' order. */
  values: string[];
  differs: boolean;
}

const onOff = (b: boolean) => (b ? 'on' : 'off');

/** The network as one line: "Dense 64 units → ReLU → Dense 1 unit → Sigmoid". */
export function networkSummary(doc: ProjectDocument): string {
  const byId = new Map(doc.graph.nodes.map((n) => [n.id, n]));
  const chain = analyzeGraph(doc.graph).chain;
  const order = chain.length > 0 ? chain : doc.graph.nodes.map((n) => n.id);
  const parts: string[] = [];
  for (const id of order) {
    const node = byId.get(id);
    if (!node || node.kind === 'input' || node.kind === 'output') continue;
    const block = getBlock(node.kind);
    if (!block) {
      parts.push(node.kind);
      continue;
    }
    const parsed = block.schema.safeParse(node.params);
    const summary = parsed.success ? block.summary(parsed.data) : '';
    parts.push(summary ? `${block.label} ${summary}` : block.label);
  }
  return parts.length > 0 ? parts.join(' → ') : 'no layers';
}

function datasetName(doc: ProjectDocument): string {
  const source = doc.data?.source;
  if (!source) return 'none';
  switch (source.kind) {
    case 'builtin':
      return source.name;
    case 'stored':
      return `stored dataset #${source.id}`;
    case 'file':
      return source.path.split(/[\\/]/).pop() ?? source.path;
  }
}

type Extract = (run: RunRecord) => string;

const rows: { key: string; label: string; value: Extract }[] = [
  { key: 'optimizer', label: 'Optimizer', value: (r) => optimizerLabels[r.document.training.optimizer] },
  {
    key: 'learningRate',
    label: 'Learning rate',
    value: (r) => formatNumber(r.document.training.learningRate),
  },
  {
    key: 'momentum',
    label: 'Momentum',
    value: (r) =>
      r.document.training.optimizer === 'momentum' ? formatNumber(r.document.training.momentum) : '–',
  },
  { key: 'batchSize', label: 'Batch size', value: (r) => String(r.document.training.batchSize) },
  { key: 'epochs', label: 'Epochs', value: (r) => String(r.document.training.epochs) },
  { key: 'shuffle', label: 'Shuffle', value: (r) => onOff(r.document.training.shuffle) },
  { key: 'seed', label: 'Seed', value: (r) => String(r.document.training.seed) },
  {
    key: 'weightDecay',
    label: 'L2 weight decay',
    value: (r) => formatNumber(r.document.training.weightDecay),
  },
  {
    key: 'lrSchedule',
    label: 'Learning-rate schedule',
    value: (r) => {
      const s = r.document.training.lrSchedule;
      return s.kind === 'step' ? `every ${s.every} epochs × ${formatNumber(s.gamma)}` : 'none';
    },
  },
  {
    key: 'earlyStopping',
    label: 'Early stopping',
    value: (r) => {
      const e = r.document.training.earlyStopping;
      return e ? `${monitorLabels[e.monitor]}, patience ${e.patience}` : 'off';
    },
  },
  { key: 'restoreBest', label: 'Restore best weights', value: (r) => onOff(r.document.training.restoreBest) },
  { key: 'backend', label: 'Backend', value: (r) => r.backend ?? '–' },
  { key: 'dataset', label: 'Dataset', value: (r) => datasetName(r.document) },
  { key: 'target', label: 'Target', value: (r) => r.document.data?.target ?? '–' },
  {
    key: 'testFraction',
    label: 'Test split',
    value: (r) => (r.document.data ? `${Math.round(r.document.data.testFraction * 100)} %` : '–'),
  },
  {
    key: 'standardize',
    label: 'Standardise',
    value: (r) => (r.document.data ? onOff(r.document.data.standardize) : '–'),
  },
  { key: 'network', label: 'Network', value: (r) => networkSummary(r.document) },
  {
    key: 'params',
    label: 'Parameters',
    value: (r) => (r.params === null ? '–' : r.params.toLocaleString('en-US')),
  },
];

/** Every compared setting as a row of values, a row marked when the runs disagree on it. */
export function settingsRows(runs: readonly RunRecord[]): SettingRow[] {
  return rows.map(({ key, label, value }) => {
    const values = runs.map(value);
    return { key, label, values, differs: new Set(values).size > 1 };
  });
}

/** A run's name in legends and column heads: "#12 Adam". */
export function runLabel(run: Pick<RunSummary, 'id' | 'settings'>): string {
  return `#${run.id} ${optimizerLabels[run.settings.optimizer]}`;
}

export const runStatusLabels: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Training',
  completed: 'Completed',
  stopped: 'Stopped',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

export const runStatusColours: Record<RunStatus, string> = {
  queued: 'gray',
  running: 'blue',
  completed: 'teal',
  stopped: 'yellow',
  failed: 'red',
  interrupted: 'orange',
};

/** The headline metric as a short text: "accuracy 99.69 %", "R² 0.7812", "val loss 0.0123". */
export function headlineText(headline: RunSummary['headline']): string {
  if (!headline) return '–';
  switch (headline.metric) {
    case 'accuracy':
      return `accuracy ${(headline.value * 100).toFixed(2)} %`;
    case 'r2':
      return `R² ${headline.value.toFixed(4)}`;
    case 'val_loss':
      return `val loss ${headline.value.toPrecision(4)}`;
    case 'loss':
      return `loss ${headline.value.toPrecision(4)}`;
  }
}

/** Seconds between start and end (or now, while it runs); null before it started. */
export function runSeconds(run: Pick<RunSummary, 'startedAt' | 'endedAt'>, now: number): number | null {
  if (!run.startedAt) return null;
  const start = Date.parse(run.startedAt);
  const end = run.endedAt ? Date.parse(run.endedAt) : now;
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, (end - start) / 1000) : null;
}

const PALETTE = ['#4c6ef5', '#f76707', '#12b886', '#e64980', '#7950f2', '#fab005', '#15aabf', '#82c91e'];

/** Training loss (solid) and validation loss (dashed) of several runs on one chart, one colour a run. */
export function overlayOption(
  runs: readonly { run: Pick<RunSummary, 'id' | 'settings'>; epochs: readonly EpochRecord[] }[],
): EChartsOption {
  const maxEpoch = Math.max(1, ...runs.flatMap((r) => r.epochs.map((e) => e.epoch)));
  const series: NonNullable<EChartsOption['series']> = [];
  runs.forEach(({ run, epochs }, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    const label = runLabel(run);
    const train = epochPoints(epochs, 'loss');
    const val = epochPoints(epochs, 'val_loss');
    series.push(
      {
        id: `run-${run.id}-loss`,
        name: label,
        type: 'line',
        data: train,
        showSymbol: train.length <= 40,
        lineStyle: { width: 2, color: colour },
        itemStyle: { color: colour },
      },
      {
        id: `run-${run.id}-val`,
        name: label,
        type: 'line',
        data: val,
        showSymbol: false,
        lineStyle: { width: 1.5, type: 'dashed', color: colour },
        itemStyle: { color: colour },
      },
    );
  });
  return {
    animation: false,
    backgroundColor: 'transparent',
    grid: { left: 56, right: 20, top: 44, bottom: 44 },
    legend: { top: 4, type: 'scroll' },
    tooltip: epochTooltip(),
    xAxis: epochAxis(1, maxEpoch),
    yAxis: {
      type: 'value',
      name: 'Loss (solid: training, dashed: validation)',
      nameTextStyle: { align: 'left' },
      scale: true,
    },
    series,
  };
}
