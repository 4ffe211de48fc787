import type { CompiledModel } from '../../../shared/graph';
import { tf } from '../tf';
import { planDense } from './dense/plan';
import { createDenseEngine } from './denseEngine';
import type { Engine, EngineSpec } from './engine';
import { createLayersEngine } from './layersEngine';

/** Whether the fused dense engine can train this network (Dense layers, activations, Dropout only). */
export function denseEngineSupports(net: CompiledModel): boolean {
  return planDense(net) !== null;
}

/** The fused dense engine for a qualifying network on a JavaScript or wasm backend, else layers. */
export function defaultEngine(net: CompiledModel): 'layers' | 'dense' {
  return tf.getBackend() !== 'tensorflow' && denseEngineSupports(net) ? 'dense' : 'layers';
}

/**
 * The engine for a network: `forced` when given (tests, benchmarks); else the fused dense engine when
 * the network qualifies and the backend runs in JavaScript or wasm (on libtensorflow, `tensorflow`,
 * the layers engine), else the general layers engine.
 */
export function chooseEngine(spec: EngineSpec, forced?: 'layers' | 'dense'): Engine {
  const name = forced ?? defaultEngine(spec.net);
  switch (name) {
    case 'layers':
      return createLayersEngine(spec);
    case 'dense':
      if (!denseEngineSupports(spec.net)) {
        throw new Error(
          'The dense engine runs only networks of Dense, activation and Dropout blocks on flat data: use the layers engine.',
        );
      }
      return createDenseEngine(spec);
  }
}
