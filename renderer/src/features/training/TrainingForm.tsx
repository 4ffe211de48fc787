import { Divider, NativeSelect, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { BackendChoice } from '../../../../shared/api/trainer';
import { backendChoiceSchema } from '../../../../shared/api/trainer';
import { optimizerKinds, type TrainingSettings } from '../../../../shared/graph/document';
import { SettingNumber } from './SettingNumber';
import {
  backendLabels,
  limits,
  monitorLabels,
  optimizerLabels,
  type LimitKey,
  type MonitorKind,
  type SettingsEdit,
} from './trainingForm';

interface Props {
  settings: TrainingSettings;
  backend: BackendChoice;
  /** While a run trains, its settings are fixed. */
  disabled: boolean;
  /** Applies an edit; a message when the value is refused. */
  onEdit(edit: SettingsEdit, label: string): string | null;
  onBackend(backend: BackendChoice): void;
}

/** The edits that set a number field; the document's minimum improvement has no field here. */
type NumberKind = Exclude<Extract<SettingsEdit, { value: number }>['kind'], 'minDelta'>;

interface NumberFieldSpec {
  label: string;
  limit: LimitKey;
  /** The undo entry's name. */
  undo: string;
  /** Whole numbers, one step at a time. */
  whole?: boolean;
  step?: number;
}

const numberFields: Record<NumberKind, NumberFieldSpec> = {
  learningRate: { label: 'Learning rate', limit: 'learningRate', undo: 'Change learning rate' },
  momentum: { label: 'Momentum', limit: 'momentum', undo: 'Change momentum', step: 0.05 },
  weightDecay: { label: 'L2 weight decay', limit: 'weightDecay', undo: 'Change weight decay' },
  batchSize: { label: 'Batch size', limit: 'batchSize', undo: 'Change batch size', whole: true },
  epochs: { label: 'Epochs', limit: 'epochs', undo: 'Change epochs', whole: true },
  seed: { label: 'Seed', limit: 'seed', undo: 'Change seed', whole: true },
  scheduleEvery: { label: 'Every N epochs', limit: 'every', undo: 'Change schedule interval', whole: true },
  scheduleGamma: { label: 'Factor γ', limit: 'gamma', undo: 'Change schedule factor' },
  patience: { label: 'Patience (epochs)', limit: 'patience', undo: 'Change patience', whole: true },
};

type Shared = Pick<Props, 'disabled' | 'onEdit'>;

function NumberField({ kind, value, disabled, onEdit }: Shared & { kind: NumberKind; value: number }) {
  const { label, limit, undo, whole, step } = numberFields[kind];
  return (
    <SettingNumber
      label={label}
      value={value}
      min={limits[limit].min}
      max={limits[limit].max}
      integer={whole}
      step={whole ? 1 : step}
      disabled={disabled}
      onCommit={(v) => onEdit({ kind, value: v } as SettingsEdit, undo)}
    />
  );
}

interface ToggleSpec {
  label: string;
  description?: string;
  checked: boolean;
  mt?: number;
  edit(on: boolean): SettingsEdit;
  /** The undo entry's name when it turns on, and when it turns off. */
  undo: readonly [string, string];
}

function ToggleField({ label, description, checked, mt, edit, undo, disabled, onEdit }: Shared & ToggleSpec) {
  return (
    <Switch
      mt={mt}
      label={label}
      description={description}
      checked={checked}
      disabled={disabled}
      onChange={(e) => {
        const on = e.currentTarget.checked;
        onEdit(edit(on), on ? undo[0] : undo[1]);
      }}
    />
  );
}

function ChoiceField<T extends string>(props: {
  label: string;
  value: T;
  options: readonly T[];
  labels: Record<T, string>;
  disabled: boolean;
  onPick(value: T): void;
}) {
  return (
    <NativeSelect
      label={props.label}
      value={props.value}
      disabled={props.disabled}
      data={props.options.map((k) => ({ value: k, label: props.labels[k] }))}
      // The options are exactly `options`, so the value is one of them.
      onChange={(e) => props.onPick(e.currentTarget.value as T)}
    />
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="sm" component="fieldset" style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Title
        order={3}
        size="h6"
        c="dimmed"
        tt="uppercase"
        component="legend"
        mb={4}
        style={{ letterSpacing: 0.4 }}
      >
        {title}
      </Title>
      {children}
    </Stack>
  );
}

const monitorKinds = Object.keys(monitorLabels) as MonitorKind[];

/** The run's settings (document.training) and the backend choice, as a form. */
export function TrainingForm({ settings: s, backend, disabled, onEdit, onBackend }: Props) {
  const number = (kind: NumberKind, value: number) => (
    <NumberField kind={kind} value={value} disabled={disabled} onEdit={onEdit} />
  );
  const toggle = (spec: ToggleSpec) => <ToggleField {...spec} disabled={disabled} onEdit={onEdit} />;
  const step = s.lrSchedule.kind === 'step' ? s.lrSchedule : null;
  const early = s.earlyStopping;

  return (
    <Stack gap="lg">
      <Group title="Optimizer">
        <ChoiceField
          label="Optimizer"
          value={s.optimizer}
          options={optimizerKinds}
          labels={optimizerLabels}
          disabled={disabled}
          onPick={(value) => onEdit({ kind: 'optimizer', value }, 'Change optimizer')}
        />
        <SimpleGrid cols={2} spacing="sm">
          {number('learningRate', s.learningRate)}
          {s.optimizer === 'momentum' ? number('momentum', s.momentum) : number('weightDecay', s.weightDecay)}
        </SimpleGrid>
        {s.optimizer === 'momentum' && number('weightDecay', s.weightDecay)}
      </Group>

      <Group title="Batches and epochs">
        <SimpleGrid cols={2} spacing="sm">
          {number('batchSize', s.batchSize)}
          {number('epochs', s.epochs)}
          {number('seed', s.seed)}
          {toggle({
            label: 'Shuffle batches',
            mt: 30,
            checked: s.shuffle,
            edit: (value) => ({ kind: 'shuffle', value }),
            undo: ['Shuffle batches', 'Stop shuffling'],
          })}
        </SimpleGrid>
      </Group>

      <Divider />

      <Group title="Learning-rate schedule">
        {toggle({
          label: 'Step schedule',
          description: 'Multiply the learning rate by γ every N epochs',
          checked: step !== null,
          edit: (on) => ({ kind: 'schedule', on }),
          undo: ['Add step schedule', 'Remove step schedule'],
        })}
        {step && (
          <SimpleGrid cols={2} spacing="sm">
            {number('scheduleEvery', step.every)}
            {number('scheduleGamma', step.gamma)}
          </SimpleGrid>
        )}
      </Group>

      <Group title="Early stopping">
        {toggle({
          label: 'Stop when it stops improving',
          checked: early !== null,
          edit: (on) => ({ kind: 'earlyStopping', on }),
          undo: ['Turn on early stopping', 'Turn off early stopping'],
        })}
        {early && (
          <SimpleGrid cols={2} spacing="sm">
            <ChoiceField
              label="Monitor"
              value={early.monitor}
              options={monitorKinds}
              labels={monitorLabels}
              disabled={disabled}
              onPick={(value) => onEdit({ kind: 'monitor', value }, 'Change early-stopping monitor')}
            />
            {number('patience', early.patience)}
          </SimpleGrid>
        )}
        {toggle({
          label: 'Restore best weights',
          description: `Keep the weights of the epoch with the best ${early ? monitorLabels[early.monitor].toLowerCase() : 'validation loss'}`,
          checked: s.restoreBest,
          edit: (value) => ({ kind: 'restoreBest', value }),
          undo: ['Restore best weights', 'Keep last weights'],
        })}
      </Group>

      <Divider />

      <Group title="Where it runs">
        <ChoiceField
          label="Backend"
          value={backend}
          options={backendChoiceSchema.options}
          labels={backendLabels}
          disabled={disabled}
          onPick={onBackend}
        />
        <Text size="xs" c="dimmed">
          Automatic picks native TensorFlow when it is installed, else WebAssembly, else plain JavaScript.
        </Text>
      </Group>
    </Stack>
  );
}
