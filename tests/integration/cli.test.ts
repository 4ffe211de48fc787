import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const bin = join(root, 'bin', 'nwb.cjs');
let dir: string;

/** Runs the built `nwb` (npm test builds it first) with a private database. */
function nwb(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NWB_DB: join(dir, 'test.db') },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function winePreset(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, 'resources/presets/wine-type-ann.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

function writeProject(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

/** A copy of the wine preset reading a CSV of the test's own. */
function projectOnCsv(csvName: string, csv: string, target = 'type'): string {
  writeFileSync(join(dir, csvName), csv);
  const doc = winePreset();
  doc.data = { ...(doc.data as object), source: { kind: 'file', path: csvName }, target };
  return writeProject(`${csvName}.json`, doc);
}

function expectOneLineError(r: ReturnType<typeof nwb>, pattern: RegExp) {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nwb-cli-'));
});

describe('nwb', () => {
  it('lists the presets, as a table and as JSON', () => {
    const table = nwb('presets');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/wine-type-ann/);
    const json = JSON.parse(nwb('presets', '--json').stdout) as { id: string; params: number }[];
    expect(json.find((p) => p.id === 'california-housing-mlp')?.params).toBe(601);
  });

  it('inspects a preset like Keras summary(): layer table and total', () => {
    const r = nwb('inspect', 'california-housing-mlp');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Dense\s+layer1\s+24\s+216/);
    expect(r.stdout).toMatch(/Total params: 601/);
    const json = JSON.parse(nwb('inspect', 'wine-type-ann', '--json').stdout) as {
      total: number;
      layers: { output_shape: number[] }[];
    };
    expect(json.total).toBe(897);
    expect(json.layers.at(-1)?.output_shape).toEqual([1]);
  });

  it('inspects a CSV: delimiter, rows, column types and missing values', () => {
    writeFileSync(join(dir, 'semi.csv'), 'a;b;c\n1;x;\n2;y;3\n');
    const r = JSON.parse(nwb('data', 'inspect', 'semi.csv', '--json').stdout) as {
      delimiter: string;
      rows: number;
      columns: { name: string; type: string; missing: number }[];
    };
    expect(r.delimiter).toBe(';');
    expect(r.rows).toBe(2);
    expect(r.columns.map((c) => [c.name, c.type, c.missing])).toEqual([
      ['a', 'number', 0],
      ['b', 'category', 0],
      ['c', 'number', 1],
    ]);
  });

  it('trains with --json: an epoch line per epoch and a done line with the test metrics', () => {
    const r = nwb('train', 'wine-type-ann', '--epochs', '2', '--json', '--backend', 'cpu');
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const epochs = lines.filter((l) => l.type === 'epoch');
    expect(epochs.map((e) => [e.epoch, e.epochs])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(epochs[0]!.metrics).toMatchObject({ loss: expect.any(Number), val_loss: expect.any(Number) });
    const done = lines.at(-1)!;
    expect(done).toMatchObject({ type: 'done', backend: 'cpu', params: 897 });
    expect(done.test).toMatchObject({
      accuracy: expect.any(Number),
      auc: expect.any(Number),
      confusion_matrix: expect.any(Array),
      report: expect.any(Object),
    });
  });

  describe('refuses bad input with one clear line and exit code 2', () => {
    it('a missing file', () => expectOneLineError(nwb('train', 'nope.json'), /No such file: nope\.json/));
    it('invalid JSON', () =>
      expectOneLineError(nwb('train', writeProject('bad.json', '{ not json')), /is not valid JSON/));
    it('an unknown preset', () =>
      expectOneLineError(nwb('train', 'no-such-preset'), /No project file or preset named "no-such-preset"/));
    it('an unknown block', () => {
      const doc = winePreset() as { graph: { nodes: { kind: string }[] } };
      doc.graph.nodes[1]!.kind = 'transformer';
      expectOneLineError(nwb('train', writeProject('unknown.json', doc)), /Unknown block "transformer"/);
    });
    it('an invalid graph', () => {
      const doc = winePreset() as { graph: { edges: unknown[] } };
      doc.graph.edges.splice(1, 1);
      expectOneLineError(
        nwb('train', writeProject('broken.json', doc)),
        /The network is not valid: .*(goes nowhere|not connected)/,
      );
    });
    it('a non-numeric cell in a feature column', () => {
      const csv = readFileSync(join(root, 'data/wine-quality-white-and-red.csv'), 'utf8')
        .split('\n')
        .slice(0, 200);
      csv[17] = csv[17]!.replace(/^(white|red),[^,]+,/, '$1,abc,');
      expectOneLineError(
        nwb('train', projectOnCsv('nonnumeric.csv', csv.join('\n'))),
        /Column 'fixed acidity' has a non-numeric value 'abc' on line 18/,
      );
    });
    it('an empty CSV', () => expectOneLineError(nwb('train', projectOnCsv('empty.csv', '')), /empty/i));
    it('a missing target column', () =>
      expectOneLineError(
        nwb('train', projectOnCsv('notarget.csv', 'a,b\n1,2\n3,4\n', 'type')),
        /target column 'type' is not in the file/,
      ));
    it('a bad option value', () =>
      expectOneLineError(nwb('train', 'wine-type-ann', '--optimizer', 'lbfgs'), /Unknown optimizer "lbfgs"/));
    it('an unknown option', () =>
      expectOneLineError(nwb('train', 'wine-type-ann', '--epocs', '3'), /Unknown option '--epocs'/));
  });
});
