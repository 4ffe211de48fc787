import {
  Alert,
  Button,
  Center,
  Group,
  Loader,
  Modal,
  Paper,
  ScrollArea,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { History } from 'lucide-react';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { RunRecord, RunSummary } from '../../../../shared/api/records';
import { EChart } from '../../app/EChart';
import { useProjectStore } from '../../app/useProjectStore';
import { navigate } from '../../app/useRoute';
import { useRunsStore } from '../training/useRunsStore';
import { overlayOption } from './compareModel';
import { NoRunsCard } from './NoRunsCard';
import { useProjectRuns } from './useProjectRuns';
import { RunsTable } from './RunsTable';
import { SettingsDiffTable } from './SettingsDiffTable';
import { messageOf } from '../../../../shared/api/errorMessage';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={title}>
      <Title order={3} size="h5" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** The selected runs compared: loss curves overlaid and settings side by side. */
function Comparison({ runIds }: { runIds: number[] }) {
  const details = useRunsStore((s) => s.details);
  const traces = useRunsStore((s) => s.traces);
  useEffect(() => {
    for (const id of runIds)
      void useRunsStore
        .getState()
        .loadRun(id)
        .catch(() => undefined);
  }, [runIds]);
  const loaded = useMemo(() => runIds.flatMap((id) => (details[id] ? [details[id]] : [])), [runIds, details]);
  const option = useMemo(
    () =>
      overlayOption(
        loaded.map((d) => {
          const trace = traces[d.run.id];
          // A run still training has fresher epochs in its live trace than in the fetched record.
          const epochs = trace && trace.epochs.length > d.epochs.length ? trace.epochs : d.epochs;
          return { run: d.run, epochs };
        }),
      ),
    [loaded, traces],
  );
  if (loaded.length < runIds.length) {
    return (
      <Center py="lg">
        <Loader size="sm" aria-label="Loading the selected runs" />
      </Center>
    );
  }
  const records: RunRecord[] = loaded.map((d) => d.run);
  return (
    <Stack gap="md">
      <Section title="Loss curves">
        <EChart option={option} ariaLabel="Loss curves of the selected runs" style={{ height: 340 }} />
        <Text size="xs" c="dimmed" data-testid="overlay-runs" data-runs={records.map((r) => r.id).join(',')}>
          {records.length} {records.length === 1 ? 'run' : 'runs'} overlaid: solid lines are training loss,
          dashed lines validation loss.
        </Text>
      </Section>
      <Section title="Settings side by side">
        <SettingsDiffTable runs={records} />
      </Section>
    </Stack>
  );
}

/** The project's run history: compare, re-run with the same settings, open results, delete. */
export function RunsView({ projectId }: { projectId: number }) {
  const { runs, listed, listError } = useProjectRuns(projectId);
  const updateDocument = useProjectStore((s) => s.updateDocument);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [confirm, setConfirm] = useState<RunSummary | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const anyLive = runs.some((r) => r.status === 'running' || r.status === 'queued');

  useEffect(() => {
    // Running durations tick; nothing else here changes with time.
    if (!anyLive) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [anyLive]);

  const ids = useMemo(() => new Set(runs.map((r) => r.id)), [runs]);
  const compared = useMemo(
    () =>
      runs
        .filter((r) => selected.has(r.id) && ids.has(r.id))
        .map((r) => r.id)
        .reverse(),
    [runs, selected, ids],
  );

  const rerun = async (run: RunSummary) => {
    setActionError(null);
    try {
      const detail = await useRunsStore.getState().loadRun(run.id);
      updateDocument(
        (doc) => ({ ...doc, training: detail.run.document.training }),
        `Use the settings of run #${run.id}`,
      );
      navigate({ view: 'project', projectId, tab: 'training' });
    } catch (error) {
      setActionError(messageOf(error));
    }
  };

  const remove = async (run: RunSummary) => {
    setDeleting(true);
    try {
      await useRunsStore.getState().deleteRun(projectId, run.id);
      setSelected((s) => new Set([...s].filter((id) => id !== run.id)));
      setConfirm(null);
    } catch (error) {
      setActionError(messageOf(error));
      setConfirm(null);
    } finally {
      setDeleting(false);
    }
  };

  if (!listed && !listError) {
    return (
      <Center h="100%">
        <Loader aria-label="Loading the runs" />
      </Center>
    );
  }

  return (
    <ScrollArea h="100%" type="auto">
      <Stack p="lg" gap="md" maw={1500} mx="auto" data-testid="runs-view">
        <div>
          <Title order={2} size="h3">
            Runs
          </Title>
          <Text size="sm" c="dimmed">
            Every training run of this project. Tick two or more to compare their curves and settings.
          </Text>
        </div>

        {listError && (
          <Alert color="red" title="The runs could not be listed">
            {listError}
          </Alert>
        )}
        {actionError && (
          <Alert
            color="red"
            title="That did not work"
            withCloseButton
            onClose={() => setActionError(null)}
            role="alert"
          >
            {actionError}
          </Alert>
        )}

        {runs.length === 0 ? (
          <NoRunsCard
            projectId={projectId}
            icon={History}
            title="No runs yet: set up the data and press Train"
          >
            Each training run is kept here with its settings, curves and results, so you can compare them.
          </NoRunsCard>
        ) : (
          <Paper withBorder radius="md" p="xs">
            <RunsTable
              runs={runs}
              selected={selected}
              now={now}
              onSelect={(id, on) =>
                setSelected((s) => {
                  const next = new Set(s);
                  if (on) next.add(id);
                  else next.delete(id);
                  return next;
                })
              }
              onSelectAll={(on) => setSelected(on ? new Set(runs.map((r) => r.id)) : new Set())}
              onResults={(run) => {
                useRunsStore.getState().chooseResultsRun(projectId, run.id);
                navigate({ view: 'project', projectId, tab: 'results' });
              }}
              onRerun={(run) => void rerun(run)}
              onDelete={setConfirm}
            />
          </Paper>
        )}

        {compared.length > 0 ? (
          <Comparison runIds={compared} />
        ) : (
          runs.length > 0 && (
            <Text size="sm" c="dimmed">
              Tick runs in the list to overlay their loss curves and see their settings side by side.
            </Text>
          )
        )}
      </Stack>

      <Modal
        opened={confirm !== null}
        onClose={() => setConfirm(null)}
        title={confirm ? `Delete run #${confirm.id}?` : ''}
        centered
      >
        <Text size="sm">
          Its epochs, trained model and results are deleted for good. The project itself stays.
        </Text>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={() => setConfirm(null)}>
            Cancel
          </Button>
          <Button color="red" loading={deleting} onClick={() => confirm && void remove(confirm)}>
            Delete run
          </Button>
        </Group>
      </Modal>
    </ScrollArea>
  );
}
