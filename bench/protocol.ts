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
  | { ok: true; trainSteps: number; inferSteps: number }
  | { ok: true; samplesPerSec: number }
  | { ok: true; released: true }
  | { ok: false; error: string };

/** The tfjs backends the benchmark can run; wasm-stock is tfjs-backend-wasm without our kernels. */
export const BENCH_BACKENDS = ['tensorflow', 'wasm', 'wasm-stock', 'cpu'] as const;
export type BenchBackend = (typeof BENCH_BACKENDS)[number];
