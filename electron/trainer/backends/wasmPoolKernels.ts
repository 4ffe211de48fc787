// MaxPoolGrad for the wasm backend. The shipped one revisits, for every input value, each window
// that covers it and searches that window's maximum again (a 2×2 pool's gradient costs about 80×
// its forward pass). This one finds each window's maximum once and routes dy there: one pass over
// the input, in the backend's own memory, with tfjs's rule for ties (the first maximum in row-major
// window order, as PyTorch does too).
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';

export const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const wasm = backend as BackendWasm;
  const dy = inputs['dy'] as TensorInfo;
  const input = inputs['input'] as TensorInfo;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs['filterSize'] as [number, number] | number,
    attrs['strides'] as [number, number] | number,
    1,
    attrs['pad'] as Parameters<typeof backend_util.computePool2DInfo>[4],
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  const dx = wasm.makeOutput(input.shape, 'float32');
  // Views into the wasm heap, taken after the allocation above (it may grow and move the heap).
  const x = wasm.typedArrayFromHeap(input) as Float32Array;
  const g = wasm.typedArrayFromHeap(dy) as Float32Array;
  const out = wasm.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sH, strideWidth: sW, filterHeight: kH, filterWidth: kW } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = Math.max(0, oh * sH - top);
      const h1 = Math.min(H, oh * sH - top + kH);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = Math.max(0, ow * sW - left);
        const w1 = Math.min(W, ow * sW - left + kW);
        best.fill(-Infinity);
        where.fill(-1);
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const base = ((b * H + h) * W + w) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c]!;
              if (v > best[c]!) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const gBase = ((b * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) {
          const at = where[c]!;
          if (at >= 0) out[at] = out[at]! + g[gBase + c]!;
        }
      }
    }
  }
  return dx;
};
