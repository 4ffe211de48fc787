import { outputLoss, type LossKind } from '../../../shared/blocks';
import type { ProjectDocument } from '../../../shared/graph';
import { ExportError } from './errors';
import type { NetworkPlan } from './networkPlan';
import type { PreprocessingFile } from './preprocessing';

/** A Python literal for JSON-like data (JSON strings are valid Python strings). */
export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pyLiteral(v)}`)
    .join(', ')}}`;
}

/** What a script is written from: the project, its network, and (from a run) what the weights were trained with. */
export interface ScriptSource {
  document: ProjectDocument;
  plan: NetworkPlan;
  /** The dataset's file name, the default of --data. */
  dataName: string;
  /** The loss and how the network's outputs read. */
  loss: LossKind;
  outputActivation: 'sigmoid' | 'softmax' | 'linear';
  /** From a run: the preprocessing its weights were trained with. */
  preprocessing?: PreprocessingFile;
  /** From a run (or a Pretrained block): the weights file written beside the script. */
  weightsFile?: string;
  /** The weights file holds only Pretrained blocks' weights: always loaded, as the app always loads them. */
  pretrainedWeightsOnly?: boolean;
  /** Dotted module paths (PyTorch) or layer names (Keras) kept fixed. */
  frozen: string[];
}

/** The dataset's name as a default path for --data. */
export function dataFileName(document: ProjectDocument, storedName?: string): string {
  const source = document.data?.source;
  if (!source)
    throw new ExportError(
      `"${document.name}" has no dataset: choose one in the Data view before exporting code.`,
    );
  switch (source.kind) {
    case 'builtin':
      return source.name;
    case 'file':
      return source.path;
    case 'stored':
      return storedName ?? `dataset-${source.id}`;
  }
}

/** The settings block at the top of a script: every choice of the project, as named constants. */
export function settingsBlock(s: ScriptSource): string {
  const doc = s.document;
  const data = doc.data!;
  const t = doc.training;
  const pre = s.preprocessing;
  const images = data.format === 'images';
  const task = doc.graph.nodes.find((n) => n.kind === 'output')?.params.task ?? 'regression';
  const lines: string[] = [
    '# ---- The project, as set in Neural Workbench ----',
    `DATA_FILE = ${pyLiteral(s.dataName)}  # pass --data PATH to read it from elsewhere`,
    `DATA_FORMAT = ${pyLiteral(images ? 'images' : 'table')}`,
    `TASK = ${pyLiteral(task)}  # regression, binary or multiclass`,
    `INPUT_SHAPE = ${pyLiteral(s.plan.inputShape)}  # ${images ? 'height, width, channels' : 'features'}`,
    `TEST_FRACTION = ${pyLiteral(data.testFraction)}`,
    `SPLIT_SEED = ${pyLiteral(data.splitSeed)}`,
  ];
  if (images) {
    const [h, w, c] = s.plan.inputShape as [number, number, number];
    const norm = pre?.kind === 'image' ? { mean: pre.mean, std: pre.std } : null;
    lines.push(
      `IMAGE_SIZE = ${data.imageSize ? `(${h}, ${w})` : 'None'}  # (height, width) every image is resized to, or None`,
      `CHANNELS = ${c}`,
      `PIXEL_CSV = ${pyLiteral(data.pixelCsv ?? null)}`,
      `NORMALIZATION = ${pyLiteral(data.normalization)}  # unit: x/255; half: (x/255 - 0.5) / 0.5; dataset: per-channel mean and std`,
      `# The per-channel mean and std the exported weights were trained with (None: from this data).`,
      `TRAINED_NORMALIZATION = ${pyLiteral(norm)}`,
      `HORIZONTAL_FLIP = ${pyLiteral(data.augmentation.horizontalFlip)}`,
      `CROP_PADDING = ${pyLiteral(data.augmentation.cropPadding)}  # random crop after zero padding of this many pixels; 0 = off`,
      `LIMIT_TRAIN = ${pyLiteral(data.limitTrain ?? null)}`,
      `LIMIT_TEST = ${pyLiteral(data.limitTest ?? null)}`,
    );
  } else {
    if (!data.target)
      throw new ExportError(
        `"${doc.name}" has no target column: choose one in the Data view before exporting code.`,
      );
    const features = pre?.kind === 'tabular' ? pre.featureNames : (data.features ?? null);
    const scaler = pre?.kind === 'tabular' ? pre.standardization : null;
    lines.push(
      `TARGET = ${pyLiteral(data.target)}`,
      `FEATURES = ${pyLiteral(features)}  # None: every column but the target and the ignored ones`,
      `IGNORED = ${pyLiteral(data.ignored)}`,
      `STANDARDIZE = ${pyLiteral(data.standardize)}  # z-score the features, fitted on the training rows`,
      `# The standardisation the exported weights were trained with (None: fit on this data's training rows).`,
      `TRAINED_SCALER = ${pyLiteral(scaler)}`,
    );
  }
  lines.push(
    `CLASS_NAMES = ${pyLiteral(pre?.classNames ?? null)}  # None: read from the data`,
    '',
    `LOSS = ${pyLiteral(s.loss)}`,
    `OUTPUT_ACTIVATION = ${pyLiteral(s.outputActivation)}  # linear: the network gives raw scores (logits)`,
    `OPTIMIZER = ${pyLiteral(t.optimizer)}`,
    `LEARNING_RATE = ${pyLiteral(t.learningRate)}`,
    `MOMENTUM = ${pyLiteral(t.momentum)}  # for OPTIMIZER = 'momentum'`,
    `BATCH_SIZE = ${pyLiteral(t.batchSize)}  # in all: each of N data-parallel processes takes BATCH_SIZE // N`,
    `EPOCHS = ${pyLiteral(t.epochs)}`,
    `SHUFFLE = ${pyLiteral(t.shuffle)}`,
    `SEED = ${pyLiteral(t.seed)}`,
    `WEIGHT_DECAY = ${pyLiteral(t.weightDecay)}  # L2, as PyTorch's weight_decay`,
    `LR_STEP = ${t.lrSchedule.kind === 'step' ? `(${t.lrSchedule.every}, ${t.lrSchedule.gamma})` : 'None'}  # (every, gamma): StepLR`,
    `EARLY_STOPPING = ${pyLiteral(t.earlyStopping ? { monitor: t.earlyStopping.monitor, patience: t.earlyStopping.patience, min_delta: t.earlyStopping.minDelta } : null)}`,
    `RESTORE_BEST = ${pyLiteral(t.restoreBest)}  # keep the weights of the best epoch`,
    `FROZEN = ${pyLiteral(s.frozen)}  # blocks whose weights stay fixed (transfer learning)`,
    s.pretrainedWeightsOnly
      ? `WEIGHTS_FILE = ${pyLiteral(s.weightsFile ?? null)}  # the pretrained model's weights, beside this script: always loaded`
      : `WEIGHTS_FILE = ${pyLiteral(s.weightsFile ?? null)}  # the app's trained weights: loaded with --weights`,
    `LOAD_WEIGHTS_FILE = ${pyLiteral(s.pretrainedWeightsOnly === true)}`,
  );
  return lines.join('\n');
}

/** The loss of a document's Output block. */
export function documentLoss(document: ProjectDocument): LossKind {
  const p = document.graph.nodes.find((n) => n.kind === 'output')?.params ?? {};
  const task = p.task === 'binary' || p.task === 'multiclass' ? p.task : 'regression';
  return outputLoss({ task, loss: p.loss as LossKind | undefined });
}
