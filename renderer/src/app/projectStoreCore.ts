// The project store's logic, free of React and of the real host so that it runs in unit tests.
import type { StateCreator } from 'zustand/vanilla';
import type { RequestArgs, RequestName, RequestResult } from '../../../shared/api/contract';
import type { BlockContext, Shape } from '../../../shared/blocks';
import type { ProjectDocument } from '../../../shared/graph/document';
import { analyzeGraph, type GraphAnalysis } from '../../../shared/graph/validate';
import {
  createHistory,
  recordChange,
  redoChange,
  redoLabel,
  undoChange,
  undoLabel,
  type DocumentHistory,
} from './documentHistory';
import { messageOf } from '../../../shared/api/errorMessage';

export type SaveState = 'saved' | 'saving' | 'unsaved' | 'error';
export type DataContext = BlockContext['data'];

export interface UpdateOptions {
  /** Consecutive changes with the same key make one undo step (typing digits into one field). */
  mergeKey?: string;
}

export interface ProjectState {
  projectId: number | null;
  /** The project's name as storage knows it (renaming goes through `renameProject`). */
  projectName: string;
  /** The truth; React Flow nodes are a view of it. */
  document: ProjectDocument | null;
  /** analyzeGraph(document.graph, dataContext), kept in sync. */
  analysis: GraphAnalysis | null;
  /** Dataset input shape and class count, set by the Data view. */
  dataContext: DataContext;
  selectedNodeIds: string[];
  saveState: SaveState;
  /** Why the last save failed, when saveState is 'error'. */
  saveError: string | null;
  openProject(id: number): Promise<void>;
  closeProject(): void;
  /** Every change to the document goes through here: undoable (label shown in Edit menu), autosaved. */
  updateDocument(
    change: (doc: ProjectDocument) => ProjectDocument,
    label: string,
    options?: UpdateOptions,
  ): void;
  undo(): void;
  redo(): void;
  canUndo: boolean;
  canRedo: boolean;
  /** Labels of the steps undo and redo would take, for menus and tooltips. */
  undoLabel: string | null;
  redoLabel: string | null;
  setDataContext(ctx: DataContext): void;
  select(ids: string[]): void;
  /** Renames the open project; false (and the error reported) when the name is refused. */
  renameProject(name: string): Promise<boolean>;
  /** Saves now and keeps a named version of the project (Ctrl+S). */
  saveVersion(): Promise<boolean>;
  /** Writes a pending autosave now. */
  flushSave(): Promise<void>;
}

export interface ProjectStoreDeps {
  call<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>>;
  /** Shows an error to the user. */
  reportError(message: string): void;
  /** Autosave delay after the last change. */
  saveDelayMs?: number;
}

export const AUTOSAVE_DELAY_MS = 800;

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sameContext(a: DataContext, b: DataContext): boolean {
  if (!a || !b) return a === b;
  return a.classCount === b.classCount && sameShape(a.inputShape, b.inputShape);
}

const closedState = {
  projectId: null,
  projectName: '',
  document: null,
  analysis: null,
  dataContext: undefined,
  selectedNodeIds: [],
  saveState: 'saved',
  saveError: null,
  canUndo: false,
  canRedo: false,
  undoLabel: null,
  redoLabel: null,
} satisfies Partial<ProjectState>;

