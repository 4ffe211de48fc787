import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../electron/cli/context';
import { UsageError } from '../../electron/cli/errors';
import { exportCodeCommand } from '../../electron/cli/commands/exportCode';
import { exportModelCommand } from '../../electron/cli/commands/exportModel';
import { predictCommand } from '../../electron/cli/commands/predict';
import type { Storage } from '../../electron/services/storage';
import { presetWith, recordRun, tempDir, tempStorage } from '../fixtures/pretrained/trainRun';

let storage: Storage;
let runId: number;
const wineCsv = join(__dirname, '../../data/wine-quality-white-and-red.csv');

/** A command context on the test database that collects what the command prints. */
function context(args: string[], flags: Record<string, string | boolean> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    args,
    flags: { db: storage.path, ...flags },
    json: flags.json === true,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  };
  return { ctx, out, err };
}

beforeAll(async () => {
  storage = tempStorage();
  runId = (await recordRun(storage, presetWith('wine-type-ann', { epochs: 1 }))).runId;
});
afterAll(() => storage.close());

describe('nwb export-model, export-code and predict', () => {
  it('export-model writes the layers model and its preprocessing into the folder', () => {
    const dir = join(tempDir(), 'model');
    const { ctx, out } = context([String(runId)], { output: dir, json: true });
    expect(exportModelCommand(ctx)).toBe(0);
    const printed = JSON.parse(out[0]!) as { files: string[] };
    expect(printed.files).toHaveLength(3);
    for (const f of ['model.json', 'weights.bin', 'preprocessing.json'])
      expect(existsSync(join(dir, f))).toBe(true);
    expect(() => exportModelCommand(context([String(runId)]).ctx)).toThrow(/Say which folder/);
    expect(() => exportModelCommand(context(['77'], { output: dir }).ctx)).toThrow(UsageError);
    expect(() => exportModelCommand(context(['77'], { output: dir }).ctx)).toThrow('There is no run 77');
  });

  it('export-code writes a script from a run with its weights, and from a preset without', () => {
    const dir = tempDir();
    const fromRun = context([String(runId)], { output: join(dir, 'run.py'), lang: 'pytorch' });
    expect(exportCodeCommand(fromRun.ctx)).toBe(0);
    expect(fromRun.out[0]).toBe(
      `Wrote ${join(dir, 'run.py')} and its weights ${join(dir, 'run.weights.npz')}.`,
    );
    expect(readFileSync(join(dir, 'run.py'), 'utf8')).toMatch(/WEIGHTS_FILE = "run\.weights\.npz"/);

    const fromPreset = context(['california-housing-mlp'], {
      output: join(dir, 'housing.py'),
      lang: 'keras',
    });
    expect(exportCodeCommand(fromPreset.ctx)).toBe(0);
    const keras = readFileSync(join(dir, 'housing.py'), 'utf8');
    expect(keras).toMatch(/from tensorflow import keras/);
    expect(keras).toMatch(/TASK = "regression"/);
    expect(existsSync(join(dir, 'housing.weights.npz'))).toBe(false);

    expect(() =>
      exportCodeCommand(context([String(runId)], { output: join(dir, 'x.py'), lang: 'julia' }).ctx),
    ).toThrow('Unknown language "julia": choose --lang pytorch or --lang keras.');
    expect(() => exportCodeCommand(context(['no-such-project'], { output: join(dir, 'x.py') }).ctx)).toThrow(
      /No project file or preset named "no-such-project"/,
    );
  });

  it('predict prints classes and probabilities, and turns bad input into one clear message', async () => {
    const lines = readFileSync(wineCsv, 'utf8').trim().split('\n');
    const dir = tempDir();
    const good = join(dir, 'rows.csv');
    writeFileSync(good, lines.slice(0, 4).join('\n'));
    const table = context([String(runId), good]);
    expect(await predictCommand(table.ctx)).toBe(0);
    expect(table.out[0]).toMatch(/^input\s+class\s+p\(red\)\s+p\(white\)$/m);
    expect(table.out[0]).toMatch(/^line 2\s+white\s+0\.\d{4}\s+0\.\d{4}$/m);
    const json = context([String(runId), good], { json: true });
    await predictCommand(json.ctx);
    expect((JSON.parse(json.out[0]!) as { predictions: unknown[] }).predictions).toHaveLength(3);

    const bad = join(dir, 'bad.csv');
    // Without its second column (the first is the target, which predict does not need).
    writeFileSync(
      bad,
      lines
        .slice(0, 4)
        .map((l) =>
          l
            .split(',')
            .filter((_, i) => i !== 1)
            .join(','),
        )
        .join('\n'),
    );
    await expect(predictCommand(context([String(runId), bad]).ctx)).rejects.toThrow(
      /^bad\.csv lacks the column 'fixed acidity' the model was trained on: give it exactly the model's columns/,
    );
    await expect(predictCommand(context([String(runId)]).ctx)).rejects.toThrow(/Give the data to predict/);
    await expect(predictCommand(context([String(runId), 'notes.txt']).ctx)).rejects.toThrow(
      'notes.txt is neither a CSV nor a JPEG/PNG image: give a .csv file or image files.',
    );
  });
});
