// Progress and time-left maths of a training run, from the counts the trainer reports.

/** Where a run stands: epochs finished, and the batch reached in the epoch under way. */
export interface ProgressCounts {
  epochsDone: number;
  epochs: number;
  /** The epoch under way (1-based), or the last one finished. */
  epoch: number;
  batch: number;
  /** Batches per epoch; 0 until the trainer has said. */
  batches: number;
}

/** A moment the renderer saw the run at: its clock (ms) and the batches done by then. */
export interface Observation {
  at: number;
  units: number;
}

/** Batches done over the whole run. */
export function unitsDone(c: ProgressCounts): number {
  if (c.batches <= 0) return 0;
  const inEpoch = c.epoch > c.epochsDone ? Math.min(c.batch, c.batches) : 0;
  return Math.min(c.epochs * c.batches, c.epochsDone * c.batches + inEpoch);
}

/** Share of the run done, 0..1. */
export function fractionDone(c: ProgressCounts): number {
  if (c.epochs <= 0) return 0;
  if (c.batches <= 0) return Math.min(1, c.epochsDone / c.epochs);
  return unitsDone(c) / (c.epochs * c.batches);
}

/**
 * Seconds left: from the mean of the last epochs' durations once one has finished (it includes the
 * validation pass), else from the rate seen since the first observation. Null until there is a rate.
 */
export function secondsLeft(
  c: ProgressCounts,
  epochSeconds: readonly number[],
  first: Observation | null,
  now: Observation | null,
): number | null {
  if (c.batches <= 0 || c.epochs <= 0) return null;
  const total = c.epochs * c.batches;
  const left = total - unitsDone(c);
  if (left <= 0) return 0;
  const recent = epochSeconds.slice(-3).filter((s) => Number.isFinite(s) && s > 0);
  if (recent.length > 0) {
    const perEpoch = recent.reduce((a, b) => a + b, 0) / recent.length;
    return (left / c.batches) * perEpoch;
  }
  if (!first || !now) return null;
  const elapsed = (now.at - first.at) / 1000;
  const done = now.units - first.units;
  if (elapsed < 0.5 || done <= 0) return null;
  return left * (elapsed / done);
}

/** "about 3 min left", "12 s left", "about 1 h 5 min left". */
export function formatSecondsLeft(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating time left…';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s left`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `about ${h} h left` : `about ${h} h ${m} min left`;
}

/** A duration for tables: "850 ms", "42 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** The progress line under the bar: "Epoch 3 of 20 · batch 40 of 82". */
export function progressText(c: ProgressCounts): string {
  if (c.batches <= 0)
    return `Preparing the data and the model… (${c.epochs} ${c.epochs === 1 ? 'epoch' : 'epochs'})`;
  if (c.epochsDone >= c.epochs) return `Epoch ${c.epochs} of ${c.epochs} · finishing`;
  const epoch = Math.max(1, Math.min(c.epochs, c.epoch > c.epochsDone ? c.epoch : c.epochsDone + 1));
  const batch = c.epoch > c.epochsDone ? Math.min(c.batch, c.batches) : 0;
  return `Epoch ${epoch} of ${c.epochs} · batch ${batch} of ${c.batches}`;
}
