import { Badge, Switch, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { RunRecord } from '../../../../shared/api/records';
import { runLabel, settingsRows } from './compareModel';

/** Settings of the compared runs side by side: a row a setting, a column a run, differing rows marked. */
export function SettingsDiffTable({ runs }: { runs: readonly RunRecord[] }) {
  const [onlyDiffs, setOnlyDiffs] = useState(false);
  const rows = settingsRows(runs);
  const differing = rows.filter((r) => r.differs).length;
  const shown = onlyDiffs ? rows.filter((r) => r.differs) : rows;
  return (
    <div>
      <Switch
        mb="sm"
        label={`Only the settings that differ (${differing})`}
        checked={onlyDiffs}
        onChange={(e) => setOnlyDiffs(e.currentTarget.checked)}
      />
      <Table.ScrollContainer minWidth={240 + runs.length * 180}>
        <Table fz="sm" verticalSpacing={6} withColumnBorders aria-label="Settings of the selected runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={200}>Setting</Table.Th>
              {runs.map((r) => (
                <Table.Th key={r.id}>{runLabel(r)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((row) => (
              <Table.Tr
                key={row.key}
                data-differs={row.differs ? 'true' : 'false'}
                style={row.differs ? { background: 'var(--mantine-color-yellow-light)' } : undefined}
              >
                <Table.Td fw={row.differs ? 600 : 400}>
                  {row.label}
                  {row.differs && (
                    <Badge ml={8} size="xs" color="yellow" variant="filled">
                      differs
                    </Badge>
                  )}
                </Table.Td>
                {row.values.map((v, i) => (
                  <Table.Td key={runs[i]!.id} style={{ wordBreak: 'break-word' }}>
                    {v}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {shown.length === 0 && (
        <Text size="sm" c="dimmed" mt="xs">
          The selected runs used the same settings.
        </Text>
      )}
    </div>
  );
}
