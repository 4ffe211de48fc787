// MatMul on the wasm backend arranged so that XNNPACK does the work.
//
// tfjs-backend-wasm sends every transposed product (both gradients of each Dense layer) to a naive
// loop, and an untransposed one to XNNPACK's fully connected operator, which first packs B (the
// "weights"), a slow strided copy it caches per tensor. In training B is a new tensor every step,
// so the forward product of a large layer pays the packing each time. These kernels choose, per
// product, between C = A'·B' and C = (B'ᵀ·A'ᵀ)ᵀ with explicit transposes, whichever moves fewer values.
import { broadcast_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { shippedKernel, withScope, type KernelScope } from './wasmKernelScope';

/** Products smaller than this (m·n·k) stay on the shipped kernel: launching transposes costs more. */
const MIN_WORK = 1 << 16;
/** XNNPACK's weight packing costs about twice an explicit transpose per value (1–5× measured here). */
const PACK_COST = 2;

/** Tensors already used as B of an untransposed product: XNNPACK has them packed, so reuse is cheap. */
const packedOnce = new WeakSet<object>();

type Plan = 'shipped' | 'direct' | 'swapped';

interface Product {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  m: number;
  n: number;
  k: number;
  outShape: number[];
}

function describe(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): Product | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  if (util.sizeFromShape(a.shape.slice(0, -2)) !== 1 || util.sizeFromShape(b.shape.slice(0, -2)) !== 1)
    return null;
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  const outShape = [
    ...broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)),
    m,
    n,
  ];
  return { a, b, transposeA, transposeB, m, n, k, outShape };
}

/** Cost in values moved: explicit transposes count 1 each, XNNPACK's packing of B counts PACK_COST. */
function plan(p: Product): Plan {
  if (p.m * p.n * p.k < MIN_WORK) return 'shipped';
  const sizeA = p.m * p.k;
  const sizeB = p.k * p.n;
  const untransposed = !p.transposeA && !p.transposeB;
  if (untransposed && packedOnce.has(p.b.dataId)) return 'shipped';
  const direct = (p.transposeA ? sizeA : 0) + (p.transposeB ? sizeB : 0) + PACK_COST * sizeB;
  const swapped = (p.transposeB ? 0 : sizeB) + (p.transposeA ? 0 : sizeA) + PACK_COST * sizeA + p.m * p.n;
  if (untransposed) {
    // A second product with the same B (inference over batches) finds it packed and cached.
    packedOnce.add(p.b.dataId);
    return swapped < direct ? 'swapped' : 'shipped';
  }
  return swapped < direct ? 'swapped' : 'direct';
}

/** op(A)·op(B) as an untransposed XNNPACK product, shaped [1, m, n]. */
function multiply(s: KernelScope, p: Product, how: Exclude<Plan, 'shipped'>): TensorInfo {
  const [aRows, aCols] = p.a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = p.b.shape.slice(-2) as [number, number];
  const a = s.reshape(p.a, [1, aRows, aCols]);
  const b = s.reshape(p.b, [1, bRows, bCols]);
  if (how === 'direct') {
    return s.matMul(p.transposeA ? s.transposeInner(a) : a, p.transposeB ? s.transposeInner(b) : b);
  }
  const bT = p.transposeB ? b : s.transposeInner(b); // op(B)ᵀ
  const aT = p.transposeA ? a : s.transposeInner(a); // op(A)ᵀ
  return s.transposeInner(s.matMul(bT, aT));
}

export const batchMatMul: KernelFunc = (args) => {
  const { inputs, backend, attrs = {} } = args;
  const p = describe(
    inputs['a'] as TensorInfo,
    inputs['b'] as TensorInfo,
    attrs['transposeA'] === true,
    attrs['transposeB'] === true,
  );
  const how = p ? plan(p) : 'shipped';
  if (!p || how === 'shipped') return shippedKernel('BatchMatMul').kernelFunc(args);
  return withScope(backend, (s) => s.reshape(multiply(s, p, how), p.outShape));
};

/** Applies a fused activation the way tfjs defines it, with the backend's own kernels. */
function activate(
  s: KernelScope,
  x: TensorInfo,
  activation: string,
  alpha: number,
  prelu: TensorInfo | undefined,
): TensorInfo {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return s.run('Relu', { x });
    case 'relu6':
      return s.run('Relu6', { x });
    case 'elu':
      return s.run('Elu', { x });
    case 'sigmoid':
      return s.run('Sigmoid', { x });
    case 'leakyrelu':
      return s.run('LeakyRelu', { x }, { alpha });
    case 'prelu':
      return s.run('Prelu', { x, alpha: prelu! });
    default:
      throw new Error(`_FusedMatMul on wasm does not know the activation ${activation}.`);
  }
}

/** Activations the shipped kernel applies after its naive (transposed) loop; it drops the others there. */
const SHIPPED_TRANSPOSED_ACTIVATIONS = new Set(['linear', 'relu', 'relu6', 'prelu']);

/** Dense layers' forward pass: the product as above, then bias and activation. */
export const fusedMatMul: KernelFunc = (args) => {
  const { inputs, backend, attrs = {} } = args;
  const activation = (attrs['activation'] as string | undefined) ?? 'linear';
  const transposeA = attrs['transposeA'] === true;
  const transposeB = attrs['transposeB'] === true;
  const bias = inputs['bias'] as TensorInfo | undefined;
  const p = describe(inputs['a'] as TensorInfo, inputs['b'] as TensorInfo, transposeA, transposeB);
  let how = p ? plan(p) : 'shipped';
  if (how === 'shipped' && (transposeA || transposeB) && !SHIPPED_TRANSPOSED_ACTIVATIONS.has(activation))
    how = 'direct';
  if (!p || how === 'shipped') return shippedKernel('_FusedMatMul').kernelFunc(args);
  const alpha = (attrs['leakyreluAlpha'] as number | undefined) ?? 0.2;
  return withScope(backend, (s) => {
    let out = multiply(s, p, how);
    if (bias) out = s.run('Add', { a: out, b: bias });
    out = activate(s, out, activation, alpha, inputs['preluActivationWeights'] as TensorInfo | undefined);
    return s.reshape(out, p.outShape);
  });
};
