// Lets one wasm kernel be written in terms of others: calls their kernel functions directly (not
// through ops, so nothing lands on a gradient tape) and frees every intermediate when done.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  getKernel,
  type KernelConfig,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs';

export const WASM = 'wasm';

export type Pair = [number, number];

/** The wasm kernels that were replaced, as shipped; the replacements call them for the arithmetic. */
export const shippedKernels = new Map<string, KernelConfig>();

/** The kernel as tfjs-backend-wasm ships it (the replaced one, or the current registration). */
export function shippedKernel(kernelName: string): KernelConfig {
  const config = shippedKernels.get(kernelName) ?? getKernel(kernelName, WASM);
  if (!config) throw new Error(`The wasm backend has no ${kernelName} kernel.`);
  return config;
}

export class KernelScope {
  private readonly temps: TensorInfo[] = [];
  constructor(readonly backend: BackendWasm) {}

  run(kernelName: string, inputs: NamedTensorInfoMap | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    const out = shippedKernel(kernelName).kernelFunc({
      inputs: inputs as NamedTensorInfoMap,
      backend: this.backend,
      attrs,
    }) as TensorInfo;
    this.temps.push(out);
    return out;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Swaps the last two axes of a rank-3 tensor. */
  transposeInner(x: TensorInfo): TensorInfo {
    return this.transpose(x, [0, 2, 1]);
  }

  pad(x: TensorInfo, paddings: Pair[]): TensorInfo {
    return paddings.every(([a, b]) => a === 0 && b === 0)
      ? x
      : this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return begin.every((b, i) => b === 0 && size[i] === x.shape[i])
      ? x
      : this.run('Slice', { x }, { begin, size });
  }

  /** XNNPACK's convolution, NHWC, unpadded (callers pad explicitly). */
  conv2d(x: TensorInfo, filter: TensorInfo, strides: Pair, dilations: Pair): TensorInfo {
    const attrs = { strides, dilations, pad: 'valid', dataFormat: 'NHWC' };
    return this.run('Conv2D', { x, filter }, attrs);
  }

  /** C = A·B for rank-3 tensors with a batch of one, on XNNPACK's fully connected operator. */
  matMul(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  }

  /** The result survives the scope; everything else it ran is freed. */
  finish(result: TensorInfo): TensorInfo {
    for (const t of this.temps) if (t !== result) this.backend.disposeData(t.dataId);
    return result;
  }

  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
  }
}

/** Runs `body` in a fresh scope and returns its result, with the intermediates freed even on error. */
export function withScope(backend: unknown, body: (s: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(backend as BackendWasm);
  try {
    return scope.finish(body(scope));
  } catch (error) {
    scope.dispose();
    throw error;
  }
}

export function pair(v: unknown, fallback: number): Pair {
  if (v == null) return [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  const a = v as number[];
  return [a[0] ?? fallback, a[1] ?? a[0] ?? fallback];
}
