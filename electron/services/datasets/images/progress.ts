/** Which step of an import a progress event belongs to. */
export type ImportPhase = 'downloading' | 'listing' | 'reading' | 'decoding';

/**
 * How far an import has got. `done` and `total` count bytes (downloading, listing, reading) or
 * images (decoding); `total` is null when it is not known (a server that does not send the size).
 */
export interface ImportProgress {
  phase: ImportPhase;
  done: number;
  total: number | null;
}

export type ProgressListener = (progress: ImportProgress) => void;

/** Steps per phase: enough for a smooth bar without flooding IPC with 60,000 events. */
const STEPS = 200;

/**
 * Returns a reporter for one phase that forwards at most about STEPS events, always the first and the
 * last (done === total).
 */
export function phaseReporter(
  listener: ProgressListener | undefined,
  phase: ImportPhase,
  total: number | null,
): (done: number) => void {
  if (!listener) return () => undefined;
  const step = total === null ? 1 << 20 : Math.max(1, Math.floor(total / STEPS));
  let last = -1;
  return (done) => {
    if (last >= 0 && done !== total && done - last < step) return;
    last = done;
    listener({ phase, done, total });
  };
}
