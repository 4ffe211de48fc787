import { Alert, Box, Center, Group, Loader, ScrollArea, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { FileUp, Table2 } from 'lucide-react';
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import { taskLabels } from '../../../../shared/blocks';
import type { DatasetRecord } from '../../../../shared/api/records';
import type { ColumnSummary } from '../../../../shared/data/types';
import type { DataSpec, ProjectDocument } from '../../../../shared/graph/document';
import { useProjectStore } from '../../app/useProjectStore';
import { ColumnTable } from './ColumnTable';
import {
  formatStat,
  imageTargets,
  sameSpec,
  selectedFeatures,
  sourceFromKey,
  sourceKey,
  specForImages,
  specForNewTable,
  syncBlocks,
  tableTargets,
  targetFacts,
  withFeature,
  withTarget,
  type BlockTargets,
} from './dataModel';
import { DatasetPicker } from './DatasetPicker';
import { ImageDataPanel } from './ImageDataPanel';
import { PreviewTable } from './PreviewTable';
import { Section } from './Section';
import { SplitSettings } from './SplitSettings';
import { useDatasetStore } from './useDatasetStore';

/** The document with a new data spec, and its Input and Output blocks following the data. */
function withData(doc: ProjectDocument, spec: DataSpec, targets: BlockTargets | null): ProjectDocument {
  const next = sameSpec(doc.data, spec) ? doc : { ...doc, data: spec };
  return targets ? syncBlocks(next, targets) : next;
}

function targetDescription(column: ColumnSummary | undefined): string | null {
  if (!column) return null;
  const facts = targetFacts(column);
  if (facts.task === 'regression')
    return `${taskLabels.regression}: values from ${formatStat(column.min)} to ${formatStat(column.max)}`;
  const names = column.categories?.slice(0, 6).join(', ');
  const more = column.categories && column.categories.length > 6 ? ', …' : '';
  return `${taskLabels[facts.task]}: ${facts.classCount} classes${names ? ` (${names}${more})` : ''}`;
}

/** What the renderer knows of an image dataset: its shape and classes (the trainer reads the images). */
function ImageSummary({
  spec,
  record,
  columns,
}: {
  spec: DataSpec;
  record: DatasetRecord | undefined;
  columns: readonly ColumnSummary[] | null;
}) {
  if (record?.kind === 'image') {
    const { width, height, channels, trainCount, testCount } = record.image;
    return (
      <Text size="sm" data-testid="image-summary">
        Images of {width}×{height}×{channels}, {record.classNames?.length ?? 0} classes:{' '}
        {trainCount.toLocaleString('en-US')} for training, {testCount.toLocaleString('en-US')} for testing.
      </Text>
    );
  }
  const targets = imageTargets(spec, columns);
  return (
    <Text size="sm" data-testid="image-summary">
      {targets
        ? `Images of ${targets.inputShape.join('×')}${targets.classCount ? `, ${targets.classCount} classes` : ''}: the Input block takes this shape.`
        : 'Images read by the trainer when training starts; set the Input block to their size.'}{' '}
      To learn from a table instead, choose a table dataset.
    </Text>
  );
}

/** Choose the project's dataset, its target and features, and how it is split. */
export function DataView({ projectId }: { projectId: number }) {
  const data = useProjectStore((s) => (s.projectId === projectId ? (s.document?.data ?? null) : null));
  const hasDocument = useProjectStore((s) => s.projectId === projectId && s.document !== null);
  const updateDocument = useProjectStore((s) => s.updateDocument);
  const builtin = useDatasetStore((s) => s.builtin);
  const stored = useDatasetStore((s) => s.stored);
  const listError = useDatasetStore((s) => s.listError);
  const previews = useDatasetStore((s) => s.previews);
  const importing = useDatasetStore((s) => s.importing);
  const importError = useDatasetStore((s) => s.importError);
  const [pendingKey, setPendingKey] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    void useDatasetStore.getState().loadList();
  }, []);

  const currentKey = sourceKey(data?.source);
  const shownKey = pendingKey ?? currentKey;
  const preview = shownKey ? previews[shownKey] : undefined;
  const storedRecord = useMemo(() => {
    if (!shownKey?.startsWith('stored:')) return undefined;
    return stored?.find((d) => `stored:${d.id}` === shownKey);
  }, [stored, shownKey]);
  const builtinInfo = builtin?.find((d) => `builtin:${d.name}` === shownKey);
  const images = pendingKey === null && (data?.format === 'images' || storedRecord?.kind === 'image');
  const previewColumns = preview?.status === 'ready' && pendingKey === null ? preview.preview.info.columns : null;
  // An image dataset kept as a pixel CSV is a table too, but its columns are pixels, not features.
  const columns = images ? null : previewColumns;

  const choose = useCallback(
    async (key: string) => {
      const source = sourceFromKey(key);
      if (!source || key === currentKey) {
        setPendingKey(null);
        return;
      }
      const store = useDatasetStore.getState();
      const record = source.kind === 'stored' ? store.stored?.find((d) => String(d.id) === source.id) : undefined;
      if (record?.kind === 'image') {
        const { height, width, channels } = record.image;
        const classes = record.classNames?.length ?? 0;
        updateDocument(
          (doc) =>
            withData(doc, specForImages(source, doc.data), {
              inputShape: [height, width, channels],
              task: classes === 2 ? 'binary' : 'multiclass',
            }),
          'Choose dataset',
        );
        setPendingKey(null);
        return;
      }
      setPendingKey(key);
      await store.loadPreview(source);
      const loaded = useDatasetStore.getState().previews[key];
      if (loaded?.status !== 'ready') return; // the error shows until another choice
      const cols = loaded.preview.info.columns;
      updateDocument((doc) => {
        const spec = specForNewTable(source, cols, doc.data);
        return withData(doc, spec, tableTargets(spec, cols));
      }, 'Choose dataset');
      setPendingKey(null);
    },
    [currentKey, updateDocument],
  );

  const onFile = useCallback(
    async (file: File) => {
      const record = await useDatasetStore.getState().importFile(file);
      if (record) await choose(`stored:${record.id}`);
    },
    [choose],
  );

  const change = (edit: (spec: DataSpec) => DataSpec, label: string, mergeKey?: string) => {
    if (!columns && !images) return;
    updateDocument(
      (doc) => {
        if (!doc.data) return doc;
        const spec = edit(doc.data);
        return withData(doc, spec, columns ? tableTargets(spec, columns) : null);
      },
      label,
      mergeKey ? { mergeKey } : undefined,
    );
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void onFile(file);
  };

  if (!hasDocument) {
    return (
      <Center h="100%">
        <Loader aria-label="Loading the project" />
      </Center>
    );
  }

  const features = new Set(data && columns ? selectedFeatures(data, columns) : []);
  const targetColumn = columns?.find((c) => c.name === data?.target);
  const rows = preview?.status === 'ready' ? preview.preview.info.rows : (storedRecord?.rowCount ?? null);

  return (
    <Box
      pos="relative"
      h="100%"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
      data-testid="data-view"
    >
      <ScrollArea h="100%" type="auto">
        <Stack p="lg" gap="lg" maw={1400} mx="auto">
          <div>
            <Title order={2} size="h3">
              Data
            </Title>
            <Text c="dimmed" size="sm">
              Choose what the network learns from: the table, the column to predict and the columns to learn it from.
            </Text>
          </div>

          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <Section title="Dataset">
              <DatasetPicker
                builtin={builtin}
                stored={stored}
                listError={listError}
                value={shownKey}
                onChoose={(k) => void choose(k)}
                onFile={(f) => void onFile(f)}
                importing={importing}
                importError={importError}
                onDismissError={() => useDatasetStore.getState().clearImportError()}
              />
              {builtinInfo && (
                <Text size="sm" c="dimmed" mt="sm">
                  {builtinInfo.description} ({builtinInfo.rows.toLocaleString('en-US')} rows)
                </Text>
              )}
              {preview?.status === 'loading' && (
                <Group gap="xs" mt="sm">
                  <Loader size="xs" />
                  <Text size="sm">Reading the dataset…</Text>
                </Group>
              )}
              {preview?.status === 'error' && (
                <Alert color="red" mt="sm" title="The dataset could not be read" role="alert">
                  {preview.message}
                </Alert>
              )}
            </Section>

            <Section title="Target and split">
              {!data ? (
                <Text size="sm" c="dimmed">
                  No dataset yet: choose one on the left or import a CSV file, then pick the column to predict.
                </Text>
              ) : (
                <Stack gap="md">
                  {columns && (
                    <div>
                      <Select
                        label="Target column"
                        description="The column the network learns to predict"
                        data={columns.map((c) => c.name)}
                        value={data.target ?? null}
                        onChange={(v) => v && change((s) => withTarget(s, columns, v), 'Change target column')}
                        allowDeselect={false}
                        searchable
                      />
                      {targetColumn && (
                        <Text size="sm" mt={6} data-testid="target-summary">
                          {targetDescription(targetColumn)} · learned from {features.size}{' '}
                          {features.size === 1 ? 'feature' : 'features'}
                        </Text>
                      )}
                    </div>
                  )}
                  {images && <ImageSummary spec={data} record={storedRecord} columns={previewColumns} />}
                  <SplitSettings
                    testFraction={data.testFraction}
                    standardize={data.standardize}
                    tabular={!images}
                    rows={rows}
                    onTestPercent={(p) => change((s) => ({ ...s, testFraction: p / 100 }), 'Change test split', 'data-test-split')}
                    onStandardize={(on) => change((s) => ({ ...s, standardize: on }), on ? 'Standardise features' : 'Stop standardising features')}
                  />
                </Stack>
              )}
            </Section>
          </SimpleGrid>

          {images && data?.format === 'images' && (
            <ImageDataPanel
              spec={data}
              storedRecord={storedRecord}
              onImported={(record) => {
                useDatasetStore.setState((s) => ({
                  stored: [record, ...(s.stored ?? []).filter((d) => d.id !== record.id)],
                }));
                void choose(`stored:${record.id}`);
              }}
            />
          )}

          {columns && data && preview?.status === 'ready' && (
            <>
              <Section
                title="Columns"
                aside={
                  <Text size="sm" c="dimmed">
                    {preview.preview.info.rows.toLocaleString('en-US')} rows · {columns.length} columns
                  </Text>
                }
              >
                <ColumnTable
                  columns={columns}
                  rows={preview.preview.info.rows}
                  target={data.target}
                  features={features}
                  onToggle={(name, on) =>
                    change((s) => withFeature(s, columns, name, on), on ? `Use ${name} as a feature` : `Ignore ${name}`)
                  }
                />
              </Section>
              <Section title="Preview" aside={<Table2 size={16} aria-hidden />}>
                <PreviewTable header={preview.preview.header} rows={preview.preview.rows} target={data.target} />
              </Section>
            </>
          )}
        </Stack>
      </ScrollArea>
      {dragging && (
        <Center
          pos="absolute"
          inset={0}
          style={{
            background: 'color-mix(in srgb, var(--mantine-color-blue-filled) 12%, transparent)',
            border: '2px dashed var(--mantine-color-blue-filled)',
            borderRadius: 12,
            pointerEvents: 'none',
          }}
        >
          <Stack align="center" gap={4}>
            <FileUp size={32} aria-hidden />
            <Text fw={600}>Drop the CSV file to import it</Text>
          </Stack>
        </Center>
      )}
    </Box>
  );
}
