import {
  ActionIcon,
  Button,
  Group,
  Menu,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { Copy, Ellipsis, FolderOpen, Pencil, Trash2 } from 'lucide-react';
import { useState } from 'react';
import type { ProjectSummary } from '../../../../shared/api/records';
import { call } from '../../api/host';
import { errorMessage, notifyError, notifySuccess } from '../../app/useToastStore';
import { relativeTime } from './projectNames';

interface Props {
  projects: ProjectSummary[];
  onOpen(id: number): void;
  onChanged(): void;
}

type Dialog =
  { kind: 'rename'; project: ProjectSummary } | { kind: 'delete'; project: ProjectSummary } | null;

function RenameDialog({ project, onDone }: { project: ProjectSummary; onDone(changed: boolean): void }) {
  const [name, setName] = useState(project.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await call('projects:rename', { id: project.id, name });
      onDone(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack>
        <TextInput
          label="New name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={error}
          data-autofocus
          maxLength={200}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone(false)}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} disabled={name.trim() === ''}>
            Rename
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteDialog({ project, onDone }: { project: ProjectSummary; onDone(changed: boolean): void }) {
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    try {
      await call('projects:delete', { id: project.id });
      notifySuccess(`"${project.name}" was deleted.`);
      onDone(true);
    } catch (e) {
      notifyError(`The project could not be deleted: ${errorMessage(e)}`);
      onDone(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack>
      <Text size="sm">
        Delete <b>{project.name}</b>
        {project.runCount > 0
          ? ` and its ${project.runCount} ${project.runCount === 1 ? 'run' : 'runs'}`
          : ''}
        ? This cannot be undone.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={() => onDone(false)}>
          Cancel
        </Button>
        <Button color="red" loading={busy} onClick={() => void remove()} leftSection={<Trash2 size={16} />}>
          Delete project
        </Button>
      </Group>
    </Stack>
  );
}

/** The projects on this computer, newest first: open, rename, duplicate, delete. */
export function RecentProjects({ projects, onOpen, onChanged }: Props) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const sorted = [...projects].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  const now = new Date();
  const close = (changed: boolean) => {
    setDialog(null);
    if (changed) onChanged();
  };
  const duplicate = async (p: ProjectSummary) => {
    try {
      const copy = await call('projects:duplicate', { id: p.id });
      notifySuccess(`Made "${copy.name}".`);
      onChanged();
    } catch (e) {
      notifyError(`The project could not be duplicated: ${errorMessage(e)}`);
    }
  };

  return (
    <>
      <Table highlightOnHover verticalSpacing="xs" aria-label="Recent projects">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th w={170}>Updated</Table.Th>
            <Table.Th w={80}>Runs</Table.Th>
            <Table.Th w={140}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((p) => (
            <Table.Tr key={p.id} onDoubleClick={() => onOpen(p.id)}>
              <Table.Td>
                <Text fw={500} size="sm" truncate="end" maw={480}>
                  {p.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed" title={new Date(p.updatedAt).toLocaleString()}>
                  {relativeTime(p.updatedAt, now)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {p.runCount}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <Button
                    size="compact-sm"
                    variant="light"
                    leftSection={<FolderOpen size={14} />}
                    onClick={() => onOpen(p.id)}
                    aria-label={`Open ${p.name}`}
                  >
                    Open
                  </Button>
                  <Menu position="bottom-end" shadow="md">
                    <Menu.Target>
                      <ActionIcon variant="subtle" color="gray" aria-label={`More actions for ${p.name}`}>
                        <Ellipsis size={16} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item
                        leftSection={<Pencil size={14} />}
                        onClick={() => setDialog({ kind: 'rename', project: p })}
                      >
                        Rename…
                      </Menu.Item>
                      <Menu.Item leftSection={<Copy size={14} />} onClick={() => void duplicate(p)}>
                        Duplicate
                      </Menu.Item>
                      <Menu.Divider />
                      <Menu.Item
                        color="red"
                        leftSection={<Trash2 size={14} />}
                        onClick={() => setDialog({ kind: 'delete', project: p })}
                      >
                        Delete…
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal
        opened={dialog !== null}
        onClose={() => setDialog(null)}
        title={dialog?.kind === 'delete' ? 'Delete project' : 'Rename project'}
        centered
      >
        {dialog?.kind === 'rename' && <RenameDialog project={dialog.project} onDone={close} />}
        {dialog?.kind === 'delete' && <DeleteDialog project={dialog.project} onDone={close} />}
      </Modal>
    </>
  );
}
