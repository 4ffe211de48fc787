import { Group, Loader, Progress, Text, UnstyledButton } from '@mantine/core';
import { activeRunFor, useRunsStore } from '../features/training/useRunsStore';

/** A training run of this project in progress: epoch x/y, a thin bar, a click away from the Training tab. */
export function RunStatus({ projectId, onOpen }: { projectId: number; onOpen: () => void }) {
  const run = useRunsStore(activeRunFor(projectId));
  if (!run) return null;
  const epoch = Math.min(run.epoch, run.epochs);
  const done =
    run.epochs > 0
      ? (Math.max(0, epoch - 1) + (run.batches > 0 ? run.batch / run.batches : 0)) / run.epochs
      : 0;
  const what = epoch === 0 ? 'starting…' : `epoch ${epoch}/${run.epochs}`;
  return (
    <UnstyledButton
      onClick={onOpen}
      aria-label={
        epoch === 0
          ? 'Training is starting. Show training'
          : `Training: epoch ${epoch} of ${run.epochs}. Show training`
      }
    >
      <Group gap={8} wrap="nowrap">
        <Loader size={14} type="oval" />
        <div style={{ width: 112 }}>
          <Text size="xs" fw={500} lh={1.3}>
            Training · {what}
          </Text>
          <Progress value={Math.min(100, done * 100)} size={4} mt={3} aria-hidden />
        </div>
      </Group>
    </UnstyledButton>
  );
}
