import { Button, Group, Modal, Radio, Stack, Switch, Text } from '@mantine/core';
import { Download } from 'lucide-react';
import { useState } from 'react';
import { call } from '../api/host';
import { downloadBase64 } from './files';
import { useProjectStore } from './useProjectStore';
import { useUiStore } from './useUiStore';
import { errorMessage, notifyError, notifySuccess } from './useToastStore';

type DatasetChoice = 'embed' | 'reference' | 'none';

/** Exports the open project to a file: its network and settings, optionally its data and runs. */
export function ExportModal() {
  const open = useUiStore((s) => s.exportOpen);
  const setOpen = useUiStore((s) => s.setExportOpen);
  const projectId = useProjectStore((s) => s.projectId);
  const [dataset, setDataset] = useState<DatasetChoice>('embed');
  const [runs, setRuns] = useState(false);
  const [busy, setBusy] = useState(false);

  const exportNow = async () => {
    if (projectId === null) return;
    setBusy(true);
    try {
      await useProjectStore.getState().flushSave();
      const file = await call('projects:export', {
        id: projectId,
        includeDataset: dataset,
        includeRuns: runs,
      });
      downloadBase64(file.fileName, file.base64);
      notifySuccess(`Exported to ${file.fileName}.`);
      setOpen(false);
    } catch (error) {
      notifyError(`The project could not be exported: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={open && projectId !== null}
      onClose={() => setOpen(false)}
      title="Export project file"
      centered
    >
      <Stack>
        <Text size="sm" c="dimmed">
          A project file holds the network and its settings. Anyone with Neural Workbench can import it.
        </Text>
        <Radio.Group label="Dataset" value={dataset} onChange={(v) => setDataset(v as DatasetChoice)}>
          <Stack gap={6} mt={6}>
            <Radio value="embed" label="Include the data (the file works anywhere)" />
            <Radio value="reference" label="Refer to the data by name (smaller file)" />
            <Radio value="none" label="Leave the data out" />
          </Stack>
        </Radio.Group>
        <Switch
          label="Include the run history"
          checked={runs}
          onChange={(e) => setRuns(e.currentTarget.checked)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button leftSection={<Download size={16} />} loading={busy} onClick={() => void exportNow()}>
            Export
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
