import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { FolderOpen } from 'lucide-react';
import { useState } from 'react';
import type { PretrainedModelSummary } from '../../../../shared/api/contract';
import { formatShape } from '../../../../shared/blocks/types';
import { call, chooseFolder } from '../../api/host';
import { useProjectStore } from '../../app/useProjectStore';
import { setBlockParam } from './graphOps';
import { formatCount } from './nodeView';

/** The last part of a folder path, as the block's canvas summary shows it. */
function folderName(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? path;
}

/** Stores what the host read of the folder in the block's params, as one undo step. */
function applyModel(nodeId: string, model: PretrainedModelSummary): void {
  const { path, inputShape, outputShape, params, trainableParams } = model;
  const values = { path, inputShape, outputShape, params, trainableParams };
  useProjectStore.getState().updateDocument(
    (doc) => {
      let graph = doc.graph;
      for (const [key, value] of Object.entries(values)) graph = setBlockParam(graph, nodeId, key, value);
      return graph === doc.graph ? doc : { ...doc, graph };
    },
    `Choose model ${folderName(path)}`,
  );
}

const asShape = (value: unknown): number[] | null =>
  Array.isArray(value) && value.every((d) => typeof d === 'number') ? (value as number[]) : null;

/**
 * The Pretrained model block's folder: a folder dialog in the desktop app, a typed path in the browser
 * preview (which cannot show one). The host reads the model and the block's params are set from it.
 */
export function PretrainedFolder({ nodeId, params }: { nodeId: string; params: Record<string, unknown> }) {
  const path = typeof params.path === 'string' ? params.path : '';
  const [typed, setTyped] = useState(path);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputShape = asShape(params.inputShape);
  const outputShape = asShape(params.outputShape);
  const total = typeof params.params === 'number' ? params.params : null;

  const read = async (folder: string) => {
    setBusy(true);
    setError(null);
    try {
      applyModel(nodeId, await call('models:inspectPretrained', { path: folder }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const choose = async () => {
    if (!chooseFolder) return;
    try {
      const folder = await chooseFolder();
      if (folder !== null) await read(folder);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        Model folder
      </Text>
      {chooseFolder ? (
        <Button
          size="xs"
          variant="default"
          leftSection={<FolderOpen size={14} />}
          loading={busy}
          onClick={() => void choose()}
        >
          Choose folder…
        </Button>
      ) : (
        <Group gap="xs" wrap="nowrap" align="flex-end">
          <TextInput
            size="xs"
            flex={1}
            label="Folder path"
            description="The folder that holds model.json and its weight files."
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && typed.trim() !== '') void read(typed.trim());
            }}
          />
          <Button
            size="xs"
            variant="default"
            loading={busy}
            disabled={typed.trim() === ''}
            onClick={() => void read(typed.trim())}
          >
            Read
          </Button>
        </Group>
      )}
      {path !== '' && (
        <Text size="xs" aria-label="Model folder facts">
          <Text span fw={600}>
            {folderName(path)}
          </Text>
          {inputShape && outputShape
            ? `: ${formatShape(inputShape)} → ${formatShape(outputShape)}, ${total === null ? '?' : formatCount(total)} parameters`
            : ': not read yet'}
        </Text>
      )}
      {error && (
        <Alert color="red" variant="light" p="xs" role="alert" title="Cannot use this folder">
          <Text size="xs">{error}</Text>
        </Alert>
      )}
    </Stack>
  );
}
