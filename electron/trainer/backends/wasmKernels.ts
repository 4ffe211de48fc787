// Completes tfjs-backend-wasm 4.22 for training and moves its slow gradient kernels onto XNNPACK.
//
// Missing outright: Conv2DBackpropFilter (every Conv2D fails to train). Present but slow:
// Conv2DBackpropInput (a scalar loop, ~10× its forward Conv2D), MaxPoolGrad (searches each window
// once per input it covers), every transposed MatMul (a naive loop), the forward product of a large
// Dense layer (XNNPACK repacks its new weights every step) and Identity (copies every tensor that
// tfjs saves for the backward pass).
import '@tensorflow/tfjs-backend-wasm';
import { getKernel, registerKernel, unregisterKernel, type KernelFunc } from '@tensorflow/tfjs';
import { conv2DBackpropFilter, conv2DBackpropInput } from './wasmConvKernels';
import { shippedKernels, WASM } from './wasmKernelScope';
import { batchMatMul, fusedMatMul } from './wasmMatMulKernels';
import { maxPoolGrad } from './wasmPoolKernels';

/**
 * tfjs clones every tensor it saves for the backward pass; the shipped kernel copies the buffer,
 * this one shares it (tensors are immutable; the cpu backend's Identity and wasm's Reshape share too).
 */
const identity: KernelFunc = (args) => {
  const x = args.inputs['x']!;
  if (x.dtype === 'string') return shippedKernels.get('Identity')!.kernelFunc(args);
  (args.backend as { incRef(dataId: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

const kernels: ReadonlyArray<{ name: string; kernelFunc: KernelFunc }> = [
  { name: 'Conv2DBackpropFilter', kernelFunc: conv2DBackpropFilter },
  { name: 'Conv2DBackpropInput', kernelFunc: conv2DBackpropInput },
  { name: 'BatchMatMul', kernelFunc: batchMatMul },
  { name: '_FusedMatMul', kernelFunc: fusedMatMul },
  { name: 'MaxPoolGrad', kernelFunc: maxPoolGrad },
  { name: 'Identity', kernelFunc: identity },
];

/** The kernels registered for 'wasm' by registerWasmTrainingKernels (added or replaced). */
export const wasmTrainingKernelNames: readonly string[] = kernels.map((k) => k.name);

/**
 * Registers the kernels above for the 'wasm' backend; calling it again does nothing. Works before
 * or after the backend starts: a replaced kernel keeps its setup function, which binds the C++ code
 * the replacement still calls.
 */
export function registerWasmTrainingKernels(): void {
  for (const { name, kernelFunc } of kernels) {
    const current = getKernel(name, WASM);
    if (current?.kernelFunc === kernelFunc) continue;
    if (current) {
      shippedKernels.set(name, current);
      unregisterKernel(name, WASM);
    }
    registerKernel({
      kernelName: name,
      backendName: WASM,
      kernelFunc,
      ...(current?.setupFunc ? { setupFunc: current.setupFunc } : {}),
      ...(current?.disposeFunc ? { disposeFunc: current.disposeFunc } : {}),
    });
  }
}

/** The names among `kernelNames` that have no kernel registered for 'wasm' (a model using one fails). */
export function wasmMissingKernels(kernelNames: readonly string[]): string[] {
  return [...new Set(kernelNames)].filter((name) => getKernel(name, WASM) == null).sort();
}
