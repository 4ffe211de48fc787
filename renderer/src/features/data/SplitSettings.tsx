import { Group, NumberInput, Slider, Stack, Switch, Text } from '@mantine/core';
import { MAX_TEST_PERCENT, MIN_TEST_PERCENT, clampTestPercent } from './dataModel';

interface Props {
  testFraction: number;
  standardize: boolean;
  /** Images have no standardise switch (they use their normalisation). */
  tabular: boolean;
  rows: number | null;
  onTestPercent(percent: number): void;
  onStandardize(on: boolean): void;
}

/** The test split (slider and number) and the standardise switch. */
export function SplitSettings({ testFraction, standardize, tabular, rows, onTestPercent, onStandardize }: Props) {
  const percent = Math.round(testFraction * 100);
  const testRows = rows === null ? null : Math.ceil((percent / 100) * rows);
  return (
    <Stack gap="md">
      <div>
        <Group justify="space-between" mb={6}>
          <Text size="sm" fw={500}>
            Test split
          </Text>
          <NumberInput
            aria-label="Test split in percent"
            value={percent}
            min={MIN_TEST_PERCENT}
            max={MAX_TEST_PERCENT}
            step={1}
            suffix=" %"
            w={96}
            size="xs"
            clampBehavior="blur"
            onChange={(v) => {
              const n = typeof v === 'number' ? v : Number(v);
              if (Number.isFinite(n) && n >= MIN_TEST_PERCENT && n <= MAX_TEST_PERCENT) onTestPercent(clampTestPercent(n));
            }}
          />
        </Group>
        <Slider
          thumbLabel="Test split"
          min={MIN_TEST_PERCENT}
          max={MAX_TEST_PERCENT}
          step={1}
          value={percent}
          onChange={(v) => onTestPercent(clampTestPercent(v))}
          label={(v) => `${v} %`}
          marks={[
            { value: 10, label: '10 %' },
            { value: 20, label: '20 %' },
            { value: 30, label: '30 %' },
            { value: 40, label: '40 %' },
            { value: 50, label: '50 %' },
          ]}
          mb="lg"
          mx={10}
        />
        <Text size="xs" c="dimmed">
          {testRows === null
            ? 'Held out to test the trained network; also used as the validation set during training.'
            : `${testRows.toLocaleString('en-US')} of ${rows!.toLocaleString('en-US')} rows are held out to test the trained network (and to validate it during training).`}
        </Text>
      </div>
      {tabular && (
        <Switch
          label="Standardise features"
          description="Scale every feature to mean 0 and standard deviation 1, fitted on the training rows"
          checked={standardize}
          onChange={(e) => onStandardize(e.currentTarget.checked)}
        />
      )}
    </Stack>
  );
}
