import { Alert, Group, Loader, Paper, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { RequestResult } from '../../../../shared/api/contract';
import { call } from '../../api/host';
import { ImageGrid } from '../../app/ImageGrid';

/** Most images the gallery shows. */
const LIMIT = 24;

/** The latest answer, for the run it answers; another run id means that run's request is still loading. */
type Gallery =
  | { status: 'ready'; runId: number; result: RequestResult<'runs:misclassified'> }
  | { status: 'error'; runId: number; message: string };

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)} %` : '–';
}

/** The test images a finished run of an image project got wrong, captioned "true → predicted". */
export function MisclassifiedGallery({ runId }: { runId: number }) {
  const [gallery, setGallery] = useState<Gallery | null>(null);

  useEffect(() => {
    let stale = false;
    call('runs:misclassified', { runId, limit: LIMIT })
      .then((result) => !stale && setGallery({ status: 'ready', runId, result }))
      .catch(
        (e: unknown) =>
          !stale &&
          setGallery({ status: 'error', runId, message: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      stale = true;
    };
  }, [runId]);

  const current = gallery?.runId === runId ? gallery : null;

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-label="Misclassified test images"
      data-testid="misclassified-gallery"
    >
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={3} size="h5">
          Misclassified test images
        </Title>
        {current?.status === 'ready' && (
          <Text size="sm" c="dimmed" data-testid="misclassified-count">
            {current.result.total.toLocaleString('en-US')} of{' '}
            {current.result.testCount.toLocaleString('en-US')} test images misclassified (
            {percent(current.result.total, current.result.testCount)})
          </Text>
        )}
      </Group>
      {current === null ? (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">Finding the test images the network got wrong…</Text>
        </Group>
      ) : current.status === 'error' ? (
        <Alert color="red" title="The misclassified images could not be shown" role="alert">
          {current.message}
        </Alert>
      ) : current.result.tiles.length === 0 ? (
        <Text size="sm" c="dimmed">
          The network classified every test image correctly.
        </Text>
      ) : (
        <>
          <ImageGrid
            width={current.result.width}
            height={current.result.height}
            tiles={current.result.tiles}
            tileSize={72}
            caption={(t) => `${t.className} → ${t.predictedName ?? String(t.predicted ?? '?')}`}
            ariaLabel={`${current.result.tiles.length} misclassified test images, true class → predicted class: ${current.result.tiles
              .map((t) => `${t.className} → ${t.predictedName ?? '?'}`)
              .join(', ')}`}
          />
          <Text size="xs" c="dimmed" mt="sm">
            Each caption says the true class, then the class the network chose
            {current.result.total > current.result.tiles.length
              ? `; the first ${current.result.tiles.length} of them in test-set order are shown.`
              : '.'}
          </Text>
        </>
      )}
    </Paper>
  );
}
