import { Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { useProjectStore } from './useProjectStore';

/** The project's name in the header; click it to rename the project. */
export function ProjectName() {
  const name = useProjectStore((s) => s.projectName);
  const rename = useProjectStore((s) => s.renameProject);
  const [draft, setDraft] = useState<string | null>(null);

  const commit = async () => {
    if (draft === null) return;
    const next = draft.trim();
    if (next === '' || next === name) {
      setDraft(null);
      return;
    }
    if (await rename(next)) setDraft(null);
  };

  if (draft !== null) {
    return (
      <TextInput
        aria-label="Project name"
        size="xs"
        w={240}
        value={draft}
        autoFocus
        maxLength={200}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onBlur={() => void commit()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void commit();
          if (e.key === 'Escape') setDraft(null);
        }}
      />
    );
  }
  return (
    <Tooltip label="Click to rename">
      <UnstyledButton onClick={() => setDraft(name)} aria-label={`Rename project ${name}`} maw={280}>
        <Text component="h1" fw={600} size="md" m={0} truncate="end">
          {name}
        </Text>
      </UnstyledButton>
    </Tooltip>
  );
}
