import { frozenModules, torchNetworkClass } from './pytorchNetwork';
import { dataCode } from './pythonData';
import { settingsBlock, type ScriptSource } from './scriptSettings';

/** Loss, optimizer, schedule, weights, freezing, augmentation and metrics, the lesson's way. */
const TRAINING_CODE = String.raw`
def make_loss():
    """PyTorch's loss for the app's: cross-entropies read probabilities after Sigmoid/Softmax, else logits."""
    if LOSS == 'mse':
        return nn.MSELoss()
    if LOSS == 'mae':
        return nn.L1Loss()
    if LOSS == 'huber':
        return nn.HuberLoss(delta=1.0)
    if LOSS == 'bce':
        return nn.BCELoss() if OUTPUT_ACTIVATION == 'sigmoid' else nn.BCEWithLogitsLoss()
    if OUTPUT_ACTIVATION == 'softmax':
        return lambda probs, labels: nn.functional.nll_loss(torch.log(probs.clamp(1e-7, 1.0)), labels)
    return nn.CrossEntropyLoss()


def make_optimizer(params, lr):
    """The project's optimizer with PyTorch's defaults; weight_decay adds L2 to every trained weight."""
    if OPTIMIZER == 'sgd':
        return optim.SGD(params, lr=lr, weight_decay=WEIGHT_DECAY)
    if OPTIMIZER == 'momentum':
        return optim.SGD(params, lr=lr, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    if OPTIMIZER == 'rmsprop':
        return optim.RMSprop(params, lr=lr, weight_decay=WEIGHT_DECAY)
    if OPTIMIZER == 'adagrad':
        return optim.Adagrad(params, lr=lr, weight_decay=WEIGHT_DECAY)
    return optim.Adam(params, lr=lr, weight_decay=WEIGHT_DECAY)


def freeze(model):
    """Frozen blocks keep their weights: no gradient, and the optimizer never sees them."""
    for name in FROZEN:
        for p in model.get_submodule(name).parameters():
            p.requires_grad = False


def load_weights(model, path):
    """Loads weights exported by the app (.npz or .json, named as this network's state_dict)."""
    if path.endswith('.json'):
        with open(path) as f:
            tensors = {k: np.array(v['data'], dtype=np.float32).reshape(v['shape']) for k, v in json.load(f)['tensors'].items()}
    else:
        tensors = dict(np.load(path))
    state = model.state_dict()
    for key, value in tensors.items():
        if key not in state or tuple(state[key].shape) != value.shape:
            sys.exit('%s does not fit this network (%s): export the script and its weights together.' % (path, key))
        state[key] = torch.from_numpy(value)
    model.load_state_dict(state)
    return len(tensors)


def augment(x):
    """The project's augmentation on a batch (channels-first): random flips, random crops after padding."""
    if HORIZONTAL_FLIP:
        flip = torch.rand(x.size(0), device=x.device) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
    if CROP_PADDING > 0:
        p, (n, c, h, w) = CROP_PADDING, x.shape
        # Pad with black, as torchvision's RandomCrop pads the picture before it is normalised.
        black = torch.tensor(-IMAGE_MEAN / IMAGE_STD, dtype=x.dtype, device=x.device)[None, :, None, None]
        padded = black.expand(n, c, h + 2 * p, w + 2 * p).clone()
        padded[:, :, p:p + h, p:p + w] = x
        dy = torch.randint(0, 2 * p + 1, (n,)).tolist()
        dx = torch.randint(0, 2 * p + 1, (n,)).tolist()
        x = torch.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(n)])
    return x


def probabilities(outputs):
    if TASK == 'regression' or OUTPUT_ACTIVATION != 'linear':
        return outputs
    return torch.sigmoid(outputs) if TASK == 'binary' else torch.softmax(outputs, dim=1)


def predicted_classes(outputs):
    probs = probabilities(outputs)
    return (probs.reshape(-1) >= 0.5).long() if TASK == 'binary' else probs.argmax(dim=1)


def batch_metric_sum(outputs, targets):
    """Correct predictions (classification) or summed absolute error (regression) in a batch."""
    if TASK == 'regression':
        return (outputs - targets).abs().sum().item()
    return (predicted_classes(outputs) == targets.reshape(-1).long()).sum().item()


def evaluate(model, x, y, loss_fn, device):
    """Loss, metric and outputs on a whole split with training off (no dropout)."""
    model.eval()
    outputs = []
    with torch.no_grad():
        for i in range(0, len(x), 1024):
            outputs.append(model(x[i:i + 1024].to(device)).cpu())
    out = torch.cat(outputs)
    return loss_fn(out, y).item(), batch_metric_sum(out, y) / len(y), out


def report(outputs, y, class_names):
    """The lesson's evaluation: accuracy, confusion matrix and classification report, or MSE/MAE/R²."""
    if TASK == 'regression':
        pred, true = outputs.numpy().reshape(-1), y.numpy().reshape(-1)
        mse = float(np.mean((pred - true) ** 2))
        r2 = 1 - np.sum((true - pred) ** 2) / np.sum((true - true.mean()) ** 2)
        print('Test MSE: %.4f  RMSE: %.4f  MAE: %.4f  R²: %.4f' % (mse, math.sqrt(mse), np.mean(np.abs(pred - true)), r2))
        return
    pred = predicted_classes(outputs).numpy()
    true = y.numpy().reshape(-1).astype(int)
    k = len(class_names)
    matrix = np.zeros((k, k), dtype=int)
    np.add.at(matrix, (true, pred), 1)
    print('Accuracy: %.4f' % np.mean(pred == true))
    print('Confusion matrix (rows: true class, columns: predicted):')
    print(matrix)
    print('\n%20s %9s %9s %9s %9s' % ('', 'precision', 'recall', 'f1-score', 'support'))
    for i, name in enumerate(class_names):
        tp, predicted, support = matrix[i, i], matrix[:, i].sum(), matrix[i].sum()
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print('%20s %9.4f %9.4f %9.4f %9d' % (name[:20], precision, recall, f1, support))
    if TASK == 'binary':
        scores = probabilities(outputs).numpy().reshape(-1)
        pos, neg = scores[true == 1], scores[true == 0]
        if len(pos) and len(neg):
            # AUC: the chance that a random positive scores above a random negative (ties count half).
            order = np.argsort(np.concatenate([neg, pos]), kind='mergesort')
            ranks = np.empty(len(order))
            ranks[order] = np.arange(1, len(order) + 1)
            values = np.concatenate([neg, pos])
            for v in np.unique(values):
                tied = values == v
                ranks[tied] = ranks[tied].mean()
            auc = (ranks[len(neg):].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))
            print('ROC AUC: %.4f' % auc)
`;

