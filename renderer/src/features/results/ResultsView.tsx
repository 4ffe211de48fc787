import {
  Alert,
  Box,
  Center,
  Group,
  Loader,
  NativeSelect,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { BarChart3 } from 'lucide-react';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { RunDetail } from '../../../../shared/api/contract';
import type { RunSummary } from '../../../../shared/api/records';
import { EChart } from '../../app/EChart';
import { runStatusLabels } from '../runs/compareModel';
import { NoRunsCard } from '../runs/NoRunsCard';
import { useProjectRuns } from '../runs/useProjectRuns';
import { useRunsStore } from '../training/useRunsStore';
import { settingsSummary } from '../training/trainingForm';
import { MisclassifiedGallery } from './MisclassifiedGallery';
import { TryItPanel } from './TryItPanel';
import { ReportTable } from './ReportTable';
import {
  classNames,
  confusionMatrixOption,
  metricCards,
  perClassAccuracyOption,
  rocOption,
  scatterOption,
} from './resultsModel';

function hasResults(r: RunSummary): boolean {
  return (r.status === 'completed' || r.status === 'stopped') && r.headline !== null;
}

function Card({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={title} data-testid={testId}>
      <Title order={3} size="h5" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Results({ detail }: { detail: RunDetail }) {
  const test = detail.run.test;
  const names = useMemo(() => (test ? classNames(test) : []), [test]);
  const cmOption = useMemo(
    () => (test && test.task !== 'regression' ? confusionMatrixOption(test.confusion_matrix, names) : null),
    [test, names],
  );
  const rocChart = useMemo(
    () => (test && test.task === 'binary' && test.roc ? rocOption(test.roc, test.auc) : null),
    [test],
  );
  const perClass = useMemo(
    () =>
      test && test.task === 'multiclass' ? perClassAccuracyOption(names, test.per_class_accuracy) : null,
    [test, names],
  );
  const scatter = useMemo(
    () => (test?.task === 'regression' && detail.predictions ? scatterOption(detail.predictions) : null),
    [test, detail.predictions],
  );
  if (!test) {
    return (
      <Alert color="yellow" title="This run has no test results">
        {detail.run.error ?? 'It ended before the test split was evaluated: train again to get results.'}
      </Alert>
    );
  }
  const cards = metricCards(test);
  // Any run that ended with a trained model can answer new inputs.
  const canTry =
    detail.run.hasModel && (detail.run.status === 'completed' || detail.run.status === 'stopped');
  const cmHeight = Math.min(560, Math.max(280, 70 + names.length * 44));
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, md: cards.length }} spacing="md" aria-label="Test metrics">
        {cards.map((c) => (
          <Paper key={c.label} withBorder radius="md" p="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {c.label}
            </Text>
            <Text size="xl" fw={700} ff="monospace" data-testid={`metric-${c.label}`}>
              {c.value}
            </Text>
            <Text size="xs" c="dimmed">
              {c.hint}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>

      {test.task === 'regression' ? (
        <Card title="Predicted against actual">
          {scatter ? (
            <EChart option={scatter} ariaLabel="Predicted against actual values" style={{ height: 420 }} />
          ) : (
            <Text size="sm" c="dimmed">
              This run kept no predictions to plot.
            </Text>
          )}
        </Card>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <Card title="Confusion matrix" testId="confusion-matrix">
              {cmOption && (
                <EChart option={cmOption} ariaLabel="Confusion matrix" style={{ height: cmHeight }} />
              )}
              <Text size="xs" c="dimmed" mt={4}>
                Rows are the true classes, columns the predicted ones; the diagonal counts correct answers.
              </Text>
            </Card>
            {rocChart ? (
              <Card title="ROC curve">
                <EChart option={rocChart} ariaLabel="ROC curve" style={{ height: cmHeight }} />
              </Card>
            ) : perClass ? (
              <Card title="Accuracy by class">
                <EChart option={perClass} ariaLabel="Accuracy by class" style={{ height: cmHeight }} />
              </Card>
            ) : null}
          </SimpleGrid>
          <Card title="Classification report">
            <ReportTable report={test.report} />
          </Card>
          {canTry && <TryItPanel run={detail.run} />}
          {detail.run.document.data?.format === 'images' && detail.run.hasPredictions && (
            <MisclassifiedGallery runId={detail.run.id} />
          )}
        </>
      )}
      {test.task === 'regression' && canTry && <TryItPanel run={detail.run} />}
    </Stack>
  );
}

/** Test metrics and charts of the latest completed run, or of the run chosen in the Runs view. */
export function ResultsView({ projectId }: { projectId: number }) {
  const { runs, listed, listError } = useProjectRuns(projectId);
  const chosen = useRunsStore((s) => s.resultsRunByProject[projectId]);
  const details = useRunsStore((s) => s.details);
  const [error, setError] = useState<{ runId: number; message: string } | null>(null);

  const withResults = useMemo(() => runs.filter(hasResults), [runs]);
  const runId = chosen ?? withResults[0]?.id;
  const detail = runId === undefined ? undefined : details[runId];

  useEffect(() => {
    if (runId === undefined) return;
    useRunsStore
      .getState()
      .loadRun(runId)
      .catch((e: unknown) => setError({ runId, message: e instanceof Error ? e.message : String(e) }));
  }, [runId]);

  if (!listed && !listError) {
    return (
      <Center h="100%">
        <Loader aria-label="Loading the runs" />
      </Center>
    );
  }

  const options = runs
    .filter((r) => hasResults(r) || r.id === runId)
    .map((r) => ({
      value: String(r.id),
      label: `#${r.id} · ${settingsSummary(r.settings)}${r.status === 'completed' ? '' : ` (${runStatusLabels[r.status].toLowerCase()})`}`,
    }));

  return (
    <ScrollArea h="100%" type="auto">
      <Stack p="lg" gap="md" maw={1500} mx="auto" data-testid="results-view">
        <Group justify="space-between" align="flex-end" wrap="nowrap">
          <div>
            <Title order={2} size="h3">
              Results
            </Title>
            <Text size="sm" c="dimmed">
              How the trained network does on the test rows it never saw during training.
            </Text>
          </div>
          {options.length > 0 && (
            <NativeSelect
              label="Run"
              w={460}
              data={options}
              value={runId === undefined ? '' : String(runId)}
              onChange={(e) =>
                useRunsStore.getState().chooseResultsRun(projectId, Number(e.currentTarget.value))
              }
            />
          )}
        </Group>

        {listError && (
          <Alert color="red" title="The runs could not be listed">
            {listError}
          </Alert>
        )}
        {error && error.runId === runId && (
          <Alert color="red" title="The run could not be loaded">
            {error.message}
          </Alert>
        )}

        {runId === undefined ? (
          <NoRunsCard projectId={projectId} icon={BarChart3} title="No results yet">
            Train the network in the Training view: when a run completes, its test metrics, confusion matrix
            or predictions show here.
          </NoRunsCard>
        ) : detail ? (
          <Box>
            <Results detail={detail} />
          </Box>
        ) : (
          !error && (
            <Center py="xl">
              <Loader aria-label="Loading the run" />
            </Center>
          )
        )}
      </Stack>
    </ScrollArea>
  );
}