/** The store's state and actions, for zustand's `create` (app) or `createStore` (tests). */
export function projectStoreCreator(deps: ProjectStoreDeps): StateCreator<ProjectState> {
  const delay = deps.saveDelayMs ?? AUTOSAVE_DELAY_MS;

  return (set, get) => {
    let history: DocumentHistory | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    /** The document waiting to be written, for which project. */
    let pending: { projectId: number; document: ProjectDocument } | null = null;
    let inFlight: Promise<void> | null = null;
    /** Bumped by every open/close so that a slow projects:get cannot open a project the user left. */
    let generation = 0;

    const clearTimer = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    };

    const writePending = async (): Promise<void> => {
      clearTimer();
      // One save at a time, in order; a change made meanwhile is written after.
      while (inFlight) await inFlight;
      const job = pending;
      if (!job) return;
      pending = null;
      const isCurrent = () => get().projectId === job.projectId;
      if (isCurrent()) set({ saveState: 'saving' });
      inFlight = (async () => {
        try {
          await deps.call('projects:save', { id: job.projectId, document: job.document, version: false });
          if (isCurrent() && pending === null) set({ saveState: 'saved', saveError: null });
        } catch (error) {
          const message = messageOf(error);
          // Kept, so that the next flush (a retry, or leaving the project) tries again.
          if (pending === null) pending = job;
          if (isCurrent()) set({ saveState: 'error', saveError: message });
          deps.reportError(`Your changes could not be saved: ${message}`);
        } finally {
          inFlight = null;
        }
      })();
      await inFlight;
    };

    const scheduleSave = (document: ProjectDocument) => {
      const { projectId } = get();
      if (projectId === null) return;
      pending = { projectId, document };
      set({ saveState: 'unsaved' });
      clearTimer();
      timer = setTimeout(() => void writePending(), delay);
    };

    /** Makes `h` the current history and the document it holds the current one. */
    const applyHistory = (h: DocumentHistory) => {
      const previous = get().document;
      history = h;
      const document = h.present;
      const graphChanged = previous?.graph !== document.graph;
      const ids = new Set(document.graph.nodes.map((n) => n.id));
      set((s) => ({
        document,
        analysis:
          graphChanged || !s.analysis ? analyzeGraph(document.graph, { data: s.dataContext }) : s.analysis,
        canUndo: h.past.length > 0,
        canRedo: h.future.length > 0,
        undoLabel: undoLabel(h),
        redoLabel: redoLabel(h),
        selectedNodeIds: s.selectedNodeIds.every((id) => ids.has(id))
          ? s.selectedNodeIds
          : s.selectedNodeIds.filter((id) => ids.has(id)),
      }));
      scheduleSave(document);
    };

    return {
      ...closedState,

      async openProject(id) {
        const mine = ++generation;
        await get().flushSave();
        try {
          const record = await deps.call('projects:get', { id });
          if (mine !== generation) return;
          history = createHistory(record.document);
          set({
            ...closedState,
            projectId: record.id,
            projectName: record.name,
            document: record.document,
            analysis: analyzeGraph(record.document.graph, {}),
          });
        } catch (error) {
          if (mine !== generation) return;
          history = null;
          set({ ...closedState });
          deps.reportError(`The project could not be opened: ${messageOf(error)}`);
        }
      },

      closeProject() {
        generation++;
        void get().flushSave();
        history = null;
        set({ ...closedState });
      },

      updateDocument(change, label, options) {
        if (!history) return;
        const next = change(history.present);
        if (next === history.present) return;
        applyHistory(recordChange(history, next, label, options?.mergeKey ?? null));
      },

      undo() {
        if (history && history.past.length > 0) applyHistory(undoChange(history));
      },

      redo() {
        if (history && history.future.length > 0) applyHistory(redoChange(history));
      },

      setDataContext(ctx) {
        const s = get();
        if (sameContext(s.dataContext, ctx)) return;
        set({
          dataContext: ctx,
          analysis: s.document ? analyzeGraph(s.document.graph, { data: ctx }) : null,
        });
      },

      select(ids) {
        const current = get().selectedNodeIds;
        if (current.length === ids.length && current.every((id, i) => id === ids[i])) return;
        set({ selectedNodeIds: [...ids] });
      },

      async renameProject(name) {
        const { projectId } = get();
        if (projectId === null) return false;
        try {
          const record = await deps.call('projects:rename', { id: projectId, name });
          if (get().projectId !== projectId) return true;
          // The name is the project's, not an edit of the network: no undo step, nothing to autosave.
          set((s) => ({
            projectName: record.name,
            document: s.document ? { ...s.document, name: record.name } : s.document,
          }));
          if (history) history = { ...history, present: { ...history.present, name: record.name } };
          if (pending) pending = { ...pending, document: { ...pending.document, name: record.name } };
          return true;
        } catch (error) {
          deps.reportError(messageOf(error));
          return false;
        }
      },

      async saveVersion() {
        const { projectId, document } = get();
        if (projectId === null || !document) return false;
        pending = null;
        clearTimer();
        while (inFlight) await inFlight;
        set({ saveState: 'saving' });
        try {
          await deps.call('projects:save', { id: projectId, document, version: true });
          if (get().projectId === projectId && pending === null) set({ saveState: 'saved', saveError: null });
          return true;
        } catch (error) {
          const message = messageOf(error);
          if (get().projectId === projectId) set({ saveState: 'error', saveError: message });
          deps.reportError(`The version could not be saved: ${message}`);
          return false;
        }
      },

      async flushSave() {
        await writePending();
      },
    };
  };
}
