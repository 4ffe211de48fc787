import {
  Alert,
  Badge,
  Button,
  FileButton,
  Group,
  Loader,
  NumberInput,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
} from '@mantine/core';
import { FileArchive, Shuffle } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { ImageTiles } from '../../../../shared/api/contract';
import type { DatasetRecord, ImageDatasetRecord } from '../../../../shared/api/records';
import type { DataSpec } from '../../../../shared/graph/document';
import { call } from '../../api/host';
import { ImageGrid } from '../../app/ImageGrid';
import { useProjectStore } from '../../app/useProjectStore';
import { sourceKey } from './dataModel';
import { Section } from './Section';
import { readFileBytes, bytesToBase64 } from './fileBytes';
import {
  IMAGE_ARCHIVE_ACCEPT,
  augments,
  builtinImportArgs,
  clampCropPadding,
  imageImportBlocker,
  importStepPercent,
  importStepText,
  isNormalization,
  normalizationOptions,
  type ImportStep,
} from './imageDataModel';
import { useDatasetProgress } from './useDatasetProgress';
import { messageOf } from '../../../../shared/api/errorMessage';

const SAMPLE_COUNT = 16;

interface Props {
  spec: DataSpec;
  /** The stored dataset the spec names, when it names one and the list has it. */
  storedRecord: DatasetRecord | undefined;
  /** An archive was imported: make it the project's dataset. */
  onImported(record: DatasetRecord): void;
}

/** The latest answer, for the request it answers; another key means that request is still loading. */
type Samples =
  | { status: 'ready'; key: string; tiles: ImageTiles }
  | { status: 'error'; key: string; message: string };

interface Upload {
  fileName: string;
  stage: 'reading' | 'importing';
  fraction: number;
}

function HostProgress({ step, label }: { step: ImportStep | null; label: string }) {
  const percent = importStepPercent(step);
  return (
    <Stack gap={4} aria-live="polite">
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm">{label}</Text>
      </Group>
      {step && (
        <Text size="xs" c="dimmed">
          {importStepText(step)}
        </Text>
      )}
      <Progress
        aria-label="Image import progress"
        value={percent ?? 100}
        animated={percent === null}
        striped={percent === null}
      />
    </Stack>
  );
}

function DatasetFacts({ record, spec }: { record: ImageDatasetRecord; spec: DataSpec }) {
  const { width, height, channels, trainCount, testCount } = record.image;
  const classes = record.classNames ?? [];
  const split =
    testCount > 0
      ? `${trainCount.toLocaleString('en-US')} for training, ${testCount.toLocaleString('en-US')} for testing`
      : `${trainCount.toLocaleString('en-US')} images, ${Math.round(spec.testFraction * 100)} % held out for testing`;
  return (
    <Stack gap="xs" data-testid="image-facts">
      <Text size="sm">
        <b>{record.name}</b>: images of {width}×{height} pixels, {channels === 1 ? 'grey' : 'colour'} ({channels}{' '}
        {channels === 1 ? 'channel' : 'channels'}); {split}.
      </Text>
      <Text size="sm">{classes.length} classes:</Text>
      <Group gap={6}>
        {classes.map((name) => (
          <Badge key={name} variant="light" tt="none" radius="sm">
            {name}
          </Badge>
        ))}
      </Group>
    </Stack>
  );
}

/**
 * The image side of the Data view: the dataset's facts, a grid of training samples (plain or as
 * augmented for training), augmentation and normalisation settings, and importing an archive.
 */
