import { buildModel } from '../buildModel';
import { tf, type LayersModel, type Tensor } from '../tf';
import { activationBackward, activationForward, softmaxBackward, softmaxForward } from './dense/elementwise';
import { lossCount, lossMode, lossSum, metricSum } from './dense/loss';
import { denseBackwardInput, denseBackwardWeights, denseForward } from './dense/matmul';
import { FlatOptimizer } from './dense/optimizer';
import { planDense, type DenseOp } from './dense/plan';
import { Alea, dropoutMask } from './dense/tfjsRandom';
import type { BatchResult, Engine, EngineSpec } from './engine';

/** Rows evaluated at once at least (more when the batch is larger), within this many floats a buffer. */
const EVAL_ROWS = 256;
const MAX_BUFFER_FLOATS = 1 << 22;

/** A Dense layer's weights as views into the engine's one flat parameter (and gradient) array. */
interface DenseWeights {
  w: Float32Array;
  b: Float32Array | null;
  gw: Float32Array;
  gb: Float32Array | null;
}

/**
 * The fused engine for networks of Dense layers and element-wise activations: forward, backward and
 * optimizer over preallocated Float32Arrays, with no tensors and no allocation per batch. It follows
 * the layers engine's maths (tfjs formulas, initial weights, dropout masks) so either gives the same run.
 */
