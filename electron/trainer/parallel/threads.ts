// How many threads a run trains on: the tfjs wasm and cpu backends use one core each, so big networks
// get one replica per spare core (parallelEngine.ts); small ones stay on one thread, where the cost of
// summing gradients across threads would exceed what the extra cores save.
import { availableParallelism } from 'node:os';
import type { CompiledModel, TrainingSettings } from '../../../shared/graph';
import type { BackendName } from '../../../shared/api/trainer';

/** Threads (the trainer's own included) and why, in words for the user. */
export interface ThreadPlan {
  threads: number;
  why: string;
}

/** A thread's share of a batch is at least this many samples: smaller shares waste the matrix kernels. */
export const MIN_SHARE = 8;
/** Above this, the gradient sum (one pass over every weight per thread and step) outgrows the gain. */
export const MAX_THREADS = 8;
/** A network without convolutions is worth spreading from this many parameters. */
const DENSE_PARAMETERS = 1_000_000;

function worthSpreading(net: CompiledModel): boolean {
  return (
    net.blockLayers.some((b) => b.kind === 'conv2d' || b.kind === 'pretrained') ||
    net.params.total >= DENSE_PARAMETERS
  );
}

/**
 * The thread plan for a run. `requested`: a thread count the user asked for (1 turns spreading off),
 * or undefined for automatic; `cores`: the machine's, by default os.availableParallelism().
 */
export function planThreads(
  net: CompiledModel,
  settings: Pick<TrainingSettings, 'batchSize'>,
  backend: BackendName,
  requested?: number,
  cores = availableParallelism(),
): ThreadPlan {
  const one = (why: string): ThreadPlan => ({ threads: 1, why });
  if (backend !== 'wasm' && backend !== 'cpu') return one('native TensorFlow uses every core itself');
  if (requested === 1) return one('one thread, as asked');
  if (net.blockLayers.some((b) => b.kind === 'batchnorm'))
    return one('batch normalisation needs the statistics of whole batches, so it trains on one thread');
  const byBatch = Math.floor(settings.batchSize / MIN_SHARE);
  if (byBatch < 2)
    return one(
      `a batch of ${settings.batchSize} is too small to share between threads (${MIN_SHARE} per thread at least)`,
    );
  if (requested === undefined && !worthSpreading(net))
    return one('a small network trains fastest on one thread');
  if (cores < 2 && requested === undefined) return one('this machine has one core');
  const threads = Math.min(requested ?? cores, cores, byBatch, MAX_THREADS);
  if (threads < 2) return one('one core');
  return { threads, why: `${threads} threads, one per core` };
}
