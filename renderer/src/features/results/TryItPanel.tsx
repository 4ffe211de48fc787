import {
  Alert,
  Box,
  Button,
  FileButton,
  Grid,
  Group,
  Loader,
  NativeSelect,
  NumberInput,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { CircleCheck, CircleX, ImageUp, RefreshCw, Sparkles } from 'lucide-react';
import { useEffect, useRef, useState, type DragEvent, type FormEvent, type ReactNode } from 'react';
import type {
  ImageTile,
  Prediction,
  PredictForm,
  PredictInput,
  RunPredictResult,
} from '../../../../shared/api/contract';
import type { RunRecord } from '../../../../shared/api/records';
import { call } from '../../api/host';
import { fileToBase64 } from '../../app/files';
import { ImageGrid } from '../../app/ImageGrid';
import {
  IMAGE_ACCEPT,
  TEST_IMAGES_SHOWN,
  TEST_ROWS_SHOWN,
  exampleFields,
  exampleLabel,
  fieldProblem,
  imageFileProblem,
  imageSizeText,
  matchesExample,
  nextOffset,
  probabilityBars,
  rowOf,
  valueText,
} from './tryItModel';
import { messageOf } from '../../../../shared/api/errorMessage';

type TabularForm = Extract<PredictForm, { kind: 'tabular' }>;
type ImageForm = Extract<PredictForm, { kind: 'image' }>;

/** A prediction request's state; `null` before the first one. */
type Outcome =
  | { status: 'loading' }
  | { status: 'ready'; result: RunPredictResult }
  | { status: 'error'; message: string };

/**
 * Asks the run's model, keeping only the answer to the latest question (a slow answer to an earlier
 * pick must not replace the one on screen).
 */
function usePredict(runId: number): [Outcome | null, (input: PredictInput) => void, () => void] {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const latest = useRef(0);
  const ask = (input: PredictInput) => {
    const ticket = ++latest.current;
    setOutcome({ status: 'loading' });
    call('runs:predict', { runId, input })
      .then((result) => ticket === latest.current && setOutcome({ status: 'ready', result }))
      .catch(
        (e: unknown) => ticket === latest.current && setOutcome({ status: 'error', message: messageOf(e) }),
      );
  };
  const clear = () => {
    latest.current++;
    setOutcome(null);
  };
  return [outcome, ask, clear];
}

/** The network's answer for one input: the value, or the chosen class and one bar a class. */
function PredictionView({
  prediction,
  classNames,
  targetName,
  actual,
  stale,
}: {
  prediction: Prediction;
  classNames: readonly string[] | null;
  targetName: string | null;
  /** The true target, when the input is one of the test set's. */
  actual: string | null;
  /** The inputs changed since: the answer is for the earlier ones. */
  stale: boolean;
}) {
  const faded = { opacity: stale ? 0.5 : 1, transition: 'opacity 120ms' };
  if ('value' in prediction) {
    return (
      <Stack gap={4} style={faded}>
        <Text size="sm" c="dimmed" fw={600}>
          Predicted {targetName ?? 'value'}
        </Text>
        <Text fz={32} fw={700} ff="monospace" lh={1.1} data-testid="predicted-value">
          {valueText(prediction.value)}
        </Text>
        {actual !== null && (
          <Text size="sm" c="dimmed">
            Actual value of this test row: <b>{actual}</b>
          </Text>
        )}
      </Stack>
    );
  }
  const bars = probabilityBars(prediction, classNames);
  const top = bars[prediction.classIndex];
  const right = actual === null ? null : actual === prediction.className;
  return (
    <Stack gap="xs" style={faded}>
      <div>
        <Text size="sm" c="dimmed" fw={600}>
          Predicted {targetName ?? 'class'}
        </Text>
        <Group gap="xs" align="baseline">
          <Text fz={28} fw={700} lh={1.2} data-testid="predicted-class">
            {prediction.className}
          </Text>
          {top && (
            <Text size="sm" c="dimmed" ff="monospace">
              {top.percent}
            </Text>
          )}
        </Group>
        {actual !== null && (
          <Group gap={6} mt={2}>
            {right ? (
              <CircleCheck size={16} color="var(--mantine-color-green-6)" aria-hidden />
            ) : (
              <CircleX size={16} color="var(--mantine-color-red-6)" aria-hidden />
            )}
            <Text size="sm" c="dimmed">
              True class: <b>{actual}</b> ({right ? 'right' : 'wrong'})
            </Text>
          </Group>
        )}
      </div>
      <Stack gap={6} role="list" aria-label="Probability of each class" data-testid="class-probabilities">
        {bars.map((bar) => (
          <Group
            key={bar.name}
            gap="sm"
            wrap="nowrap"
            role="listitem"
            aria-label={`${bar.name}: ${bar.percent}`}
          >
            <Text size="sm" w={96} truncate="end" fw={bar.top ? 700 : 400} title={bar.name}>
              {bar.name}
            </Text>
            <Progress
              value={bar.probability * 100}
              color={bar.top ? undefined : 'gray'}
              size="lg"
              radius="sm"
              style={{ flex: 1 }}
              aria-hidden
            />
            <Text size="sm" ff="monospace" w={64} ta="right">
              {bar.percent}
            </Text>
          </Group>
        ))}
      </Stack>
    </Stack>
  );
}

function OutcomeView({
  outcome,
  idle,
  render,
}: {
  outcome: Outcome | null;
  idle: string;
  render: (result: RunPredictResult) => ReactNode;
}) {
  if (outcome === null) {
    return (
      <Text size="sm" c="dimmed">
        {idle}
      </Text>
    );
  }
  switch (outcome.status) {
    case 'loading':
      return (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">Asking the network…</Text>
        </Group>
      );
    case 'error':
      return (
        <Alert color="red" title="No prediction" role="alert">
          {outcome.message}
        </Alert>
      );
    case 'ready':
      return render(outcome.result);
  }
}

/** One number field a feature, prefilled with a test row; Predict (or Enter) asks the network. */
function TabularTryIt({ form }: { form: TabularForm }) {
  const [exampleIndex, setExampleIndex] = useState(0);
  const example = form.examples[exampleIndex];
  const [fields, setFields] = useState(() => exampleFields(form.examples[0], form.features.length));
  const [attempted, setAttempted] = useState(false);
  const [asked, setAsked] = useState<string[] | null>(null);
  const [outcome, ask, clear] = usePredict(form.runId);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (fields.some((f) => fieldProblem(f) !== null)) return;
    setAsked([...fields]);
    ask({ kind: 'rows', rows: [rowOf(form.features, fields)] });
  };
  const stale = asked !== null && asked.some((f, j) => f !== fields[j]);

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <form onSubmit={submit} aria-label="Feature values" noValidate>
          <Stack gap="sm">
            {form.examples.length > 0 ? (
              <NativeSelect
                label="Start from"
                description="A row of the test set, with the values as they are in the file"
                maw={420}
                data={form.examples.map((ex, i) => ({ value: String(i), label: exampleLabel(ex) }))}
                value={String(exampleIndex)}
                onChange={(e) => {
                  const i = Number(e.currentTarget.value);
                  setExampleIndex(i);
                  setFields(exampleFields(form.examples[i], form.features.length));
                  setAttempted(false);
                  setAsked(null);
                  clear();
                }}
              />
            ) : (
              form.note && (
                <Text size="sm" c="dimmed">
                  No example rows: {form.note.replace(/\.$/, '')}. Type the values yourself.
                </Text>
              )
            )}
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="sm" verticalSpacing="xs">
              {form.features.map((feature, j) => {
                const text = fields[j] ?? '';
                const problem = attempted || text.trim() !== '' ? fieldProblem(text) : null;
                return (
                  <NumberInput
                    key={feature}
                    label={feature}
                    value={text}
                    error={problem ?? undefined}
                    hideControls
                    allowDecimal
                    allowNegative
                    onChange={(v) => setFields((old) => old.map((f, i) => (i === j ? String(v) : f)))}
                  />
                );
              })}
            </SimpleGrid>
            <Group gap="sm">
              <Button
                type="submit"
                leftSection={<Sparkles size={16} aria-hidden />}
                loading={outcome?.status === 'loading'}
              >
                Predict
              </Button>
              <Text size="xs" c="dimmed">
                or press Enter in a field. Values are raw, as in the file: the run scales them as it did in
                training.
              </Text>
            </Group>
          </Stack>
        </form>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Paper withBorder radius="md" p="md" h="100%" aria-live="polite" data-testid="try-it-result">
          <OutcomeView
            outcome={outcome}
            idle={`Press Predict to see the ${form.task === 'regression' ? form.targetName : 'class'} the network gives these values.`}
            render={(result) => {
              const prediction = result.predictions[0];
              if (!prediction) return null;
              return (
                <Stack gap="xs">
                  <PredictionView
                    prediction={prediction}
                    classNames={result.classNames}
                    targetName={form.targetName}
                    actual={asked && matchesExample(asked, example) ? example!.actual : null}
                    stale={stale}
                  />
                  {stale && (
                    <Text size="xs" c="dimmed">
                      The values changed: press Predict again.
                    </Text>
                  )}
                </Stack>
              );
            }}
          />
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

/** What the user asked about: a test image (with its true class) or a picture file of theirs. */
type ImageChoice = { kind: 'test'; tile: ImageTile } | { kind: 'file'; name: string; dataUrl: string };

/** Test images to pick, or a picture to drop or choose; the picked one shown with the class probabilities. */
function ImageTryIt({
  form,
  loadingPage,
  onNextPage,
}: {
  form: ImageForm;
  loadingPage: boolean;
  onNextPage: () => void;
}) {
  const [choice, setChoice] = useState<ImageChoice | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [outcome, ask] = usePredict(form.runId);
  const size = imageSizeText(form.width, form.height, form.channels);
  const tiles = form.testImages?.tiles ?? [];
  const first = tiles[0]?.index ?? 0;
  const small = form.width <= 16;

  const pickTest = (tile: ImageTile) => {
    setFileError(null);
    setChoice({ kind: 'test', tile });
    ask({ kind: 'testImages', indices: [tile.index] });
  };
  const pickFile = async (file: File) => {
    const problem = imageFileProblem(file);
    if (problem) {
      setFileError(problem);
      return;
    }
    setFileError(null);
    try {
      const base64 = await fileToBase64(file);
      const type = /^image\//.test(file.type) ? file.type : 'image/png';
      setChoice({ kind: 'file', name: file.name, dataUrl: `data:${type};base64,${base64}` });
      ask({ kind: 'imageFile', fileName: file.name, base64 });
    } catch (e) {
      setFileError(messageOf(e));
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void pickFile(file);
  };

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Stack gap="sm">
          {form.testImages && tiles.length > 0 ? (
            <>
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm" fw={600}>
                  Pick a test image
                </Text>
                <Group gap="xs" wrap="nowrap">
                  <Text size="xs" c="dimmed" data-testid="try-it-page">
                    {first + 1}–{first + tiles.length} of {form.testCount.toLocaleString('en-US')}
                  </Text>
                  {form.testCount > tiles.length && (
                    <Button
                      size="xs"
                      variant="default"
                      leftSection={<RefreshCw size={14} aria-hidden />}
                      loading={loadingPage}
                      onClick={onNextPage}
                    >
                      Other images
                    </Button>
                  )}
                </Group>
              </Group>
              <ImageGrid
                width={form.testImages.width}
                height={form.testImages.height}
                tiles={tiles}
                tileSize={small ? 48 : 64}
                // Whole rows of the page (3 of 8, or 4 of 6), not a ragged last row.
                columns={small ? 8 : 6}
                caption={(t) => t.className}
                ariaLabel={`Test images ${first + 1} to ${first + tiles.length}, by true class`}
                onSelect={pickTest}
                selected={choice?.kind === 'test' ? choice.tile.index : null}
              />
            </>
          ) : (
            form.note && (
              <Alert color="yellow" title="No test images to pick">
                {form.note}
              </Alert>
            )
          )}
          <Box
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
            p="sm"
            data-testid="try-it-drop"
            style={{
              border: `1px dashed ${dragging ? 'var(--mantine-primary-color-filled)' : 'var(--mantine-color-default-border)'}`,
              borderRadius: 'var(--mantine-radius-md)',
              background: dragging ? 'var(--mantine-primary-color-light)' : undefined,
            }}
          >
            <Group gap="sm" wrap="nowrap">
              <ImageUp size={22} aria-hidden color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
              <div style={{ flex: 1 }}>
                <Text size="sm">Or drop a picture of your own here (JPEG or PNG)</Text>
                <Text size="xs" c="dimmed">
                  It is resized to {size}, as the dataset&apos;s images were.
                </Text>
              </div>
              <FileButton onChange={(f) => f && void pickFile(f)} accept={IMAGE_ACCEPT}>
                {(props) => (
                  <Button {...props} size="xs" variant="light">
                    Choose a picture…
                  </Button>
                )}
              </FileButton>
            </Group>
          </Box>
          {fileError && (
            <Alert
              color="red"
              title="That picture cannot be used"
              role="alert"
              withCloseButton
              onClose={() => setFileError(null)}
            >
              {fileError}
            </Alert>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Paper withBorder radius="md" p="md" h="100%" aria-live="polite" data-testid="try-it-result">
          {choice === null ? (
            <Text size="sm" c="dimmed">
              Pick a test image or drop a picture: the network&apos;s answer shows here, with the probability
              it gives each class.
            </Text>
          ) : (
            <Stack gap="md">
              <Group gap="md" align="flex-start" wrap="nowrap">
                {choice.kind === 'test' ? (
                  <ImageGrid
                    width={form.width}
                    height={form.height}
                    tiles={[choice.tile]}
                    tileSize={128}
                    caption={(t) => `Test image ${t.index + 1}`}
                    ariaLabel={`Test image ${choice.tile.index + 1}, true class ${choice.tile.className}`}
                  />
                ) : (
                  <>
                    <Stack gap={4} align="center">
                      <img
                        src={choice.dataUrl}
                        alt={`Your picture ${choice.name}`}
                        style={{
                          width: 128,
                          height: 128,
                          objectFit: 'contain',
                          borderRadius: 4,
                          background: '#000',
                        }}
                      />
                      <Text size="xs" maw={128} truncate="end" title={choice.name}>
                        {choice.name}
                      </Text>
                    </Stack>
                    {outcome?.status === 'ready' && outcome.result.seen?.rgbaBase64[0] && (
                      <ImageGrid
                        width={outcome.result.seen.width}
                        height={outcome.result.seen.height}
                        tiles={[
                          {
                            index: 0,
                            label: -1,
                            className: '',
                            rgbaBase64: outcome.result.seen.rgbaBase64[0],
                          },
                        ]}
                        tileSize={128}
                        caption={() => "The network's view"}
                        ariaLabel={`Your picture as the network sees it, ${size}`}
                      />
                    )}
                  </>
                )}
              </Group>
              <OutcomeView
                outcome={outcome}
                idle=""
                render={(result) => {
                  const prediction = result.predictions[0];
                  return prediction ? (
                    <PredictionView
                      prediction={prediction}
                      classNames={result.classNames}
                      targetName={null}
                      actual={choice.kind === 'test' ? choice.tile.className : null}
                      stale={false}
                    />
                  ) : null;
                }}
              />
            </Stack>
          )}
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

/** The form of one run: fetched for each page of test images; the last one stays while the next loads. */
type Fetched =
  | { status: 'ready'; runId: number; offset: number; form: PredictForm }
  | { status: 'error'; runId: number; offset: number; message: string };

/** "Try it": a finished run's network on values a user types, test images they pick or pictures they drop. */
export function TryItPanel({ run }: { run: RunRecord }) {
  const images = run.document.data?.format === 'images';
  const [page, setPage] = useState({ runId: run.id, offset: 0 });
  const offset = page.runId === run.id ? page.offset : 0;
  const [fetched, setFetched] = useState<Fetched | null>(null);

  useEffect(() => {
    let stale = false;
    call('runs:predictForm', {
      runId: run.id,
      offset,
      count: images ? TEST_IMAGES_SHOWN : TEST_ROWS_SHOWN,
    })
      .then((form) => !stale && setFetched({ status: 'ready', runId: run.id, offset, form }))
      .catch(
        (e: unknown) =>
          !stale && setFetched({ status: 'error', runId: run.id, offset, message: messageOf(e) }),
      );
    return () => {
      stale = true;
    };
  }, [run.id, offset, images]);

  const current = fetched?.runId === run.id ? fetched : null;
  const loadingPage = current !== null && current.offset !== offset;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Try it" data-testid="try-it">
      <Group justify="space-between" align="baseline" mb="sm" wrap="nowrap">
        <Title order={3} size="h5">
          Try it
        </Title>
        <Text size="sm" c="dimmed" ta="right">
          {images
            ? 'What the trained network says about one image.'
            : 'What the trained network says about one row of values.'}
        </Text>
      </Group>
      {current === null ? (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">Loading the run&apos;s inputs…</Text>
        </Group>
      ) : current.status === 'error' ? (
        <Alert color="red" title="This run cannot be tried here" role="alert">
          {current.message}
        </Alert>
      ) : current.form.kind === 'tabular' ? (
        <TabularTryIt key={run.id} form={current.form} />
      ) : (
        <ImageTryIt
          key={run.id}
          form={current.form}
          loadingPage={loadingPage}
          onNextPage={() =>
            setPage({
              runId: run.id,
              offset: nextOffset(
                current.form.kind === 'image' ? (current.form.testImages?.tiles[0]?.index ?? 0) : 0,
                TEST_IMAGES_SHOWN,
                current.form.testCount,
              ),
            })
          }
        />
      )}
    </Paper>
  );
}