const MAIN_CODE = String.raw`
def setup_device(choice):
    """torchrun sets RANK, WORLD_SIZE and LOCAL_RANK: train data-parallel then, else on one device."""
    if 'RANK' in os.environ and 'WORLD_SIZE' in os.environ:
        rank, world, local = int(os.environ['RANK']), int(os.environ['WORLD_SIZE']), int(os.environ.get('LOCAL_RANK', 0))
        use_cuda = torch.cuda.is_available() and choice != 'cpu'
        if use_cuda:
            torch.cuda.set_device(local)
        dist.init_process_group(backend='nccl' if use_cuda else 'gloo')
        return rank, world, torch.device('cuda', local) if use_cuda else torch.device('cpu')
    if choice != 'auto':
        return 0, 1, torch.device(choice)
    mps = getattr(torch.backends, 'mps', None)
    device = 'cuda:0' if torch.cuda.is_available() else 'mps' if mps is not None and mps.is_available() else 'cpu'
    return 0, 1, torch.device(device)


def mean_over_processes(values, world):
    """Averages numbers over the data-parallel processes, so every one makes the same decisions."""
    if world == 1:
        return values
    t = torch.tensor(values, dtype=torch.float64)
    dist.all_reduce(t)
    return (t / world).tolist()


def weights_digest(model):
    h = hashlib.sha256()
    for key, value in sorted(model.state_dict().items()):
        h.update(key.encode())
        h.update(value.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', default=DATA_FILE, help='the dataset (default: %(default)s)')
    parser.add_argument('--epochs', type=int, default=EPOCHS)
    parser.add_argument('--batch-size', type=int, default=BATCH_SIZE)
    parser.add_argument('--lr', type=float, default=LEARNING_RATE)
    parser.add_argument('--device', default='auto', help='auto, cpu, cuda or mps')
    parser.add_argument('--weights', default=None, help='start from weights exported by the app (.npz or .json)')
    parser.add_argument('--predict-only', action='store_true', help='print the network outputs for --data (or the image files given) as JSON, without training')
    parser.add_argument('inputs', nargs='*', help='image files for --predict-only')
    parser.add_argument('--save', default='model.pth', help='where to save the trained weights (state_dict); "" to skip')
    parser.add_argument('--digest-file', default=None, help='write a hash of the final weights here (every process adds .rank<N>)')
    return parser.parse_args()


def predict_only(model, args, device):
    x = prediction_inputs(args.inputs if DATA_FORMAT == 'images' and args.inputs else args.data)
    x = torch.from_numpy(x if x.ndim == 2 else x.transpose(0, 3, 1, 2).copy())
    model.eval()
    with torch.no_grad():
        out = model(x.to(device)).cpu()
    result = {'outputs': out.tolist()}
    if TASK != 'regression':
        result['classes'] = [CLASS_NAMES[i] if CLASS_NAMES else int(i) for i in predicted_classes(out).tolist()]
    print(json.dumps(result))


def main():
    args = parse_args()
    rank, world, device = setup_device(args.device)
    log = print if rank == 0 else (lambda *a, **k: None)
    if args.predict_only:
        # stdout carries the JSON alone.
        log = lambda *a, **k: print(*a, file=sys.stderr, **k)
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    random.seed(SEED)

    model = Network().to(device)
    if LOAD_WEIGHTS_FILE:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), WEIGHTS_FILE)
        log('Loaded the pretrained model: %d weight arrays from %s' % (load_weights(model, path), WEIGHTS_FILE))
    if args.weights:
        log('Loaded %d weight arrays from %s' % (load_weights(model, args.weights), args.weights))
    freeze(model)
    if args.predict_only:
        return predict_only(model, args, device)

    data = load_data(args.data)
    class_names = CLASS_NAMES or data['class_names']
    to_tensor = lambda a: torch.from_numpy(a if a.ndim == 2 else a.transpose(0, 3, 1, 2).copy())
    target = lambda y: torch.from_numpy(y).long() if TASK == 'multiclass' else torch.from_numpy(y.astype(np.float32)).reshape(-1, 1)
    x_train, y_train = to_tensor(data['x_train']), target(data['y_train'])
    x_test, y_test = to_tensor(data['x_test']), target(data['y_test'])
    global IMAGE_MEAN, IMAGE_STD
    IMAGE_MEAN, IMAGE_STD = data.get('mean'), data.get('std')
    log('Training on %s%s: %d training and %d test samples, %d trainable parameters.' % (
        device, ' × %d processes' % world if world > 1 else '', len(x_train), len(x_test),
        sum(p.numel() for p in model.parameters() if p.requires_grad)))

    net = DDP(model, device_ids=[device.index] if device.type == 'cuda' else None) if world > 1 else model
    loss_fn = make_loss()
    optimizer = make_optimizer([p for p in model.parameters() if p.requires_grad], args.lr)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=LR_STEP[0], gamma=LR_STEP[1]) if LR_STEP else None
    train_set = TensorDataset(x_train, y_train)
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=SHUFFLE, seed=SEED) if world > 1 else None
    loader = DataLoader(train_set, batch_size=max(1, args.batch_size // world), sampler=sampler,
                        shuffle=SHUFFLE if sampler is None else False,
                        generator=torch.Generator().manual_seed(SEED) if sampler is None else None)

    monitor = EARLY_STOPPING['monitor'] if EARLY_STOPPING else 'val_loss'
    maximise = monitor == 'val_accuracy'
    metric_name = 'mae' if TASK == 'regression' else 'accuracy'
    best, best_state, best_epoch, since_best = (-math.inf if maximise else math.inf), None, None, 0
    every = max(1, args.epochs // 20)
    for epoch in range(args.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        net.train()
        loss_sum = metric_sum = seen = 0.0
        for inputs, targets in loader:
            inputs, targets = inputs.to(device), targets.to(device)
            if DATA_FORMAT == 'images':
                inputs = augment(inputs)
            outputs = net(inputs)
            loss = loss_fn(outputs, targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(inputs)
            metric_sum += batch_metric_sum(outputs.detach(), targets)
            seen += len(inputs)
        val_loss, val_metric, _ = evaluate(model, x_test, y_test, loss_fn, device)
        loss_avg, metric_avg, val_loss, val_metric = mean_over_processes([loss_sum / seen, metric_sum / seen, val_loss, val_metric], world)
        metrics = {'loss': loss_avg, metric_name: metric_avg, 'val_loss': val_loss, 'val_' + metric_name: val_metric}
        if (epoch + 1) % every == 0 or epoch + 1 == args.epochs:
            log('Epoch [%d/%d], Loss: %.4f, %s: %.4f, Val loss: %.4f, Val %s: %.4f, lr %g' % (
                epoch + 1, args.epochs, loss_avg, metric_name, metric_avg, val_loss, metric_name, val_metric,
                optimizer.param_groups[0]['lr']))
        if scheduler is not None:
            scheduler.step()
        value = metrics[monitor]
        min_delta = EARLY_STOPPING['min_delta'] if EARLY_STOPPING else 0.0
        if (value > best + min_delta) if maximise else (value < best - min_delta):
            best, best_epoch, since_best = value, epoch + 1, 0
            if RESTORE_BEST:
                best_state = copy.deepcopy(model.state_dict())
        else:
            since_best += 1
            if EARLY_STOPPING and since_best >= EARLY_STOPPING['patience']:
                log('Early stopping at epoch %d' % (epoch + 1))
                break
    if RESTORE_BEST and best_state is not None:
        model.load_state_dict(best_state)
        log('Restored the weights of epoch %d (best %s %.4f)' % (best_epoch, monitor, best))

    if rank == 0:
        _, _, outputs = evaluate(model, x_test, y_test, loss_fn, device)
        report(outputs, y_test, class_names)
        if args.save:
            torch.save(model.state_dict(), args.save)
            print('Saved the trained weights to %s (load with model.load_state_dict(torch.load(path)))' % args.save)
    if args.digest_file:
        with open('%s.rank%d' % (args.digest_file, rank), 'w') as f:
            f.write(weights_digest(model))
    if world > 1:
        dist.destroy_process_group()


IMAGE_MEAN = IMAGE_STD = None

if __name__ == '__main__':
    main()
`;

