import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MAX_VERSIONS } from '../../electron/services/storage';
import { presetDocument, tempDbPath } from '../fixtures/storage/samples';
import { refusal, refusalCode, removeTempDirsAfterAll, steppingStorage } from './storageSetup';

removeTempDirsAfterAll();

describe('projects', () => {
  it('creates a project named after its document and finds it by name, ignoring case', () => {
    const storage = steppingStorage();
    const wine = presetDocument('wine-type-ann');
    const project = storage.createProject(wine);
    expect(project.name).toBe('Wine type ANN');
    expect(project.document).toEqual(wine);
    expect(storage.getProject(project.id)).toEqual(project);
    expect(storage.getProjectByName('  wine TYPE ann ')?.id).toBe(project.id);
    expect(storage.getProjectByName('nothing')).toBeUndefined();
    expect(storage.getProject(12345)).toBeUndefined();
    storage.close();
  });

  it('keeps names unique ignoring case, in any script, and says so clearly', () => {
    const storage = steppingStorage();
    const doc = presetDocument('wine-type-ann');
    storage.createProject(doc, { name: 'Ärger' });
    let message = '';
    try {
      storage.createProject(doc, { name: 'ärger' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('A project named "ärger" already exists: choose another name.');
    expect(refusalCode(() => storage.createProject(doc, { name: '   ' }))).toBe('invalid-name');
    expect(refusalCode(() => storage.createProject(doc, { name: 'x'.repeat(201) }))).toBe('invalid-name');
    expect(storage.listProjects()).toHaveLength(1);
    storage.close();
  });

  it('renames (a name taken by another project is refused; a change of case is fine) and lists', () => {
    const storage = steppingStorage();
    const doc = presetDocument('wine-type-ann');
    const a = storage.createProject(doc, { name: 'Alpha' });
    const b = storage.createProject(doc, { name: 'Beta' });
    expect(refusalCode(() => storage.renameProject(b.id, 'ALPHA'))).toBe('name-taken');
    const renamed = storage.renameProject(a.id, 'alpha');
    expect(renamed.name).toBe('alpha');
    expect(renamed.document.name).toBe('alpha');
    expect(renamed.updatedAt > a.updatedAt).toBe(true);
    expect(refusalCode(() => storage.renameProject(999, 'Gamma'))).toBe('not-found');
    expect(storage.listProjects().map((p) => [p.name, p.runCount])).toEqual([
      ['alpha', 0],
      ['Beta', 0],
    ]);
    storage.close();
  });

  it('duplicates as "Copy of X", then "Copy of X (2)", without runs', () => {
    const storage = steppingStorage();
    const doc = presetDocument('california-housing-mlp');
    const original = storage.createProject(doc);
    storage.createRun({ projectId: original.id, document: doc });
    const copy = storage.duplicateProject(original.id);
    const second = storage.duplicateProject(original.id);
    expect(copy.name).toBe('Copy of California housing MLP');
    expect(second.name).toBe('Copy of California housing MLP (2)');
    expect(copy.document).toEqual({ ...doc, name: copy.name });
    expect(storage.listRuns({ projectId: copy.id })).toEqual([]);
    expect(storage.availableProjectName('California housing MLP')).toBe('California housing MLP (2)');
    // A long name stays within the limit when a number is added.
    const long = storage.createProject(doc, { name: 'L'.repeat(200) });
    expect(storage.availableProjectName(long.name)).toBe(`${'L'.repeat(196)} (2)`);
    storage.close();
  });

  it('deletes a project with its runs, versions, epochs and models', () => {
    const path = tempDbPath();
    const storage = steppingStorage(path);
    const doc = presetDocument('wine-type-ann');
    const keep = storage.createProject(doc, { name: 'Keep' });
    const gone = storage.createProject(doc, { name: 'Gone' });
    for (const project of [keep, gone]) {
      const run = storage.createRun({ projectId: project.id, document: doc, status: 'running' });
      storage.addEpoch(run.id, { epoch: 1, metrics: { loss: 1 }, learningRate: 0.001, seconds: 1 });
      storage.finishRun(run.id, {
        status: 'completed',
        test: null,
        bestEpoch: 1,
        backend: 'cpu',
        params: 1,
        model: {
          artifacts: { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(0) },
          preprocessing: null,
        },
      });
    }
    storage.deleteProject(gone.id);
    expect(storage.getProject(gone.id)).toBeUndefined();
    expect(storage.listRuns().map((r) => r.projectName)).toEqual(['Keep']);
    const raw = new Database(path, { readonly: true });
    const count = (table: string) =>
      (raw.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(['runs', 'run_epochs', 'run_models', 'project_versions'].map(count)).toEqual([1, 1, 1, 1]);
    raw.close();
    expect(refusalCode(() => storage.deleteProject(gone.id))).toBe('not-found');
    storage.close();
  });
});

describe('project versions', () => {
  it('adds a version on each versioned save, newest first, and keeps the latest ones', () => {
    const storage = steppingStorage();
    const doc = presetDocument('wine-type-ann');
    const project = storage.createProject(doc);
    storage.saveProject(project.id, { ...doc, description: 'not versioned' });
    expect(storage.listVersions(project.id).map((v) => v.number)).toEqual([1]);
    for (let i = 1; i <= MAX_VERSIONS + 5; i++) {
      storage.saveProject(
        project.id,
        { ...doc, description: `edit ${i}` },
        { version: true, note: `edit ${i}` },
      );
    }
    const versions = storage.listVersions(project.id);
    expect(versions).toHaveLength(MAX_VERSIONS);
    expect(versions[0]).toMatchObject({ number: MAX_VERSIONS + 6, note: `edit ${MAX_VERSIONS + 5}` });
    expect(versions.at(-1)?.number).toBe(7);
    expect(storage.getVersion(versions[0]!.id)?.document.description).toBe(`edit ${MAX_VERSIONS + 5}`);
    expect(storage.getProject(project.id)?.document.description).toBe(`edit ${MAX_VERSIONS + 5}`);
    storage.close();
  });

  it('restores an earlier version, keeping the unsaved document in the history first', () => {
    const storage = steppingStorage();
    const doc = presetDocument('wine-type-ann');
    const project = storage.createProject(doc);
    const v1 = storage.listVersions(project.id)[0]!;
    const edited = { ...doc, training: { ...doc.training, optimizer: 'sgd' as const } };
    storage.saveProject(project.id, edited, { version: true });
    storage.saveProject(project.id, { ...edited, description: 'unsaved edit' });

    const restored = storage.restoreVersion(project.id, v1.id);
    expect(restored.document).toEqual(doc);
    const history = storage.listVersions(project.id);
    expect(history.map((v) => [v.number, v.note])).toEqual([
      [4, 'Restored version 1'],
      [3, 'Before restoring version 1'],
      [2, null],
      [1, null],
    ]);
    expect(storage.getVersion(history[1]!.id)?.document.description).toBe('unsaved edit');

    const other = storage.createProject(doc, { name: 'Other' });
    expect(refusalCode(() => storage.restoreVersion(other.id, v1.id))).toBe('not-found');
    storage.close();
  });

  it('reports a stored document that is damaged with one clear error', () => {
    const path = tempDbPath();
    const storage = steppingStorage(path);
    const project = storage.createProject(presetDocument('wine-type-ann'));
    const raw = new Database(path);
    raw
      .prepare('UPDATE projects SET document = ? WHERE id = ?')
      .run('{"format":"neural-workbench/project","version":1}', project.id);
    raw.close();
    const error = refusal(() => storage.getProject(project.id));
    expect(error.code).toBe('damaged');
    expect(error.message).toMatch(/^The document of project "Wine type ANN" in the database cannot be read/);
    storage.close();
  });

  it('refuses to save a document that does not validate', () => {
    const storage = steppingStorage();
    const doc = presetDocument('wine-type-ann');
    const project = storage.createProject(doc);
    const bad = { ...doc, training: { ...doc.training, learningRate: -1 } };
    expect(refusalCode(() => storage.saveProject(project.id, bad, { version: true }))).toBe('invalid-input');
    expect(storage.getProject(project.id)?.document).toEqual(doc);
    expect(storage.listVersions(project.id)).toHaveLength(1);
    storage.close();
  });
});
