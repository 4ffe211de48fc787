import { create } from 'zustand';
import { call } from '../api/host';
import { projectStoreCreator, type ProjectState } from './projectStoreCore';
import { notifyError } from './useToastStore';

export type { ProjectState, SaveState, DataContext, UpdateOptions } from './projectStoreCore';

/** The open project: its document (the truth), analysis, selection, undo history and autosave. */
export const useProjectStore = create<ProjectState>()(
  projectStoreCreator({ call, reportError: notifyError }),
);
