// What bench/run.ts says to the processes that measure (bench/serve.ts for tfjs, torch_ref.py --serve
// for PyTorch): one request at a time, one reply each.
import type { NetworkId } from './networks';

export type BenchRequest =
  | { cmd: 'prepare'; network: NetworkId; seconds: number; maxSteps: number }
  | { cmd: 'train' }
  | { cmd: 'infer' }
  | { cmd: 'release' };

export type BenchReply =
  | { ok: true; ready: true; detail: string }
  | { ok: true; trainSteps: number; inferSteps: number; detail?: string }
  | { ok: true; samplesPerSec: number }
  | { ok: true; released: true }
  | { ok: false; error: string };

/**
 * What the benchmark can run: `trainer` is what `nwb train` runs (auto backend, the engine and the
 * threads it picks, on the preset's compiled network); the others time a bare tfjs model on one
 * backend, wasm-stock being tfjs-backend-wasm without our kernels.
 */
export const BENCH_BACKENDS = ['trainer', 'tensorflow', 'wasm', 'wasm-stock', 'cpu'] as const;
export type BenchBackend = (typeof BENCH_BACKENDS)[number];
