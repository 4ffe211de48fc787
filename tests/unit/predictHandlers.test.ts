// The Results view's "Try it" requests: a finished run's model on rows and images a user gives, through
// the dispatcher as a transport calls it, compared with what `nwb predict` prints for the same inputs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiErrorPayload,
  Handlers,
  Prediction,
  PredictionResult,
  RequestArgs,
  RequestName,
  RequestResult,
} from '../../shared/api/contract';
import type { ProjectDocument } from '../../shared/graph';
import { predictCommand } from '../../electron/cli/commands/predict';
import type { CommandContext } from '../../electron/cli/context';
import { dispatchCall } from '../../electron/services/api/dispatch';
import { createHandlers } from '../../electron/services/api/handlers';
import { dataLocationFor } from '../../electron/services/dataLocation';
import { RunManager } from '../../electron/services/runManager';
import type { Storage } from '../../electron/services/storage';
import { loadTrainingData } from '../../electron/trainer/loadData';
import type { TrainingData } from '../../electron/trainer/trainingData';
import { presetWith, tempDir, tempStorage } from '../fixtures/pretrained/trainRun';

class CallFailed extends Error {
  constructor(readonly payload: ApiErrorPayload) {
    super(payload.message);
  }
}

let storage: Storage;
let runs: RunManager;
let call: <K extends RequestName>(name: K, args: RequestArgs<K>) => Promise<RequestResult<K>>;
let electronCall: typeof call;

function caller(handlers: Handlers): typeof call {
  return async (name, args) => {
    const envelope = await dispatchCall(handlers, name, args, () => undefined);
    if (!envelope.ok) throw new CallFailed(envelope.error);
    return envelope.result as never;
  };
}

async function failure(promise: Promise<unknown>): Promise<ApiErrorPayload> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CallFailed) return error.payload;
    throw error;
  }
  throw new Error('the call succeeded');
}

/** What `nwb predict <run> <files…> --json` prints, parsed. */
async function cliPredict(runId: number, files: string[]): Promise<PredictionResult> {
  const out: string[] = [];
  const ctx: CommandContext = {
    args: [String(runId), ...files],
    flags: { db: storage.path, json: true },
    json: true,
    out: (l) => out.push(l),
    err: () => undefined,
  };
  expect(await predictCommand(ctx)).toBe(0);
  return JSON.parse(out[0]!) as PredictionResult;
}

/** A prediction without its input label (the CLI names lines and files, the app rows and images). */
function outcome(p: Prediction): Omit<Prediction, 'input'> {
  const { input: _input, ...rest } = p;
  return rest;
}

