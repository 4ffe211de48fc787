import { z } from 'zod';
import type { Task } from '../../../shared/data/types';
import type { CompiledModel, OutputActivation, ProjectDocument } from '../../../shared/graph';
import { ExportError } from './errors';

export const PREPROCESSING_FORMAT = 'neural-workbench/preprocessing';
/** Bump with a note in the file's reader when preprocessing.json changes. */
export const PREPROCESSING_VERSION = 1;

const task = z.enum(['regression', 'binary', 'multiclass']);

/** What the trainer records for a table (electron/trainer/loadData.ts). */
const storedTabularSchema = z.object({
  kind: z.literal('tabular'),
  featureNames: z.array(z.string()),
  targetName: z.string(),
  standardization: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }).nullable(),
  classNames: z.array(z.string()).nullable(),
  task,
});

const channelStats = z.object({ mean: z.array(z.number()), std: z.array(z.number()) });

/**
 * What the trainer records for images (electron/trainer/imageData.ts): `normalization` is the
 * per-channel mean and std it applied; older records name the kind, with `mean`/`std` beside it,
 * and fields absent there are taken from the document.
 */
const storedImageSchema = z
  .object({
    kind: z.enum(['image', 'images']),
    classNames: z.array(z.string()).nullable().optional(),
    normalization: z.union([z.enum(['unit', 'half', 'dataset']), channelStats]).optional(),
    mean: z.array(z.number()).optional(),
    std: z.array(z.number()).optional(),
  })
  .loose();

/** How new inputs must be prepared for an exported model: written as preprocessing.json beside it. */
export type PreprocessingFile =
  | {
      format: typeof PREPROCESSING_FORMAT;
      version: typeof PREPROCESSING_VERSION;
      kind: 'tabular';
      task: Task;
      inputShape: number[];
      /** The model's input columns, in order. */
      featureNames: string[];
      targetName: string;
      /** x' = (x − mean) / std per feature, fitted on the training split; null when off. */
      standardization: { mean: number[]; std: number[] } | null;
      /** Class names in output order (binary: the output is the probability of the second). */
      classNames: string[] | null;
      /** The model's last values: probabilities already (sigmoid/softmax) or raw scores (linear). */
      outputActivation: OutputActivation;
    }
  | {
      format: typeof PREPROCESSING_FORMAT;
      version: typeof PREPROCESSING_VERSION;
      kind: 'image';
      task: Task;
      inputShape: number[];
      height: number;
      width: number;
      channels: number;
      /** Pixels are height×width×channels (channels last), scaled to 0…1, then x' = (x − mean) / std per channel. */
      normalization: 'unit' | 'half' | 'dataset';
      mean: number[];
      std: number[];
      classNames: string[] | null;
      outputActivation: OutputActivation;
    };

/** The preprocessing of a trained run, from what its trainer recorded and the document it trained. */
export function preprocessingFile(
  stored: unknown,
  document: ProjectDocument,
  net: CompiledModel,
): PreprocessingFile {
  const common = {
    format: PREPROCESSING_FORMAT,
    version: PREPROCESSING_VERSION,
    task: net.task,
    inputShape: [...net.inputShape],
    outputActivation: net.outputActivation,
  } satisfies Partial<PreprocessingFile>;
  const tabular = storedTabularSchema.safeParse(stored);
  if (tabular.success) {
    const t = tabular.data;
    return {
      ...common,
      kind: 'tabular',
      featureNames: t.featureNames,
      targetName: t.targetName,
      standardization: t.standardization,
      classNames: t.classNames,
    };
  }
  const image = storedImageSchema.safeParse(stored);
  if (image.success && net.inputShape.length === 3) {
    const [height, width, channels] = net.inputShape as [number, number, number];
    const recorded = image.data.normalization;
    const normalization =
      (typeof recorded === 'string' ? recorded : undefined) ?? document.data?.normalization ?? 'half';
    const perChannel = (v: number) => Array.from({ length: channels }, () => v);
    let mean = perChannel(0);
    let std = perChannel(1);
    if (typeof recorded === 'object') {
      // The values the trainer applied win over the kind's defaults: they are what the model learned on.
      if (recorded.mean.length !== channels || recorded.std.length !== channels) {
        throw new ExportError(
          'This run records a normalisation for another number of channels than its network takes: train it again to export it.',
        );
      }
      mean = recorded.mean;
      std = recorded.std;
    } else if (normalization === 'half') {
      mean = perChannel(0.5);
      std = perChannel(0.5);
    } else if (normalization === 'dataset') {
      if (image.data.mean?.length !== channels || image.data.std?.length !== channels) {
        throw new ExportError(
          'This run does not record the per-channel means and deviations its images were normalised with: train it again to export it.',
        );
      }
      mean = image.data.mean;
      std = image.data.std;
    }
    return {
      ...common,
      kind: 'image',
      height,
      width,
      channels,
      normalization,
      mean,
      std,
      classNames: image.data.classNames ?? null,
    };
  }
  throw new ExportError(
    'This run does not record how its data was prepared (feature order, scaling): train it again to export it.',
  );
}
