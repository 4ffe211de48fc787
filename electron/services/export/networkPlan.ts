import type { LayerConfig } from '../../../shared/blocks';
import { ExportError } from './errors';

/** Height, width, channels: the layout tfjs (and Keras) keep images in. */
export type Hwc = [number, number, number];

/** Element-wise functions every target language has. */
export type ActivationFn =
  | 'relu'
  | 'relu6'
  | 'sigmoid'
  | 'tanh'
  | 'softmax'
  | 'elu'
  | 'selu'
  | 'softplus'
  | 'softsign'
  | 'silu'
  | 'leakyRelu'
  | 'hardtanh';

/**
 * One step of the network, language-neutral: the PyTorch and Keras writers turn it into code, and
 * the weight converter into arrays. `name` is a Python identifier, unique among its siblings;
 * `tfjs` is the tfjs layer whose weights it holds; `flatFrom` marks a layer whose flat input came
 * from flattening an image (tfjs flattens height-width-channels, PyTorch channels-height-width).
 */
export type PlanOp =
  | {
      kind: 'linear';
      name: string;
      tfjs: string;
      inFeatures: number;
      units: number;
      bias: boolean;
      flatFrom: Hwc | null;
      frozen: boolean;
    }
  | {
      kind: 'conv';
      name: string;
      tfjs: string;
      inChannels: number;
      filters: number;
      kernel: [number, number];
      stride: [number, number];
      dilation: [number, number];
      /** Zero padding top, bottom, left, right (tfjs `same` worked out for the input size). */
      pad: [number, number, number, number];
      /** The original said `same` (Keras can say so again). */
      same: boolean;
      bias: boolean;
      frozen: boolean;
    }
  | { kind: 'pad'; name: string; pad: [number, number, number, number] }
  | { kind: 'maxpool' | 'avgpool'; name: string; size: [number, number]; stride: [number, number] }
  | { kind: 'globalavg' | 'globalmax'; name: string }
  | { kind: 'flatten'; name: string; from: Hwc }
  | { kind: 'dropout'; name: string; rate: number }
  | {
      kind: 'batchnorm';
      name: string;
      tfjs: string;
      features: number;
      spatial: boolean;
      /** Keras's momentum (weight of the old statistics); PyTorch's is 1 − this. */
      kerasMomentum: number;
      epsilon: number;
      affine: boolean;
      flatFrom: Hwc | null;
      frozen: boolean;
    }
  | { kind: 'activation'; name: string; fn: ActivationFn; alpha?: number; max?: number }
  | { kind: 'nested'; name: string; tfjs: string; ops: PlanOp[]; frozen: boolean };

/** The network as the writers see it: input shape, steps, output shape. */
export interface NetworkPlan {
  inputShape: number[];
  ops: PlanOp[];
  outputShape: number[];
}

/** A nested model's layers (TS-style configs), for a Pretrained block, or null when it cannot be found. */
export type NestedResolver = (layer: LayerConfig) => { layers: LayerConfig[]; frozen: boolean };

const PYTHON_RESERVED = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield ' +
    'forward train eval training parameters modules children state_dict to cuda cpu type float double half ' +
    'apply zero_grad buffers named_parameters named_modules add_module register_buffer load_state_dict ' +
    'requires_grad_ get_layer layers weights inputs outputs name trainable call build input output self x'
  ).split(' '),
);

/** Python-safe, readable names: tfjs `b_fc1` -> `fc1`, unique within one module. */
export class Namer {
  private readonly used = new Set<string>();

