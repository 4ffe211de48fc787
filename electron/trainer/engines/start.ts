import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendName } from '../../../shared/api/trainer';
import { appRoot } from '../../services/paths';
import { createParallelEngine } from '../parallel/parallelEngine';
import { planThreads } from '../parallel/threads';
import { chooseEngine, defaultEngine } from './choose';
import type { Engine, EngineSpec } from './engine';

export interface StartEngineOptions {
  backend: BackendName;
  /** Force an engine (tests, benchmarks); otherwise the fastest that can run the network. */
  forced?: Engine['name'];
  /** Threads the user asked for; undefined: as many as help. */
  threads?: number;
  /** Seeds the replicas' dropout masks. */
  seed: number;
  /** The bundled replica script; by default dist-electron/trainerReplica.cjs. */
  replicaEntry?: string;
}

/** The bundled data-parallel replica script. */
export function replicaEntryPath(): string {
  return join(appRoot(), 'dist-electron', 'trainerReplica.cjs');
}

/**
 * The engine for a run, with a note for the user on how it computes: the fused dense engine or the
 * layers engine (chooseEngine), spread over the machine's cores where that is faster; when the extra
 * threads cannot start, one thread, saying why.
 */
export async function startEngine(
  spec: EngineSpec,
  opts: StartEngineOptions,
): Promise<{ engine: Engine; note: string }> {
  const dense = opts.forced === 'dense' || (opts.forced === undefined && defaultEngine(spec.net) === 'dense');
  if (dense) {
    const engine = chooseEngine(spec, 'dense');
    return { engine, note: engine.label };
  }
  const plan =
    opts.forced === 'layers'
      ? { threads: 1, why: 'one thread, as asked' }
      : planThreads(spec.net, spec.settings, opts.backend, opts.threads);
  if (opts.forced === 'parallel' && plan.threads < 2)
    throw new Error(`The parallel engine cannot train this run: ${plan.why}.`);
  const single = (why: string): { engine: Engine; note: string } => {
    const engine = chooseEngine(spec, 'layers');
    return { engine, note: `${engine.label} (${why})` };
  };
  if (plan.threads < 2) return single(plan.why);
  const entry = opts.replicaEntry ?? replicaEntryPath();
  if (!existsSync(entry)) return single(`one thread: the replica script ${entry} is not built`);
  try {
    const engine = await createParallelEngine(spec, {
      threads: plan.threads,
      backend: opts.backend,
      seed: opts.seed,
      replicaEntry: entry,
    });
    return { engine, note: `${engine.label}: ${plan.why}` };
  } catch (error) {
    return single(
      `one thread: the other threads did not start (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
