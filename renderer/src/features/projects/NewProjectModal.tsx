import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { call } from '../../api/host';
import { errorMessage } from '../../app/useToastStore';

/** Asks for a name and creates an empty project. */
export function NewProjectModal({
  opened,
  defaultName,
  onClose,
  onCreated,
}: {
  opened: boolean;
  defaultName: string;
  onClose(): void;
  onCreated(id: number): void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="New empty project" centered>
      {/* Remounted on every opening, so the name starts fresh. */}
      {opened && <NewProjectForm defaultName={defaultName} onClose={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function NewProjectForm({
  defaultName,
  onClose,
  onCreated,
}: {
  defaultName: string;
  onClose(): void;
  onCreated(id: number): void;
}) {
  const [name, setName] = useState(defaultName);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    try {
      const project = await call('projects:create', { name });
      onCreated(project.id);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void create();
      }}
    >
      <Stack>
        <TextInput
          label="Project name"
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            setError(null);
          }}
          error={error}
          data-autofocus
          maxLength={200}
          onFocus={(e) => e.currentTarget.select()}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} disabled={name.trim() === ''}>
            Create project
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
