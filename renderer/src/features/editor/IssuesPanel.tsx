import { Badge, Group, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { CircleAlert, CircleCheck } from 'lucide-react';
import { getBlock } from '../../../../shared/blocks';
import type { GraphIssue } from '../../../../shared/graph/validate';
import { useProjectStore } from '../../app/useProjectStore';

const none: readonly GraphIssue[] = [];

/** Every problem of the network; clicking one selects and shows the block it belongs to. */
export function IssuesPanel({ onFocusNode }: { onFocusNode(id: string): void }) {
  const issues = useProjectStore((s) => s.analysis?.issues ?? none);
  const nodes = useProjectStore((s) => s.document?.graph.nodes);
  const nameOf = (id: string) => {
    const node = nodes?.find((n) => n.id === id);
    return node ? `${getBlock(node.kind)?.label ?? node.kind} ${node.label ?? node.id}` : id;
  };
  return (
    <Stack gap={0} h="100%">
      <Group
        gap={8}
        px="md"
        py={8}
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)', flex: '0 0 auto' }}
      >
        <Text size="sm" fw={600} id="issues-title">
          Issues
        </Text>
        <Badge
          size="sm"
          variant="light"
          color={issues.length > 0 ? 'red' : 'teal'}
          aria-label={`${issues.length} issues`}
        >
          {issues.length}
        </Badge>
      </Group>
      <ScrollArea style={{ flex: 1 }} type="auto">
        {issues.length === 0 ? (
          <Group gap={8} p="md" wrap="nowrap" c="teal">
            <CircleCheck size={16} />
            <Text size="xs">No problems found: the network fits together.</Text>
          </Group>
        ) : (
          <Stack gap={2} p={6} role="list" aria-labelledby="issues-title">
            {issues.map((issue, i) => {
              const content = (
                <>
                  <CircleAlert
                    size={14}
                    color="var(--mantine-color-red-6)"
                    style={{ flex: '0 0 auto', marginTop: 2 }}
                  />
                  <span>
                    {issue.nodeId && (
                      <Text span size="xs" fw={600}>
                        {nameOf(issue.nodeId)}:{' '}
                      </Text>
                    )}
                    {issue.message}
                  </span>
                </>
              );
              return (
                <div role="listitem" key={`${issue.nodeId ?? ''}-${i}`}>
                  {issue.nodeId ? (
                    <UnstyledButton className="nwb-issue" onClick={() => onFocusNode(issue.nodeId!)}>
                      {content}
                    </UnstyledButton>
                  ) : (
                    <div className="nwb-issue">{content}</div>
                  )}
                </div>
              );
            })}
          </Stack>
        )}
      </ScrollArea>
    </Stack>
  );
}
