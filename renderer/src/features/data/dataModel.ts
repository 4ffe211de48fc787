// Pure logic of the Data view: which columns can be features, what the target implies for the Output
// block, and how a choice in the view becomes the document's `data` and blocks.
import type { ColumnSummary, Task } from '../../../../shared/data/types';
import type { DataSpec, DatasetSource, ProjectDocument } from '../../../../shared/graph/document';

/** A numeric target with more distinct values than this is a number to predict, not a class. */
export const MAX_NUMERIC_CLASSES = 20;
export const MIN_TEST_PERCENT = 5;
export const MAX_TEST_PERCENT = 50;

/** What the target column means for the network. */
export interface TargetFacts {
  task: Task;
  /** Classes of a classification target; null for regression. */
  classCount: number | null;
}

/** Regression for a numeric column with many values, binary for two classes, else multi-class. */
export function targetFacts(column: ColumnSummary): TargetFacts {
  if (column.type === 'number' && column.distinct > MAX_NUMERIC_CLASSES) {
    return { task: 'regression', classCount: null };
  }
  const classes = column.distinct;
  return { task: classes === 2 ? 'binary' : 'multiclass', classCount: classes };
}

/** Why a column cannot be a feature (shown next to its checkbox), or null when it can. */
export function featureBlocker(column: ColumnSummary): string | null {
  switch (column.type) {
    case 'number':
      return column.missing > 0
        ? `${column.missing} empty ${column.missing === 1 ? 'cell' : 'cells'}: fill them in the file to use this column`
        : null;
    case 'category':
      return 'text values: only numeric columns can be features';
    case 'empty':
      return 'the column is empty';
  }
}

/** The feature columns the spec selects, in table order. */
export function selectedFeatures(spec: Pick<DataSpec, 'target' | 'features' | 'ignored'>, columns: readonly ColumnSummary[]): string[] {
  const ignored = new Set(spec.ignored);
  if (spec.features) {
    const chosen = new Set(spec.features);
    return columns.map((c) => c.name).filter((n) => chosen.has(n) && !ignored.has(n) && n !== spec.target);
  }
  return columns.map((c) => c.name).filter((n) => n !== spec.target && !ignored.has(n));
}

/** A guess at the column to predict: one named like a label, else the last column. */
export function guessTarget(columns: readonly ColumnSummary[]): string | undefined {
  const named = columns.find((c) => /^(target|label|labels|class|y|type|species|outcome)$/i.test(c.name.trim()));
  return (named ?? columns[columns.length - 1])?.name;
}

/** Every column but the target that cannot be used as a feature (they go to `ignored`). */
function unusable(columns: readonly ColumnSummary[], target: string | undefined): string[] {
  return columns.filter((c) => c.name !== target && featureBlocker(c) !== null).map((c) => c.name);
}

/** A fresh spec for a newly chosen table: a guessed target, every usable column as a feature. */
export function specForNewTable(
  source: DatasetSource,
  columns: readonly ColumnSummary[],
  previous: DataSpec | null,
): DataSpec {
  const target = guessTarget(columns);
  return {
    source,
    format: 'table',
    ...(target !== undefined ? { target } : {}),
    ignored: unusable(columns, target),
    testFraction: previous?.testFraction ?? 0.2,
    splitSeed: previous?.splitSeed ?? 42,
    standardize: previous?.standardize ?? true,
    normalization: previous?.normalization ?? 'half',
    augmentation: previous?.augmentation ?? { horizontalFlip: false, cropPadding: 0 },
  };
}

/** A fresh spec for a stored image dataset (its own train and test sets, the lesson's normalisation). */
export function specForImages(source: DatasetSource, previous: DataSpec | null): DataSpec {
  return { ...specForNewTable(source, [], previous), format: 'images', ignored: [] };
}

/** The spec with another target: the old target becomes a feature again when it can be one. */
export function withTarget(spec: DataSpec, columns: readonly ColumnSummary[], target: string): DataSpec {
  const ignored = [...new Set([...spec.ignored.filter((n) => n !== target), ...unusable(columns, target)])];
  const features = spec.features?.filter((n) => n !== target);
  const { features: _old, ...rest } = spec;
  return { ...rest, target, ignored, ...(features ? { features } : {}) };
}

/** The spec with one feature column switched on or off. */
export function withFeature(spec: DataSpec, columns: readonly ColumnSummary[], name: string, on: boolean): DataSpec {
  if (spec.features) {
    const set = new Set(spec.features);
    if (on) set.add(name);
    else set.delete(name);
    const features = columns.map((c) => c.name).filter((n) => set.has(n));
    return { ...spec, features, ignored: spec.ignored.filter((n) => n !== name || !on) };
  }
  const ignored = on ? spec.ignored.filter((n) => n !== name) : [...new Set([...spec.ignored, name])];
  return { ...spec, ignored };
}

