import type { NetworkPlan, PlanOp } from './networkPlan';
import { dataCode } from './pythonData';
import { py } from './pytorchNetwork';
import { settingsBlock, type ScriptSource } from './scriptSettings';

function tuple2(v: readonly [number, number]): string {
  return `(${py(v[0])}, ${py(v[1])})`;
}

function padArg([t, b, l, r]: readonly [number, number, number, number]): string {
  return `((${t}, ${b}), (${l}, ${r}))`;
}

/** Keras layers for one op, channels-last like tfjs (so weights keep tfjs's layout). */
function kerasLayers(op: PlanOp, indent: string): string[] {
  const n = `name='${op.name}'`;
  switch (op.kind) {
    case 'linear':
      return [
        `layers.Dense(${op.units}, use_bias=${op.bias ? 'True' : 'False'}, ${n}, kernel_initializer=torch_kernel_init(), bias_initializer=torch_bias_init(${op.inFeatures}), **l2())`,
      ];
    case 'conv': {
      const padded = !op.same && op.pad.some((p) => p > 0);
      const fanIn = op.kernel[0] * op.kernel[1] * op.inChannels;
      const conv = `layers.Conv2D(${op.filters}, kernel_size=${tuple2(op.kernel)}, strides=${tuple2(op.stride)}, dilation_rate=${tuple2(op.dilation)}, padding='${op.same ? 'same' : 'valid'}', use_bias=${op.bias ? 'True' : 'False'}, ${n}, kernel_initializer=torch_kernel_init(), bias_initializer=torch_bias_init(${fanIn}), **l2())`;
      return padded ? [`layers.ZeroPadding2D(${padArg(op.pad)}, name='${op.name}_pad')`, conv] : [conv];
    }
    case 'pad':
      return [`layers.ZeroPadding2D(${padArg(op.pad)}, ${n})`];
    case 'maxpool':
      return [`layers.MaxPooling2D(pool_size=${tuple2(op.size)}, strides=${tuple2(op.stride)}, ${n})`];
    case 'avgpool':
      return [`layers.AveragePooling2D(pool_size=${tuple2(op.size)}, strides=${tuple2(op.stride)}, ${n})`];
    case 'globalavg':
      return [`layers.GlobalAveragePooling2D(${n})`];
    case 'globalmax':
      return [`layers.GlobalMaxPooling2D(${n})`];
    case 'flatten':
      return [`layers.Flatten(${n})`];
    case 'dropout':
      return [`layers.Dropout(${py(op.rate)}, ${n})`];
    case 'batchnorm':
      return [
        `layers.BatchNormalization(momentum=${py(op.kerasMomentum)}, epsilon=${py(op.epsilon)}, center=${op.affine ? 'True' : 'False'}, scale=${op.affine ? 'True' : 'False'}, ${n})`,
      ];
    case 'activation':
      switch (op.fn) {
        case 'relu':
          return [`layers.ReLU(${n})`];
        case 'relu6':
          return [`layers.ReLU(max_value=6.0, ${n})`];
        case 'hardtanh':
          return [`layers.ReLU(max_value=${py(op.max ?? 1)}, ${n})`];
        case 'leakyRelu':
          return [`leaky_relu(${py(op.alpha ?? 0.3)}, ${n})`];
        case 'elu':
          return [`layers.ELU(alpha=${py(op.alpha ?? 1)}, ${n})`];
        case 'softmax':
          return [`layers.Softmax(${n})`];
        case 'silu':
          return [`layers.Activation('swish', ${n})`];
        default:
          return [`layers.Activation('${op.fn}', ${n})`];
      }
    case 'nested': {
      const inner = indent + '    ';
      const entries = op.ops.flatMap((o) => kerasLayers(o, inner)).map((l) => `${inner}${l},`);
      return [`keras.Sequential([\n${entries.join('\n')}\n${indent}], ${n})`];
    }
  }
}

function kerasNetwork(plan: NetworkPlan): string {
  const entries = plan.ops.flatMap((op) => kerasLayers(op, '        ')).map((l) => `        ${l},`);
  return `def build_network():
    """The network of the project's blocks, channels-last like the app (inputs ${plan.inputShape.join('×')})."""
    return keras.Sequential([
        keras.Input(shape=${`(${plan.inputShape.join(', ')},)`}),
${entries.join('\n')}
    ], name='network')
`;
}