export function createDenseEngine({ net, settings }: EngineSpec): Engine {
  const plan = planDense(net);
  if (!plan)
    throw new Error(
      'This network has layers the fast dense engine cannot run: train it with the layers engine.',
    );
  const { ops, inputs } = plan;
  const last = ops.length - 1;
  const k = net.outputSize;
  const mode = lossMode(net.loss, net.outputActivation);
  // Built once with the run's seeded Math.random: the source of the initial weights and the export target.
  const model = buildModel(net);

  // Parameters: every Dense layer's kernel then bias, in one array; the trainable ones as ranges.
  let size = 0;
  for (const op of ops) if (op.kind === 'dense') size += op.inputs * op.width + (op.bias ? op.width : 0);
  const params = new Float32Array(size);
  const gradients = new Float32Array(size);
  const weights: (DenseWeights | null)[] = [];
  const ranges: number[] = [];
  let offset = 0;
  for (const op of ops) {
    if (op.kind !== 'dense') {
      weights.push(null);
      continue;
    }
    const start = offset;
    const kernelEnd = start + op.inputs * op.width;
    const end = kernelEnd + (op.bias ? op.width : 0);
    const layerWeights: DenseWeights = {
      w: params.subarray(start, kernelEnd),
      b: op.bias ? params.subarray(kernelEnd, end) : null,
      gw: gradients.subarray(start, kernelEnd),
      gb: op.bias ? gradients.subarray(kernelEnd, end) : null,
    };
    const initial = model.getLayer(op.name).getWeights();
    layerWeights.w.set(initial[0]!.dataSync() as Float32Array);
    if (layerWeights.b) layerWeights.b.set(initial[1]!.dataSync() as Float32Array);
    weights.push(layerWeights);
    if (op.trainable) {
      if (ranges.length > 0 && ranges[ranges.length - 1] === start) ranges[ranges.length - 1] = end;
      else ranges.push(start, end);
    }
    offset = end;
  }
  const optimizer = new FlatOptimizer(settings, size, Int32Array.from(ranges));
  // Back-propagation stops at the first layer that learns: nothing before it needs a gradient.
  const firstBack = ops.findIndex((op) => op.kind === 'dense' && op.trainable);
  const rng = new Alea();

  // A ReLU right after a Dense layer runs inside the Dense's output loop and shares its buffers; the
  // Dense layer after such a ReLU zeroes the gradient it sends back where the ReLU was off, so the
  // ReLU costs no pass of its own either way (the two passes were ~10% of a step).
  const fusedRelu = ops.map((op, i) => op.kind === 'relu' && i > 0 && ops[i - 1]!.kind === 'dense');
  const masksForRelu = ops.map((op, i) => op.kind === 'dense' && i > 0 && fusedRelu[i - 1]!);

  // Per op: its output and the loss gradient with respect to that output, for `capacity` rows.
  const maxWidth = Math.max(inputs, ...ops.map((op) => op.width));
  let capacity = 0;
  let outs: Float32Array[] = [];
  let grads: Float32Array[] = [];
  let masks: (Float32Array | null)[] = [];
  const ensureCapacity = (rows: number): void => {
    if (rows <= capacity) return;
    capacity = rows;
    outs = [];
    grads = [];
    ops.forEach((op, i) => {
      outs.push(fusedRelu[i] ? outs[i - 1]! : new Float32Array(rows * op.width));
      grads.push(new Float32Array(rows * op.width));
    });
    ops.forEach((_, i) => {
      if (fusedRelu[i]) grads[i - 1] = grads[i]!;
    });
    masks = ops.map((op) => (op.kind === 'dropout' ? new Float32Array(rows * op.width) : null));
  };
  ensureCapacity(Math.max(settings.batchSize, Math.min(EVAL_ROWS, Math.floor(MAX_BUFFER_FLOATS / maxWidth))));

  const forward = (x: Float32Array, xOff: number, rows: number, training: boolean): Float32Array => {
    let src = x;
    let off = xOff;
    for (let i = 0; i <= last; i++) {
      const op = ops[i]!;
      const dst = outs[i]!;
      const count = rows * op.width;
      switch (op.kind) {
        case 'dense': {
          const lw = weights[i]!;
          denseForward(src, off, rows, op.inputs, lw.w, lw.b, op.width, dst, i < last && fusedRelu[i + 1]!);
          break;
        }
        case 'relu':
          if (!fusedRelu[i]) activationForward(op.kind, 0, src, off, dst, count);
          break;
        case 'sigmoid':
        case 'tanh':
          activationForward(op.kind, 0, src, off, dst, count);
          break;
        case 'leakyRelu':
        case 'elu':
          activationForward(op.kind, op.alpha, src, off, dst, count);
          break;
        case 'softmax':
          softmaxForward(src, off, rows, op.width, dst);
          break;
        case 'dropout': {
          if (!training) {
            dst.set(src.subarray(off, off + count));
            break;
          }
          const mask = masks[i]!;
          dropoutMask(rng, op.rate, mask, count);
          for (let j = 0; j < count; j++) dst[j] = src[off + j]! * mask[j]!;
          break;
        }
      }
      src = dst;
      off = 0;
    }
    return outs[last]!;
  };

  /** From grads[last] (the loss gradient) down to the first trainable layer, filling `gradients`. */
  const backward = (x: Float32Array, xOff: number, rows: number): void => {
    for (let i = last; i >= firstBack; i--) {
      const op: DenseOp = ops[i]!;
      const src = i === 0 ? x : outs[i - 1]!;
      const off = i === 0 ? xOff : 0;
      const dy = grads[i]!;
      const dx = i > firstBack ? grads[i - 1]! : null;
      const count = rows * op.width;
      switch (op.kind) {
        case 'dense': {
          const lw = weights[i]!;
          if (op.trainable) denseBackwardWeights(src, off, rows, op.inputs, dy, op.width, lw.gw, lw.gb);
          if (dx) denseBackwardInput(dy, rows, op.width, lw.w, op.inputs, dx, masksForRelu[i] ? src : null);
          break;
        }
        case 'relu':
          if (!fusedRelu[i]) {
            if (dx) activationBackward(op.kind, 0, src, off, outs[i]!, dy, dx, count);
          } else if (!(i < last && masksForRelu[i + 1])) {
            // Fused, but the gradient came from a loss or a Dropout: mask it in place (dx is dy).
            activationBackward('relu', 0, outs[i]!, 0, outs[i]!, dy, dy, count);
          }
          break;
        case 'sigmoid':
        case 'tanh':
          if (dx) activationBackward(op.kind, 0, src, off, outs[i]!, dy, dx, count);
          break;
        case 'leakyRelu':
        case 'elu':
          if (dx) activationBackward(op.kind, op.alpha, src, off, outs[i]!, dy, dx, count);
          break;
        case 'softmax':
          if (dx) softmaxBackward(outs[i]!, dy, rows, op.width, dx);
          break;
        case 'dropout':
          if (dx) {
            const mask = masks[i]!;
            for (let j = 0; j < count; j++) dx[j] = dy[j]! * mask[j]!;
          }
          break;
      }
    }
  };

  let xs: Float32Array | null = null;
  let ys: Float32Array | null = null;
  let loaded = 0;

  // Snapshots list the weights in the order of model.weights (trainable layers first, then frozen
  // ones), as the layers engine's getWeights() does, so callers can pair them with the model's names.
  const weightList: Float32Array[] = model.weights.map((variable) => {
    for (let i = 0; i <= last; i++) {
      const op = ops[i]!;
      const lw = weights[i];
      if (op.kind !== 'dense' || !lw) continue;
      const [kernel, bias] = model.getLayer(op.name).weights;
      if (variable === kernel) return lw.w;
      if (variable === bias && lw.b) return lw.b;
    }
    throw new Error(`The dense engine has no weight ${variable.originalName}.`);
  });

  return {
    name: 'dense',
    label: 'fused dense kernels',
    loadSamples(x, y, count) {
      if (x.length < count * inputs || y.length < count) {
        throw new Error(
          `The training data holds fewer than ${count} samples of ${inputs} features: prepare the data again.`,
        );
      }
      xs = x;
      ys = y;
      loaded = count;
    },
    trainBatch(start, rows): BatchResult {
      if (!xs || !ys || start < 0 || rows < 1 || start + rows > loaded) {
        throw new Error(`Samples ${start}–${start + rows} are not loaded (${loaded} are).`);
      }
      ensureCapacity(rows);
      const out = forward(xs, start * inputs, rows, true);
      const scale = 1 / lossCount(mode, rows, k);
      let loss = lossSum(mode, out, ys, start, rows, k, grads[last]!, scale) * scale;
      const metric = metricSum(net.task, net.outputActivation, out, ys, start, rows, k) / rows;
      // As layersEngine: the reported loss includes (decay/2)·Σw² of the weights before the step.
      if (settings.weightDecay > 0) loss += (settings.weightDecay / 2) * optimizer.squaredSum(params);
      if (firstBack >= 0) {
        backward(xs, start * inputs, rows);
        optimizer.step(params, gradients);
      }
      return { loss, metric };
    },
    releaseSamples() {
      xs = ys = null;
      loaded = 0;
    },
    evaluate(x, y, count) {
      const outputs = new Float32Array(count * k);
      let lossTotal = 0;
      let metricTotal = 0;
      for (let start = 0; start < count; start += capacity) {
        const rows = Math.min(capacity, count - start);
        const out = forward(x, start * inputs, rows, false);
        lossTotal += lossSum(mode, out, y, start, rows, k, null, 1);
        metricTotal += metricSum(net.task, net.outputActivation, out, y, start, rows, k);
        outputs.set(out.subarray(0, rows * k), start * k);
      }
      return { loss: lossTotal / lossCount(mode, count, k), metric: metricTotal / count, outputs };
    },
    setLearningRate(lr) {
      optimizer.learningRate = lr;
    },
    snapshot: () => weightList.map((w) => w.slice()),
    restore(saved) {
      if (saved.length !== weightList.length || saved.some((w, i) => w.length !== weightList[i]!.length)) {
        throw new Error('The saved weights do not fit this network.');
      }
      weightList.forEach((w, i) => w.set(saved[i]!));
    },
    toLayersModel(): LayersModel {
      tf.tidy(() => {
        ops.forEach((op, i) => {
          const lw = weights[i];
          if (op.kind !== 'dense' || !lw) return;
          // Copies: a tfjs tensor may keep the very array it was made from.
          const values: Tensor[] = [tf.tensor2d(lw.w.slice(), [op.inputs, op.width])];
          if (lw.b) values.push(tf.tensor1d(lw.b.slice()));
          model.getLayer(op.name).setWeights(values);
        });
      });
      return model;
    },
    dispose() {
      xs = ys = null;
      model.dispose();
    },
  };
}
