import { Badge, Button, Card, Group, SimpleGrid, Text } from '@mantine/core';
import { FolderOpen } from 'lucide-react';
import type { PresetSummary } from '../../../../shared/api/contract';
import { taskLabels } from '../../../../shared/blocks';

const shortTask = {
  regression: 'Regression',
  binary: 'Binary classification',
  multiclass: 'Multi-class',
} as const;

/** The lesson's networks, ready to open as new projects. */
export function PresetGallery({
  presets,
  busyId,
  onOpen,
}: {
  presets: PresetSummary[];
  busyId: string | null;
  onOpen(preset: PresetSummary): void;
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
      {presets.map((p) => (
        <Card
          key={p.id}
          withBorder
          padding="md"
          radius="md"
          style={{ display: 'flex', flexDirection: 'column' }}
        >
          <Text fw={600} mb={4}>
            {p.name}
          </Text>
          <Group gap={6} mb="xs">
            {p.task && (
              <Badge variant="light" size="sm" tt="none" title={taskLabels[p.task]}>
                {shortTask[p.task]}
              </Badge>
            )}
            <Badge variant="light" color="gray" size="sm" tt="none">
              {p.params.toLocaleString('en-US')} parameters
            </Badge>
          </Group>
          <Text size="sm" c="dimmed" lineClamp={4} style={{ flex: 1 }}>
            {p.description}
          </Text>
          <Group justify="flex-end" mt="md">
            <Button
              size="xs"
              leftSection={<FolderOpen size={14} />}
              loading={busyId === p.id}
              disabled={busyId !== null && busyId !== p.id}
              onClick={() => onOpen(p)}
              aria-label={`Open preset ${p.name}`}
            >
              Open
            </Button>
          </Group>
        </Card>
      ))}
    </SimpleGrid>
  );
}