/** Keras paths ("pre/fc1") of frozen layers. */
function frozenLayers(ops: readonly PlanOp[], prefix = ''): string[] {
  return ops.flatMap((op) => {
    const path = `${prefix}${op.name}`;
    if (op.kind === 'nested') return op.frozen ? [path] : frozenLayers(op.ops, `${path}/`);
    if ((op.kind === 'linear' || op.kind === 'conv' || op.kind === 'batchnorm') && op.frozen) return [path];
    return [];
  });
}

const KERAS_CODE = String.raw`
def torch_kernel_init():
    """PyTorch's default for Linear and Conv2d weights, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as the app uses."""
    return keras.initializers.VarianceScaling(scale=1 / 3, mode='fan_in', distribution='uniform')


def torch_bias_init(fan_in):
    bound = 1 / math.sqrt(fan_in)
    return keras.initializers.RandomUniform(-bound, bound)


def l2():
    """PyTorch's weight_decay as a Keras penalty: d/dw of (decay / 2)·w² is decay·w."""
    if WEIGHT_DECAY <= 0:
        return {}
    return {'kernel_regularizer': keras.regularizers.l2(WEIGHT_DECAY / 2), 'bias_regularizer': keras.regularizers.l2(WEIGHT_DECAY / 2)}


def leaky_relu(slope, name):
    # Keras 3 calls the slope negative_slope; Keras 2 calls it alpha.
    try:
        return layers.LeakyReLU(negative_slope=slope, name=name)
    except TypeError:
        return layers.LeakyReLU(alpha=slope, name=name)


def layer_at(model, path):
    for name in path.split('/'):
        model = model.get_layer(name)
    return model


def load_weights(model, path):
    """Loads weights exported by the app for this script (.npz, named layer/kernel, layer/bias, ...)."""
    tensors = dict(np.load(path))
    by_layer = {}
    for key, value in tensors.items():
        layer_path, weight = key.rsplit('/', 1)
        by_layer.setdefault(layer_path, {})[weight] = value
    for layer_path, values in by_layer.items():
        layer = layer_at(model, layer_path)
        names = [w.name.split('/')[-1].split(':')[0] for w in layer.weights]
        try:
            layer.set_weights([values[n] for n in names])
        except (KeyError, ValueError) as error:
            sys.exit('%s does not fit layer %s (%s): export the script and its weights together.' % (path, layer_path, error))
    return len(tensors)


def make_loss():
    logits = OUTPUT_ACTIVATION == 'linear'
    if LOSS == 'mse':
        return keras.losses.MeanSquaredError()
    if LOSS == 'mae':
        return keras.losses.MeanAbsoluteError()
    if LOSS == 'huber':
        return keras.losses.Huber(delta=1.0)
    if LOSS == 'bce':
        return keras.losses.BinaryCrossentropy(from_logits=logits)
    return keras.losses.SparseCategoricalCrossentropy(from_logits=logits)


def make_metric():
    if TASK == 'regression':
        return keras.metrics.MeanAbsoluteError(name='mae')
    if TASK == 'binary':
        return keras.metrics.BinaryAccuracy(name='accuracy', threshold=0.5 if OUTPUT_ACTIVATION == 'sigmoid' else 0.0)
    return keras.metrics.SparseCategoricalAccuracy(name='accuracy')


def make_optimizer(lr):
    """The project's optimizer with PyTorch's defaults (Adam/RMSprop eps 1e-8, RMSprop rho 0.99, Adagrad from 0)."""
    if OPTIMIZER == 'sgd':
        return keras.optimizers.SGD(learning_rate=lr)
    if OPTIMIZER == 'momentum':
        return keras.optimizers.SGD(learning_rate=lr, momentum=MOMENTUM)
    if OPTIMIZER == 'rmsprop':
        return keras.optimizers.RMSprop(learning_rate=lr, rho=0.99, epsilon=1e-8)
    if OPTIMIZER == 'adagrad':
        return keras.optimizers.Adagrad(learning_rate=lr, initial_accumulator_value=0.0, epsilon=1e-10)
    return keras.optimizers.Adam(learning_rate=lr, epsilon=1e-8)


class RestoreBest(keras.callbacks.Callback):
    """Keeps the weights of the best epoch by the monitored metric and puts them back at the end."""

    def __init__(self, monitor):
        super().__init__()
        self.monitor, self.best, self.weights, self.epoch = monitor, None, None, None

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        better = value is not None and (self.best is None or (value > self.best if self.monitor == 'val_accuracy' else value < self.best))
        if better:
            self.best, self.weights, self.epoch = value, self.model.get_weights(), epoch + 1

    def on_train_end(self, logs=None):
        if self.weights is not None:
            self.model.set_weights(self.weights)
            print('Restored the weights of epoch %d (best %s %.4f)' % (self.epoch, self.monitor, self.best))


def augment(x, y):
    """The project's augmentation on a batch (channels-last): random flips, random crops after padding."""
    if HORIZONTAL_FLIP:
        flip = tf.random.uniform([tf.shape(x)[0], 1, 1, 1]) < 0.5
        x = tf.where(flip, tf.reverse(x, axis=[2]), x)
    if CROP_PADDING > 0:
        p = CROP_PADDING
        black = tf.constant((-IMAGE_MEAN / IMAGE_STD).astype(np.float32))
        padded = tf.pad(x - black, [[0, 0], [p, p], [p, p], [0, 0]]) + black
        x = tf.map_fn(lambda image: tf.image.random_crop(image, tf.shape(x)[1:]), padded)
    return x, y


def probabilities(outputs):
    if TASK == 'regression' or OUTPUT_ACTIVATION != 'linear':
        return outputs
    if TASK == 'binary':
        return 1 / (1 + np.exp(-outputs))
    e = np.exp(outputs - outputs.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def predicted_classes(outputs):
    probs = probabilities(outputs)
    return (probs.reshape(-1) >= 0.5).astype(int) if TASK == 'binary' else probs.argmax(axis=1)


def report(outputs, true, class_names):
    """The lesson's evaluation: accuracy, confusion matrix and per-class figures, or MSE/MAE/R²."""
    if TASK == 'regression':
        pred, true = outputs.reshape(-1), true.reshape(-1)
        mse = float(np.mean((pred - true) ** 2))
        r2 = 1 - np.sum((true - pred) ** 2) / np.sum((true - true.mean()) ** 2)
        print('Test MSE: %.4f  RMSE: %.4f  MAE: %.4f  R²: %.4f' % (mse, math.sqrt(mse), np.mean(np.abs(pred - true)), r2))
        return
    pred, true = predicted_classes(outputs), true.reshape(-1).astype(int)
    k = len(class_names)
    matrix = np.zeros((k, k), dtype=int)
    np.add.at(matrix, (true, pred), 1)
    print('Accuracy: %.4f' % np.mean(pred == true))
    print('Confusion matrix (rows: true class, columns: predicted):')
    print(matrix)
    for i, name in enumerate(class_names):
        tp, predicted, support = matrix[i, i], matrix[:, i].sum(), matrix[i].sum()
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        print('%20s precision %.4f recall %.4f support %d' % (name[:20], precision, recall, support))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', default=DATA_FILE, help='the dataset (default: %(default)s)')
    parser.add_argument('--epochs', type=int, default=EPOCHS)
    parser.add_argument('--batch-size', type=int, default=BATCH_SIZE)
    parser.add_argument('--lr', type=float, default=LEARNING_RATE)
    parser.add_argument('--weights', default=None, help='start from weights exported by the app (.npz)')
    parser.add_argument('--predict-only', action='store_true', help='print the network outputs for --data (or the image files given) as JSON')
    parser.add_argument('inputs', nargs='*', help='image files for --predict-only')
    parser.add_argument('--save', default='model.keras', help='where to save the trained model; "" to skip')
    return parser.parse_args()


def main():
    global IMAGE_MEAN, IMAGE_STD
    args = parse_args()
    keras.utils.set_random_seed(SEED)
    # Every GPU of this machine, data-parallel; on a cluster set TF_CONFIG and use MultiWorkerMirroredStrategy.
    gpus = tf.config.list_physical_devices('GPU')
    strategy = tf.distribute.MirroredStrategy() if len(gpus) > 1 else tf.distribute.get_strategy()
    with strategy.scope():
        model = build_network()
        if LOAD_WEIGHTS_FILE:
            load_weights(model, os.path.join(os.path.dirname(os.path.abspath(__file__)), WEIGHTS_FILE))
        if args.weights:
            print('Loaded %d weight arrays from %s' % (load_weights(model, args.weights), args.weights))
        for path in FROZEN:
            layer_at(model, path).trainable = False
        model.compile(optimizer=make_optimizer(args.lr), loss=make_loss(), metrics=[make_metric()])
    if args.predict_only:
        x = prediction_inputs(args.inputs if DATA_FORMAT == 'images' and args.inputs else args.data)
        out = model.predict(x, verbose=0)
        result = {'outputs': out.tolist()}
        if TASK != 'regression':
            result['classes'] = [CLASS_NAMES[i] if CLASS_NAMES else int(i) for i in predicted_classes(out).tolist()]
        print(json.dumps(result))
        return

    model.summary()
    data = load_data(args.data)
    IMAGE_MEAN, IMAGE_STD = data.get('mean'), data.get('std')
    class_names = CLASS_NAMES or data['class_names']
    y_train = data['y_train'].astype(np.float32 if TASK != 'multiclass' else np.int64)
    y_test = data['y_test'].astype(np.float32 if TASK != 'multiclass' else np.int64)
    train = tf.data.Dataset.from_tensor_slices((data['x_train'], y_train))
    if SHUFFLE:
        train = train.shuffle(len(y_train), seed=SEED, reshuffle_each_iteration=True)
    train = train.batch(args.batch_size)
    if DATA_FORMAT == 'images':
        train = train.map(augment)
    callbacks = []
    if LR_STEP:
        every, gamma = LR_STEP
        callbacks.append(keras.callbacks.LearningRateScheduler(lambda epoch: args.lr * gamma ** (epoch // every)))
    if EARLY_STOPPING:
        mode = 'max' if EARLY_STOPPING['monitor'] == 'val_accuracy' else 'min'
        callbacks.append(keras.callbacks.EarlyStopping(monitor=EARLY_STOPPING['monitor'], patience=EARLY_STOPPING['patience'],
                                                       min_delta=EARLY_STOPPING['min_delta'], mode=mode))
    if RESTORE_BEST:
        callbacks.append(RestoreBest(EARLY_STOPPING['monitor'] if EARLY_STOPPING else 'val_loss'))
    model.fit(train, validation_data=(data['x_test'], y_test), epochs=args.epochs, callbacks=callbacks, verbose=2)
    report(model.predict(data['x_test'], verbose=0), y_test, class_names)
    if args.save:
        model.save(args.save)
        print('Saved the trained model to %s' % args.save)


IMAGE_MEAN = IMAGE_STD = None

if __name__ == '__main__':
    main()
`;

