import { Kbd, List, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { shortcutLabel } from './shortcuts';
import { useUiStore } from './useUiStore';

const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

const shortcuts: [string, string][] = [
  ['Ctrl+Z', 'Undo'],
  ['Ctrl+Shift+Z', 'Redo (also Ctrl+Y)'],
  ['Delete', 'Delete the selected blocks or connections'],
  ['Ctrl+C', 'Copy the selected blocks'],
  ['Ctrl+V', 'Paste them'],
  ['Ctrl+S', 'Save a version of the project'],
  ['F', 'Fit the network into view'],
];

/** Help: how the app maps to the lesson, and the keyboard shortcuts. */
export function HelpModal() {
  const open = useUiStore((s) => s.helpOpen);
  const setOpen = useUiStore((s) => s.setHelpOpen);
  return (
    <Modal opened={open} onClose={() => setOpen(false)} title="Neural Workbench help" size="lg" centered>
      <Stack>
        <Text size="sm">
          Build a network from blocks, choose a dataset, train it on this computer and compare runs. The
          presets are the lesson&apos;s networks, ready to train:
        </Text>
        <List size="sm" spacing={4}>
          <List.Item>California housing MLP: predict a house value from 8 numbers (regression).</List.Item>
          <List.Item>
            Wine type ANN: tell red from white wine from 12 measurements (binary classification).
          </List.Item>
        </List>
        <Text size="sm">
          Every block shows the shape of what it outputs and how many weights it learns. When something does
          not fit, the block that causes it says what to change.
        </Text>
        <Title order={5}>Keyboard shortcuts</Title>
        <Table withRowBorders={false} verticalSpacing={4}>
          <Table.Tbody>
            {shortcuts.map(([keys, what]) => (
              <Table.Tr key={keys}>
                <Table.Td w={160}>
                  <Kbd>{shortcutLabel(keys, mac)}</Kbd>
                </Table.Td>
                <Table.Td>{what}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Modal>
  );
}
