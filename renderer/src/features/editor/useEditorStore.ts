import { create } from 'zustand';
import type { BlockClipboard } from './graphOps';

interface EditorState {
  /** Selected connections (blocks are selected in the project store, which the other views read too). */
  selectedEdgeIds: string[];
  setSelectedEdgeIds(ids: string[]): void;
  clipboard: BlockClipboard | null;
  /** How many times the clipboard was pasted, so that each paste lands a step further. */
  pastes: number;
  setClipboard(clip: BlockClipboard | null): void;
  countPaste(): number;
}

/** The editor's own UI state, none of it saved. */
export const useEditorStore = create<EditorState>()((set, get) => ({
  selectedEdgeIds: [],
  setSelectedEdgeIds: (ids) => {
    const current = get().selectedEdgeIds;
    if (current.length === ids.length && current.every((id, i) => id === ids[i])) return;
    set({ selectedEdgeIds: ids });
  },
  clipboard: null,
  pastes: 0,
  setClipboard: (clipboard) => set({ clipboard, pastes: 0 }),
  countPaste: () => {
    const pastes = get().pastes + 1;
    set({ pastes });
    return pastes;
  },
}));
