import type { z } from 'zod';

/** A tensor shape without the batch dimension: [features] or [height, width, channels]. */
export type Shape = readonly number[];

export type BlockGroup = 'io' | 'layers' | 'activations' | 'regularisation';

/** How the inspector draws one param. */
export type ParamField =
  | {
      key: string;
      label: string;
      kind: 'int' | 'number';
      min?: number;
      max?: number;
      step?: number;
      help?: string;
    }
  | { key: string; label: string; kind: 'boolean'; help?: string }
  | {
      key: string;
      label: string;
      kind: 'select';
      options: readonly { value: string; label: string }[];
      help?: string;
    }
  /** Conv padding: `same`, `valid` or a number of pixels, as in PyTorch's `padding=2`. */
  | { key: string; label: string; kind: 'padding'; help?: string };

/** A Keras-style layer config, as tfjs's `keras_format`: class name plus camelCase config. */
export interface LayerConfig {
  className: string;
  config: Record<string, unknown>;
}

export type ShapeResult = { ok: true; shape: Shape } | { ok: false; message: string };

export interface ParamCount {
  trainable: number;
  /** Weights that are saved but not learned by gradient (BatchNorm's running statistics). */
  fixed: number;
}

/** What a block may know of its surroundings when it checks itself. */
export interface BlockContext {
  /** The dataset's shape and classes, when a dataset is chosen. */
  data?: { inputShape: Shape; classCount: number | null } | undefined;
}

/** Everything the app knows about one block kind: palette, inspector, shapes, counts and the compiler. */
export interface BlockDefinition<P extends Record<string, unknown> = Record<string, unknown>> {
  kind: string;
  label: string;
  group: BlockGroup;
  /** One line for the palette tooltip, for a non-programmer. */
  help: string;
  /** The params with their defaults and limits. */
  schema: z.ZodType<P>;
  fields: readonly ParamField[];
  /** Input blocks have no input port, Output blocks no output port. */
  ports: { input: boolean; output: boolean };
  /** Output shape for an input shape (undefined for the Input block), or a message naming the fix. */
  outputShape(input: Shape | undefined, params: P, ctx: BlockContext): ShapeResult;
  paramCount(input: Shape, params: P): ParamCount;
  /** tfjs layers for this block (none for Input and Output). */
  layers(input: Shape, params: P, ctx: LayerContext): LayerConfig[];
  /** A short summary for the canvas (e.g. "64 units"). */
  summary(params: P): string;
}

export function formatShape(shape: Shape): string {
  return shape.join('×');
}

export interface LayerContext {
  /** A stable, unique prefix for the layers' names (the node id, sanitised). */
  name: string;
  /** Seed for this block's initialisers, derived from the run's seed. */
  seed: number;
}

/** PyTorch's default initialisation for Linear and Conv2d weights: U(-1/√fanIn, 1/√fanIn). */
export function torchKernelInit(seed: number): Record<string, unknown> {
  return {
    className: 'VarianceScaling',
    config: { scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed },
  };
}

/** PyTorch's default bias initialisation: U(-1/√fanIn, 1/√fanIn). */
export function torchBiasInit(fanIn: number, seed: number): Record<string, unknown> {
  const bound = 1 / Math.sqrt(fanIn);
  return { className: 'RandomUniform', config: { minval: -bound, maxval: bound, seed: seed + 1 } };
}

export function defineBlock<P extends Record<string, unknown>>(def: BlockDefinition<P>): BlockDefinition<P> {
  return def;
}

export const noParams = { trainable: 0, fixed: 0 } as const satisfies ParamCount;
