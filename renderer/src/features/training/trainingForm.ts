// The Training view's form: limits, labels and the mapping between form edits and document.training.
import type { BackendChoice } from '../../../../shared/api/trainer';
import {
  trainingSettingsSchema,
  type OptimizerKind,
  type TrainingSettings,
} from '../../../../shared/graph/document';

export const optimizerLabels: Record<OptimizerKind, string> = {
  sgd: 'SGD',
  momentum: 'SGD with momentum',
  adam: 'Adam',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
};

export const backendLabels: Record<BackendChoice, string> = {
  auto: 'Automatic (fastest available)',
  wasm: 'WebAssembly',
  cpu: 'Plain JavaScript (CPU)',
  tensorflow: 'TensorFlow native',
};

export type MonitorKind = NonNullable<TrainingSettings['earlyStopping']>['monitor'];

export const monitorLabels: Record<MonitorKind, string> = {
  val_loss: 'Validation loss',
  val_accuracy: 'Validation accuracy',
  loss: 'Training loss',
};

/** Limits of the number fields (the schema's, with a practical floor on the learning rate). */
export const limits = {
  learningRate: { min: 1e-6, max: 10 },
  momentum: { min: 0, max: 0.999 },
  batchSize: { min: 1, max: 65536 },
  epochs: { min: 1, max: 100000 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  weightDecay: { min: 0, max: 1 },
  every: { min: 1, max: 100000 },
  gamma: { min: 0.001, max: 1 },
  patience: { min: 1, max: 10000 },
  minDelta: { min: 0, max: 1000 },
} as const;

export type LimitKey = keyof typeof limits;

/** The settings a new project starts with (the schema's defaults). */
export function defaultSettings(): TrainingSettings {
  return trainingSettingsSchema.parse({});
}

/** One edit the form can make. */
export type SettingsEdit =
  | { kind: 'optimizer'; value: OptimizerKind }
  | { kind: 'learningRate' | 'momentum' | 'batchSize' | 'epochs' | 'seed' | 'weightDecay'; value: number }
  | { kind: 'shuffle' | 'restoreBest'; value: boolean }
  | { kind: 'schedule'; on: boolean }
  | { kind: 'scheduleEvery' | 'scheduleGamma'; value: number }
  | { kind: 'earlyStopping'; on: boolean }
  | { kind: 'monitor'; value: MonitorKind }
  | { kind: 'patience' | 'minDelta'; value: number };

/** Defaults used when a switch turns a section on. */
const DEFAULT_STEP = { every: 10, gamma: 0.5 };
const DEFAULT_EARLY = { monitor: 'val_loss' as const, patience: 5, minDelta: 0 };

/** The settings after one edit, or a message for the field when the value is out of range. */
export function applyEdit(
  settings: TrainingSettings,
  edit: SettingsEdit,
): { ok: true; settings: TrainingSettings } | { ok: false; message: string } {
  const next = editSettings(settings, edit);
  const parsed = trainingSettingsSchema.safeParse(next);
  if (!parsed.success) return { ok: false, message: fieldMessage(edit) };
  return { ok: true, settings: parsed.data };
}

function editSettings(s: TrainingSettings, edit: SettingsEdit): TrainingSettings {
  switch (edit.kind) {
    case 'optimizer':
      return { ...s, optimizer: edit.value };
    case 'learningRate':
    case 'momentum':
    case 'batchSize':
    case 'epochs':
    case 'seed':
    case 'weightDecay':
      return { ...s, [edit.kind]: edit.value };
    case 'shuffle':
    case 'restoreBest':
      return { ...s, [edit.kind]: edit.value };
    case 'schedule':
      return { ...s, lrSchedule: edit.on ? { kind: 'step', ...DEFAULT_STEP } : { kind: 'none' } };
    case 'scheduleEvery':
    case 'scheduleGamma': {
      const step = s.lrSchedule.kind === 'step' ? s.lrSchedule : { kind: 'step' as const, ...DEFAULT_STEP };
      return {
        ...s,
        lrSchedule:
          edit.kind === 'scheduleEvery' ? { ...step, every: edit.value } : { ...step, gamma: edit.value },
      };
    }
    case 'earlyStopping':
      return { ...s, earlyStopping: edit.on ? { ...DEFAULT_EARLY } : null };
    case 'monitor':
    case 'patience':
    case 'minDelta': {
      const early = s.earlyStopping ?? { ...DEFAULT_EARLY };
      return { ...s, earlyStopping: { ...early, [edit.kind]: edit.value } };
    }
  }
}

const fieldLabels: Record<LimitKey, string> = {
  learningRate: 'The learning rate',
  momentum: 'Momentum',
  batchSize: 'The batch size',
  epochs: 'Epochs',
  seed: 'The seed',
  weightDecay: 'Weight decay',
  every: 'The step interval',
  gamma: 'The factor γ',
  patience: 'Patience',
  minDelta: 'The minimum improvement',
};

function limitKeyOf(edit: SettingsEdit): LimitKey | null {
  switch (edit.kind) {
    case 'learningRate':
    case 'momentum':
    case 'batchSize':
    case 'epochs':
    case 'seed':
    case 'weightDecay':
    case 'patience':
    case 'minDelta':
      return edit.kind;
    case 'scheduleEvery':
      return 'every';
    case 'scheduleGamma':
      return 'gamma';
    default:
      return null;
  }
}

const wholeNumbers = new Set<LimitKey>(['batchSize', 'epochs', 'seed', 'every', 'patience']);

function fieldMessage(edit: SettingsEdit): string {
  const key = limitKeyOf(edit);
  if (!key) return 'This setting cannot take that value.';
  const { min, max } = limits[key];
  const kind = wholeNumbers.has(key) ? 'a whole number' : 'a number';
  const upper = key === 'momentum' || key === 'learningRate' ? ` up to ${max}` : ` to ${max}`;
  const lower = key === 'learningRate' ? 'above 0' : `from ${min}`;
  return `${fieldLabels[key]} must be ${kind} ${lower}${upper}.`;
}

/** One line for lists: "Adam · lr 0.001 · batch 64 · 100 epochs". */
export function settingsSummary(s: {
  optimizer: OptimizerKind;
  learningRate: number;
  batchSize: number;
  epochs: number;
}): string {
  return `${optimizerLabels[s.optimizer]} · lr ${formatNumber(s.learningRate)} · batch ${s.batchSize} · ${s.epochs} ${s.epochs === 1 ? 'epoch' : 'epochs'}`;
}

/** A setting value for display: no float noise (0.1 + 0.2), small numbers in exponent form. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 1e-4) return Number(value.toPrecision(3)).toExponential();
  return Number(value.toPrecision(6)).toString();
}
