// The one place the trainer imports TensorFlow.js, so every module shares one engine and backend.
import * as tf from '@tensorflow/tfjs';

// Production mode: skips per-op debug checks and the "install tfjs-node" console banner.
tf.enableProdMode();

export { tf };
export type { Tensor, LayersModel, Variable, Scalar, Optimizer } from '@tensorflow/tfjs';
