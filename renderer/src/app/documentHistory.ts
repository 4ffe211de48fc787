import type { ProjectDocument } from '../../../shared/graph/document';

/** Undo steps kept; older ones are dropped. */
export const HISTORY_LIMIT = 200;

export interface HistoryStep {
  /** The document before the change. */
  document: ProjectDocument;
  /** What the change did ("Add Dense"), for the Edit menu. */
  label: string;
}

/** Undo/redo as a stack of whole documents; edits share unchanged parts, so a step costs little. */
export interface DocumentHistory {
  past: readonly HistoryStep[];
  present: ProjectDocument;
  future: readonly HistoryStep[];
  /** Key of the last change when consecutive changes with it merge into one step (typing a number). */
  mergeKey: string | null;
}

export function createHistory(document: ProjectDocument): DocumentHistory {
  return { past: [], present: document, future: [], mergeKey: null };
}

/** Records a change. With `mergeKey` equal to the last change's, it replaces that step instead. */
export function recordChange(
  history: DocumentHistory,
  next: ProjectDocument,
  label: string,
  mergeKey: string | null = null,
): DocumentHistory {
  if (next === history.present) return history;
  if (mergeKey !== null && mergeKey === history.mergeKey && history.past.length > 0) {
    return { ...history, present: next, future: [] };
  }
  const past = [...history.past, { document: history.present, label }];
  return {
    past: past.length > HISTORY_LIMIT ? past.slice(-HISTORY_LIMIT) : past,
    present: next,
    future: [],
    mergeKey,
  };
}

export function undoChange(history: DocumentHistory): DocumentHistory {
  const step = history.past[history.past.length - 1];
  if (!step) return history;
  return {
    past: history.past.slice(0, -1),
    present: step.document,
    future: [{ document: history.present, label: step.label }, ...history.future],
    mergeKey: null,
  };
}

export function redoChange(history: DocumentHistory): DocumentHistory {
  const step = history.future[0];
  if (!step) return history;
  return {
    past: [...history.past, { document: history.present, label: step.label }],
    present: step.document,
    future: history.future.slice(1),
    mergeKey: null,
  };
}

export const undoLabel = (h: DocumentHistory): string | null => h.past[h.past.length - 1]?.label ?? null;
export const redoLabel = (h: DocumentHistory): string | null => h.future[0]?.label ?? null;
