import { z } from 'zod';

/** The project document's format version. Bump it and add a migration in migrations.ts when it changes. */
export const DOCUMENT_VERSION = 1;
export const DOCUMENT_FORMAT = 'neural-workbench/project';

const id = z.string().min(1).max(100);

export const graphNodeSchema = z.object({
  id,
  /** Block kind from the block registry (`dense`, `conv2d`, …). */
  kind: z.string().min(1).max(50),
  /** Validated against the block's own schema by validate(); unknown keys are kept for forward compatibility. */
  params: z.record(z.string(), z.unknown()).default({}),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
  /** A frozen block keeps its weights during training (transfer learning). */
  frozen: z.boolean().default(false),
  label: z.string().max(200).optional(),
});
export type GraphNode = z.infer<typeof graphNodeSchema>;

export const graphEdgeSchema = z.object({
  id,
  source: id,
  target: id,
  sourcePort: z.string().max(50).default('out'),
  targetPort: z.string().max(50).default('in'),
});
export type GraphEdge = z.infer<typeof graphEdgeSchema>;

export const graphSchema = z
  .object({
    nodes: z.array(graphNodeSchema).max(1000),
    edges: z.array(graphEdgeSchema).max(5000),
  })
  .superRefine((graph, ctx) => {
    // Connections name blocks by id: two blocks with one id would make the network ambiguous.
    const seen = new Set<string>();
    graph.nodes.forEach((node, i) => {
      if (seen.has(node.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', i, 'id'],
          message: `two blocks have the id "${node.id}"`,
        });
      }
      seen.add(node.id);
    });
  });
export type Graph = z.infer<typeof graphSchema>;

/** Where a project's data comes from. */
export const datasetSourceSchema = z.discriminatedUnion('kind', [
  /** A dataset shipped in the app's data/ folder, by file name. */
  z.object({ kind: z.literal('builtin'), name: z.string().min(1).max(200) }),
  /** A file on disk (CLI and tests; the desktop app imports files into storage). */
  z.object({ kind: z.literal('file'), path: z.string().min(1).max(4096) }),
  /** A dataset kept in the database, by id. */
  z.object({ kind: z.literal('stored'), id: z.string().min(1).max(100) }),
]);
export type DatasetSource = z.infer<typeof datasetSourceSchema>;

export const augmentationSchema = z.object({
  horizontalFlip: z.boolean().default(false),
  /** Random crop after zero padding of this many pixels (the lesson uses 4); 0 = off. */
  cropPadding: z.number().int().min(0).max(16).default(0),
});

/** A CSV whose columns are pixels (the digits set): how to read it as images. */
export const pixelCsvSchema = z.object({
  height: z.number().int().min(1).max(1024),
  width: z.number().int().min(1).max(1024),
  channels: z.union([z.literal(1), z.literal(3)]).default(1),
  labelColumn: z.string().min(1).max(200).default('label'),
  /** The brightest value in the file (16 for the digits set); scaled to 255. */
  maxValue: z.number().gt(0).max(65535).default(255),
});

export const dataSpecSchema = z.object({
  source: datasetSourceSchema,
  /** `table`: rows of features and a target column; `images`: an image dataset (folder, archive, IDX, CIFAR binary, pixel CSV). */
  format: z.enum(['table', 'images']).default('table'),
  /** Images kept in a CSV of pixels. */
  pixelCsv: pixelCsvSchema.optional(),
  /** Tabular: the column to predict. */
  target: z.string().max(200).optional(),
  /** Tabular: the feature columns; absent = every column but the target and the ignored ones. */
  features: z.array(z.string().max(200)).optional(),
  ignored: z.array(z.string().max(200)).default([]),
  /** Share held out for testing (images: only when the dataset has no test set of its own). */
  testFraction: z.number().gt(0).lt(1).default(0.2),
  splitSeed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /** Tabular: z-score features, fitted on the training split. */
  standardize: z.boolean().default(true),
  /** Images: per-channel normalisation. `half` is the lesson's Normalize((0.5,)*3, (0.5,)*3). */
  normalization: z.enum(['unit', 'half', 'dataset']).default('half'),
  augmentation: augmentationSchema.default({ horizontalFlip: false, cropPadding: 0 }),
  /** Images: resize every image to this size on import, and read them as grey (1) or colour (3). */
  imageSize: z
    .object({ width: z.number().int().min(1).max(1024), height: z.number().int().min(1).max(1024) })
    .optional(),
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
  /** Use at most this many training samples (quick experiments on a subset). */
  limitTrain: z.number().int().min(1).optional(),
  limitTest: z.number().int().min(1).optional(),
});
export type DataSpec = z.infer<typeof dataSpecSchema>;

export const optimizerKinds = ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad'] as const;
export type OptimizerKind = (typeof optimizerKinds)[number];

export const trainingSettingsSchema = z.object({
  optimizer: z.enum(optimizerKinds).default('adam'),
  learningRate: z.number().gt(0).max(10).default(0.001),
  /** For `momentum` (SGD with momentum). */
  momentum: z.number().min(0).lt(1).default(0.9),
  batchSize: z.number().int().min(1).max(65536).default(32),
  epochs: z.number().int().min(1).max(100000).default(20),
  shuffle: z.boolean().default(true),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /** L2 weight decay added to the gradient of every trainable weight, as PyTorch's `weight_decay`. */
  weightDecay: z.number().min(0).max(1).default(0),
  lrSchedule: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }),
      z.object({ kind: z.literal('step'), every: z.number().int().min(1), gamma: z.number().gt(0).max(1) }),
    ])
    .default({ kind: 'none' }),
  earlyStopping: z
    .object({
      monitor: z.enum(['val_loss', 'val_accuracy', 'loss']).default('val_loss'),
      patience: z.number().int().min(1).max(10000),
      minDelta: z.number().min(0).default(0),
    })
    .nullable()
    .default(null),
  /** Keep the weights of the best epoch (by the monitored metric, val_loss by default) at the end. */
  restoreBest: z.boolean().default(false),
});
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;

export const projectDocumentSchema = z.object({
  format: z.literal(DOCUMENT_FORMAT),
  version: z.literal(DOCUMENT_VERSION),
  name: z.string().min(1).max(200),
  description: z.string().max(10000).default(''),
  graph: graphSchema,
  data: dataSpecSchema.nullable().default(null),
  training: trainingSettingsSchema.default(trainingSettingsSchema.parse({})),
});
export type ProjectDocument = z.infer<typeof projectDocumentSchema>;
/** A document as written by hand or by an older app: defaults not yet applied. */
export type ProjectDocumentInput = z.input<typeof projectDocumentSchema>;

export function emptyDocument(name: string): ProjectDocument {
  return projectDocumentSchema.parse({
    format: DOCUMENT_FORMAT,
    version: DOCUMENT_VERSION,
    name,
    graph: { nodes: [], edges: [] },
  });
}
