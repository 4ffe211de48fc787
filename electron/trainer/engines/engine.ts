import type { CompiledModel } from '../../../shared/graph';
import type { TrainingSettings } from '../../../shared/graph';
import type { LayersModel } from '../tf';

export interface BatchResult {
  loss: number;
  /** Accuracy for classification, mean absolute error for regression. */
  metric: number;
}

/**
 * One way of running the arithmetic of training. The loop in train.ts owns epochs, schedules, early
 * stopping, events and stopping; an engine owns weights, the optimizer state and the maths.
 */
export interface Engine {
  readonly name: 'layers' | 'dense' | 'parallel';
  /** How it computes, in words for the user ("tfjs layers", "fused dense kernels"…). */
  readonly label: string;
  /** Hands the engine the next training samples in order (a whole epoch, or a chunk of one). */
  loadSamples(x: Float32Array, y: Float32Array, count: number): void;
  /** One optimisation step on samples [start, start+size) of those loaded. */
  trainBatch(start: number, size: number): BatchResult;
  releaseSamples(): void;
  /** Loss, metric and raw outputs (count × outputs) with training off (no dropout). */
  evaluate(x: Float32Array, y: Float32Array, count: number): BatchResult & { outputs: Float32Array };
  setLearningRate(lr: number): void;
  /** A copy of the weights, to restore the best epoch later. */
  snapshot(): Float32Array[];
  restore(weights: Float32Array[]): void;
  /** The trained network as a tfjs model (for saving, export and prediction); owned by the engine. */
  toLayersModel(): LayersModel;
  dispose(): void;
}

export interface EngineSpec {
  net: CompiledModel;
  settings: TrainingSettings;
}
