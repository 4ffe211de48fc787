import { Button, Group, Loader, Text, Tooltip } from '@mantine/core';
import { CircleAlert, Check, Dot } from 'lucide-react';
import { useProjectStore } from './useProjectStore';

/** Whether the project's changes are on disk; after a failed save, a button to try again. */
export function SaveStatus() {
  const state = useProjectStore((s) => s.saveState);
  const error = useProjectStore((s) => s.saveError);
  const flush = useProjectStore((s) => s.flushSave);
  switch (state) {
    case 'saved':
      return (
        <Group gap={4} c="dimmed" role="status" aria-label="All changes saved" wrap="nowrap">
          <Check size={14} />
          <Text size="xs">Saved</Text>
        </Group>
      );
    case 'saving':
      return (
        <Group gap={6} c="dimmed" role="status" aria-label="Saving" wrap="nowrap">
          <Loader size={12} />
          <Text size="xs">Saving…</Text>
        </Group>
      );
    case 'unsaved':
      return (
        <Group gap={0} c="dimmed" role="status" aria-label="Unsaved changes" wrap="nowrap">
          <Dot size={18} />
          <Text size="xs">Edited</Text>
        </Group>
      );
    case 'error':
      return (
        <Tooltip label={error ?? 'The last save failed.'} multiline w={280}>
          <Button
            size="compact-xs"
            color="red"
            variant="light"
            leftSection={<CircleAlert size={14} />}
            onClick={() => void flush()}
            aria-label="Not saved: try saving again"
          >
            Not saved: retry
          </Button>
        </Tooltip>
      );
  }
}
