import type { Split, Task } from '../../shared/data/types';

/**
 * Data as the training loop consumes it. Tabular data is a float32 matrix; image data fills batches on
 * demand from bytes (normalised and augmented per epoch), so a large image set is never all float32.
 */
export interface TrainingData {
  task: Task;
  inputShape: number[];
  classNames: string[] | null;
  trainCount: number;
  /** Whole float32 training set, when it is small enough and unchanged from epoch to epoch. */
  train: Split | null;
  /** Fills a batch of training samples by index (used when `train` is null). */
  trainBatch?: (indices: ArrayLike<number>, epoch: number) => { x: Float32Array; y: Float32Array };
  test: Split;
  /** What a prediction on new data must repeat (feature order, standardisation, class names…). */
  preprocessing: Record<string, unknown>;
}