/** Test share as a whole percent within the slider's range. */
export function clampTestPercent(percent: number): number {
  if (!Number.isFinite(percent)) return 20;
  return Math.min(MAX_TEST_PERCENT, Math.max(MIN_TEST_PERCENT, Math.round(percent)));
}

/** What the network's Input and Output should say for the chosen data. */
export interface BlockTargets {
  inputShape: number[];
  task: Task | null;
}

/**
 * The document with its Input block set to the data's shape and its Output block to the target's task,
 * changing only what differs (so a matching preset stays untouched and no undo step is wasted).
 */
export function syncBlocks(doc: ProjectDocument, targets: BlockTargets): ProjectDocument {
  let changed = false;
  const nodes = doc.graph.nodes.map((node) => {
    if (node.kind === 'input') {
      const wanted: Record<string, unknown> =
        targets.inputShape.length === 1
          ? { dataKind: 'tabular', features: targets.inputShape[0] }
          : {
              dataKind: 'image',
              height: targets.inputShape[0],
              width: targets.inputShape[1],
              channels: targets.inputShape[2],
            };
      const current: Record<string, unknown> = { dataKind: 'tabular', ...node.params };
      if (Object.entries(wanted).every(([k, v]) => current[k] === v)) return node;
      changed = true;
      return { ...node, params: { ...node.params, ...wanted } };
    }
    if (node.kind === 'output' && targets.task !== null) {
      const task = (node.params.task as Task | undefined) ?? 'regression';
      if (task === targets.task) return node;
      changed = true;
      // The loss belongs to the task: drop it so the new task's default applies.
      const { loss: _loss, ...params } = node.params;
      return { ...node, params: { ...params, task: targets.task } };
    }
    return node;
  });
  return changed ? { ...doc, graph: { ...doc.graph, nodes } } : doc;
}

/** Whether two specs are the same choice (so the view can skip a no-op document change). */
export function sameSpec(a: DataSpec | null, b: DataSpec | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The source's identity as a Select value: `builtin:<name>` or `stored:<id>`. */
export function sourceKey(source: DatasetSource | null | undefined): string | null {
  if (!source) return null;
  switch (source.kind) {
    case 'builtin':
      return `builtin:${source.name}`;
    case 'stored':
      return `stored:${source.id}`;
    case 'file':
      return `file:${source.path}`;
  }
}

/** The inverse of sourceKey. */
export function sourceFromKey(key: string): DatasetSource | null {
  const at = key.indexOf(':');
  if (at < 0) return null;
  const kind = key.slice(0, at);
  const rest = key.slice(at + 1);
  if (!rest) return null;
  switch (kind) {
    case 'builtin':
      return { kind: 'builtin', name: rest };
    case 'stored':
      return { kind: 'stored', id: rest };
    case 'file':
      return { kind: 'file', path: rest };
    default:
      return null;
  }
}

/** A number for a statistics cell: short, without float noise. */
export function formatStat(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

/** What a table with this spec gives the network: its input shape, task and classes; null without a target. */
export function tableTargets(
  spec: Pick<DataSpec, 'target' | 'features' | 'ignored'>,
  columns: readonly ColumnSummary[],
): { inputShape: [number]; task: Task; classCount: number | null } | null {
  const target = columns.find((c) => c.name === spec.target);
  if (!target) return null;
  const facts = targetFacts(target);
  return { inputShape: [selectedFeatures(spec, columns).length], task: facts.task, classCount: facts.classCount };
}

/**
 * What an image spec gives the network, as far as the renderer can tell without importing the images:
 * the shape from the resize or the pixel-CSV layout, the classes from a pixel CSV's label column.
 * Null when the shape is only known once the trainer reads the files (an archive or a folder).
 */
export function imageTargets(
  spec: Pick<DataSpec, 'imageSize' | 'channels' | 'pixelCsv'>,
  columns: readonly ColumnSummary[] | null,
): { inputShape: [number, number, number]; classCount: number | null } | null {
  const channels = spec.channels ?? spec.pixelCsv?.channels;
  const size = spec.imageSize ?? spec.pixelCsv;
  if (!size || channels === undefined) return null;
  const label = spec.pixelCsv && columns?.find((c) => c.name === spec.pixelCsv!.labelColumn);
  return { inputShape: [size.height, size.width, channels], classCount: label ? label.distinct : null };
}
