import { Alert, Button, FileButton, Group, Loader, Progress, Select, Stack, Text } from '@mantine/core';
import { Database, FileUp } from 'lucide-react';
import type { BuiltinDataset } from '../../../../shared/api/contract';
import type { DatasetRecord } from '../../../../shared/api/records';
import type { ImportProgress } from './useDatasetStore';

interface Props {
  builtin: BuiltinDataset[] | null;
  stored: DatasetRecord[] | null;
  listError: string | null;
  value: string | null;
  onChoose(key: string): void;
  onFile(file: File): void;
  importing: ImportProgress | null;
  importError: string | null;
  onDismissError(): void;
}

function storedLabel(d: DatasetRecord): string {
  const what = d.kind === 'image' ? `${d.rowCount.toLocaleString('en-US')} images` : `${d.rowCount.toLocaleString('en-US')} rows`;
  return `${d.name} (${what})`;
}

/** The dataset Select (shipped and imported datasets) and the CSV import button with its progress. */
export function DatasetPicker(props: Props) {
  const { builtin, stored, importing } = props;
  const groups = [
    {
      group: 'Shipped with the app',
      items: (builtin ?? []).map((d) => ({ value: `builtin:${d.name}`, label: d.label })),
    },
    {
      group: 'Imported',
      items: (stored ?? []).map((d) => ({ value: `stored:${d.id}`, label: storedLabel(d) })),
    },
  ].filter((g) => g.items.length > 0);
  // A source the lists do not offer (a file path, an image archive) still shows as the current choice.
  if (props.value && builtin !== null && !groups.some((g) => g.items.some((i) => i.value === props.value))) {
    const name = props.value.slice(props.value.indexOf(':') + 1).split(/[\\/]/).pop() ?? props.value;
    groups.unshift({ group: 'This project', items: [{ value: props.value, label: name }] });
  }
  const loading = builtin === null && props.listError === null;

  return (
    <Stack gap="sm">
      <Select
        label="Dataset"
        description="A dataset shipped with the app, or one you imported"
        placeholder={loading ? 'Loading datasets…' : 'Choose a dataset'}
        data={groups}
        value={props.value}
        onChange={(v) => v && props.onChoose(v)}
        leftSection={loading ? <Loader size="xs" /> : <Database size={16} aria-hidden />}
        allowDeselect={false}
        searchable
        nothingFoundMessage="No dataset has that name"
        comboboxProps={{ withinPortal: true }}
      />
      {props.listError && (
        <Alert color="red" title="The datasets could not be listed">
          {props.listError}
        </Alert>
      )}
      <Group gap="sm" wrap="nowrap" align="center">
        <FileButton onChange={(f) => f && props.onFile(f)} accept=".csv,.tsv,.txt,text/csv">
          {(p) => (
            <Button {...p} variant="light" leftSection={<FileUp size={16} aria-hidden />} disabled={importing !== null}>
              Import CSV…
            </Button>
          )}
        </FileButton>
        <Text size="sm" c="dimmed">
          or drop a CSV file anywhere on this view
        </Text>
      </Group>
      {importing && (
        <Stack gap={4} aria-live="polite">
          <Text size="sm">
            {importing.stage === 'reading'
              ? `Reading ${importing.fileName}…`
              : `Importing ${importing.fileName}: checking columns and values…`}
          </Text>
          <Progress
            aria-label="Import progress"
            value={importing.fraction === null ? 100 : Math.round(importing.fraction * 100)}
            animated={importing.fraction === null}
            striped={importing.fraction === null}
          />
        </Stack>
      )}
      {props.importError && (
        <Alert color="red" title="The file could not be imported" withCloseButton onClose={props.onDismissError} role="alert">
          {props.importError}
        </Alert>
      )}
    </Stack>
  );
}
