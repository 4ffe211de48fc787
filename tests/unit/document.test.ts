import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import {
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  emptyDocument,
  parseProjectDocument,
  type ParseResult,
} from '../../shared/graph';

const presetsDir = path.resolve(__dirname, '../../resources/presets');

function readPreset(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(presetsDir, file), 'utf8')) as Record<string, unknown>;
}

function minimal(): Record<string, unknown> {
  return {
    format: DOCUMENT_FORMAT,
    version: DOCUMENT_VERSION,
    name: 'Mine',
    graph: {
      nodes: [
        { id: 'in', kind: 'input' },
        { id: 'fc', kind: 'dense', params: { units: 1 } },
        { id: 'out', kind: 'output' },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'fc' },
        { id: 'e2', source: 'fc', target: 'out' },
      ],
    },
  };
}

function failure(r: ParseResult): string {
  if (r.ok) throw new Error('the document was accepted');
  return r.message;
}

describe('parseProjectDocument', () => {
  it('accepts every preset as it is shipped', () => {
    const files = readdirSync(presetsDir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const r = parseProjectDocument(readPreset(file));
      expect([file, r.ok ? 'ok' : r.message]).toEqual([file, 'ok']);
    }
  });

  it('applies the defaults a hand-written file leaves out', () => {
    const r = parseProjectDocument(minimal());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const doc = r.document;
    expect(doc.description).toBe('');
    expect(doc.data).toBeNull();
    expect(doc.graph.nodes[0]).toEqual({
      id: 'in',
      kind: 'input',
      params: {},
      position: { x: 0, y: 0 },
      frozen: false,
    });
    expect(doc.graph.edges[0]).toEqual({
      id: 'e1',
      source: 'in',
      target: 'fc',
      sourcePort: 'out',
      targetPort: 'in',
    });
    expect(doc.training).toMatchObject({
      optimizer: 'adam',
      learningRate: 0.001,
      batchSize: 32,
      epochs: 20,
      shuffle: true,
      seed: 42,
      weightDecay: 0,
      lrSchedule: { kind: 'none' },
      earlyStopping: null,
      restoreBest: false,
    });
  });

  it('fills in the data preparation defaults', () => {
    const r = parseProjectDocument({
      ...minimal(),
      data: { source: { kind: 'builtin', name: 'california_housing.csv' }, target: 'MedHouseVal' },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.document.data).toMatchObject({
      testFraction: 0.2,
      splitSeed: 42,
      standardize: true,
      ignored: [],
    });
  });

  it('gives each training document its own copy of the defaults', () => {
    const a = parseProjectDocument(minimal());
    const b = parseProjectDocument(minimal());
    if (!a.ok || !b.ok) throw new Error('not parsed');
    a.document.training.epochs = 999;
    expect(b.document.training.epochs).toBe(20);
    expect(emptyDocument('x').training.epochs).toBe(20);
  });

  it('refuses something that is not a project', () => {
    expect(failure(parseProjectDocument([1, 2]))).toBe(
      'This is not a Neural Workbench project: expected a JSON object.',
    );
    expect(failure(parseProjectDocument(null))).toBe(
      'This is not a Neural Workbench project: expected a JSON object.',
    );
    expect(failure(parseProjectDocument({ ...minimal(), format: 'keras/model' }))).toBe(
      'This is not a Neural Workbench project: its "format" is not "neural-workbench/project".',
    );
    const { format: _format, ...noFormat } = minimal();
    expect(failure(parseProjectDocument(noFormat))).toMatch(/^This is not a Neural Workbench project/);
  });

  it('refuses a file without a version, saying what to do', () => {
    const { version: _version, ...noVersion } = minimal();
    const m = failure(parseProjectDocument(noVersion));
    expect(m).toMatch(/^This project file has no valid format version: /);
    expect(failure(parseProjectDocument({ ...minimal(), version: '1' }))).toBe(m);
    expect(failure(parseProjectDocument({ ...minimal(), version: 0 }))).toBe(m);
    expect(failure(parseProjectDocument({ ...minimal(), version: 1.5 }))).toBe(m);
  });

  it('refuses a file from a newer app and says to update', () => {
    const m = failure(parseProjectDocument({ ...minimal(), version: DOCUMENT_VERSION + 1 }));
    expect(m).toBe(
      `This project was saved by a newer Neural Workbench (format version ${DOCUMENT_VERSION + 1}; this app reads up to ${DOCUMENT_VERSION}): update the app to open it.`,
    );
  });

  it('says where a damaged file is damaged', () => {
    const doc = minimal();
    const graph = doc.graph as { nodes: Record<string, unknown>[] };
    graph.nodes[1]!.kind = 42;
    const m = failure(parseProjectDocument(doc));
    expect(m).toMatch(/^This project file is damaged at graph\.nodes\.1\.kind: /);
    expect(m.endsWith('.')).toBe(true);

    expect(failure(parseProjectDocument({ ...minimal(), training: { batchSize: 0 } }))).toMatch(
      /^This project file is damaged at training\.batchSize: /,
    );
    expect(failure(parseProjectDocument({ ...minimal(), name: '' }))).toMatch(
      /^This project file is damaged at name: /,
    );
    expect(failure(parseProjectDocument({ ...minimal(), data: { source: { kind: 'ftp' } } }))).toMatch(
      /^This project file is damaged at data\.source/,
    );
  });

  it('refuses two blocks with the same id, naming the id', () => {
    const doc = minimal();
    const graph = doc.graph as { nodes: Record<string, unknown>[] };
    graph.nodes[2]!.id = 'fc';
    expect(failure(parseProjectDocument(doc))).toBe(
      'This project file is damaged at graph.nodes.2.id: two blocks have the id "fc".',
    );
  });

  it('keeps block params it does not know, for later versions', () => {
    const doc = minimal();
    const graph = doc.graph as { nodes: Record<string, unknown>[] };
    graph.nodes[1]!.params = { units: 1, futureSetting: 'x' };
    const r = parseProjectDocument(doc);
    expect(r.ok && r.document.graph.nodes[1]!.params).toEqual({ units: 1, futureSetting: 'x' });
  });

  it('reads back what it wrote', () => {
    const r = parseProjectDocument(readPreset('california-housing-mlp.json'));
    if (!r.ok) throw new Error(r.message);
    const again = parseProjectDocument(JSON.parse(JSON.stringify(r.document)));
    expect(again).toEqual(r);
  });
});
