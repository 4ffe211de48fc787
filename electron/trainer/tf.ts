// The one place the trainer imports TensorFlow.js, so every module shares one engine and backend.
import * as tf from '@tensorflow/tfjs';
import { registerDilatedConvGradient } from './backends/dilatedConvGradient';

// Production mode: skips per-op debug checks and the "install tfjs-node" console banner.
tf.enableProdMode();
// tfjs cannot differentiate dilated convolutions on its own, and the Conv2D block offers them.
registerDilatedConvGradient();

export { tf };
export type { Tensor, LayersModel, Variable, Scalar, Optimizer } from '@tensorflow/tfjs';
