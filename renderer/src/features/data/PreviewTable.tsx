import { Table } from '@mantine/core';

interface Props {
  header: readonly string[];
  rows: readonly (readonly string[])[];
  target: string | undefined;
  /** Rows shown at most. */
  limit?: number;
}

/** The first rows of the table as text. */
export function PreviewTable({ header, rows, target, limit = 12 }: Props) {
  return (
    <Table.ScrollContainer minWidth={Math.max(600, header.length * 96)} maxHeight={360}>
      <Table striped withColumnBorders stickyHeader fz="xs" verticalSpacing={4} aria-label="First rows of the dataset">
        <Table.Thead>
          <Table.Tr>
            {header.map((h) => (
              <Table.Th key={h} style={{ whiteSpace: 'nowrap' }} fw={h === target ? 700 : 500}>
                {h}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.slice(0, limit).map((row, i) => (
            <Table.Tr key={i}>
              {header.map((h, j) => (
                <Table.Td key={h} style={{ whiteSpace: 'nowrap' }}>
                  {row[j] ?? ''}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
