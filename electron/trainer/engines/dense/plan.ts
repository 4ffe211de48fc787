import type { CompiledModel } from '../../../../shared/graph';
import type { LayerConfig } from '../../../../shared/blocks';

/** One step of a dense network, as the fused engine runs it. `width` is the op's output width. */
export type DenseOp =
  | { kind: 'dense'; name: string; inputs: number; width: number; bias: boolean; trainable: boolean }
  | { kind: 'relu' | 'sigmoid' | 'tanh' | 'softmax'; width: number }
  | { kind: 'leakyRelu' | 'elu'; width: number; alpha: number }
  | { kind: 'dropout'; width: number; rate: number };

export interface DensePlan {
  inputs: number;
  ops: DenseOp[];
}

/** Config keys every layer may carry without changing its maths. */
const COMMON_KEYS = ['name', 'trainable'];

function onlyKeys(layer: LayerConfig, keys: readonly string[]): boolean {
  return Object.keys(layer.config).every((k) => COMMON_KEYS.includes(k) || keys.includes(k));
}

function op(layer: LayerConfig, width: number): DenseOp | 'skip' | null {
  const c = layer.config;
  switch (layer.className) {
    case 'Dense': {
      const activation = c['activation'];
      if (!onlyKeys(layer, ['units', 'useBias', 'kernelInitializer', 'biasInitializer', 'activation']))
        return null;
      if (activation !== undefined && activation !== null && activation !== 'linear') return null;
      const units = c['units'];
      if (typeof units !== 'number' || !Number.isInteger(units) || units < 1) return null;
      return {
        kind: 'dense',
        name: String(c['name']),
        inputs: width,
        width: units,
        bias: c['useBias'] !== false,
        trainable: c['trainable'] !== false,
      };
    }
    case 'ReLU':
      // tfjs's ReLU layer also has maxValue and threshold; only the plain one is fused.
      return onlyKeys(layer, []) ? { kind: 'relu', width } : null;
    case 'LeakyReLU': {
      // tfjs's own default slope when none is given.
      const alpha = c['alpha'] ?? 0.3;
      return onlyKeys(layer, ['alpha']) && typeof alpha === 'number'
        ? { kind: 'leakyRelu', width, alpha }
        : null;
    }
    case 'ELU': {
      const alpha = c['alpha'] ?? 1;
      return onlyKeys(layer, ['alpha']) && typeof alpha === 'number' ? { kind: 'elu', width, alpha } : null;
    }
    case 'Activation':
      if (!onlyKeys(layer, ['activation'])) return null;
      if (c['activation'] === 'sigmoid') return { kind: 'sigmoid', width };
      if (c['activation'] === 'tanh') return { kind: 'tanh', width };
      return null;
    case 'Softmax': {
      const axis = c['axis'] ?? -1;
      return onlyKeys(layer, ['axis']) && (axis === -1 || axis === 1) ? { kind: 'softmax', width } : null;
    }
    case 'Dropout': {
      const rate = c['rate'];
      if (!onlyKeys(layer, ['rate']) || typeof rate !== 'number' || !(rate >= 0 && rate < 1)) return null;
      // tfjs skips dropout (and draws no random numbers) unless 0 < rate < 1.
      return rate > 0 ? { kind: 'dropout', width, rate } : 'skip';
    }
    case 'Flatten':
      // The input is already flat, so Flatten changes nothing.
      return onlyKeys(layer, []) ? 'skip' : null;
    default:
      return null;
  }
}

/**
 * The network as fused dense ops, or null when it uses anything else (convolutions, BatchNorm, image
 * input, an output that does not match its task): those run on the layers engine.
 */
export function planDense(net: CompiledModel): DensePlan | null {
  if (net.inputShape.length !== 1) return null;
  const inputs = net.inputShape[0]!;
  const ops: DenseOp[] = [];
  let width = inputs;
  for (const layer of net.layers) {
    const next = op(layer, width);
    if (next === null) return null;
    if (next === 'skip') continue;
    ops.push(next);
    width = next.width;
  }
  if (!ops.some((o) => o.kind === 'dense')) return null;
  if (width !== net.outputSize) return null;
  // The losses compare [batch, 1] targets with the outputs for regression and binary tasks.
  if (net.task !== 'multiclass' && width !== 1) return null;
  return { inputs, ops };
}
