import type { ProjectDocument } from '../../../shared/graph/document';
import { documentToStore, storedDocument } from './documents';
import { StorageError, sqliteCode } from './errors';
import { checkName, firstFreeName, nameKey } from './names';
import { sql, type Context } from './statements';
import type { ProjectRecord, ProjectSummary, ProjectVersion, ProjectVersionSummary } from './types';

/** Saved versions kept per project; older ones are dropped as new ones come. */
export const MAX_VERSIONS = 50;

interface ProjectRow {
  id: number;
  name: string;
  document: string;
  created_at: string;
  updated_at: string;
}

interface VersionRow {
  id: number;
  project_id: number;
  number: number;
  saved_at: string;
  note: string | null;
}

function toProject(row: ProjectRow): ProjectRecord {
  return {
    id: row.id,
    name: row.name,
    document: storedDocument(row.document, `project "${row.name}"`),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toVersionSummary(row: VersionRow): ProjectVersionSummary {
  return { id: row.id, projectId: row.project_id, number: row.number, savedAt: row.saved_at, note: row.note };
}

export function listProjects({ db }: Context): ProjectSummary[] {
  const rows = sql(
    db,
    // Both subqueries run on the runs_by_project index: no scan of the runs themselves.
    `SELECT p.id, p.name, p.created_at, p.updated_at,
       (SELECT COUNT(*) FROM runs r WHERE r.project_id = p.id) AS run_count,
       (SELECT r.created_at FROM runs r WHERE r.project_id = p.id ORDER BY r.id DESC LIMIT 1) AS last_run_at
     FROM projects p ORDER BY p.name_key`,
  ).all() as (Omit<ProjectRow, 'document'> & { run_count: number; last_run_at: string | null })[];
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    runCount: row.run_count,
    lastRunAt: row.last_run_at,
  }));
}

export function getProject({ db }: Context, id: number): ProjectRecord | undefined {
  const row = sql(db, 'SELECT * FROM projects WHERE id = ?').get(id) as ProjectRow | undefined;
  return row && toProject(row);
}

export function getProjectByName({ db }: Context, name: string): ProjectRecord | undefined {
  const row = sql(db, 'SELECT * FROM projects WHERE name_key = ?').get(nameKey(name.trim())) as
    ProjectRow | undefined;
  return row && toProject(row);
}

function nameOwner({ db }: Context, name: string): number | undefined {
  const row = sql(db, 'SELECT id FROM projects WHERE name_key = ?').get(nameKey(name)) as
    { id: number } | undefined;
  return row?.id;
}

export function availableProjectName(ctx: Context, name: string): string {
  return firstFreeName(name, (candidate) => nameOwner(ctx, candidate) === undefined);
}

function nameTaken(name: string): StorageError {
  return new StorageError('name-taken', `A project named "${name}" already exists: choose another name.`);
}

function requireProject(ctx: Context, id: number): ProjectRow {
  const row = sql(ctx.db, 'SELECT * FROM projects WHERE id = ?').get(id) as ProjectRow | undefined;
  if (!row)
    throw new StorageError('not-found', `There is no project with id ${id}: it may have been deleted.`);
  return row;
}

/** Adds a version and drops the oldest beyond MAX_VERSIONS. */
function addVersion(ctx: Context, projectId: number, documentText: string, note: string | null): void {
  const { db } = ctx;
  const last = sql(db, 'SELECT MAX(number) AS n FROM project_versions WHERE project_id = ?').get(
    projectId,
  ) as {
    n: number | null;
  };
  sql(
    db,
    'INSERT INTO project_versions (project_id, number, document, note, saved_at) VALUES (?, ?, ?, ?, ?)',
  ).run(projectId, (last.n ?? 0) + 1, documentText, note, ctx.now());
  sql(
    db,
    `DELETE FROM project_versions WHERE project_id = ? AND id NOT IN
       (SELECT id FROM project_versions WHERE project_id = ? ORDER BY number DESC LIMIT ${MAX_VERSIONS})`,
  ).run(projectId, projectId);
}

