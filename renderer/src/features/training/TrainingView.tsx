import {
  Alert,
  Box,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  ScrollArea,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { Activity, ArrowRight, Play, Square } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useProjectStore } from '../../app/useProjectStore';
import { navigate } from '../../app/useRoute';
import { useDataContextSync } from '../data/useDataContextSync';
import { useDatasetStore } from '../data/useDatasetStore';
import { LiveCharts } from './LiveCharts';
import { RunProgressPanel } from './RunProgressPanel';
import { TrainingForm } from './TrainingForm';
import { applyEdit, type SettingsEdit } from './trainingForm';
import { trainBlocker } from './trainReadiness';
import { useRunsStore } from './useRunsStore';
import { messageOf } from '../../../../shared/api/errorMessage';

/** The run's settings, Train and Stop, live progress and the loss and metric curves. */
export function TrainingView({ projectId }: { projectId: number }) {
  useDataContextSync();
  const document = useProjectStore((s) => (s.projectId === projectId ? s.document : null));
  const analysis = useProjectStore((s) => s.analysis);
  const updateDocument = useProjectStore((s) => s.updateDocument);
  const trace = useRunsStore((s) => s.currentTrace(projectId));
  const activeId = useRunsStore((s) => s.activeByProject[projectId]);
  const backend = useRunsStore((s) => s.backend);
  const summary = useRunsStore((s) =>
    trace ? s.lists[projectId]?.find((r) => r.id === trace.runId) : undefined,
  );
  const storedSource = document?.data?.source.kind === 'stored' ? document.data.source.id : null;
  const storedImages = useDatasetStore(
    (s) => storedSource !== null && s.stored?.find((d) => String(d.id) === storedSource)?.kind === 'image',
  );
  // Image datasets have no target column: their folders or label column give the classes.
  const imageData = storedImages || document?.data?.format === 'images';
  const [starting, setStarting] = useState(false);
  const [stopping, setStopping] = useState<number | null>(null);
  const [startError, setStartError] = useState<string | null>(null);

  useEffect(() => {
    void useRunsStore
      .getState()
      .loadCurrent(projectId)
      .catch(() => undefined);
  }, [projectId]);

  if (!document) {
    return (
      <Center h="100%">
        <Loader aria-label="Loading the project" />
      </Center>
    );
  }

  const running = activeId !== undefined;
  const blocker = trainBlocker(document, analysis, { running, imageData });
  const task = analysis?.task ?? null;

  const onEdit = (edit: SettingsEdit, label: string): string | null => {
    const current = useProjectStore.getState().document;
    if (!current) return null;
    const result = applyEdit(current.training, edit);
    if (!result.ok) return result.message;
    updateDocument((doc) => ({ ...doc, training: result.settings }), label, {
      mergeKey: `training-${edit.kind}`,
    });
    return null;
  };

  const train = async () => {
    setStarting(true);
    setStartError(null);
    try {
      const store = useProjectStore.getState();
      await store.flushSave();
      const doc = useProjectStore.getState().document;
      if (doc) await useRunsStore.getState().start(projectId, doc);
    } catch (error) {
      setStartError(messageOf(error));
    } finally {
      setStarting(false);
    }
  };

  const stop = async () => {
    if (activeId === undefined) return;
    setStopping(activeId);
    try {
      await useRunsStore.getState().stop(activeId);
    } catch (error) {
      setStartError(messageOf(error));
    } finally {
      setStopping(null);
    }
  };

  const openResults = () => {
    if (!trace) return;
    useRunsStore.getState().chooseResultsRun(projectId, trace.runId);
    navigate({ view: 'project', projectId, tab: 'results' });
  };

  const plannedEpochs = trace ? trace.progress.epochs || document.training.epochs : document.training.epochs;

  return (
    <Box h="100%" style={{ display: 'flex', minHeight: 0 }} data-testid="training-view">
      <Box
        component="aside"
        aria-label="Training settings"
        w={360}
        miw={320}
        style={{ borderRight: '1px solid var(--mantine-color-default-border)', flexShrink: 0 }}
      >
        <ScrollArea h="100%" type="auto">
          <Box p="lg">
            <Title order={2} size="h4" mb="md">
              Settings
            </Title>
            <TrainingForm
              settings={document.training}
              backend={backend}
              disabled={running}
              onEdit={onEdit}
              onBackend={(b) => useRunsStore.getState().setBackend(b)}
            />
          </Box>
        </ScrollArea>
      </Box>

      <ScrollArea style={{ flex: 1, minWidth: 0 }} h="100%" type="auto">
        <Stack p="lg" gap="md" maw={1500}>
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Title order={2} size="h3">
                Training
              </Title>
              <Text size="sm" c="dimmed">
                Trains the network on the training rows and checks it on the held-out test rows after every
                epoch.
              </Text>
            </div>
            <Group gap="sm" wrap="nowrap">
              {running ? (
                <Button
                  color="red"
                  variant="light"
                  leftSection={<Square size={16} aria-hidden />}
                  onClick={() => void stop()}
                  loading={stopping !== null}
                >
                  Stop
                </Button>
              ) : null}
              <Button
                leftSection={<Play size={16} aria-hidden />}
                onClick={() => void train()}
                disabled={blocker !== null}
                loading={starting}
              >
                Train
              </Button>
            </Group>
          </Group>

          {blocker && blocker.view !== null && (
            <Alert
              color={blocker.kind === 'graph' ? 'orange' : 'blue'}
              title={blocker.kind === 'graph' ? 'Fix the network first' : 'Set up the data first'}
            >
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text size="sm">{blocker.message}</Text>
                <Button
                  size="xs"
                  variant="subtle"
                  style={{ flexShrink: 0 }}
                  rightSection={<ArrowRight size={14} aria-hidden />}
                  onClick={() => navigate({ view: 'project', projectId, tab: blocker.view })}
                >
                  {blocker.view === 'editor' ? 'Open the Editor' : 'Open the Data view'}
                </Button>
              </Group>
            </Alert>
          )}
          {startError && (
            <Alert
              color="red"
              title="Training could not start"
              withCloseButton
              onClose={() => setStartError(null)}
              role="alert"
            >
              {startError}
            </Alert>
          )}

          {trace ? (
            <>
              <Paper withBorder radius="md" p="md">
                <RunProgressPanel trace={trace} summary={summary} onResults={openResults} />
              </Paper>
              <LiveCharts trace={trace} plannedEpochs={plannedEpochs} task={task} />
            </>
          ) : (
            <Paper withBorder radius="md" p="xl">
              <Stack align="center" gap="xs" py="xl">
                <Activity size={32} aria-hidden color="var(--mantine-color-dimmed)" />
                <Text fw={600}>No runs yet</Text>
                <Text size="sm" c="dimmed" ta="center" maw={460}>
                  Set up the data, choose the settings on the left and press Train: the loss and{' '}
                  {task === 'regression' ? 'error' : 'accuracy'} curves appear here as the network learns.
                </Text>
              </Stack>
            </Paper>
          )}
        </Stack>
      </ScrollArea>
    </Box>
  );
}