/** A runnable Keras (TensorFlow 2) script for the project: the same network, data and settings as the PyTorch one. */
export function kerasScript(source: Omit<ScriptSource, 'frozen'>, fileName = 'train.py'): string {
  const full: ScriptSource = { ...source, frozen: frozenLayers(source.plan.ops) };
  const doc = source.document;
  const weights =
    source.weightsFile && !source.pretrainedWeightsOnly
      ? `\nThe app's trained weights are in ${source.weightsFile}: evaluate them with\n    python3 ${fileName} --weights ${source.weightsFile} --epochs 0\n`
      : '';
  return `#!/usr/bin/env python3
"""${doc.name.replace(/"""/g, "'''")}: a Keras (TensorFlow 2) script exported from Neural Workbench.

The network, data preparation (the app's own seeded split and standardisation), training settings
and evaluation are the project's; layers are channels-last like the app's, so its weights load
unchanged. New weights start from PyTorch's default initialisation, as in the app.
${weights}
Run:           python3 ${fileName}
Every option:  python3 ${fileName} --help
Needs TensorFlow 2 and NumPy (and Pillow for JPEG/PNG images).
"""
import argparse
import csv
import gzip
import io
import json
import math
import os
import re
import sys
import tarfile
import zipfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

${settingsBlock(full)}

# ---- Data ----
${dataCode(doc.data?.format ?? 'table')}


# ---- Network ----

${kerasNetwork(source.plan)}
# ---- Training ----
${KERAS_CODE}`;
}
