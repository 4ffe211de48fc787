import type { Handlers } from '../../../shared/api/contract';
import { appHandlers } from './appHandlers';
import { datasetHandlers } from './datasetHandlers';
import { DatasetPreviews } from './datasetPreviews';
import { projectHandlers } from './projectHandlers';
import { imageHandlers } from './imageHandlers';
import { modelHandlers, type ChosenFolderCheck } from './modelHandlers';
import { predictHandlers } from './predictHandlers';
import { runHandlers } from './runHandlers';
import type { HandlerDeps } from './types';

export type { HandlerDeps } from './types';

/**
 * The host's implementation of every request of the contract, over the services. Electron main and
 * the browser preview both register this one object, so a request without a handler fails `tsc` here.
 * Arguments arrive parsed (dispatchCall); errors meant for the user are thrown as the services' errors.
 * `isChosenFolder` says which folders main's dialog gave the user (the desktop app reads no others).
 */
export function createHandlers(
  deps: HandlerDeps,
  options: { isChosenFolder?: ChosenFolderCheck } = {},
): Handlers {
  const previews = new DatasetPreviews(deps.storage, deps.transport === 'electron' ? 'refuse' : 'allow');
  return {
    ...appHandlers(deps),
    ...projectHandlers(deps),
    ...datasetHandlers(deps, previews),
    ...runHandlers(deps),
    ...imageHandlers(deps),
    ...predictHandlers(deps),
    ...modelHandlers(deps, options.isChosenFolder),
  };
}
