// Makes dilated (atrous) 2-D convolutions trainable. tfjs 4.22 runs them forward but refuses their
// gradients twice over: the registered gradient of the Conv2D kernel asserts dilations of 1, and so
// does the private gradient of fused conv2d, which tfjs-layers' Conv2D layer always takes when it has
// no fused activation (the Conv2D block never has one).
// Imports tfjs itself, not ../tf: tf.ts calls this module while it loads.
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, NamedTensorMap, Tensor, Tensor4D } from '@tensorflow/tfjs';

type Pair = [number, number];
type Shape4 = [number, number, number, number];

/** Set on what this module installs, so that a second call (or a second copy of it) sees it. */
const INSTALLED = Symbol.for('neural-workbench.dilatedConv2D');

function pair(v: unknown): Pair {
  if (v == null) return [1, 1];
  if (typeof v === 'number') return [v, v];
  const a = v as number[];
  return [a[0] ?? 1, a[1] ?? a[0] ?? 1];
}

const isOne = ([a, b]: Pair) => a === 1 && b === 1;

/**
 * How a dilated convolution becomes a plain one: with block = dilations,
 * conv(x, w, dilated) = batchToSpaceND(conv_valid(spaceToBatchND(x, block, paddings), w), block, crops).
 * The paddings are the convolution's own (from its padding mode) plus, at the end, what rounds each
 * padded size up to a multiple of the block; the crops remove that rounding again
 * (TensorFlow's required_space_to_batch_paddings).
 */
interface SpaceToBatchPlan {
  block: Pair;
  paddings: [Pair, Pair];
  crops: [Pair, Pair];
  /** Shape of spaceToBatchND(x, block, paddings). */
  blockedShape: Shape4;
}

function planFor(xShape: Shape4, filterShape: Shape4, attrs: NamedAttrMap, block: Pair): SpaceToBatchPlan {
  const dataFormat = attrs['dataFormat'];
  if (dataFormat != null && dataFormat !== 'NHWC') {
    throw new Error(
      `The gradient of a dilated convolution supports only NHWC data (got ${String(dataFormat)}).`,
    );
  }
  if (!isOne(pair(attrs['strides']))) {
    throw new Error('The gradient of a dilated convolution needs a stride of 1.');
  }
  const { padInfo } = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    1,
    block,
    attrs['pad'] as Parameters<typeof tf.backend_util.computeConv2DInfo>[4],
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    false,
    'channelsLast',
  );
  const [b, h, w, c] = xShape;
  const [dh, dw] = block;
  const paddedH = h + padInfo.top + padInfo.bottom;
  const paddedW = w + padInfo.left + padInfo.right;
  const extraH = (dh - (paddedH % dh)) % dh;
  const extraW = (dw - (paddedW % dw)) % dw;
  return {
    block,
    paddings: [
      [padInfo.top, padInfo.bottom + extraH],
      [padInfo.left, padInfo.right + extraW],
    ],
    crops: [
      [0, extraH],
      [0, extraW],
    ],
    blockedShape: [b * dh * dw, (paddedH + extraH) / dh, (paddedW + extraW) / dw, c],
  };
}

const runKernel = (name: string, inputs: NamedTensorMap, attrs: NamedAttrMap) =>
  tf.engine().runKernel<Tensor4D>(name, inputs, attrs);