function csvCell(value: string | number): string {
  const s = String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Grey or RGB bytes as a PNG file. */
function pngFile(path: string, pixels: Uint8Array, width: number, height: number, channels: number): string {
  const png = new PNG({ width, height, colorType: channels === 1 ? 0 : 2 });
  for (let p = 0; p < width * height; p++) {
    for (let k = 0; k < 3; k++) png.data[p * 4 + k] = pixels[p * channels + (channels === 1 ? 0 : k)]!;
    png.data[p * 4 + 3] = 255;
  }
  writeFileSync(path, PNG.sync.write(png, { colorType: channels === 1 ? 0 : 2 }));
  return path;
}

function rgbaToBytes(base64: string, channels: number): Uint8Array {
  const rgba = Buffer.from(base64, 'base64');
  return Uint8Array.from({ length: (rgba.length / 4) * channels }, (_, i) =>
    channels === 1 ? rgba[i * 4]! : rgba[Math.floor(i / 3) * 4 + (i % 3)]!,
  );
}

let wine: { runId: number; doc: ProjectDocument; data: TrainingData };
let housing: { runId: number; doc: ProjectDocument };
let digits: { runId: number; doc: ProjectDocument };

/** Trains `document` as the app does (the trainer process, its backend chosen as in the app). */
async function train(document: ProjectDocument): Promise<number> {
  const project = storage.getProjectByName(document.name) ?? storage.createProject(document);
  const run = runs.start(project.id, { document });
  const outcome = await runs.outcome(run.id);
  if (outcome?.type !== 'done') throw new Error(`run ${run.id} did not finish: ${JSON.stringify(outcome)}`);
  return run.id;
}

beforeAll(async () => {
  storage = tempStorage();
  runs = new RunManager({ storage });
  call = caller(createHandlers({ storage, runs, transport: 'preview' }));
  electronCall = caller(createHandlers({ storage, runs, transport: 'electron' }));
  const wineDoc = presetWith('wine-type-ann', { epochs: 1 });
  wine = {
    runId: await train(wineDoc),
    doc: wineDoc,
    data: await loadTrainingData(wineDoc, dataLocationFor(wineDoc)),
  };
  const housingDoc = presetWith('california-housing-mlp', { epochs: 1, batchSize: 256 });
  housing = { runId: await train(housingDoc), doc: housingDoc };
  const digitsDoc = presetWith('digits-cnn', { epochs: 1 });
  digits = { runId: await train(digitsDoc), doc: digitsDoc };
}, 300_000);

afterAll(() => {
  runs.dispose();
  storage.close();
});

describe('the form of a tabular run', () => {
  it("lists the model's columns and the test rows as the trainer split them, raw as in the file", async () => {
    const form = await call('runs:predictForm', { runId: wine.runId, count: 5 });
    if (form.kind !== 'tabular') throw new Error('expected a tabular form');
    expect(form.features).toEqual((wine.data.preprocessing as { featureNames: string[] }).featureNames);
    expect(form.features).toHaveLength(12);
    expect(form.targetName).toBe('type');
    expect(form.classNames).toEqual(['red', 'white']);
    expect(form.testCount).toBe(wine.data.test.count);
    expect(form.examples.map((e) => e.testIndex)).toEqual([0, 1, 2, 3, 4]);
    const { mean, std } = (wine.data.preprocessing as { standardization: { mean: number[]; std: number[] } })
      .standardization;
    form.examples.forEach((example, i) => {
      // Standardised as training did, each example is exactly the trainer's i-th test row, with its label.
      const x = Float32Array.from(example.values, (v, j) => (v - mean[j]!) / std[j]!);
      expect(Array.from(x)).toEqual(Array.from(wine.data.test.x.subarray(i * 12, (i + 1) * 12)));
      expect(example.actual).toBe(form.classNames![wine.data.test.y[i]!]);
      expect(example.line).toBeGreaterThan(1);
    });
    const later = await call('runs:predictForm', { runId: wine.runId, offset: 3, count: 2 });
    expect(later.kind === 'tabular' && later.examples).toEqual(form.examples.slice(3, 5));
  });
});

describe('predicting rows of a table', () => {
  it('gives the classes and probabilities `nwb predict` gives for the same rows, and the trainer’s classes', async () => {
    const form = await call('runs:predictForm', { runId: wine.runId, count: 6 });
    if (form.kind !== 'tabular') throw new Error('expected a tabular form');
    // Keys in another order than the model's and values partly typed as text: both are read by name.
    const rows = form.examples.map((e, r) =>
      Object.fromEntries(
        [...form.features]
          .map((f, j) => [f, r % 2 === 0 ? e.values[j]! : String(e.values[j]!)] as const)
          .reverse(),
      ),
    );
    const app = await call('runs:predict', { runId: wine.runId, input: { kind: 'rows', rows } });
    expect(app.task).toBe('binary');
    expect(app.seen).toBeNull();
    expect(app.predictions.map((p) => p.input)).toEqual(form.examples.map((_, r) => `row ${r + 1}`));

    const file = join(tempDir(), 'rows.csv');
    writeFileSync(
      file,
      [form.features, ...form.examples.map((e) => e.values)].map((r) => r.map(csvCell).join(',')).join('\n'),
    );
    const cli = await cliPredict(wine.runId, [file]);
    expect(app.predictions.map(outcome)).toEqual(cli.predictions.map(outcome));
    expect(app.classNames).toEqual(cli.classNames);

    const recorded = storage.getRunPredictions(wine.runId)!;
    app.predictions.forEach((p, i) => {
      if (!('probabilities' in p)) throw new Error('expected classes');
      expect(p.probabilities[0]! + p.probabilities[1]!).toBeCloseTo(1, 6);
      expect(p.className).toBe(form.classNames![p.classIndex]);
      expect(p.classIndex).toBe(recorded.yPred[i]);
    });
  });

  it('gives a regression run’s value, the same as `nwb predict`', async () => {
    const form = await call('runs:predictForm', { runId: housing.runId, count: 3 });
    if (form.kind !== 'tabular') throw new Error('expected a tabular form');
    expect(form.targetName).toBe('MedHouseVal');
    expect(form.classNames).toBeNull();
    const rows = form.examples.map((e) => Object.fromEntries(form.features.map((f, j) => [f, e.values[j]!])));
    const app = await call('runs:predict', { runId: housing.runId, input: { kind: 'rows', rows } });
    const file = join(tempDir(), 'houses.csv');
    writeFileSync(
      file,
      [form.features, ...form.examples.map((e) => e.values)].map((r) => r.join(',')).join('\n'),
    );
    const cli = await cliPredict(housing.runId, [file]);
    expect(app.task).toBe('regression');
    expect(app.predictions.map(outcome)).toEqual(cli.predictions.map(outcome));
    const recorded = storage.getRunPredictions(housing.runId)!;
    app.predictions.forEach((p, i) => {
      if (!('value' in p)) throw new Error('expected a value');
      expect(p.value).toBeCloseTo(recorded.yPred[i]!, 4);
    });
  });

  it('refuses missing and unknown columns and values that are not numbers, in one sentence each', async () => {
    const form = await call('runs:predictForm', { runId: wine.runId, count: 1 });
    if (form.kind !== 'tabular') throw new Error('expected a tabular form');
    const row = Object.fromEntries(form.features.map((f, j) => [f, form.examples[0]!.values[j]!]));
    const predictRows = (rows: Record<string, number | string>[]) =>
      call('runs:predict', { runId: wine.runId, input: { kind: 'rows', rows } });

    const { alcohol: _alcohol, ...noAlcohol } = row;
    let error = await failure(predictRows([{ ...noAlcohol, colour: 3 }]));
    expect(error.code).toBe('bad-input');
    expect(error.message).toMatch(
      /^The row lacks the column 'alcohol' the model was trained on and has column 'colour' the model does not know: give it exactly the model's columns \('fixed acidity', /,
    );
    // The target and ignored columns may come along (as in a row copied from the file); they are not used.
    expect((await predictRows([{ ...row, type: 'red' }])).predictions).toHaveLength(1);

    error = await failure(predictRows([row, { ...row, pH: 'abc' }]));
    expect(error.message).toBe("'pH' of row 2 is 'abc', which is not a number: enter a number there.");
    error = await failure(predictRows([{ ...row, density: '  ' }]));
    expect(error.message).toBe("'density' of the row is empty: enter a number there.");

    error = await failure(
      call('runs:predict', { runId: wine.runId, input: { kind: 'testImages', indices: [0] } }),
    );
    expect(error.message).toMatch(/^Run \d+ was trained on a table: enter its columns' values instead/);
  });
});

describe('the form and predictions of an image run', () => {
  it('shows the test images of the run by their place in its test split', async () => {
    const form = await call('runs:predictForm', { runId: digits.runId });
    if (form.kind !== 'image') throw new Error('expected an image form');
    expect(form).toMatchObject({ width: 8, height: 8, channels: 1, testCount: 360, note: null });
    expect(form.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(form.testImages!.tiles.map((t) => t.index)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    const page = await call('runs:predictForm', { runId: digits.runId, offset: 350, count: 20 });
    expect(page.kind === 'image' && page.testImages!.tiles.map((t) => t.index)).toEqual(
      Array.from({ length: 10 }, (_, i) => 350 + i),
    );
  });

  it('predicts test images as the trainer did and as `nwb predict` does on the same pictures', async () => {
    const form = await call('runs:predictForm', { runId: digits.runId, count: 4 });
    if (form.kind !== 'image' || !form.testImages) throw new Error('expected test images');
    const indices = [0, 1, 2, 3];
    const app = await call('runs:predict', { runId: digits.runId, input: { kind: 'testImages', indices } });
    expect(app.predictions.map((p) => p.input)).toEqual(indices.map((i) => `test image ${i}`));
    expect(app.seen?.rgbaBase64).toEqual(form.testImages.tiles.map((t) => t.rgbaBase64));

    const dir = tempDir();
    const files = form.testImages.tiles.map((t) =>
      pngFile(join(dir, `test-${t.index}.png`), rgbaToBytes(t.rgbaBase64, 1), 8, 8, 1),
    );
    const cli = await cliPredict(digits.runId, files);
    expect(app.predictions.map(outcome)).toEqual(cli.predictions.map(outcome));

    const recorded = storage.getRunPredictions(digits.runId)!;
    app.predictions.forEach((p, i) => {
      if (!('probabilities' in p)) throw new Error('expected classes');
      expect(p.probabilities).toHaveLength(10);
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p.classIndex).toBe(recorded.yPred[i]);
      expect(form.testImages!.tiles[i]!.label).toBe(recorded.yTrue[i]);
    });

    const error = await failure(
      call('runs:predict', { runId: digits.runId, input: { kind: 'testImages', indices: [360] } }),
    );
    expect(error.message).toBe(
      `Run ${digits.runId}'s test set has 360 images, so there is no test image 360: choose one from 0 to 359.`,
    );
  });

  it('resizes an uploaded colour picture to the dataset’s 8×8 grey and predicts what the network saw', async () => {
    const width = 32;
    const height = 24;
    const colour = new Uint8Array(width * height * 3);
    // A bright vertical bar on black, in colour: about a "1".
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let k = 0; k < 3; k++) colour[(y * width + x) * 3 + k] = x >= 13 && x < 19 ? 200 + 20 * k : 0;
    const dir = tempDir();
    const big = pngFile(join(dir, 'bar.png'), colour, width, height, 3);
    const base64 = readFileSync(big).toString('base64');
    const app = await call('runs:predict', {
      runId: digits.runId,
      input: { kind: 'imageFile', fileName: 'C:\\photos\\bar.png', base64 },
    });
    expect(app.predictions.map((p) => p.input)).toEqual(['bar.png']);
    expect(app.seen).toMatchObject({ width: 8, height: 8 });
    const seen = rgbaToBytes(app.seen!.rgbaBase64[0]!, 1);
    expect(seen[0]).toBe(0);
    expect(seen[3 + 8 * 4]).toBeGreaterThan(150);

    // `nwb predict` does not resize: given the picture as the network saw it, it says the same.
    const cli = await cliPredict(digits.runId, [pngFile(join(dir, 'seen.png'), seen, 8, 8, 1)]);
    expect(app.predictions.map(outcome)).toEqual(cli.predictions.map(outcome));
  });

  it('says when an upload is not a picture and when a table run is given one', async () => {
    let error = await failure(
      call('runs:predict', {
        runId: digits.runId,
        input: { kind: 'imageFile', fileName: 'notes.png', base64: Buffer.from('hello').toString('base64') },
      }),
    );
    expect(error.code).toBe('bad-input');
    expect(error.message).toBe(
      'notes.png cannot be read as an image (not a JPEG or PNG image): give a JPEG or PNG file.',
    );
    error = await failure(
      call('runs:predict', { runId: digits.runId, input: { kind: 'rows', rows: [{ a: 1 }] } }),
    );
    expect(error.message).toMatch(/^Run \d+ was trained on images: choose a test image or an image file/);
    error = await failure(
      call('runs:predict', {
        runId: wine.runId,
        input: { kind: 'imageFile', fileName: 'x.png', base64: Buffer.from('hello').toString('base64') },
      }),
    );
    expect(error.message).toMatch(/was trained on a table/);
  });
});

describe('runs that cannot predict', () => {
  it('names an unknown run, a run still training and a failed run', async () => {
    let error = await failure(call('runs:predictForm', { runId: 999 }));
    expect(error).toEqual({ code: 'not-found', message: 'There is no run 999: it may have been deleted.' });
    const project = storage.getProjectByName(wine.doc.name)!;
    const running = storage.createRun({ projectId: project.id, document: wine.doc, status: 'running' });
    error = await failure(call('runs:predict', { runId: running.id, input: { kind: 'rows', rows: [{}] } }));
    expect(error).toEqual({
      code: 'run-active',
      message: `Run ${running.id} is still training: try it once it has finished.`,
    });
    storage.failRun(running.id, { message: 'diverged' });
    error = await failure(call('runs:predictForm', { runId: running.id }));
    expect(error).toEqual({
      code: 'no-model',
      message: `Run ${running.id} has no trained model (it failed): train again and try the new run.`,
    });
  });

  it('keeps the form without examples when the data is not at hand, and refuses file data in the desktop app', async () => {
    const project = storage.getProjectByName(wine.doc.name)!;
    const model = storage.getRunModel(wine.runId)!;
    const moved: ProjectDocument = {
      ...wine.doc,
      data: { ...wine.doc.data!, source: { kind: 'file', path: join(tempDir(), 'gone.csv') } },
    };
    const run = storage.createRun({ projectId: project.id, document: moved, status: 'running' });
    storage.finishRun(run.id, {
      status: 'completed',
      test: null,
      bestEpoch: 1,
      backend: 'cpu',
      params: 897,
      model,
    });
    const form = await call('runs:predictForm', { runId: run.id });
    expect(form.kind === 'tabular' && form.examples).toEqual([]);
    expect(form.note).toMatch(/gone\.csv/);
    const desktop = await electronCall('runs:predictForm', { runId: run.id });
    expect(desktop.note).toMatch(/^This project reads its data straight from the file .*gone\.csv/);
    // Typed rows still predict.
    const source = await call('runs:predictForm', { runId: wine.runId, count: 1 });
    if (source.kind !== 'tabular') throw new Error('expected a tabular form');
    const rows = [Object.fromEntries(source.features.map((f, j) => [f, source.examples[0]!.values[j]!]))];
    const a = await call('runs:predict', { runId: run.id, input: { kind: 'rows', rows } });
    const b = await call('runs:predict', { runId: wine.runId, input: { kind: 'rows', rows } });
    expect(a.predictions).toEqual(b.predictions);
  });
});
