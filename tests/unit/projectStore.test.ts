import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { RequestArgs, RequestName, RequestResult } from '../../shared/api/contract';
import type { ProjectRecord } from '../../shared/api/records';
import { emptyDocument, type ProjectDocument } from '../../shared/graph/document';
import { sequentialGraph } from '../../shared/graph/build';
import { HISTORY_LIMIT } from '../../renderer/src/app/documentHistory';
import { projectStoreCreator, type ProjectState } from '../../renderer/src/app/projectStoreCore';

function housing(): ProjectDocument {
  return {
    ...emptyDocument('Housing'),
    graph: sequentialGraph([
      { kind: 'input', id: 'input', params: { features: 8 } },
      { kind: 'dense', id: 'layer1', params: { units: 24 } },
      { kind: 'relu', id: 'relu1' },
      { kind: 'dense', id: 'layer2', params: { units: 1 } },
      { kind: 'output', id: 'output', params: { task: 'regression' } },
    ]),
  };
}

/** An in-memory host answering the project requests the store makes. */
function fakeHost() {
  const projects = new Map<number, ProjectRecord>();
  const calls: { name: RequestName; args: unknown }[] = [];
  let failSaves = false;
  const add = (id: number, document: ProjectDocument) =>
    projects.set(id, { id, name: document.name, document, createdAt: '', updatedAt: '' });
  async function call<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>> {
    calls.push({ name, args });
    const a = args as { id: number; document?: ProjectDocument; name?: string };
    const record = projects.get(a.id);
    if (!record) throw new Error(`There is no project with id ${a.id}: it may have been deleted.`);
    switch (name) {
      case 'projects:get':
        return structuredClone(record) as RequestResult<K>;
      case 'projects:save':
        if (failSaves) throw new Error('The disk is full.');
        record.document = structuredClone(a.document!);
        return structuredClone(record) as RequestResult<K>;
      case 'projects:rename':
        if (a.name === 'Taken')
          throw new Error('A project named "Taken" already exists: choose another name.');
        record.name = a.name!;
        record.document = { ...record.document, name: a.name! };
        return structuredClone(record) as RequestResult<K>;
      default:
        throw new Error(`unexpected request ${name}`);
    }
  }
  return {
    projects,
    calls,
    add,
    call,
    saves: () => calls.filter((c) => c.name === 'projects:save'),
    setFailSaves: (v: boolean) => (failSaves = v),
  };
}

function setup() {
  const host = fakeHost();
  host.add(1, housing());
  host.add(2, { ...emptyDocument('Empty') });
  const errors: string[] = [];
  const store = createStore<ProjectState>()(
    projectStoreCreator({ call: host.call, reportError: (m) => errors.push(m), saveDelayMs: 800 }),
  );
  return { host, store, errors, s: () => store.getState() };
}

const setUnits = (units: number) => (doc: ProjectDocument) => ({
  ...doc,
  graph: {
    ...doc.graph,
    nodes: doc.graph.nodes.map((n) => (n.id === 'layer1' ? { ...n, params: { ...n.params, units } } : n)),
  },
});