function header(s: ScriptSource, fileName: string): string {
  const doc = s.document;
  const description = doc.description.trim();
  const weights = s.weightsFile
    ? `\nThe app's trained weights are in ${s.weightsFile}: evaluate them unchanged with\n    python3 ${fileName} --weights ${s.weightsFile} --epochs 0\nor print the network's outputs for new data with --predict-only.\n`
    : '';
  return `#!/usr/bin/env python3
"""${doc.name.replace(/"""/g, "'''")}: a PyTorch script exported from Neural Workbench.
${description ? `\n${description.replace(/"""/g, "'''").replace(/\\/g, '/')}\n` : ''}
The network, data preparation, training settings and evaluation are the project's. The train/test
split is the app's own (the same seeded shuffle of the same rows) and the standardisation is fitted on
the training rows, as in the app. New weights start from PyTorch's default initialisation, the same
distributions the app draws from but not the same numbers, so the figures differ a little from a run
in the app.
${weights}
One device:       python3 ${fileName}
Data-parallel:    torchrun --nproc_per_node=4 ${fileName}   (DistributedDataParallel: NCCL on GPUs, Gloo on CPUs)
Every option:     python3 ${fileName} --help
Needs PyTorch and NumPy (and Pillow for JPEG/PNG images).
"""
import argparse
import copy
import csv
import gzip
import hashlib
import io
import json
import math
import os
import random
import re
import sys
import tarfile
import zipfile
from collections import OrderedDict

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.optim as optim
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler
`;
}

/**
 * A runnable PyTorch script for the project: its network as an nn.Module, its data preparation, its
 * training settings (optimizer with PyTorch's defaults, StepLR, weight decay, early stopping with
 * best-weights restore, augmentation) and the lesson's evaluation; data-parallel under torchrun.
 */
export function pytorchScript(source: Omit<ScriptSource, 'frozen'>, fileName = 'train.py'): string {
  const full: ScriptSource = { ...source, frozen: frozenModules(source.plan.ops) };
  const data = dataCode(source.document.data?.format ?? 'table');
  return [
    header(full, fileName),
    settingsBlock(full),
    '\n# ---- Data ----',
    data.trimEnd(),
    '\n\n# ---- Network ----\n',
    torchNetworkClass(source.plan),
    '\n# ---- Training ----',
    TRAINING_CODE.trimEnd(),
    '\n',
    MAIN_CODE,
  ].join('\n');
}
