import { analyzeGraph, type ProjectDocument } from '../../../shared/graph';
import { ApiError } from './errors';
import { fileSourceRefused } from './datasetPreviews';
import { requireProject } from './projectHandlers';
import type { HandlerDeps, HandlerGroup } from './types';

type RunRequests = 'runs:start' | 'runs:stop' | 'runs:list' | 'runs:get' | 'runs:delete' | 'runs:active';

/** Refuses, before a run is recorded, a document the trainer would fail on at once. */
function checkTrainable(document: ProjectDocument, transport: HandlerDeps['transport']): void {
  const issue = analyzeGraph(document.graph).issues[0];
  if (issue) {
    throw new ApiError(
      'invalid-network',
      `The network needs a fix in the Editor before it can train: ${issue.message}`,
    );
  }
  const source = document.data?.source;
  if (source?.kind === 'file' && transport === 'electron') throw fileSourceRefused(source.path);
}

export function runHandlers({ storage, runs, transport }: HandlerDeps): HandlerGroup<RunRequests> {
  const isActive = (runId: number) => runs.activeRuns().some((r) => r.runId === runId);
  const requireRun = (runId: number) => {
    const run = storage.getRun(runId);
    if (!run) throw new ApiError('not-found', `There is no run with id ${runId}: it may have been deleted.`);
    return run;
  };
  return {
    'runs:start': async ({ projectId, backend }) => {
      const project = requireProject(storage, projectId);
      const active = runs.activeRuns().find((r) => r.projectId === projectId);
      if (active) {
        throw new ApiError(
          'run-active',
          `"${project.name}" is already training (run ${active.runId}): wait for it to finish or stop it first.`,
        );
      }
      checkTrainable(project.document, transport);
      return runs.start(projectId, { backend });
    },
    'runs:stop': async ({ runId }) => {
      // Stopping a run that has just ended is not an error: the user's wish is already met.
      if (isActive(runId)) runs.stop(runId);
      else requireRun(runId);
      return { ok: true };
    },
    'runs:list': async ({ projectId }) => {
      requireProject(storage, projectId);
      return storage.listRuns({ projectId });
    },
    'runs:get': async ({ runId }) => ({
      run: requireRun(runId),
      epochs: storage.getRunEpochs(runId),
      predictions: storage.getRunPredictions(runId) ?? null,
    }),
    'runs:delete': async ({ runId }) => {
      if (isActive(runId))
        throw new ApiError('run-active', `Run ${runId} is still training: stop it first, then delete it.`);
      storage.deleteRun(runId);
      return { ok: true };
    },
    'runs:active': async () => runs.activeRuns(),
  };
}
