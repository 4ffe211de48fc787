import { create } from 'zustand';

export type ToastKind = 'error' | 'success' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  title?: string;
}

interface ToastState {
  toasts: Toast[];
  push(toast: Omit<Toast, 'id'>): number;
  dismiss(id: number): void;
}

/** How long a toast stays; errors stay longer because they say what to do. */
const lifetimeMs: Record<ToastKind, number> = { error: 9000, success: 3500, info: 5000 };
/** Older toasts go when more than this many are shown. */
const MAX_TOASTS = 4;

let nextId = 1;

/** Notifications shown in a corner of the window (Mantine's notifications package is not used). */
export const useToastStore = create<ToastState>()((set, get) => ({
  toasts: [],
  push(toast) {
    const id = nextId++;
    // The same message twice in a row (a repeated refused connection) shows once, refreshed.
    const others = get().toasts.filter((t) => !(t.message === toast.message && t.kind === toast.kind));
    set({ toasts: [...others, { ...toast, id }].slice(-MAX_TOASTS) });
    setTimeout(() => get().dismiss(id), lifetimeMs[toast.kind]);
    return id;
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
}));

export function notifyError(message: string, title?: string): void {
  useToastStore.getState().push({ kind: 'error', message, ...(title ? { title } : {}) });
}

export function notifySuccess(message: string): void {
  useToastStore.getState().push({ kind: 'success', message });
}

export function notifyInfo(message: string): void {
  useToastStore.getState().push({ kind: 'info', message });
}

/** An error's message for the user (host errors are written for them already). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