describe('project store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens a project with its analysis', async () => {
    const { s } = setup();
    await s().openProject(1);
    expect(s().projectId).toBe(1);
    expect(s().projectName).toBe('Housing');
    expect(s().analysis?.totals.total).toBe(8 * 24 + 24 + 24 + 1);
    expect(s().analysis?.nodes.layer1?.outputShape).toEqual([24]);
    expect(s().canUndo).toBe(false);
    expect(s().saveState).toBe('saved');
  });

  it('reports a project that cannot be opened and stays closed', async () => {
    const { s, errors } = setup();
    await s().openProject(99);
    expect(s().projectId).toBeNull();
    expect(errors[0]).toMatch(/could not be opened: There is no project with id 99/);
  });

  it('recomputes the analysis on every change and undoes and redoes whole documents', async () => {
    const { s } = setup();
    await s().openProject(1);
    const original = s().document!;
    s().updateDocument(setUnits(10), 'Change Units');
    expect(s().analysis?.nodes.layer1?.paramCount.trainable).toBe(8 * 10 + 10);
    expect(s().canUndo).toBe(true);
    expect(s().undoLabel).toBe('Change Units');
    s().undo();
    expect(s().document).toBe(original);
    expect(s().analysis?.nodes.layer1?.paramCount.trainable).toBe(216);
    expect(s().canRedo).toBe(true);
    expect(s().redoLabel).toBe('Change Units');
    s().redo();
    expect(s().analysis?.nodes.layer1?.outputShape).toEqual([10]);
    expect(s().canRedo).toBe(false);
  });

  it('shares unchanged parts of the document between undo steps', async () => {
    const { s } = setup();
    await s().openProject(1);
    const before = s().document!;
    s().updateDocument(setUnits(10), 'Change Units');
    const after = s().document!;
    expect(after.training).toBe(before.training);
    expect(after.graph.edges).toBe(before.graph.edges);
    expect(after.graph.nodes[0]).toBe(before.graph.nodes[0]);
  });

  it('drops a new change’s redo steps and ignores changes that change nothing', async () => {
    const { s } = setup();
    await s().openProject(1);
    s().updateDocument(setUnits(10), 'a');
    s().undo();
    s().updateDocument(setUnits(11), 'b');
    expect(s().canRedo).toBe(false);
    const doc = s().document;
    s().updateDocument((d) => d, 'nothing');
    expect(s().document).toBe(doc);
    expect(s().undoLabel).toBe('b');
  });

  it('merges consecutive changes with one merge key into one undo step', async () => {
    const { s } = setup();
    await s().openProject(1);
    s().updateDocument(setUnits(2), 'Change Units', { mergeKey: 'layer1.units' });
    s().updateDocument(setUnits(24), 'Change Units', { mergeKey: 'layer1.units' });
    s().updateDocument(setUnits(240), 'Change Units', { mergeKey: 'layer1.units' });
    s().undo();
    expect(s().analysis?.nodes.layer1?.outputShape).toEqual([24]);
    expect(s().canUndo).toBe(false);
  });

  it(`keeps at most ${HISTORY_LIMIT} undo steps`, async () => {
    const { s } = setup();
    await s().openProject(1);
    for (let i = 1; i <= HISTORY_LIMIT + 20; i++) s().updateDocument(setUnits(i), `step ${i}`);
    let undone = 0;
    while (s().canUndo) {
      s().undo();
      undone++;
    }
    expect(undone).toBe(HISTORY_LIMIT);
    expect(s().analysis?.nodes.layer1?.outputShape).toEqual([20]);
  });

  it('autosaves once, after the changes stop for the delay', async () => {
    const { s, host } = setup();
    await s().openProject(1);
    s().updateDocument(setUnits(5), 'a');
    await vi.advanceTimersByTimeAsync(500);
    s().updateDocument(setUnits(6), 'b');
    expect(s().saveState).toBe('unsaved');
    await vi.advanceTimersByTimeAsync(500);
    expect(host.saves()).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(400);
    expect(host.saves()).toHaveLength(1);
    expect(s().saveState).toBe('saved');
    expect(host.projects.get(1)!.document.graph.nodes[1]!.params.units).toBe(6);
    expect((host.saves()[0]!.args as { version: boolean }).version).toBe(false);
  });

  it('autosaves undo too', async () => {
    const { s, host } = setup();
    await s().openProject(1);
    s().updateDocument(setUnits(5), 'a');
    await vi.advanceTimersByTimeAsync(900);
    s().undo();
    await vi.advanceTimersByTimeAsync(900);
    expect(host.projects.get(1)!.document.graph.nodes[1]!.params.units).toBe(24);
  });

  it('shows a failed save and says why', async () => {
    const { s, host, errors } = setup();
    await s().openProject(1);
    host.setFailSaves(true);
    s().updateDocument(setUnits(5), 'a');
    await vi.advanceTimersByTimeAsync(900);
    expect(s().saveState).toBe('error');
    expect(s().saveError).toBe('The disk is full.');
    expect(errors).toEqual(['Your changes could not be saved: The disk is full.']);
    host.setFailSaves(false);
    await s().flushSave();
    expect(s().saveState).toBe('saved');
    expect(host.projects.get(1)!.document.graph.nodes[1]!.params.units).toBe(5);
    s().updateDocument(setUnits(6), 'b');
    await vi.advanceTimersByTimeAsync(900);
    expect(s().saveState).toBe('saved');
  });

  it('writes pending changes when the project is closed or another is opened', async () => {
    const { s, host } = setup();
    await s().openProject(1);
    s().updateDocument(setUnits(7), 'a');
    await s().openProject(2);
    expect(host.projects.get(1)!.document.graph.nodes[1]!.params.units).toBe(7);
    expect(s().projectId).toBe(2);
    expect(s().canUndo).toBe(false);
    s().updateDocument((d) => ({ ...d, description: 'notes' }), 'Describe');
    s().closeProject();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.projects.get(2)!.document.description).toBe('notes');
    expect(s().document).toBeNull();
  });

  it('saves a version on request, with no autosave left over', async () => {
    const { s, host } = setup();
    await s().openProject(1);
    s().updateDocument(setUnits(9), 'a');
    expect(await s().saveVersion()).toBe(true);
    expect(host.saves().map((c) => (c.args as { version: boolean }).version)).toEqual([true]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(host.saves()).toHaveLength(1);
    expect(s().saveState).toBe('saved');
  });

  it('follows the dataset context and recomputes the analysis', async () => {
    const { s } = setup();
    await s().openProject(1);
    s().setDataContext({ inputShape: [10], classCount: null });
    expect(s().analysis?.nodes.input?.errors[0]).toMatch(/dataset gives 10/);
    const analysis = s().analysis;
    s().setDataContext({ inputShape: [10], classCount: null });
    expect(s().analysis).toBe(analysis);
    s().setDataContext({ inputShape: [8], classCount: null });
    expect(s().analysis?.ok).toBe(true);
  });

  it('renames the project without an undo step, and reports a refused name', async () => {
    const { s, errors } = setup();
    await s().openProject(1);
    expect(await s().renameProject('House prices')).toBe(true);
    expect(s().projectName).toBe('House prices');
    expect(s().document?.name).toBe('House prices');
    expect(s().canUndo).toBe(false);
    expect(await s().renameProject('Taken')).toBe(false);
    expect(s().projectName).toBe('House prices');
    expect(errors).toEqual(['A project named "Taken" already exists: choose another name.']);
  });

  it('drops selected blocks that a change removed', async () => {
    const { s } = setup();
    await s().openProject(1);
    s().select(['relu1', 'layer1']);
    s().updateDocument(
      (d) => ({ ...d, graph: { ...d.graph, nodes: d.graph.nodes.filter((n) => n.id !== 'relu1') } }),
      'Delete',
    );
    expect(s().selectedNodeIds).toEqual(['layer1']);
  });
});

describe('start screen helpers', () => {
  it('finds a free project name', async () => {
    const { uniqueName } = await import('../../renderer/src/features/projects/projectNames');
    expect(uniqueName('Housing', [])).toBe('Housing');
    expect(uniqueName('Housing', ['housing', 'Housing 2'])).toBe('Housing 3');
    expect(uniqueName('  ', [])).toBe('Untitled project');
  });

  it('says how long ago a project changed', async () => {
    const { relativeTime } = await import('../../renderer/src/features/projects/projectNames');
    const now = new Date('2026-12-01T12:00:00Z');
    expect(relativeTime('2026-12-01T11:59:50Z', now)).toBe('just now');
    expect(relativeTime('2026-12-01T11:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-12-01T11:00:00Z', now)).toBe('1 hour ago');
    expect(relativeTime('2026-11-30T12:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('2026-11-28T12:00:00Z', now)).toBe('3 days ago');
    expect(relativeTime('2026-10-01T12:00:00Z', now)).toMatch(/2026/);
  });
});
