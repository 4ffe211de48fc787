import { Group, Text } from '@mantine/core';
import { formatShape } from '../../../../shared/blocks';
import { useProjectStore } from '../../app/useProjectStore';
import { formatCount } from './nodeView';

/** The network at a glance: total and trainable parameters, and what goes in and comes out. */
export function StatusBar() {
  const analysis = useProjectStore((s) => s.analysis);
  const blocks = useProjectStore((s) => s.document?.graph.nodes.length ?? 0);
  if (!analysis) return null;
  const { total, trainable } = analysis.totals;
  const input = analysis.inputShape ? formatShape(analysis.inputShape) : '?';
  const output = analysis.outputShape ? formatShape(analysis.outputShape) : '?';
  return (
    <Group
      h={30}
      px="md"
      gap="lg"
      wrap="nowrap"
      role="status"
      aria-label="Network summary"
      style={{
        borderTop: '1px solid var(--mantine-color-default-border)',
        flex: '0 0 auto',
        overflow: 'hidden',
      }}
    >
      <Text size="xs" fw={600}>
        Total: {formatCount(total)} {total === 1 ? 'parameter' : 'parameters'}
      </Text>
      <Text size="xs" c="dimmed">
        {formatCount(trainable)} trainable
      </Text>
      <Text size="xs" c="dimmed" ff="monospace">
        Input {input} → Output {output}
      </Text>
      <Text size="xs" c="dimmed">
        {blocks} {blocks === 1 ? 'block' : 'blocks'}
      </Text>
      <Text size="xs" c={analysis.ok ? 'teal' : 'red'} ml="auto">
        {analysis.ok
          ? 'Ready to train'
          : `${analysis.issues.length} ${analysis.issues.length === 1 ? 'issue' : 'issues'} to fix`}
      </Text>
    </Group>
  );
}