  name(tfjsName: string, fallback: string): string {
    const last = tfjsName.split('.').pop() ?? tfjsName;
    let base = last
      .replace(/^b_/, '')
      .replace(/[^A-Za-z0-9_]/g, '_')
      .replace(/^_+|_+$/g, '');
    if (base === '') base = fallback;
    if (/^[0-9]/.test(base) || PYTHON_RESERVED.has(base)) base = `${fallback}_${base}`;
    let name = base;
    for (let n = 2; this.used.has(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }
}

function pair(value: unknown, what: string, layer: string): [number, number] {
  const v = Array.isArray(value) ? value : [value, value];
  const [a, b] = v as unknown[];
  if (typeof a !== 'number' || typeof b !== 'number')
    throw new ExportError(`Layer ${layer} has an unexpected ${what} (${JSON.stringify(value)}).`);
  return [a, b];
}

/** tfjs `same` padding for one axis: the total split with the extra pixel after, as TensorFlow does. */
function samePad(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function zeroPadding(value: unknown, layer: string): [number, number, number, number] {
  if (typeof value === 'number') return [value, value, value, value];
  if (Array.isArray(value) && value.length === 2) {
    const [h, w] = value as unknown[];
    if (typeof h === 'number' && typeof w === 'number') return [h, h, w, w];
    const [t, b] = pair(h, 'padding', layer);
    const [l, r] = pair(w, 'padding', layer);
    return [t, b, l, r];
  }
  throw new ExportError(`Layer ${layer} has an unexpected padding (${JSON.stringify(value)}).`);
}

const activationNames: Record<string, ActivationFn | 'linear'> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'silu',
};

function activationFn(name: unknown, layer: string): ActivationFn | 'linear' {
  const fn = activationNames[String(name ?? 'linear')];
  if (!fn)
    throw new ExportError(
      `Layer ${layer} uses the activation ${String(name)}, which the exported script cannot write exactly.`,
    );
  return fn;
}

function outSize(size: number, kernel: number, stride: number, dilation = 1): number {
  return Math.floor((size - dilation * (kernel - 1) - 1) / stride) + 1;
}

interface State {
  shape: number[];
  flatFrom: Hwc | null;
}

function needImage(state: State, layer: string, className: string): Hwc {
  if (state.shape.length !== 3)
    throw new ExportError(
      `Layer ${layer} (${className}) needs an image input but gets ${state.shape.join('×')}.`,
    );
  return state.shape as Hwc;
}

/**
 * The plan for a chain of tfjs layer configs (TS style, as the compiler writes them and as tfjs's
 * pythonic JSON reads after conversion). Throws ExportError for a layer no script can reproduce.
 */
export function planLayers(
  layers: readonly LayerConfig[],
  inputShape: readonly number[],
  resolveNested: NestedResolver,
  frozenAbove = false,
): NetworkPlan {
  const state: State = { shape: [...inputShape], flatFrom: null };
  const ops = planInto(layers, state, resolveNested, frozenAbove);
  return { inputShape: [...inputShape], ops, outputShape: state.shape };
}

function planInto(
  layers: readonly LayerConfig[],
  state: State,
  resolveNested: NestedResolver,
  frozenAbove: boolean,
): PlanOp[] {
  const namer = new Namer();
  const ops: PlanOp[] = [];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const c = layer.config;
    const tfjs = String(c.name ?? `${layer.className}_${i}`);
    const frozen = frozenAbove || c.trainable === false;
    const addActivation = (value: unknown) => {
      const fn = activationFn(value, tfjs);
      if (fn !== 'linear') ops.push({ kind: 'activation', name: namer.name(`${tfjs}_act`, 'act'), fn });
    };
    switch (layer.className) {
      case 'InputLayer':
        break;
      case 'Dense': {
        if (state.shape.length !== 1)
          throw new ExportError(
            `Layer ${tfjs} (Dense) gets a ${state.shape.join('×')} input: the script needs a Flatten before it.`,
          );
        const units = Number(c.units);
        ops.push({
          kind: 'linear',
          name: namer.name(tfjs, 'fc'),
          tfjs,
          inFeatures: state.shape[0]!,
          units,
          bias: c.useBias !== false,
          flatFrom: state.flatFrom,
          frozen,
        });
        state.shape = [units];
        state.flatFrom = null;
        addActivation(c.activation);
        break;
      }
      case 'ZeroPadding2D': {
        const [h, w, ch] = needImage(state, tfjs, layer.className);
        const pad = zeroPadding(c.padding ?? 1, tfjs);
        const next = layers[i + 1];
        // The compiler writes PyTorch's Conv2d(padding=p) as ZeroPadding2D + a valid Conv2D: fold it back.
        const symmetric = pad.every((p) => p === pad[0]);
        if (next?.className === 'Conv2D' && (next.config.padding ?? 'valid') === 'valid' && symmetric) {
          state.shape = [h + pad[0] + pad[1], w + pad[2] + pad[3], ch];
          const conv = planConv(next, state, namer, frozenAbove, pad);
          ops.push(conv.op);
          if (conv.activation) addActivationFor(ops, namer, conv.activation, conv.op.tfjs);
          i++;
          break;
        }
        ops.push({ kind: 'pad', name: namer.name(tfjs, 'pad'), pad });
        state.shape = [h + pad[0] + pad[1], w + pad[2] + pad[3], ch];
        break;
      }
      case 'Conv2D': {
        const conv = planConv(layer, state, namer, frozenAbove, null);
        ops.push(conv.op);
        if (conv.activation) addActivationFor(ops, namer, conv.activation, conv.op.tfjs);
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const [h, w, ch] = needImage(state, tfjs, layer.className);
        const size = pair(c.poolSize ?? 2, 'pool size', tfjs);
        const stride = pair(c.strides ?? size, 'stride', tfjs);
        if ((c.padding ?? 'valid') !== 'valid')
          throw new ExportError(
            `Layer ${tfjs} pools with 'same' padding, which the exported script cannot write exactly.`,
          );
        ops.push({
          kind: layer.className === 'MaxPooling2D' ? 'maxpool' : 'avgpool',
          name: namer.name(tfjs, 'pool'),
          size,
          stride,
        });
        state.shape = [outSize(h, size[0], stride[0]), outSize(w, size[1], stride[1]), ch];
        break;
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D': {
        const [, , ch] = needImage(state, tfjs, layer.className);
        ops.push({
          kind: layer.className === 'GlobalMaxPooling2D' ? 'globalmax' : 'globalavg',
          name: namer.name(tfjs, 'pool'),
        });
        state.shape = [ch];
        break;
      }
      case 'Flatten': {
        if (state.shape.length === 1) break;
        const from = needImage(state, tfjs, layer.className);
        ops.push({ kind: 'flatten', name: namer.name(tfjs, 'flatten'), from });
        state.shape = [from[0] * from[1] * from[2]];
        // A 1×1 image or one channel flattens alike in both orders: nothing to reorder.
        state.flatFrom = from[2] > 1 && from[0] * from[1] > 1 ? from : null;
        break;
      }
      case 'Dropout':
        if (Number(c.rate) > 0)
          ops.push({ kind: 'dropout', name: namer.name(tfjs, 'dropout'), rate: Number(c.rate) });
        break;
      case 'BatchNormalization': {
        const axis = Number(c.axis ?? -1);
        if (axis !== -1 && axis !== state.shape.length)
          throw new ExportError(
            `Layer ${tfjs} normalises axis ${axis}; the exported script handles only the last (channels).`,
          );
        const center = c.center !== false;
        const scale = c.scale !== false;
        if (center !== scale)
          throw new ExportError(
            `Layer ${tfjs} is a BatchNorm with only one of center and scale, which PyTorch has no layer for.`,
          );
        ops.push({
          kind: 'batchnorm',
          name: namer.name(tfjs, 'bn'),
          tfjs,
          features: state.shape[state.shape.length - 1]!,
          spatial: state.shape.length === 3,
          kerasMomentum: Number(c.momentum ?? 0.99),
          epsilon: Number(c.epsilon ?? 1e-3),
          affine: center,
          flatFrom: state.shape.length === 1 ? state.flatFrom : null,
          frozen,
        });
        break;
      }
      case 'ReLU': {
        const max = c.maxValue;
        if (typeof max === 'number') {
          ops.push(
            max === 6
              ? { kind: 'activation', name: namer.name(tfjs, 'relu6'), fn: 'relu6' }
              : { kind: 'activation', name: namer.name(tfjs, 'relu'), fn: 'hardtanh', max },
          );
        } else ops.push({ kind: 'activation', name: namer.name(tfjs, 'relu'), fn: 'relu' });
        break;
      }
      case 'LeakyReLU':
        ops.push({
          kind: 'activation',
          name: namer.name(tfjs, 'leaky_relu'),
          fn: 'leakyRelu',
          alpha: Number(c.alpha ?? 0.3),
        });
        break;
      case 'ELU':
        ops.push({
          kind: 'activation',
          name: namer.name(tfjs, 'elu'),
          fn: 'elu',
          alpha: Number(c.alpha ?? 1),
        });
        break;
      case 'Softmax': {
        const axis = Number(c.axis ?? -1);
        if (axis !== -1 && axis !== state.shape.length)
          throw new ExportError(
            `Layer ${tfjs} takes a softmax over axis ${axis}; the script handles only the last.`,
          );
        ops.push({ kind: 'activation', name: namer.name(tfjs, 'softmax'), fn: 'softmax' });
        break;
      }
      case 'Activation': {
        const fn = activationFn(c.activation, tfjs);
        if (fn !== 'linear') ops.push({ kind: 'activation', name: namer.name(tfjs, fn), fn });
        break;
      }
      case 'Pretrained':
      case 'Sequential': {
        const nested =
          layer.className === 'Pretrained'
            ? resolveNested(layer)
            : { layers: nestedLayers(layer), frozen: false };
        const nestedFrozen = frozen || nested.frozen;
        const inner = planInto(nested.layers, state, resolveNested, nestedFrozen);
        ops.push({ kind: 'nested', name: namer.name(tfjs, 'model'), tfjs, ops: inner, frozen: nestedFrozen });
        break;
      }
      default:
        throw new ExportError(
          `Layer ${tfjs} is a ${layer.className}, which the exported script cannot write yet: export the trained model (TensorFlow.js format) instead.`,
        );
    }
  }
  return ops;
}

function addActivationFor(ops: PlanOp[], namer: Namer, fn: ActivationFn, tfjs: string): void {
  ops.push({ kind: 'activation', name: namer.name(`${tfjs}_act`, 'act'), fn });
}

function planConv(
  layer: LayerConfig,
  state: State,
  namer: Namer,
  frozenAbove: boolean,
  folded: [number, number, number, number] | null,
): { op: Extract<PlanOp, { kind: 'conv' }>; activation: ActivationFn | null } {
  const c = layer.config;
  const tfjs = String(c.name);
  const [h, w, ch] = needImage(state, tfjs, 'Conv2D');
  if ((c.dataFormat ?? 'channelsLast') !== 'channelsLast')
    throw new ExportError(`Layer ${tfjs} is a channels-first Conv2D, which the script cannot write.`);
  const kernel = pair(c.kernelSize, 'kernel size', tfjs);
  const stride = pair(c.strides ?? 1, 'stride', tfjs);
  const dilation = pair(c.dilationRate ?? 1, 'dilation', tfjs);
  const same = c.padding === 'same';
  let pad: [number, number, number, number] = [0, 0, 0, 0];
  let inH = h;
  let inW = w;
  if (same) {
    const [t, b] = samePad(h, kernel[0], stride[0], dilation[0]);
    const [l, r] = samePad(w, kernel[1], stride[1], dilation[1]);
    pad = [t, b, l, r];
    inH += t + b;
    inW += l + r;
  } else if (folded) {
    pad = folded;
  }
  const filters = Number(c.filters);
  const op: Extract<PlanOp, { kind: 'conv' }> = {
    kind: 'conv',
    name: namer.name(tfjs, 'conv'),
    tfjs,
    inChannels: ch,
    filters,
    kernel,
    stride,
    dilation,
    pad,
    same,
    bias: c.useBias !== false,
    frozen: frozenAbove || c.trainable === false,
  };
  // With `folded`, h and w already include the padding.
  state.shape = [
    outSize(inH, kernel[0], stride[0], dilation[0]),
    outSize(inW, kernel[1], stride[1], dilation[1]),
    filters,
  ];
  state.flatFrom = null;
  const fn = activationFn(c.activation, tfjs);
  return { op, activation: fn === 'linear' ? null : fn };
}

function nestedLayers(layer: LayerConfig): LayerConfig[] {
  const layers = (layer.config as { layers?: unknown }).layers;
  if (!Array.isArray(layers))
    throw new ExportError(`The nested model ${String(layer.config.name)} has no list of layers.`);
  return layers as LayerConfig[];
}

/** Every op with weights, with its path of names from the top (["pre", "fc1"]). */
export function weightedOps(
  ops: readonly PlanOp[],
  path: string[] = [],
): { path: string[]; op: Extract<PlanOp, { kind: 'linear' | 'conv' | 'batchnorm' }> }[] {
  return ops.flatMap((op) => {
    if (op.kind === 'nested') return weightedOps(op.ops, [...path, op.name]);
    if (op.kind === 'linear' || op.kind === 'conv' || op.kind === 'batchnorm')
      return [{ path: [...path, op.name], op }];
    return [];
  });
}
