import type { AppEvent, Handlers, RequestName } from '../../../shared/api/contract';
import type { RunManager } from '../runManager';
import type { Storage } from '../storage';

/** What the handlers work on: one database, the runs training in it, and which transport carries them. */
export interface HandlerDeps {
  storage: Storage;
  runs: RunManager;
  /** The desktop app never reads a file path written by a page; the preview (run from a terminal) does. */
  transport: 'electron' | 'preview';
  /** Pushes progress of slow requests (image imports) to the renderer. */
  emit?: (event: AppEvent) => void;
}

/** The handlers of some of the contract's requests. */
export type HandlerGroup<K extends RequestName> = Pick<Handlers, K>;
