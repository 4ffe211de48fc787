import type { LossKind } from '../../shared/blocks';
import type { OutputActivation } from '../../shared/graph';
import { tf, type Tensor } from './tf';

/** PyTorch's BCELoss clamps log at -100; clipping probabilities by 1e-7 keeps the same finite bound. */
const EPS = 1e-7;

/**
 * The loss as PyTorch computes it for the same network: cross-entropies read probabilities when the
 * network ends in Sigmoid/Softmax, and logits otherwise (PyTorch's BCEWithLogits / CrossEntropyLoss).
 */
export function lossFunction(
  loss: LossKind,
  activation: OutputActivation,
): (yTrue: Tensor, yPred: Tensor) => Tensor {
  switch (loss) {
    case 'mse':
      return (y, p) => tf.losses.meanSquaredError(y, p);
    case 'mae':
      return (y, p) => tf.losses.absoluteDifference(y, p);
    case 'huber':
      return (y, p) => tf.losses.huberLoss(y, p, undefined, 1);
    case 'bce':
      if (activation === 'sigmoid') {
        return (y, p) =>
          tf.tidy(() => {
            const q = tf.clipByValue(p, EPS, 1 - EPS);
            return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q))))));
          });
      }
      return (y, p) => tf.losses.sigmoidCrossEntropy(y, p);
    case 'cce':
      if (activation === 'softmax') {
        return (y, p) =>
          tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, EPS, 1))), -1))));
      }
      return (y, p) => tf.losses.softmaxCrossEntropy(y, p);
  }
}

/** Network outputs as probabilities (binary: of the positive class), whatever the last block. */
export function toProbabilities(
  output: Tensor,
  activation: OutputActivation,
  task: 'binary' | 'multiclass',
): Tensor {
  if (activation !== 'linear') return output;
  return task === 'binary' ? tf.sigmoid(output) : tf.softmax(output);
}
