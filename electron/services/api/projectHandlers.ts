import { emptyDocument, type ProjectDocument } from '../../../shared/graph';
import { findPreset } from '../presets';
import { exportProject, importProjectFile } from '../projectFile';
import type { ProjectRecord, StorageReader } from '../storage';
import { ApiError } from './errors';
import { fileBytes, exportFileName } from './files';
import type { HandlerDeps, HandlerGroup } from './types';

type ProjectRequests =
  | 'projects:list'
  | 'projects:get'
  | 'projects:create'
  | 'projects:save'
  | 'projects:rename'
  | 'projects:duplicate'
  | 'projects:delete'
  | 'projects:versions'
  | 'projects:restoreVersion'
  | 'projects:export'
  | 'projects:import';

/** The project, or a not-found error the user understands. */
export function requireProject(storage: StorageReader, id: number): ProjectRecord {
  const project = storage.getProject(id);
  if (!project)
    throw new ApiError('not-found', `There is no project with id ${id}: it may have been deleted.`);
  return project;
}

function startingDocument(
  name: string,
  presetId: string | undefined,
  document: ProjectDocument | undefined,
): ProjectDocument {
  if (presetId !== undefined) {
    const preset = findPreset(presetId);
    if (!preset)
      throw new ApiError(
        'not-found',
        `There is no preset "${presetId}": choose one from the presets gallery.`,
      );
    return { ...preset.document, name };
  }
  return document ? { ...document, name } : emptyDocument(name);
}

export function projectHandlers({ storage, runs }: HandlerDeps): HandlerGroup<ProjectRequests> {
  const refuseWhileTraining = (projectId: number, action: string) => {
    const active = runs.activeRuns().find((r) => r.projectId === projectId);
    if (active) {
      throw new ApiError(
        'run-active',
        `This project is still training (run ${active.runId}): stop the run before you ${action}.`,
      );
    }
  };
  return {
    'projects:list': async () => storage.listProjects(),
    'projects:get': async ({ id }) => requireProject(storage, id),
    'projects:create': async ({ name, presetId, document }) =>
      storage.createProject(startingDocument(name, presetId, document), {
        note: presetId !== undefined ? `Created from the preset "${presetId}"` : 'Created',
      }),
    'projects:save': async ({ id, document, version }) => storage.saveProject(id, document, { version }),
    'projects:rename': async ({ id, name }) => storage.renameProject(id, name),
    'projects:duplicate': async ({ id }) => storage.duplicateProject(id),
    'projects:delete': async ({ id }) => {
      refuseWhileTraining(id, 'delete it');
      storage.deleteProject(id);
      return { ok: true };
    },
    'projects:versions': async ({ id }) => {
      requireProject(storage, id);
      return storage.listVersions(id);
    },
    'projects:restoreVersion': async ({ projectId, versionId }) =>
      storage.restoreVersion(projectId, versionId),
    'projects:export': async ({ id, includeDataset, includeRuns }) => {
      const project = requireProject(storage, id);
      const bytes = exportProject(storage, id, { includeDataset, includeRuns });
      return { fileName: exportFileName(project.name), base64: Buffer.from(bytes).toString('base64') };
    },
    'projects:import': async (file) => {
      const result = importProjectFile(storage, fileBytes(file));
      return requireProject(storage, result.projectId);
    },
  };
}