export function ImageDataPanel({ spec, storedRecord, onImported }: Props) {
  const updateDocument = useProjectStore((s) => s.updateDocument);
  const [augmentedView, setAugmentedView] = useState(false);
  const [seed, setSeed] = useState(0);
  const [resolved, setResolved] = useState<{ key: string; record: DatasetRecord } | null>(null);
  const [samples, setSamples] = useState<Samples | null>(null);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);

  const source = spec.source;
  const key = sourceKey(source) ?? '';
  const augmentation = spec.augmentation;
  const requestKey = `${key}|${seed}|${augmentedView ? JSON.stringify(augmentation) : 'plain'}`;
  const current = samples?.key === requestKey ? samples : null;
  const loading = current === null;
  const step = useDatasetProgress(loading || upload !== null);
  const builtinArgs = builtinImportArgs(spec);
  const builtinArgsKey = JSON.stringify(builtinArgs);

  useEffect(() => {
    let stale = false;
    void (async () => {
      try {
        // A shipped set is imported into the database on first use; asking for it by name with the
        // document's shape options (a pixel CSV needs them) gives its record too.
        const args = JSON.parse(builtinArgsKey) as ReturnType<typeof builtinImportArgs>;
        if (args) {
          const record = await call('datasets:importImages', args);
          if (!stale) setResolved({ key, record });
        }
        const tiles = await call('datasets:samples', {
          source,
          count: SAMPLE_COUNT,
          seed,
          ...(augmentedView ? { augmentation } : {}),
        });
        if (!stale) setSamples({ status: 'ready', key: requestKey, tiles });
      } catch (error) {
        if (!stale) setSamples({ status: 'error', key: requestKey, message: messageOf(error) });
      }
    })();
    return () => {
      stale = true;
    };
    // requestKey stands for source, seed and the augmentation shown.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestKey, builtinArgsKey]);

  const record = source.kind === 'stored' ? storedRecord : resolved?.key === key ? resolved.record : undefined;

  const editData = (edit: (data: DataSpec) => DataSpec, label: string, mergeKey?: string) =>
    updateDocument(
      (doc) => (doc.data ? { ...doc, data: edit(doc.data) } : doc),
      label,
      mergeKey ? { mergeKey } : undefined,
    );

  const onFile = async (file: File) => {
    const blocked = imageImportBlocker(file);
    setUploadError(blocked);
    if (blocked) return;
    setUpload({ fileName: file.name, stage: 'reading', fraction: 0 });
    try {
      const bytes = await readFileBytes(file, (fraction) => setUpload({ fileName: file.name, stage: 'reading', fraction }));
      setUpload({ fileName: file.name, stage: 'importing', fraction: 1 });
      const imported = await call('datasets:importImages', {
        source: { kind: 'upload', fileName: file.name, base64: bytesToBase64(bytes) },
      });
      setUpload(null);
      onImported(imported);
    } catch (error) {
      setUpload(null);
      setUploadError(messageOf(error));
    }
  };

  const importingText =
    step !== null
      ? 'Importing… the images go into the app’s database on first use (about 20 s for CIFAR-10’s 60,000).'
      : 'Loading sample images…';

  return (
    <Stack gap="lg" data-testid="image-data-panel">
      <Section
        title="Sample images"
        aside={
          <Button
            size="compact-sm"
            variant="subtle"
            leftSection={<Shuffle size={14} aria-hidden />}
            onClick={() => setSeed((s) => s + 1)}
            disabled={loading}
          >
            Other samples
          </Button>
        }
      >
        <Stack gap="md">
          <Switch
            label="Show as augmented for training"
            description={
              augments(augmentation)
                ? 'The same images with the random flip and crop one training epoch would give them'
                : 'Turn on the flip or the crop padding to see what augmentation does'
            }
            checked={augmentedView}
            onChange={(e) => setAugmentedView(e.currentTarget.checked)}
          />
          {current?.status === 'ready' ? (
            <div data-testid="sample-grid" data-augmented={augmentedView}>
              <ImageGrid
                width={current.tiles.width}
                height={current.tiles.height}
                tiles={current.tiles.tiles}
                columns={8}
                tileSize={80}
                ariaLabel={`${current.tiles.tiles.length} training images${augmentedView ? ', as augmented for training' : ''}: ${current.tiles.tiles.map((t) => t.className).join(', ')}`}
              />
            </div>
          ) : current?.status === 'error' ? (
            <Alert color="red" title="The sample images could not be shown" role="alert">
              {current.message}
            </Alert>
          ) : (
            <HostProgress step={step} label={importingText} />
          )}
        </Stack>
      </Section>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Section title="Image dataset">
          <Stack gap="md">
            {record?.kind === 'image' ? (
              <DatasetFacts record={record} spec={spec} />
            ) : current?.status === 'error' ? null : (
              <Text size="sm" c="dimmed">
                Reading the dataset’s size and classes…
              </Text>
            )}
            <div>
              <Group gap="xs" data-testid="image-import">
                <FileButton onChange={(f) => f && void onFile(f)} accept={IMAGE_ARCHIVE_ACCEPT}>
                  {(p) => (
                    <Button
                      {...p}
                      variant="light"
                      leftSection={<FileArchive size={16} aria-hidden />}
                      disabled={upload !== null}
                    >
                      Import images…
                    </Button>
                  )}
                </FileButton>
                <Text size="xs" c="dimmed">
                  A .zip or .tar.gz of one folder per class, CIFAR-10 (binary version) or MNIST-style IDX files
                </Text>
              </Group>
              {upload && (
                <Stack mt="sm" gap={4}>
                  {upload.stage === 'reading' ? (
                    <>
                      <Text size="sm">Reading {upload.fileName}…</Text>
                      <Progress aria-label="Image import progress" value={Math.round(upload.fraction * 100)} />
                    </>
                  ) : (
                    <HostProgress step={step} label={`Importing ${upload.fileName}…`} />
                  )}
                </Stack>
              )}
              {uploadError && (
                <Alert
                  mt="sm"
                  color="red"
                  title="The images could not be imported"
                  withCloseButton
                  onClose={() => setUploadError(null)}
                  role="alert"
                >
                  {uploadError}
                </Alert>
              )}
            </div>
          </Stack>
        </Section>

        <Section title="Augmentation and normalisation">
          <Stack gap="md">
            <Switch
              label="Horizontal flip"
              description="Mirror training images left to right at random, a new choice every epoch"
              checked={augmentation.horizontalFlip}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                editData(
                  (d) => ({ ...d, augmentation: { ...d.augmentation, horizontalFlip: on } }),
                  on ? 'Flip training images' : 'Stop flipping training images',
                );
              }}
            />
            <NumberInput
              label="Crop padding"
              description="Pad training images by this many pixels, then crop them back to size at a random place (the lesson uses 4; 0 is off)"
              value={augmentation.cropPadding}
              min={0}
              max={8}
              step={1}
              allowDecimal={false}
              suffix=" px"
              w={420}
              clampBehavior="strict"
              onChange={(v) => {
                const n = typeof v === 'number' ? v : Number(v);
                if (!Number.isFinite(n) || v === '') return;
                const padding = clampCropPadding(n);
                if (padding === augmentation.cropPadding) return;
                editData(
                  (d) => ({ ...d, augmentation: { ...d.augmentation, cropPadding: padding } }),
                  'Change crop padding',
                  'data-crop-padding',
                );
              }}
            />
            <Select
              label="Normalisation"
              description="How pixel values are scaled before they reach the network"
              data={normalizationOptions}
              value={spec.normalization}
              allowDeselect={false}
              onChange={(v) => {
                if (isNormalization(v) && v !== spec.normalization) {
                  editData((d) => ({ ...d, normalization: v }), 'Change normalisation');
                }
              }}
              comboboxProps={{ withinPortal: true }}
            />
          </Stack>
        </Section>
      </SimpleGrid>

    </Stack>
  );
}
