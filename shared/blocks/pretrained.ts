import { z } from 'zod';
import { defineBlock, formatShape, type Shape } from './types';

const dimension = z.number().int().min(1).max(1_000_000);

const schema = z.object({
  /** The folder holding the model's model.json and weight files. */
  path: z.string().max(4096).default(''),
  /** Fine-tune: train the model's own weights too. Off: a fixed feature extractor. */
  trainable: z.boolean().default(false),
  // A block cannot read files, so the host fills these in when the user picks the folder
  // (inspectPretrainedModel in electron/trainer/pretrained.ts) and the shape function reads them.
  inputShape: z.array(dimension).min(1).max(3).optional(),
  outputShape: z.array(dimension).min(1).max(3).optional(),
  params: z.number().int().min(0).optional(),
  trainableParams: z.number().int().min(0).optional(),
});
export type PretrainedParams = z.infer<typeof schema>;

/** The folder's last part, for the canvas ("mobilenet" of /models/mobilenet). */
function folderName(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? path;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export const pretrainedBlock = defineBlock({
  kind: 'pretrained',
  label: 'Pretrained model',
  group: 'layers',
  help: 'A network trained before (a TensorFlow.js layers model folder): reuses what it learned as a fixed feature extractor, or fine-tunes it.',
  schema,
  fields: [
    {
      key: 'trainable',
      label: 'Fine-tune',
      kind: 'boolean',
      help: 'Off: its weights stay as they are (feature extraction). On: they are trained too (fine-tuning).',
    },
  ],
  ports: { input: true, output: true },
  outputShape(input, p) {
    if (!input) return { ok: false, message: 'Pretrained model needs an input: connect a block to it.' };
    if (p.path === '')
      return {
        ok: false,
        message: 'Pretrained model: choose the folder that holds the model (its model.json and weights).',
      };
    if (!p.inputShape || !p.outputShape || p.params === undefined) {
      return {
        ok: false,
        message: `Pretrained model: the model in ${folderName(p.path)} has not been read yet: choose its folder again.`,
      };
    }
    if (!sameShape(input, p.inputShape)) {
      return {
        ok: false,
        message: `The pretrained model takes ${formatShape(p.inputShape)} inputs but gets ${formatShape(input)}: set the Input block (or the image size) to ${formatShape(p.inputShape)}.`,
      };
    }
    return { ok: true, shape: p.outputShape };
  },
  paramCount(_input, p) {
    const total = p.params ?? 0;
    const trainable = p.trainable ? Math.min(total, p.trainableParams ?? total) : 0;
    return { trainable, fixed: total - trainable };
  },
  layers: (_input, p, { name }) => [
    {
      // Not a tfjs class: the trainer loads the folder as a nested model (electron/trainer/pretrained.ts).
      className: 'Pretrained',
      config: {
        name,
        path: p.path,
        fineTune: p.trainable,
        inputShape: p.inputShape ?? null,
        outputShape: p.outputShape ?? null,
      },
    },
  ],
  summary: (p) =>
    p.path === '' ? 'no folder chosen' : `${folderName(p.path)}, ${p.trainable ? 'fine-tuned' : 'frozen'}`,
});
