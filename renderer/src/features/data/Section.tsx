import { Group, Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One titled panel of the Data view, named for screen readers by its title; `aside` sits at the right of the title. */
export function Section({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={title}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={3} size="h5">
          {title}
        </Title>
        {aside}
      </Group>
      {children}
    </Paper>
  );
}
