import { Button, Paper, Stack, Text } from '@mantine/core';
import { Play, type LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { navigate } from '../../app/useRoute';

/** The empty state of a view that shows runs: what is missing, why, and a way to the Training view. */
export function NoRunsCard({
  projectId,
  icon: Icon,
  title,
  children,
}: {
  projectId: number;
  icon: LucideIcon;
  title: string;
  /** One or two sentences on what appears here once a run has trained. */
  children: ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="xl">
      <Stack align="center" gap="xs" py="xl">
        <Icon size={32} aria-hidden color="var(--mantine-color-dimmed)" />
        <Text fw={600}>{title}</Text>
        <Text size="sm" c="dimmed" ta="center" maw={460}>
          {children}
        </Text>
        <Button
          mt="sm"
          variant="light"
          leftSection={<Play size={16} aria-hidden />}
          onClick={() => navigate({ view: 'project', projectId, tab: 'training' })}
        >
          Go to Training
        </Button>
      </Stack>
    </Paper>
  );
}
