import { z } from 'zod';
import { projectDocumentSchema } from '../graph/document';
import type { TestMetrics } from '../metrics/types';

/** Which tfjs backend a run may use; `auto` picks the fastest one that can train the model. */
export const backendChoiceSchema = z.enum(['auto', 'tensorflow', 'wasm', 'cpu']);
export type BackendChoice = z.infer<typeof backendChoiceSchema>;
/** The backend a run actually used. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Metrics of one epoch by Keras-style name: loss, val_loss, accuracy, val_accuracy, mae, val_mae… */
export type EpochMetrics = Record<string, number>;

/** Where the trainer finds the data: it loads and prepares it itself, so no large arrays cross the IPC. */
export const dataLocationSchema = z.discriminatedUnion('kind', [
  /** A CSV file on disk (shipped data, or a file given to the CLI). */
  z.object({ kind: z.literal('csv'), path: z.string() }),
  /** A dataset stored in the database, read read-only by the trainer. */
  z.object({ kind: z.literal('stored'), dbPath: z.string(), datasetId: z.number().int() }),
  /** An image dataset on disk (folder, archive, IDX, CIFAR binary, pixel CSV), imported by the trainer. */
  z.object({
    kind: z.literal('images'),
    path: z.string(),
    options: z
      .object({
        size: z.object({ width: z.number().int(), height: z.number().int() }).optional(),
        channels: z.union([z.literal(1), z.literal(3)]).optional(),
        csv: z
          .object({
            height: z.number().int(),
            width: z.number().int(),
            channels: z.union([z.literal(1), z.literal(3)]),
            labelColumn: z.string().optional(),
            maxValue: z.number().optional(),
          })
          .optional(),
      })
      .default({}),
  }),
]);
export type DataLocation = z.infer<typeof dataLocationSchema>;

/** The weights of a trained model, in the tfjs layers format. */
export interface ModelArtifacts {
  modelTopology: unknown;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: ArrayBuffer;
}

export const trainRequestSchema = z.object({
  type: z.literal('train'),
  runId: z.number().int(),
  document: projectDocumentSchema,
  data: dataLocationSchema,
  backend: backendChoiceSchema.default('auto'),
  /** Threads to train on with the wasm and cpu backends (1: one); absent: as many as make it faster. */
  threads: z.number().int().min(1).max(64).optional(),
  /** Send a batch event at most this often (ms). */
  batchEventIntervalMs: z.number().int().min(0).default(200),
  /** Start from this stored run's trained weights for the blocks that match (same block id and weight shapes). */
  initialWeights: z.object({ dbPath: z.string(), runId: z.number().int() }).optional(),
});

/** Messages to the trainer process. */
export const trainerRequestSchema = z.discriminatedUnion('type', [
  trainRequestSchema,
  z.object({ type: z.literal('stop'), runId: z.number().int() }),
]);
export type TrainerRequest = z.infer<typeof trainerRequestSchema>;
export type TrainRequest = z.infer<typeof trainRequestSchema>;

/** Messages from the trainer process: every one names its run. */
export type TrainerEvent =
  | { type: 'ready' }
  | {
      type: 'started';
      runId: number;
      backend: BackendName;
      backendReason: string;
      params: number;
      trainSamples: number;
      testSamples: number;
      epochs: number;
      batchesPerEpoch: number;
    }
  | { type: 'batch'; runId: number; epoch: number; batch: number; batches: number; loss: number }
  | {
      type: 'epoch';
      runId: number;
      epoch: number;
      epochs: number;
      metrics: EpochMetrics;
      learningRate: number;
      seconds: number;
      samplesPerSecond: number;
    }
  | {
      type: 'done';
      runId: number;
      status: 'completed' | 'stopped';
      /** Test metrics on the held-out split (see shared/metrics/types.ts). */
      test: TestMetrics;
      /** 1-based epoch whose weights the model holds (the best one when restore-best was on). */
      bestEpoch: number | null;
      backend: BackendName;
      params: number;
      model: ModelArtifacts;
      /** Predictions on the test split for the results views (scatter, gallery). */
      predictions: { yTrue: number[]; yPred: number[] };
      preprocessing: unknown;
    }
  | {
      type: 'failed';
      runId: number;
      code: 'nan' | 'data' | 'model' | 'backend' | 'internal';
      message: string;
      epoch?: number;
    };