export function createProject(
  ctx: Context,
  document: ProjectDocument,
  options: { name?: string; note?: string } = {},
): ProjectRecord {
  const name = checkName(options.name ?? document.name, 'project');
  const text = documentToStore(document, name);
  return ctx.db.transaction(() => {
    if (nameOwner(ctx, name) !== undefined) throw nameTaken(name);
    const time = ctx.now();
    let id: number;
    try {
      const info = sql(
        ctx.db,
        'INSERT INTO projects (name, name_key, document, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      ).run(name, nameKey(name), text, time, time);
      id = Number(info.lastInsertRowid);
    } catch (error) {
      // Another process took the name between the check and the insert.
      if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE') throw nameTaken(name);
      throw error;
    }
    addVersion(ctx, id, text, options.note ?? null);
    return toProject(requireProject(ctx, id));
  })();
}

export function saveProject(
  ctx: Context,
  id: number,
  document: ProjectDocument,
  options: { version?: boolean; note?: string } = {},
): ProjectRecord {
  return ctx.db.transaction(() => {
    const row = requireProject(ctx, id);
    // The project's name is authoritative; renameProject is how it changes.
    const text = documentToStore(document, row.name);
    sql(ctx.db, 'UPDATE projects SET document = ?, updated_at = ? WHERE id = ?').run(text, ctx.now(), id);
    if (options.version) addVersion(ctx, id, text, options.note ?? null);
    return toProject(requireProject(ctx, id));
  })();
}

export function renameProject(ctx: Context, id: number, newName: string): ProjectRecord {
  const name = checkName(newName, 'project');
  return ctx.db.transaction(() => {
    const row = requireProject(ctx, id);
    const owner = nameOwner(ctx, name);
    if (owner !== undefined && owner !== id) throw nameTaken(name);
    const text = documentToStore(storedDocument(row.document, `project "${row.name}"`), name);
    sql(ctx.db, 'UPDATE projects SET name = ?, name_key = ?, document = ?, updated_at = ? WHERE id = ?').run(
      name,
      nameKey(name),
      text,
      ctx.now(),
      id,
    );
    return toProject(requireProject(ctx, id));
  })();
}

export function duplicateProject(ctx: Context, id: number, options: { name?: string } = {}): ProjectRecord {
  return ctx.db.transaction(() => {
    const source = toProject(requireProject(ctx, id));
    const name =
      options.name !== undefined
        ? checkName(options.name, 'project')
        : availableProjectName(ctx, `Copy of ${source.name}`);
    return createProject(ctx, source.document, { name, note: `Copied from "${source.name}"` });
  })();
}

export function deleteProject(ctx: Context, id: number): void {
  ctx.db.transaction(() => {
    requireProject(ctx, id);
    // Versions, runs, their epochs and models go with it (ON DELETE CASCADE).
    sql(ctx.db, 'DELETE FROM projects WHERE id = ?').run(id);
  })();
}

export function listVersions({ db }: Context, projectId: number): ProjectVersionSummary[] {
  const rows = sql(
    db,
    'SELECT id, project_id, number, saved_at, note FROM project_versions WHERE project_id = ? ORDER BY number DESC',
  ).all(projectId) as VersionRow[];
  return rows.map(toVersionSummary);
}

export function getVersion({ db }: Context, versionId: number): ProjectVersion | undefined {
  const row = sql(db, 'SELECT * FROM project_versions WHERE id = ?').get(versionId) as
    (VersionRow & { document: string }) | undefined;
  if (!row) return undefined;
  return {
    ...toVersionSummary(row),
    document: storedDocument(row.document, `version ${row.number} of project ${row.project_id}`),
  };
}

export function restoreVersion(ctx: Context, projectId: number, versionId: number): ProjectRecord {
  return ctx.db.transaction(() => {
    const row = requireProject(ctx, projectId);
    const version = getVersion(ctx, versionId);
    if (!version || version.projectId !== projectId) {
      throw new StorageError(
        'not-found',
        `Project "${row.name}" has no saved version with id ${versionId}: pick one from its history.`,
      );
    }
    const latest = sql(
      ctx.db,
      'SELECT document FROM project_versions WHERE project_id = ? ORDER BY number DESC LIMIT 1',
    ).get(projectId) as { document: string } | undefined;
    // Unsaved edits would be lost otherwise: keep them as a version first.
    if (latest?.document !== row.document) {
      addVersion(ctx, projectId, row.document, `Before restoring version ${version.number}`);
    }
    const text = documentToStore(version.document, row.name);
    sql(ctx.db, 'UPDATE projects SET document = ?, updated_at = ? WHERE id = ?').run(
      text,
      ctx.now(),
      projectId,
    );
    addVersion(ctx, projectId, text, `Restored version ${version.number}`);
    return toProject(requireProject(ctx, projectId));
  })();
}
