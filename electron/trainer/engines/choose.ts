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

/**
 * The engine for a network: `forced` when given (tests, benchmarks); else the fused dense engine when
 * the network qualifies and the backend runs in JavaScript or wasm (on libtensorflow, `tensorflow`,
 * the layers engine), else the general layers engine.
 */
export function chooseEngine(spec: EngineSpec, forced?: 'layers' | 'dense'): Engine {
  const name =
    forced ?? (tf.getBackend() !== 'tensorflow' && denseEngineSupports(spec.net) ? 'dense' : 'layers');
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
