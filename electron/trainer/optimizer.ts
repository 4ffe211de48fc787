import type { TrainingSettings } from '../../shared/graph';
import { tf, type Optimizer } from './tf';

/** The optimizers with PyTorch's defaults (Adam/RMSprop eps 1e-8, RMSprop alpha 0.99, Adagrad from 0). */
export function createOptimizer(s: TrainingSettings): Optimizer {
  switch (s.optimizer) {
    case 'sgd':
      return tf.train.sgd(s.learningRate);
    case 'momentum':
      return tf.train.momentum(s.learningRate, s.momentum);
    case 'adam':
      return tf.train.adam(s.learningRate, 0.9, 0.999, 1e-8);
    case 'rmsprop':
      return tf.train.rmsprop(s.learningRate, 0.99, 0, 1e-8);
    case 'adagrad':
      return tf.train.adagrad(s.learningRate, 0);
  }
}

export function setLearningRate(optimizer: Optimizer, lr: number): void {
  // SGD and momentum cache -lr as a tensor and need setLearningRate; the others read the field each step.
  const o = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}
