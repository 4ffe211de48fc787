// What the trainer thread and its replica threads say to each other. Commands and replies are small
// messages; the large arrays (samples, gradients, weights) live in SharedArrayBuffers both sides see.
import type { CompiledModel, TrainingSettings } from '../../../shared/graph';
import type { BackendName } from '../../../shared/api/trainer';

/** Given to a replica thread when it starts. */
export interface ReplicaSetup {
  net: CompiledModel;
  settings: TrainingSettings;
  backend: BackendName;
  /** Seeds the replica's Math.random (its dropout masks), distinct per replica. */
  seed: number;
  /** Int32 words: see `Control`. */
  control: SharedArrayBuffer;
  /** The replica's gradient, written by it: trainableSize floats. */
  gradient: SharedArrayBuffer;
  /** The summed gradient every thread applies, written by the trainer thread. */
  reduced: SharedArrayBuffer;
}

/** Indices of the Int32 control words of one replica. */
export const Control = {
  /** Commands posted by the trainer thread so far. */
  posted: 0,
  /** Commands the replica has answered so far. */
  answered: 1,
  /** Set to 1 when the replica thread ends, for whatever reason. */
  ended: 2,
  size: 3,
} as const;

export type ReplicaCommand =
  /** Samples to train on next (a view of a shared buffer: not copied per replica). */
  | { type: 'load'; x: Float32Array; y: Float32Array; count: number }
  | { type: 'release' }
  /** The gradient of samples [start, start+size) of those loaded, times scale, into the gradient buffer. */
  | { type: 'gradients'; start: number; size: number; scale: number }
  /** One optimiser step with the reduced gradient. */
  | { type: 'apply' }
  | { type: 'learningRate'; lr: number }
  /** Take these weights (every weight of the model, in getWeights order). */
  | { type: 'setWeights'; weights: Float32Array[] }
  | { type: 'evaluate'; x: Float32Array; y: Float32Array; count: number }
  | { type: 'close' };

export type ReplicaReply =
  | { type: 'ok' }
  | { type: 'batch'; loss: number; metric: number }
  | { type: 'evaluated'; loss: number; metric: number; outputs: Float32Array }
  | { type: 'error'; message: string };
