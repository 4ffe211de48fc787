import { create } from 'zustand';

/** What the start screen should open when it shows (a menu command asked for it). */
export type StartIntent = 'new' | 'import' | 'presets';
type PendingIntent = Exclude<StartIntent, 'new'>;

interface UiState {
  helpOpen: boolean;
  setHelpOpen(open: boolean): void;
  exportOpen: boolean;
  setExportOpen(open: boolean): void;
  newProjectOpen: boolean;
  setNewProjectOpen(open: boolean): void;
  startIntent: { kind: PendingIntent; nonce: number } | null;
  requestStart(kind: StartIntent): void;
  clearStartIntent(): void;
}

let nonce = 0;

/** App-wide UI state that is not the project's: open dialogs and pending requests between screens. */
export const useUiStore = create<UiState>()((set) => ({
  helpOpen: false,
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  exportOpen: false,
  setExportOpen: (exportOpen) => set({ exportOpen }),
  newProjectOpen: false,
  setNewProjectOpen: (newProjectOpen) => set({ newProjectOpen }),
  startIntent: null,
  requestStart: (kind) =>
    set(kind === 'new' ? { newProjectOpen: true } : { startIntent: { kind, nonce: ++nonce } }),
  clearStartIntent: () => set({ startIntent: null }),
}));
