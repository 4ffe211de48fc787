import {
  Alert,
  Badge,
  Button,
  Divider,
  EmptyState,
  Group,
  ScrollArea,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { Copy, MousePointerClick, Trash2 } from 'lucide-react';
import { getBlock, groupLabels } from '../../../../shared/blocks';
import { groupColors } from '../../app/theme';
import { useProjectStore } from '../../app/useProjectStore';
import { copySelection, deleteSelection, setFrozen, setParam } from './editorActions';
import { blockView, formatCount } from './nodeView';
import { ParamFieldControl } from './ParamFieldControl';
import { PretrainedFolder } from './PretrainedFolder';

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} ff="monospace">
        {value}
      </Text>
    </div>
  );
}

/** Copy and Delete for what is selected (one block or several). */
function SelectionActions({ deleteLabel }: { deleteLabel: string }) {
  return (
    <Group gap="xs">
      <Button size="xs" variant="default" leftSection={<Copy size={14} />} onClick={() => copySelection()}>
        Copy
      </Button>
      <Button
        size="xs"
        variant="light"
        color="red"
        leftSection={<Trash2 size={14} />}
        onClick={() => deleteSelection()}
      >
        {deleteLabel}
      </Button>
    </Group>
  );
}

function SingleBlock({ nodeId }: { nodeId: string }) {
  const node = useProjectStore((s) => s.document?.graph.nodes.find((n) => n.id === nodeId));
  const analysis = useProjectStore((s) => s.analysis?.nodes[nodeId]);
  if (!node) return null;
  const block = getBlock(node.kind);
  const view = blockView(node, analysis);
  const hasWeights = block ? block.group !== 'io' && block.group !== 'activations' : false;
  return (
    <Stack gap="md" p="md">
      <div>
        <Group gap={8} justify="space-between" wrap="nowrap">
          <Title order={4} fz="lg" c={block ? `${groupColors[block.group]}.6` : undefined}>
            {view.kindLabel}
          </Title>
          {block && (
            <Badge variant="light" color={groupColors[block.group]} size="sm">
              {groupLabels[block.group]}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {view.name}
        </Text>
        {block && (
          <Text size="sm" mt={6}>
            {block.help}
          </Text>
        )}
      </div>
      <Group grow gap="sm">
        <Fact label="Output shape" value={view.shape ?? '?'} />
        <Fact label="Parameters" value={formatCount(view.params)} />
      </Group>
      {view.errors.length > 0 && (
        <Alert color="red" variant="light" p="xs" title="Problem" role="alert">
          <Stack gap={4}>
            {view.errors.map((e) => (
              <Text key={e} size="xs">
                {e}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {block && (block.fields.length > 0 || node.kind === 'pretrained') && (
        <>
          <Divider label="Settings" labelPosition="left" />
          <Stack gap="sm">
            {node.kind === 'pretrained' && (
              <PretrainedFolder key={`${nodeId}.path`} nodeId={nodeId} params={node.params} />
            )}
            {block.fields.map((field) => (
              <ParamFieldControl
                key={`${nodeId}.${field.key}`}
                block={block}
                params={node.params}
                field={field}
                onChange={(value) => setParam(nodeId, field.key, value, field.label)}
              />
            ))}
          </Stack>
        </>
      )}
      {hasWeights && (
        <Switch
          label="Frozen"
          description="Keep this block's weights as they are while training."
          checked={node.frozen}
          onChange={(e) => setFrozen(nodeId, e.currentTarget.checked)}
        />
      )}
      <Divider />
      <SelectionActions deleteLabel="Delete block" />
    </Stack>
  );
}

/** The selected block's settings, from its field descriptions; or what to do when nothing is selected. */
export function Inspector() {
  const selected = useProjectStore((s) => s.selectedNodeIds);
  const empty = useProjectStore((s) => (s.document?.graph.nodes.length ?? 0) === 0);
  return (
    <ScrollArea h="100%" type="auto" aria-label="Inspector">
      {selected.length === 1 ? (
        <SingleBlock nodeId={selected[0]!} />
      ) : selected.length > 1 ? (
        <Stack p="md" gap="sm">
          <Title order={4} fz="lg">
            {selected.length} blocks selected
          </Title>
          <Text size="sm" c="dimmed">
            Copy them to paste a copy with Ctrl+V, or delete them together.
          </Text>
          <SelectionActions deleteLabel={`Delete ${selected.length} blocks`} />
        </Stack>
      ) : (
        <EmptyState
          p="lg"
          size="sm"
          icon={<MousePointerClick size={22} />}
          withIndicatorBackground
          title="Nothing selected"
          description={
            empty
              ? 'Start with an Input block from the palette, then add layers one after another.'
              : 'Click a block to see and change its settings.'
          }
        />
      )}
    </ScrollArea>
  );
}
