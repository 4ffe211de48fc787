// Both gradients of Conv2D on the wasm backend, as forward XNNPACK convolutions over rearranged
// tensors. tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter, and its Conv2DBackpropInput is a
// scalar loop about ten times slower than its forward Conv2D.
import { backend_util, util, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import { pair, shippedKernels, withScope, type KernelScope } from './wasmKernelScope';

type Shape4 = [number, number, number, number];

/** Shapes, strides, dilations and padding of the forward convolution a gradient belongs to. */
function forwardInfo(
  xShape: number[],
  filterShape: number[],
  attrs: NamedAttrMap,
  kernel: string,
): backend_util.Conv2DInfo {
  const dataFormat = attrs['dataFormat'];
  if (dataFormat != null && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on the wasm backend supports only NHWC data (got ${String(dataFormat)}).`);
  }
  return backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    pair(attrs['strides'], 1),
    // tfjs's gradient passes no dilations (it refuses dilated gradients); honoured when given.
    pair(attrs['dilations'], 1),
    attrs['pad'] as Parameters<typeof backend_util.computeConv2DInfo>[4],
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    false,
    'channelsLast',
  );
}

/**
 * dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·sH + kh·dH − top, ow·sW + kw·dW − left, ci] · dy[b,oh,ow,co].
 *
 * Two ways onto XNNPACK, measured on the lesson's ConvNet: im2col (one shifted slice of x per tap,
 * then one MatMul with dy) is 2.4× faster when x has few channels (the RGB input layer); the
 * swapped convolution below costs the same as im2col on wide layers and copies far less.
 */
export const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const x = inputs['x'] as TensorInfo;
  const dy = inputs['dy'] as TensorInfo;
  const info = forwardInfo(x.shape, attrs['filterShape'] as number[], attrs, 'Conv2DBackpropFilter');
  const { padInfo } = info;
  const patchValues =
    info.filterHeight * info.filterWidth * info.inChannels * info.batchSize * info.outHeight * info.outWidth;
  const useIm2col =
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    patchValues <= 2 * (util.sizeFromShape(x.shape) + util.sizeFromShape(dy.shape));
  return withScope(backend, (s) => {
    const xPadded = s.pad(x, [
      [0, 0],
      [padInfo.top, padInfo.bottom],
      [padInfo.left, padInfo.right],
      [0, 0],
    ]);
    return useIm2col ? filterGradIm2col(s, xPadded, dy, info) : filterGradSwapped(s, xPadded, dy, info);
  });
};

/** Stride 1: the patch matrix [KH·KW·CI, B·OH·OW] from shifted slices of x, times dy as [B·OH·OW, CO]. */
function filterGradIm2col(
  s: KernelScope,
  xPadded: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: b, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow } = info;
  const xT = s.transpose(xPadded, [3, 0, 1, 2]); // [CI, B, H', W']
  const rows: TensorInfo[] = [];
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      const shifted = s.slice(xT, [0, 0, kh * info.dilationHeight, kw * info.dilationWidth], [ci, b, oh, ow]);
      rows.push(s.reshape(shifted, [ci, b * oh * ow]));
    }
  }
  const patches = s.reshape(s.run('Concat', rows, { axis: 0 }), [1, rows.length * ci, b * oh * ow]);
  const product = s.matMul(patches, s.reshape(dy, [1, b * oh * ow, co]));
  return s.reshape(product, [info.filterHeight, info.filterWidth, ci, co]);
}

/**
 * Read with ci as the batch, b as the channel and dy as an OH×OW filter, the sum is a forward
 * convolution whose stride is the original dilation and whose dilation is the original stride;
 * XNNPACK runs it as one GEMM (M = CI·KH·KW, K = B·OH·OW, N = CO) without an im2col copy.
 */
function filterGradSwapped(
  s: KernelScope,
  xPadded: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const xT = s.transpose(xPadded, [3, 1, 2, 0]); // [CI, H', W', B]
  const dyT = s.transpose(dy, [1, 2, 0, 3]); // [OH, OW, B, CO]
  const swapped = s.conv2d(
    xT,
    dyT,
    [info.dilationHeight, info.dilationWidth],
    [info.strideHeight, info.strideWidth],
  );
  // Rows the forward pass never reached (stride remainder, 'same' padding) give extra taps: cut them.
  const taps = s.slice(
    swapped,
    [0, 0, 0, 0],
    [info.inChannels, info.filterHeight, info.filterWidth, info.outChannels],
  );
  return s.transpose(taps, [1, 2, 0, 3]); // [KH, KW, CI, CO]
}

/** Past this stride area the zero-stuffed dy is mostly zeros and the shipped loop is faster. */
const MAX_STRIDE_AREA = 4;

/**
 * dx = the forward Conv2D, at the original dilation, of dy zero-stuffed by the stride and padded to
 * full size, with the filter rotated 180° and its channel axes swapped.
 */
export const conv2DBackpropInput: KernelFunc = (args) => {
  const { inputs, backend, attrs = {} } = args;
  const dy = inputs['dy'] as TensorInfo;
  const filter = inputs['filter'] as TensorInfo;
  const info = forwardInfo(attrs['inputShape'] as number[], filter.shape, attrs, 'Conv2DBackpropInput');
  const { strideHeight: sH, strideWidth: sW, dilationHeight: dH, dilationWidth: dW, padInfo } = info;
  const shipped = shippedKernels.get('Conv2DBackpropInput');
  if (sH * sW > MAX_STRIDE_AREA && dH === 1 && dW === 1 && shipped) return shipped.kernelFunc(args);
  const [batch, outH, outW, outC] = dy.shape as Shape4;
  return withScope(backend, (s) => {
    const flipped = s.run('Reverse', { x: filter }, { dims: [0, 1] });
    const filterT = s.transpose(flipped, [0, 1, 3, 2]); // [KH, KW, CO, CI]
    let up = dy;
    if (sH > 1 || sW > 1) {
      const spread = s.reshape(dy, [batch, outH, 1, outW, 1, outC]);
      const stuffed = s.pad(spread, [
        [0, 0],
        [0, 0],
        [0, sH - 1],
        [0, 0],
        [0, sW - 1],
        [0, 0],
      ]);
      up = s.reshape(stuffed, [batch, outH * sH, outW * sW, outC]);
    }
    // Full padding, so that every input row meets each filter tap once; negative amounts crop.
    const spanH = (info.filterHeight - 1) * dH;
    const spanW = (info.filterWidth - 1) * dW;
    const beforeH = spanH - padInfo.top;
    const beforeW = spanW - padInfo.left;
    const lengthH = info.inHeight + spanH;
    const lengthW = info.inWidth + spanW;
    const padded = s.pad(up, [
      [0, 0],
      [Math.max(0, beforeH), Math.max(0, lengthH - beforeH - up.shape[1]!)],
      [Math.max(0, beforeW), Math.max(0, lengthW - beforeW - up.shape[2]!)],
      [0, 0],
    ]);
    const cropped = s.slice(
      padded,
      [0, Math.max(0, -beforeH), Math.max(0, -beforeW), 0],
      [batch, lengthH, lengthW, outC],
    );
    return s.conv2d(cropped, filterT, [1, 1], [dH, dW]);
  });
};