/** The Conv2D gradient: tfjs's own at dilation 1, else the backprop kernels on the space-to-batch form. */
function dilatedConv2DGradient(original: GradConfig): GradConfig {
  const gradient: GradConfig = {
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const block = pair(attrs['dilations']);
      if (isOne(block)) return original.gradFunc(dy, saved, attrs);
      const [x, filter] = saved as [Tensor4D, Tensor4D];
      const plan = planFor(x.shape, filter.shape, attrs, block);
      const valid = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC' };
      // The adjoint of batchToSpaceND with crops is spaceToBatchND with those crops as paddings.
      const dyBlocked = () => tf.spaceToBatchND(dy as Tensor4D, block, plan.crops);
      return {
        x: () =>
          tf.batchToSpaceND(
            runKernel(
              'Conv2DBackpropInput',
              { dy: dyBlocked(), filter },
              { ...valid, inputShape: plan.blockedShape },
            ),
            block,
            plan.paddings,
          ),
        filter: () =>
          runKernel(
            'Conv2DBackpropFilter',
            { x: tf.spaceToBatchND(x, block, plan.paddings), dy: dyBlocked() },
            { ...valid, filterShape: filter.shape },
          ),
      };
    },
  };
  return Object.assign(gradient, { [INSTALLED]: true });
}

/** What the Conv2D layer's `call` reads of itself (protected in tfjs-layers' typings). */
interface ConvLayerState {
  rank: number;
  strides: number[];
  padding: string;
  dataFormat: 'channelsFirst' | 'channelsLast';
  dilationRate: number | number[];
  kernel: { read(): Tensor };
  bias?: { read(): Tensor } | null;
  activation: { apply(x: Tensor): Tensor };
}

type LayerCall = (this: ConvLayerState, inputs: Tensor | Tensor[], kwargs: unknown) => Tensor | Tensor[];

/**
 * A dilated Conv2D layer computes conv2d, bias and activation as separate ops, whose gradients
 * (the Conv2D one above) exist, instead of fused conv2d; every other Conv2D layer is left as it is.
 */
function routeDilatedConv2DLayers(): void {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap['Conv2D'];
  if (!entry) throw new Error('tfjs-layers registers no Conv2D layer: reinstall the app.');
  const proto = entry[0].prototype as unknown as { call: LayerCall };
  const shipped = proto.call;
  if (INSTALLED in shipped) return;
  const call: LayerCall = function (this: ConvLayerState, inputs, kwargs) {
    const dilation = pair(this.dilationRate);
    const supported = this.rank === 2 && (this.padding === 'same' || this.padding === 'valid');
    if (isOne(dilation) || !supported) return shipped.call(this, inputs, kwargs);
    return tf.tidy(() => {
      if (Array.isArray(inputs) && inputs.length !== 1) {
        throw new Error(`A Conv2D layer takes one input tensor, not ${inputs.length}.`);
      }
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor4D;
      const channelsFirst = this.dataFormat === 'channelsFirst';
      let y: Tensor = tf.conv2d(
        channelsFirst ? tf.transpose(x, [0, 2, 3, 1]) : x,
        this.kernel.read() as Tensor4D,
        this.strides as Pair,
        this.padding as 'same' | 'valid',
        'NHWC',
        dilation,
      );
      if (this.bias != null) y = tf.add(y, this.bias.read());
      if (channelsFirst) y = tf.transpose(y, [0, 3, 1, 2]);
      return this.activation.apply(y);
    });
  };
  proto.call = Object.assign(call, { [INSTALLED]: true });
}

/** Runs `body` with tfjs's one warning about `message` silenced; every other warning still shows. */
function withoutWarning<T>(message: string, body: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!(args.length === 1 && args[0] === message)) warn.apply(console, args);
  };
  try {
    return body();
  } finally {
    console.warn = warn;
  }
}

/**
 * Registers the Conv2D gradient that handles dilations above 1 (delegating to tfjs's own at dilation
 * 1) and routes dilated Conv2D layers through it. Safe to call more than once.
 */
export function registerDilatedConvGradient(): void {
  const original = tf.getGradient('Conv2D') as GradConfig | undefined;
  if (!original) throw new Error('tfjs registers no Conv2D gradient: reinstall the app.');
  if (!(INSTALLED in original)) {
    // tfjs warns (in debug mode) that a gradient is overridden: here that is the intent.
    withoutWarning("Overriding the gradient for 'Conv2D'", () =>
      tf.registerGradient(dilatedConv2DGradient(original)),
    );
  }
  routeDilatedConv2DLayers();
}
