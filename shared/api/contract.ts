import { z } from 'zod';
import {
  augmentationSchema,
  datasetSourceSchema,
  pixelCsvSchema,
  projectDocumentSchema,
} from '../graph/document';
import type { ProjectDocument } from '../graph/document';
import type { TableInfo, Task } from '../data/types';
import type {
  DatasetRecord,
  EpochRecord,
  Predictions,
  ProjectRecord,
  ProjectSummary,
  ProjectVersionSummary,
  RunRecord,
  RunStatus,
  RunSummary,
} from './records';
import { backendChoiceSchema, type TrainerEvent } from './trainer';

/** A request of the app's API: zod-checked arguments (the renderer is untrusted) and a typed result. */
interface RequestSpec<A extends z.ZodType, R> {
  args: A;
  /** Type-level only: results come from the host, which is trusted. */
  result?: R;
}

function request<R>() {
  return <A extends z.ZodType>(args: A): RequestSpec<A, R> => ({ args });
}

const id = z.number().int().positive();
const none = z.object({}).strict();
/** File contents cross every transport as base64, so the contract stays JSON. */
const fileBytes = z.object({ fileName: z.string().min(1).max(500), base64: z.string().max(700_000_000) });

export interface PresetSummary {
  id: string;
  name: string;
  description: string;
  task: Task | null;
  params: number;
  document: ProjectDocument;
}

export interface BuiltinDataset {
  name: string;
  label: string;
  description: string;
  rows: number;
}

export interface DatasetPreview {
  info: TableInfo;
  header: string[];
  /** The first rows, as text. */
  rows: string[][];
}

export interface AppInfo {
  version: string;
  dbPath: string;
  /** How the host is reached: the desktop app or the browser preview. */
  transport: 'electron' | 'preview';
}

export interface ActiveRun {
  runId: number;
  projectId: number;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
}

/** One image for a canvas: RGBA bytes (base64), its label and class name. */
export interface ImageTile {
  index: number;
  label: number;
  className: string;
  rgbaBase64: string;
  /** Misclassified images: what the network said. */
  predicted?: number;
  predictedName?: string;
}

export interface ImageTiles {
  width: number;
  height: number;
  tiles: ImageTile[];
}

export interface RunDetail {
  run: RunRecord;
  epochs: EpochRecord[];
  predictions: Predictions | null;
}

/** What a trained model said about one input: a value (regression) or the probability of every class. */
export type Prediction =
  | { input: string; value: number }
  | { input: string; classIndex: number; className: string; probabilities: number[] };

/** A trained model's predictions, one per input, in the order the inputs came. */
export interface PredictionResult {
  runId: number;
  task: Task;
  /** Class names in output order; null for regression. */
  classNames: string[] | null;
  predictions: Prediction[];
}

/** `runs:predict`'s answer; image inputs come back as the network saw them (resized, in its channels). */
export interface RunPredictResult extends PredictionResult {
  seen: { width: number; height: number; rgbaBase64: string[] } | null;
}

/** One test row of a tabular run, raw as in its file (before standardisation), with its true target. */
export interface ExampleRow {
  /** 0-based position in the run's test split. */
  testIndex: number;
  /** Line of the row in the file (the header is line 1). */
  line: number;
  /** In the order of the form's `features`. */
  values: number[];
  /** The target cell as written in the file. */
  actual: string;
}

/** What the Results view's "Try it" form needs to ask a run's model for predictions. */
export type PredictForm =
  | {
      kind: 'tabular';
      runId: number;
      task: Task;
      targetName: string;
      /** The model's input columns, in order. */
      features: string[];
      classNames: string[] | null;
      /** Rows of the test split from `offset` on; empty when the dataset is no longer at hand (see `note`). */
      examples: ExampleRow[];
      testCount: number;
      /** Why there are no examples, for the user; null when there are. */
      note: string | null;
    }
  | {
      kind: 'image';
      runId: number;
      task: Task;
      classNames: string[] | null;
      width: number;
      height: number;
      channels: number;
      /** Test images from `offset` on (tile index = position in the test split); null with `note` when the dataset is gone. */
      testImages: ImageTiles | null;
      testCount: number;
      note: string | null;
    };

/** New inputs for a run's model: raw table rows, test images of its dataset by position, or an image file. */
export const predictInputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('rows'),
    /** {column: value} as typed; numbers or text that must read as a number. */
    rows: z
      .array(z.record(z.string().max(200), z.union([z.number(), z.string().max(200)])))
      .min(1)
      .max(1000),
  }),
  z.object({ kind: z.literal('testImages'), indices: z.array(z.number().int().min(0)).min(1).max(64) }),
  /** A JPEG or PNG, resized to the dataset's size as its import resizes. */
  z.object({
    kind: z.literal('imageFile'),
    fileName: z.string().min(1).max(500),
    base64: z.string().max(70_000_000),
  }),
]);
export type PredictInput = z.infer<typeof predictInputSchema>;

/** What a Pretrained model block needs to know of a model folder, read by the host. */
export interface PretrainedModelSummary {
  /** The folder, made absolute. */
  path: string;
  inputShape: number[];
  outputShape: number[];
  params: number;
  trainableParams: number;
}

