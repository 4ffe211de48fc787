import { ActionIcon, Badge, Checkbox, Group, Table, Text, Tooltip } from '@mantine/core';
import { BarChart3, RotateCcw, Trash2 } from 'lucide-react';
import type { RunSummary } from '../../../../shared/api/records';
import { formatDuration } from '../training/progress';
import { settingsSummary } from '../training/trainingForm';
import { headlineText, runSeconds, runStatusColours, runStatusLabels } from './compareModel';

interface Props {
  runs: readonly RunSummary[];
  selected: ReadonlySet<number>;
  now: number;
  onSelect(runId: number, on: boolean): void;
  onSelectAll(on: boolean): void;
  onResults(run: RunSummary): void;
  onRerun(run: RunSummary): void;
  onDelete(run: RunSummary): void;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function started(run: RunSummary): string {
  const at = run.startedAt ?? run.createdAt;
  const t = Date.parse(at);
  return Number.isFinite(t) ? dateFormat.format(t) : at;
}

/** The project's run history with selection boxes and per-run actions. */
export function RunsTable({
  runs,
  selected,
  now,
  onSelect,
  onSelectAll,
  onResults,
  onRerun,
  onDelete,
}: Props) {
  const all = runs.length > 0 && runs.every((r) => selected.has(r.id));
  const some = runs.some((r) => selected.has(r.id));
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table highlightOnHover verticalSpacing={8} fz="sm" aria-label="Run history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>
              <Checkbox
                aria-label="Select every run"
                checked={all}
                indeterminate={some && !all}
                onChange={(e) => onSelectAll(e.currentTarget.checked)}
              />
            </Table.Th>
            <Table.Th>Run</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th ta="right">Duration</Table.Th>
            <Table.Th>Settings</Table.Th>
            <Table.Th>Result</Table.Th>
            <Table.Th>Backend</Table.Th>
            <Table.Th ta="right">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => {
            const live = run.status === 'running' || run.status === 'queued';
            const canOpen = run.status === 'completed' || run.status === 'stopped';
            return (
              <Table.Tr
                key={run.id}
                data-run-id={run.id}
                bg={selected.has(run.id) ? 'var(--mantine-primary-color-light)' : undefined}
              >
                <Table.Td>
                  <Checkbox
                    aria-label={`Select run #${run.id}`}
                    checked={selected.has(run.id)}
                    onChange={(e) => onSelect(run.id, e.currentTarget.checked)}
                  />
                </Table.Td>
                <Table.Td fw={600}>#{run.id}</Table.Td>
                <Table.Td>
                  <Badge color={runStatusColours[run.status]} variant="light">
                    {runStatusLabels[run.status]}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{started(run)}</Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {formatDuration(runSeconds(run, now))}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{settingsSummary(run.settings)}</Text>
                  <Text size="xs" c="dimmed">
                    {run.epochsDone} of {run.settings.epochs} epochs done · seed {run.seed}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{headlineText(run.headline)}</Table.Td>
                <Table.Td>{run.backend ?? '–'}</Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Tooltip label="Open results">
                      <ActionIcon
                        variant="subtle"
                        aria-label={`Open results of run #${run.id}`}
                        disabled={!canOpen}
                        onClick={() => onResults(run)}
                      >
                        <BarChart3 size={16} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Re-run with these settings">
                      <ActionIcon
                        variant="subtle"
                        aria-label={`Re-run with the settings of run #${run.id}`}
                        onClick={() => onRerun(run)}
                      >
                        <RotateCcw size={16} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={live ? 'Stop the run before deleting it' : 'Delete run'}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Delete run #${run.id}`}
                        disabled={live}
                        onClick={() => onDelete(run)}
                      >
                        <Trash2 size={16} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
