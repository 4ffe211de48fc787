import { Alert, Badge, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { BarChart3 } from 'lucide-react';
import { headlineText, runStatusColours, runStatusLabels } from '../runs/compareModel';
import type { RunSummary } from '../../../../shared/api/records';
import { formatDuration, formatSecondsLeft, fractionDone, progressText, secondsLeft } from './progress';
import type { RunTrace } from './runsState';

interface Props {
  trace: RunTrace;
  /** The run as listed, once it is over (for its headline and duration). */
  summary: RunSummary | undefined;
  onResults(): void;
}

/** A running run's progress bar with epoch, batch and time left; an ended run's outcome. */
export function RunProgressPanel({ trace, summary, onResults }: Props) {
  const counts = {
    epochsDone: trace.epochsDone,
    epochs: trace.progress.epochs,
    epoch: trace.progress.epoch,
    batch: trace.progress.batch,
    batches: trace.progress.batches,
  };
  if (trace.status === 'running' || trace.status === 'queued') {
    const fraction = fractionDone(counts);
    const left = secondsLeft(
      counts,
      trace.epochs.map((e) => e.seconds ?? NaN),
      trace.first,
      trace.last,
    );
    return (
      <Stack gap={6} aria-live="polite">
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={500} data-testid="run-progress-text">
            Run #{trace.runId} · {progressText(counts)}
          </Text>
          <Text size="sm" c="dimmed">
            {counts.batches > 0 ? formatSecondsLeft(left) : ''}
          </Text>
        </Group>
        <Progress
          value={Math.round(fraction * 1000) / 10}
          aria-label="Training progress"
          size="lg"
          radius="xl"
          animated={counts.batches === 0}
          striped={counts.batches === 0}
          transitionDuration={200}
        />
        {trace.backend && (
          <Text size="xs" c="dimmed">
            Training on {trace.backend}
          </Text>
        )}
      </Stack>
    );
  }

  const seconds =
    summary?.startedAt && summary.endedAt
      ? (Date.parse(summary.endedAt) - Date.parse(summary.startedAt)) / 1000
      : null;
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Badge color={runStatusColours[trace.status]} variant="light">
            {runStatusLabels[trace.status]}
          </Badge>
          <Text size="sm" data-testid="run-progress-text">
            Run #{trace.runId}: {trace.epochsDone} of {trace.progress.epochs} epochs
            {seconds !== null ? ` in ${formatDuration(seconds)}` : ''}
            {summary?.headline ? ` · ${headlineText(summary.headline)}` : ''}
          </Text>
        </Group>
        {(trace.status === 'completed' || trace.status === 'stopped') && (
          <Button
            variant="light"
            size="xs"
            leftSection={<BarChart3 size={14} aria-hidden />}
            onClick={onResults}
          >
            See results
          </Button>
        )}
      </Group>
      {trace.error && (
        <Alert color="red" title="Training did not finish" role="alert">
          {trace.error}
        </Alert>
      )}
    </Stack>
  );
}
