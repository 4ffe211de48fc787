import { z } from 'zod';
import type { Task } from '../data/types';
import { defineBlock, formatShape } from './types';

export const lossKinds = ['mse', 'mae', 'huber', 'bce', 'cce'] as const;
export type LossKind = (typeof lossKinds)[number];

export const lossLabels: Record<LossKind, string> = {
  mse: 'Mean squared error (MSE)',
  mae: 'Mean absolute error (MAE)',
  huber: 'Huber',
  bce: 'Binary cross-entropy',
  cce: 'Categorical cross-entropy',
};

/** The losses each task allows; the first is its default. */
export const lossesForTask: Record<Task, readonly LossKind[]> = {
  regression: ['mse', 'mae', 'huber'],
  binary: ['bce'],
  multiclass: ['cce'],
};

export const taskLabels: Record<Task, string> = {
  regression: 'Regression (predict a number)',
  binary: 'Binary classification (yes/no)',
  multiclass: 'Multi-class classification',
};

/** The task as it reads in a sentence ("does not fit a regression Output"). */
const taskArticle: Record<Task, string> = {
  regression: 'a regression',
  binary: 'a binary',
  multiclass: 'a multi-class',
};

const schema = z.object({
  task: z.enum(['regression', 'binary', 'multiclass']).default('regression'),
  /** Absent: the task's default loss. */
  loss: z.enum(lossKinds).optional(),
});

export function outputLoss(p: { task: Task; loss?: LossKind | undefined }): LossKind {
  return p.loss ?? lossesForTask[p.task][0]!;
}

export const outputBlock = defineBlock({
  kind: 'output',
  label: 'Output',
  group: 'io',
  help: 'The prediction: says what the network learns (a number, yes/no, or one class of many) and how its error is measured.',
  schema,
  fields: [
    {
      key: 'task',
      label: 'Task',
      kind: 'select',
      options: (['regression', 'binary', 'multiclass'] as const).map((t) => ({
        value: t,
        label: taskLabels[t],
      })),
    },
    {
      key: 'loss',
      label: 'Loss',
      kind: 'select',
      options: lossKinds.map((l) => ({ value: l, label: lossLabels[l] })),
    },
  ],
  ports: { input: true, output: false },
  outputShape(input, p, ctx) {
    if (!input) return { ok: false, message: 'Output needs an input: connect the last layer to it.' };
    const loss = outputLoss(p);
    if (!lossesForTask[p.task].includes(loss)) {
      const allowed = lossesForTask[p.task].map((l) => lossLabels[l]);
      const choice =
        allowed.length > 1
          ? `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]!}`
          : allowed.join('');
      return {
        ok: false,
        message: `The ${lossLabels[loss]} loss does not fit ${taskArticle[p.task]} Output: choose ${choice}.`,
      };
    }
    if (input.length !== 1) {
      return {
        ok: false,
        message: `Output needs a flat input but gets ${formatShape(input)}: add a Flatten and a Dense block before it.`,
      };
    }
    const size = input[0]!;
    const classes = ctx.data?.classCount ?? null;
    switch (p.task) {
      case 'regression':
        if (size !== 1) {
          return {
            ok: false,
            message: `A regression Output predicts 1 number but gets ${size}: set the last Dense block to 1 unit.`,
          };
        }
        break;
      case 'binary':
        if (size !== 1) {
          return {
            ok: false,
            message: `A binary Output predicts 1 probability but gets ${size}: set the last Dense block to 1 unit.`,
          };
        }
        if (classes !== null && classes !== 2) {
          return {
            ok: false,
            message: `The target has ${classes} classes, not 2: set the Output's task to multi-class.`,
          };
        }
        break;
      case 'multiclass':
        if (classes !== null && size !== classes) {
          return {
            ok: false,
            message: `The dataset has ${classes} classes but the Output gets ${size} ${size === 1 ? 'value' : 'values'}: set the last Dense block to ${classes} units.`,
          };
        }
        if (size < 2) {
          return {
            ok: false,
            message:
              'A multi-class Output needs one value per class (at least 2): set the last Dense block to the number of classes.',
          };
        }
        break;
    }
    return { ok: true, shape: input };
  },
  paramCount: () => ({ trainable: 0, fixed: 0 }),
  layers: () => [],
  summary: (p) => `${p.task}, ${outputLoss(p)}`,
});
