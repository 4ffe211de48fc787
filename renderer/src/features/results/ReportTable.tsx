import { Table } from '@mantine/core';
import type { ClassificationReport } from '../../../../shared/metrics/types';
import { reportRows } from './resultsModel';

/** The classification report: precision, recall, F1 and support a class, then the averages. */
export function ReportTable({ report }: { report: ClassificationReport }) {
  const rows = reportRows(report);
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table fz="sm" verticalSpacing={6} aria-label="Classification report" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Class</Table.Th>
            <Table.Th ta="right">Precision</Table.Th>
            <Table.Th ta="right">Recall</Table.Th>
            <Table.Th ta="right">F1</Table.Th>
            <Table.Th ta="right">Support</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr
              key={r.name}
              style={
                r.summary && rows[i - 1] && !rows[i - 1]!.summary
                  ? { borderTop: '2px solid var(--mantine-color-default-border)' }
                  : undefined
              }
            >
              <Table.Td fw={r.summary ? 600 : 400} c={r.summary ? 'dimmed' : undefined}>
                {r.name}
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                {r.precision}
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                {r.recall}
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                {r.f1}
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                {r.support}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
