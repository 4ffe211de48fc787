import type { Task } from '../../../shared/data/types';
import { buildModel } from '../buildModel';
import { lossFunction } from '../losses';
import { createOptimizer, setLearningRate } from '../optimizer';
import { tf, type LayersModel, type Scalar, type Tensor, type Variable } from '../tf';
import type { BatchResult, Engine, EngineSpec } from './engine';

/**
 * The layers engine with its step split in two, for data-parallel training (electron/trainer/parallel):
 * every thread computes the gradient of its share of a batch, the shares are summed, and every thread
 * applies the same sum, so their weights stay identical.
 */
export interface LayersEngine extends Engine {
  readonly name: 'layers';
  /** How many trainable floats there are: the length of a flat gradient (trainable weights in order). */
  readonly trainableSize: number;
  /**
   * The gradient of the mean data loss (without L2) over samples [start, start+size) of those loaded,
   * times `scale`, written into `out`; with that share's mean loss and metric.
   */
  gradients(start: number, size: number, scale: number, out: Float32Array): BatchResult;
  /** One optimiser step with this flat gradient, L2's decay·w added as trainBatch adds it. */
  applyGradients(flat: Float32Array): void;
  /** The L2 term trainBatch adds to the loss it reports: (decay/2)·Σw², 0 without weight decay. */
  penalty(): number;
}

const EVAL_BATCH = 1024;

export function encodeTargets(y: Float32Array, task: Task, outDim: number): Tensor {
  if (task === 'multiclass')
    return tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(y), 'int32'), outDim).toFloat());
  return tf.tensor2d(y, [y.length, 1]);
}

/** Mean absolute error for regression, accuracy for classification. */
export function batchMetric(
  pred: Tensor,
  y: Tensor,
  task: Task,
  activation: 'sigmoid' | 'softmax' | 'linear',
): Tensor {
  return tf.tidy(() => {
    switch (task) {
      case 'regression':
        return tf.mean(tf.abs(tf.sub(pred, y)));
      case 'binary':
        return tf.mean(tf.equal(tf.greater(pred, activation === 'sigmoid' ? 0.5 : 0).toFloat(), y).toFloat());
      case 'multiclass':
        return tf.mean(tf.equal(tf.argMax(pred, -1), tf.argMax(y, -1)).toFloat());
    }
  });
}