/** Every request the renderer can make, by `domain:verb` name. */
export const contract = {
  'app:info': request<AppInfo>()(none),
  'presets:list': request<PresetSummary[]>()(none),

  'projects:list': request<ProjectSummary[]>()(none),
  'projects:get': request<ProjectRecord>()(z.object({ id })),
  'projects:create': request<ProjectRecord>()(
    z.object({
      name: z.string().trim().min(1).max(200),
      presetId: z.string().max(100).optional(),
      document: projectDocumentSchema.optional(),
    }),
  ),
  'projects:save': request<ProjectRecord>()(
    z.object({ id, document: projectDocumentSchema, version: z.boolean().default(false) }),
  ),
  'projects:rename': request<ProjectRecord>()(z.object({ id, name: z.string().trim().min(1).max(200) })),
  'projects:duplicate': request<ProjectRecord>()(z.object({ id })),
  'projects:delete': request<{ ok: true }>()(z.object({ id })),
  'projects:versions': request<ProjectVersionSummary[]>()(z.object({ id })),
  'projects:restoreVersion': request<ProjectRecord>()(z.object({ projectId: id, versionId: id })),
  'projects:export': request<{ fileName: string; base64: string }>()(
    z.object({
      id,
      includeDataset: z.enum(['embed', 'reference', 'none']).default('embed'),
      includeRuns: z.boolean().default(false),
    }),
  ),
  'projects:import': request<ProjectRecord>()(fileBytes),

  'datasets:list': request<{ builtin: BuiltinDataset[]; stored: DatasetRecord[] }>()(none),
  'datasets:preview': request<DatasetPreview>()(z.object({ source: datasetSourceSchema })),
  'datasets:importCsv': request<DatasetRecord>()(fileBytes),
  /** Images from an uploaded archive (.zip, .tar.gz: image folders, CIFAR-10 binary, IDX), a shipped set, or the CIFAR-10 download. */
  'datasets:importImages': request<DatasetRecord>()(
    z.object({
      source: z.discriminatedUnion('kind', [
        z.object({
          kind: z.literal('upload'),
          fileName: z.string().min(1).max(500),
          base64: z.string().max(700_000_000),
        }),
        z.object({ kind: z.literal('builtin'), name: z.string().min(1).max(200) }),
        z.object({ kind: z.literal('download'), url: z.string().url().max(2000).optional() }),
      ]),
      size: z
        .object({ width: z.number().int().min(1).max(1024), height: z.number().int().min(1).max(1024) })
        .optional(),
      channels: z.union([z.literal(1), z.literal(3)]).optional(),
      pixelCsv: pixelCsvSchema.optional(),
    }),
  ),
  /** Sample training images with class names (the lesson's make_grid), optionally as augmented for training. */
  'datasets:samples': request<ImageTiles>()(
    z.object({
      source: datasetSourceSchema,
      count: z.number().int().min(1).max(64).default(16),
      seed: z.number().int().min(0).default(0),
      augmentation: augmentationSchema.optional(),
      /** How to read a shipped pixel CSV the first time it is imported. */
      pixelCsv: pixelCsvSchema.optional(),
    }),
  ),

  'runs:start': request<RunRecord>()(
    z.object({ projectId: id, backend: backendChoiceSchema.default('auto') }),
  ),
  'runs:stop': request<{ ok: true }>()(z.object({ runId: id })),
  'runs:list': request<RunSummary[]>()(z.object({ projectId: id })),
  'runs:get': request<RunDetail>()(z.object({ runId: id })),
  'runs:delete': request<{ ok: true }>()(z.object({ runId: id })),
  'runs:active': request<ActiveRun[]>()(none),
  /** What the "Try it" form of a finished run shows: its input columns and example test rows, or test images. */
  'runs:predictForm': request<PredictForm>()(
    z.object({
      runId: id,
      offset: z.number().int().min(0).default(0),
      count: z.number().int().min(1).max(64).default(24),
    }),
  ),
  /** A finished run's model on new inputs, prepared with the run's own preprocessing. */
  'runs:predict': request<RunPredictResult>()(z.object({ runId: id, input: predictInputSchema })),
  /** Test images a run of an image project got wrong, with true and predicted classes. */
  'runs:misclassified': request<ImageTiles & { total: number; testCount: number }>()(
    z.object({ runId: id, limit: z.number().int().min(1).max(200).default(24) }),
  ),

  /** Reads a TensorFlow.js layers model folder for a Pretrained model block: its shapes and parameter counts. */
  'models:inspectPretrained': request<PretrainedModelSummary>()(
    z.object({ path: z.string().min(1).max(4096) }),
  ),
} as const;

export type Contract = typeof contract;
export type RequestName = keyof Contract;
export type RequestArgs<K extends RequestName> = z.input<Contract[K]['args']>;
export type ParsedArgs<K extends RequestName> = z.output<Contract[K]['args']>;
export type RequestResult<K extends RequestName> = NonNullable<Contract[K]['result']>;

export const requestNames = Object.keys(contract) as RequestName[];

/** The host's implementation of the contract: one handler per request, or the type check fails. */
export type Handlers = { [K in RequestName]: (args: ParsedArgs<K>) => Promise<RequestResult<K>> };

/** Events the host pushes to the renderer. */
export type AppEvent =
  | {
      type: 'run:progress';
      runId: number;
      projectId: number;
      event: Exclude<TrainerEvent, { type: 'ready' | 'done' | 'failed' }>;
    }
  | { type: 'run:ended'; runId: number; projectId: number; status: RunStatus; error: string | null }
  | { type: 'dataset:progress'; phase: string; done: number; total: number | null };

/** A request failed in a way the user can act on: shown as is. */
export interface ApiErrorPayload {
  message: string;
  code?: string;
}

/** What the renderer sees: the same object whether Electron's preload or the preview's socket carries it. */
export interface HostApi {
  call<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
}
