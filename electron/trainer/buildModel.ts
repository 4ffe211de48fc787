import type { CompiledModel } from '../../shared/graph';
import type { LayerConfig } from '../../shared/blocks';
import type * as tfTypes from '@tensorflow/tfjs';
import { tf, type LayersModel } from './tf';
import { loadPretrainedLayer } from './pretrained';

type Layer = tfTypes.layers.Layer;

type Factory = (config: never) => Layer;

const factories: Record<string, Factory> = {
  Dense: tf.layers.dense as Factory,
  Conv2D: tf.layers.conv2d as Factory,
  ZeroPadding2D: tf.layers.zeroPadding2d as Factory,
  MaxPooling2D: tf.layers.maxPooling2d as Factory,
  AveragePooling2D: tf.layers.averagePooling2d as Factory,
  Flatten: tf.layers.flatten as Factory,
  Dropout: tf.layers.dropout as Factory,
  BatchNormalization: tf.layers.batchNormalization as Factory,
  ReLU: tf.layers.reLU as Factory,
  LeakyReLU: tf.layers.leakyReLU as Factory,
  ELU: tf.layers.elu as Factory,
  Softmax: tf.layers.softmax as Factory,
  Activation: tf.layers.activation as Factory,
  // The Pretrained model block: a user's layers model, loaded from its folder as a nested model.
  Pretrained: loadPretrainedLayer as Factory,
};

function initializer(spec: unknown): unknown {
  if (typeof spec !== 'object' || spec === null || !('className' in spec)) return spec;
  const { className, config } = spec as { className: string; config: Record<string, number | string> };
  switch (className) {
    case 'VarianceScaling':
      return tf.initializers.varianceScaling(config as never);
    case 'RandomUniform':
      return tf.initializers.randomUniform(config as never);
    default:
      throw new Error(`Unknown initializer ${className}`);
  }
}

/** A tfjs layer from a Keras-style config; initialiser specs become initialiser objects. */
export function buildLayer(layer: LayerConfig): Layer {
  const factory = factories[layer.className];
  if (!factory) throw new Error(`The compiler produced an unknown layer class ${layer.className}`);
  const config: Record<string, unknown> = { ...layer.config };
  for (const key of ['kernelInitializer', 'biasInitializer']) {
    if (key in config) config[key] = initializer(config[key]);
  }
  return factory(config as never);
}

/** The compiled network as a tf.Sequential model (not compiled with a loss: the trainer runs its own loop). */
export function buildModel(compiled: CompiledModel): LayersModel {
  const model = tf.sequential({ name: 'network' });
  model.add(tf.layers.inputLayer({ inputShape: [...compiled.inputShape], name: 'input' }));
  for (const layer of compiled.layers) model.add(buildLayer(layer));
  return model;
}
