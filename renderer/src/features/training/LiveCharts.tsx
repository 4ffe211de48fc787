import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { Task } from '../../../../shared/data/types';
import { EChart } from '../../app/EChart';
import { curveMetric, lossChartOption, metricChartOption, metricLabels } from './chartOptions';
import type { RunTrace } from './runsState';

/** Taller on tall windows, never cramped on small ones. */
const CHART_HEIGHT = 'clamp(260px, 34vh, 440px)';

interface Props {
  trace: RunTrace;
  plannedEpochs: number;
  task: Task | null;
}

/**
 * Loss and metric curves of a run. The store hands over new epochs at most once a frame, and the
 * options only change when the records do, so the charts update in place without blocking the editor.
 */
export function LiveCharts({ trace, plannedEpochs, task }: Props) {
  const epochs = trace.epochs;
  const batchLoss = trace.batchLoss;
  const metric = curveMetric(epochs, task);
  const loss = useMemo(
    () => lossChartOption({ epochs, batchLoss, plannedEpochs }),
    [epochs, batchLoss, plannedEpochs],
  );
  const fromZero = batchLoss.length > 0;
  const metricOption = useMemo(
    () => metricChartOption({ epochs, metric, plannedEpochs, fromZero }),
    [epochs, metric, plannedEpochs, fromZero],
  );
  const plotted = epochs.length;
  return (
    <div>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Paper withBorder radius="md" p="sm" component="figure" m={0}>
          <Text component="figcaption" size="sm" fw={600} px={4}>
            Loss
          </Text>
          <EChart option={loss} ariaLabel="Loss chart" style={{ height: CHART_HEIGHT }} />
        </Paper>
        <Paper withBorder radius="md" p="sm" component="figure" m={0}>
          <Text component="figcaption" size="sm" fw={600} px={4}>
            {metricLabels[metric]}
          </Text>
          <EChart
            option={metricOption}
            ariaLabel={`${metricLabels[metric]} chart`}
            style={{ height: CHART_HEIGHT }}
          />
        </Paper>
      </SimpleGrid>
      <Text
        size="xs"
        c="dimmed"
        mt={6}
        data-testid="plotted-epochs"
        data-epochs={plotted}
        data-first-epoch={epochs[0]?.epoch ?? 0}
        aria-live="polite"
      >
        {plotted} of {plannedEpochs} epochs plotted
      </Text>
    </div>
  );
}
