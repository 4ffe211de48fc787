import { host } from '../../api/host';
import { createRunsStore, type RunsState } from './createRunsStore';
import type { RunProgress } from './runsState';

export type { RunsState } from './createRunsStore';
export type { RunProgress, RunTrace } from './runsState';

/** Training runs as the renderer sees them: live progress from host events, run lists, fetched runs. */
export const useRunsStore = createRunsStore({
  host,
  schedule: (flush) => {
    // One render a frame; the timer covers hidden windows, where frames pause.
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      flush();
    };
    window.requestAnimationFrame(once);
    window.setTimeout(once, 250);
  },
  now: () => Date.now(),
});

// A reload during training: pick up the runs still going so their progress keeps showing.
void useRunsStore
  .getState()
  .resume()
  .catch(() => undefined);

/** Selector for the shell's header: `useRunsStore(activeRunFor(projectId))`; stable between events. */
export function activeRunFor(projectId: number): (state: RunsState) => RunProgress | null {
  return (state) => state.activeRunFor(projectId);
}
