import { resolve } from 'node:path';
import { PretrainedModelError, inspectPretrainedModel } from '../../trainer/pretrained';
import { ApiError } from './errors';
import type { HandlerDeps, HandlerGroup } from './types';

/** Whether the user picked this (absolute) folder in one of main's dialogs. */
export type ChosenFolderCheck = (path: string) => boolean;

/** The desktop app reads only folders the user chose in its own dialog, never a path a page wrote. */
function folderNotChosen(): ApiError {
  return new ApiError(
    'file-source',
    'The desktop app reads a model folder only when you pick it: click “Choose folder…” and choose it again.',
  );
}

/** Reads model folders for the Pretrained model block. */
export function modelHandlers(
  { transport }: HandlerDeps,
  isChosenFolder: ChosenFolderCheck = () => false,
): HandlerGroup<'models:inspectPretrained'> {
  return {
    'models:inspectPretrained': async ({ path }) => {
      const dir = resolve(path);
      if (transport === 'electron' && !isChosenFolder(dir)) throw folderNotChosen();
      try {
        return { path: dir, ...(await inspectPretrainedModel(dir)) };
      } catch (error) {
        // Its message already says what is wrong with the folder and what to do.
        if (error instanceof PretrainedModelError) throw new ApiError('bad-input', error.message);
        throw error;
      }
    },
  };
}
