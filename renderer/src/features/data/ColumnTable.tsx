import { Badge, Checkbox, Table, Text, Tooltip } from '@mantine/core';
import type { ColumnSummary } from '../../../../shared/data/types';
import { featureBlocker, formatStat } from './dataModel';

interface Props {
  columns: readonly ColumnSummary[];
  rows: number;
  target: string | undefined;
  features: ReadonlySet<string>;
  onToggle(name: string, on: boolean): void;
}

const typeLabels: Record<ColumnSummary['type'], string> = { number: 'number', category: 'text', empty: 'empty' };

/** Per-column statistics, with a checkbox a column to use it as a feature. */
export function ColumnTable({ columns, rows, target, features, onToggle }: Props) {
  return (
    <Table.ScrollContainer minWidth={720} maxHeight={420}>
      <Table striped highlightOnHover stickyHeader verticalSpacing={6} fz="sm" aria-label="Column statistics">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={92}>Feature</Table.Th>
            <Table.Th>Column</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th ta="right">Missing</Table.Th>
            <Table.Th ta="right">Distinct</Table.Th>
            <Table.Th ta="right">Min</Table.Th>
            <Table.Th ta="right">Max</Table.Th>
            <Table.Th ta="right">Mean</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {columns.map((c) => {
            const isTarget = c.name === target;
            const blocker = featureBlocker(c);
            const box = (
              <Checkbox
                aria-label={`Use ${c.name} as a feature`}
                checked={!isTarget && features.has(c.name)}
                disabled={isTarget || (blocker !== null && !features.has(c.name))}
                onChange={(e) => onToggle(c.name, e.currentTarget.checked)}
              />
            );
            return (
              <Table.Tr key={c.name}>
                <Table.Td>
                  {isTarget ? (
                    <Badge size="sm" variant="filled" tt="none">
                      target
                    </Badge>
                  ) : blocker ? (
                    <Tooltip label={blocker} withArrow>
                      <span>{box}</span>
                    </Tooltip>
                  ) : (
                    box
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={isTarget ? 600 : 400}>
                    {c.name}
                  </Text>
                  {blocker && !isTarget && (
                    <Text size="xs" c="dimmed">
                      {blocker}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{typeLabels[c.type]}</Table.Td>
                <Table.Td ta="right" c={c.missing > 0 ? 'orange' : undefined}>
                  {c.missing > 0 ? `${c.missing} (${((c.missing / Math.max(1, rows)) * 100).toFixed(1)} %)` : '0'}
                </Table.Td>
                <Table.Td ta="right">{c.distinct.toLocaleString('en-US')}</Table.Td>
                <Table.Td ta="right">{formatStat(c.min)}</Table.Td>
                <Table.Td ta="right">{formatStat(c.max)}</Table.Td>
                <Table.Td ta="right">{formatStat(c.mean)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
