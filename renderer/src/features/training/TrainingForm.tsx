import { Divider, NativeSelect, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { BackendChoice } from '../../../../shared/api/trainer';
import { backendChoiceSchema } from '../../../../shared/api/trainer';
import { optimizerKinds, type OptimizerKind, type TrainingSettings } from '../../../../shared/graph/document';
import { SettingNumber } from './SettingNumber';
import {
  backendLabels,
  limits,
  monitorLabels,
  optimizerLabels,
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
  const num = (kind: Extract<SettingsEdit, { value: number }>['kind'], label: string) => (value: number) =>
    onEdit({ kind, value } as SettingsEdit, label);
  const step = s.lrSchedule.kind === 'step' ? s.lrSchedule : null;
  const early = s.earlyStopping;

  return (
    <Stack gap="lg">
      <Group title="Optimizer">
        <NativeSelect
          label="Optimizer"
          value={s.optimizer}
          disabled={disabled}
          data={optimizerKinds.map((k) => ({ value: k, label: optimizerLabels[k] }))}
          onChange={(e) =>
            onEdit({ kind: 'optimizer', value: e.currentTarget.value as OptimizerKind }, 'Change optimizer')
          }
        />
        <SimpleGrid cols={2} spacing="sm">
          <SettingNumber
            label="Learning rate"
            value={s.learningRate}
            min={limits.learningRate.min}
            max={limits.learningRate.max}
            disabled={disabled}
            onCommit={num('learningRate', 'Change learning rate')}
          />
          {s.optimizer === 'momentum' ? (
            <SettingNumber
              label="Momentum"
              value={s.momentum}
              min={limits.momentum.min}
              max={limits.momentum.max}
              step={0.05}
              disabled={disabled}
              onCommit={num('momentum', 'Change momentum')}
            />
          ) : (
            <SettingNumber
              label="L2 weight decay"
              value={s.weightDecay}
              min={limits.weightDecay.min}
              max={limits.weightDecay.max}
              disabled={disabled}
              onCommit={num('weightDecay', 'Change weight decay')}
            />
          )}
        </SimpleGrid>
        {s.optimizer === 'momentum' && (
          <SettingNumber
            label="L2 weight decay"
            value={s.weightDecay}
            min={limits.weightDecay.min}
            max={limits.weightDecay.max}
            disabled={disabled}
            onCommit={num('weightDecay', 'Change weight decay')}
          />
        )}
      </Group>

      <Group title="Batches and epochs">
        <SimpleGrid cols={2} spacing="sm">
          <SettingNumber
            label="Batch size"
            value={s.batchSize}
            min={limits.batchSize.min}
            max={limits.batchSize.max}
            integer
            step={1}
            disabled={disabled}
            onCommit={num('batchSize', 'Change batch size')}
          />
          <SettingNumber
            label="Epochs"
            value={s.epochs}
            min={limits.epochs.min}
            max={limits.epochs.max}
            integer
            step={1}
            disabled={disabled}
            onCommit={num('epochs', 'Change epochs')}
          />
          <SettingNumber
            label="Seed"
            value={s.seed}
            min={limits.seed.min}
            max={limits.seed.max}
            integer
            step={1}
            disabled={disabled}
            onCommit={num('seed', 'Change seed')}
          />
          <Switch
            mt={30}
            label="Shuffle batches"
            checked={s.shuffle}
            disabled={disabled}
            onChange={(e) =>
              onEdit(
                { kind: 'shuffle', value: e.currentTarget.checked },
                e.currentTarget.checked ? 'Shuffle batches' : 'Stop shuffling',
              )
            }
          />
        </SimpleGrid>
      </Group>

      <Divider />

      <Group title="Learning-rate schedule">
        <Switch
          label="Step schedule"
          description="Multiply the learning rate by γ every N epochs"
          checked={step !== null}
          disabled={disabled}
          onChange={(e) =>
            onEdit(
              { kind: 'schedule', on: e.currentTarget.checked },
              e.currentTarget.checked ? 'Add step schedule' : 'Remove step schedule',
            )
          }
        />
        {step && (
          <SimpleGrid cols={2} spacing="sm">
            <SettingNumber
              label="Every N epochs"
              value={step.every}
              min={limits.every.min}
              max={limits.every.max}
              integer
              step={1}
              disabled={disabled}
              onCommit={num('scheduleEvery', 'Change schedule interval')}
            />
            <SettingNumber
              label="Factor γ"
              value={step.gamma}
              min={limits.gamma.min}
              max={limits.gamma.max}
              disabled={disabled}
              onCommit={num('scheduleGamma', 'Change schedule factor')}
            />
          </SimpleGrid>
        )}
      </Group>

      <Group title="Early stopping">
        <Switch
          label="Stop when it stops improving"
          checked={early !== null}
          disabled={disabled}
          onChange={(e) =>
            onEdit(
              { kind: 'earlyStopping', on: e.currentTarget.checked },
              e.currentTarget.checked ? 'Turn on early stopping' : 'Turn off early stopping',
            )
          }
        />
        {early && (
          <SimpleGrid cols={2} spacing="sm">
            <NativeSelect
              label="Monitor"
              value={early.monitor}
              disabled={disabled}
              data={monitorKinds.map((k) => ({ value: k, label: monitorLabels[k] }))}
              onChange={(e) =>
                onEdit(
                  { kind: 'monitor', value: e.currentTarget.value as MonitorKind },
                  'Change early-stopping monitor',
                )
              }
            />
            <SettingNumber
              label="Patience (epochs)"
              value={early.patience}
              min={limits.patience.min}
              max={limits.patience.max}
              integer
              step={1}
              disabled={disabled}
              onCommit={num('patience', 'Change patience')}
            />
          </SimpleGrid>
        )}
        <Switch
          label="Restore best weights"
          description={`Keep the weights of the epoch with the best ${early ? monitorLabels[early.monitor].toLowerCase() : 'validation loss'}`}
          checked={s.restoreBest}
          disabled={disabled}
          onChange={(e) =>
            onEdit(
              { kind: 'restoreBest', value: e.currentTarget.checked },
              e.currentTarget.checked ? 'Restore best weights' : 'Keep last weights',
            )
          }
        />
      </Group>

      <Divider />

      <Group title="Where it runs">
        <NativeSelect
          label="Backend"
          value={backend}
          disabled={disabled}
          data={backendChoiceSchema.options.map((b) => ({ value: b, label: backendLabels[b] }))}
          onChange={(e) => onBackend(e.currentTarget.value as BackendChoice)}
        />
        <Text size="xs" c="dimmed">
          Automatic picks native TensorFlow when it is installed, else WebAssembly, else plain JavaScript.
        </Text>
      </Group>
    </Stack>
  );
}