/** The general engine: the compiled tf.LayersModel trained with optimizer.minimize on the active backend. */
export function createLayersEngine({ net, settings }: EngineSpec): LayersEngine {
  const model = buildModel(net);
  const optimizer = createOptimizer(settings);
  const lossFn = lossFunction(net.loss, net.outputActivation);
  const trainable = model.trainableWeights.map((w) => w.read() as Variable);
  const trainableSize = trainable.reduce((n, v) => n + v.size, 0);
  const shape = [...net.inputShape];
  let xEpoch: Tensor | null = null;
  let yEpoch: Tensor | null = null;
  let evalCache: { x: Float32Array; y: Float32Array; xt: Tensor; yt: Tensor } | null = null;

  const l2 = (): Tensor =>
    // d/dw of (decay/2)·Σw² is decay·w: exactly PyTorch's weight_decay term in the gradient.
    tf.mul(settings.weightDecay / 2, tf.addN(trainable.map((w) => tf.sum(tf.square(w)))));

  const predict = (x: Tensor): Tensor =>
    tf.tidy(() => {
      const n = x.shape[0]!;
      if (n <= EVAL_BATCH) return model.apply(x, { training: false }) as Tensor;
      const parts: Tensor[] = [];
      for (let i = 0; i < n; i += EVAL_BATCH)
        parts.push(model.apply(x.slice(i, Math.min(EVAL_BATCH, n - i)), { training: false }) as Tensor);
      return tf.concat(parts, 0);
    });

  return {
    name: 'layers',
    label: 'tfjs layers',
    trainableSize,
    gradients(start, size, scale, out): BatchResult {
      const xb = xEpoch!.slice(start, size);
      const yb = yEpoch!.slice(start, size);
      let metricTensor: Tensor | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const pred = model.apply(xb, { training: true }) as Tensor;
        metricTensor = tf.keep(batchMetric(pred, yb, net.task, net.outputActivation));
        return lossFn(yb, pred) as Scalar;
      }, trainable);
      let offset = 0;
      for (const v of trainable) {
        const g = grads[v.name]!.dataSync() as Float32Array;
        if (scale === 1) out.set(g, offset);
        else for (let i = 0; i < g.length; i++) out[offset + i] = g[i]! * scale;
        offset += g.length;
      }
      const loss = value.dataSync()[0]!;
      const metric = (metricTensor as unknown as Tensor).dataSync()[0]!;
      tf.dispose([value, metricTensor as unknown as Tensor, xb, yb, ...Object.values(grads)]);
      return { loss, metric };
    },
    applyGradients(flat) {
      tf.tidy(() => {
        const named: Record<string, Tensor> = {};
        let offset = 0;
        for (const v of trainable) {
          const g = tf.tensor(flat.subarray(offset, offset + v.size), v.shape);
          named[v.name] = settings.weightDecay > 0 ? tf.add(g, tf.mul(settings.weightDecay, v)) : g;
          offset += v.size;
        }
        optimizer.applyGradients(named);
      });
    },
    penalty: () => (settings.weightDecay > 0 ? tf.tidy(() => l2().dataSync()[0]!) : 0),
    loadSamples(x, y, count) {
      tf.dispose([xEpoch, yEpoch].filter((t): t is Tensor => t !== null));
      xEpoch = tf.tensor(x, [count, ...shape]);
      yEpoch = encodeTargets(y, net.task, net.outputSize);
    },
    trainBatch(start, size): BatchResult {
      const xb = xEpoch!.slice(start, size);
      const yb = yEpoch!.slice(start, size);
      let metricTensor: Tensor | null = null;
      const lossTensor = optimizer.minimize(
        () => {
          const pred = model.apply(xb, { training: true }) as Tensor;
          metricTensor = tf.keep(batchMetric(pred, yb, net.task, net.outputActivation));
          const loss = lossFn(yb, pred);
          return (settings.weightDecay > 0 ? tf.add(loss, l2()) : loss) as Scalar;
        },
        true,
        trainable,
      )!;
      const loss = lossTensor.dataSync()[0]!;
      const metric = (metricTensor as unknown as Tensor).dataSync()[0]!;
      tf.dispose([lossTensor, metricTensor as unknown as Tensor, xb, yb]);
      return { loss, metric };
    },
    releaseSamples() {
      tf.dispose([xEpoch, yEpoch].filter((t): t is Tensor => t !== null));
      xEpoch = yEpoch = null;
    },
    evaluate(x, y, count) {
      if (!evalCache || evalCache.x !== x || evalCache.y !== y) {
        if (evalCache) tf.dispose([evalCache.xt, evalCache.yt]);
        evalCache = {
          x,
          y,
          xt: tf.tensor(x, [count, ...shape]),
          yt: encodeTargets(y, net.task, net.outputSize),
        };
      }
      const { xt, yt } = evalCache;
      return tf.tidy(() => {
        const pred = predict(xt);
        return {
          loss: lossFn(yt, pred).dataSync()[0]!,
          metric: batchMetric(pred, yt, net.task, net.outputActivation).dataSync()[0]!,
          outputs: pred.dataSync() as Float32Array,
        };
      });
    },
    setLearningRate: (lr) => setLearningRate(optimizer, lr),
    snapshot: () =>
      model
        .getWeights()
        .map((w) => w.dataSync() as Float32Array)
        .map((a) => a.slice()),
    restore(weights) {
      const current = model.getWeights();
      tf.tidy(() => model.setWeights(weights.map((w, i) => tf.tensor(w, current[i]!.shape))));
    },
    toLayersModel: () => model,
    dispose() {
      tf.dispose(
        [xEpoch, yEpoch, evalCache?.xt ?? null, evalCache?.yt ?? null].filter((t): t is Tensor => t !== null),
      );
      optimizer.dispose();
      model.dispose();
    },
  };
}

export type { LayersModel };
