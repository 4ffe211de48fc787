/** What a network predicts; the Output block fixes it and the data preparation follows it. */
export type Task = 'regression' | 'binary' | 'multiclass';

export type ColumnType = 'number' | 'category' | 'empty';

/** One column of an imported table, as the data view and `nwb data inspect` show it. */
export interface ColumnSummary {
  name: string;
  type: ColumnType;
  /** Cells that are empty (or only whitespace). */
  missing: number;
  distinct: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  /** For category columns: the distinct values, sorted, at most 50. */
  categories?: string[];
}

export interface TableInfo {
  delimiter: string;
  rows: number;
  columns: ColumnSummary[];
}

/** Row-major float32 matrix of `count` rows plus one target value a row. */
export interface Split {
  /** count × features (tabular) or count × H×W×C (images, already normalised). */
  x: Float32Array;
  /** Regression: the value; binary: 0 or 1; multi-class: the class index. */
  y: Float32Array;
  count: number;
}

/** A tabular dataset ready for training: split, encoded and standardised. */
export interface PreparedTabular {
  kind: 'tabular';
  task: Task;
  featureNames: string[];
  targetName: string;
  inputShape: [number];
  /** Class names in label order (index = encoded label); null for regression. */
  classNames: string[] | null;
  /** Fitted on the training split only; null when standardisation is off. */
  standardization: { mean: number[]; std: number[] } | null;
  train: Split;
  test: Split;
}

/** Images kept as bytes (never float32 or JSON): count × height × width × channels, HWC interleaved. */
export interface ImageSet {
  width: number;
  height: number;
  channels: number;
  count: number;
  pixels: Uint8Array;
  labels: Int32Array;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

/** An imported image dataset: class names in label order, a training set and an optional test set. */
export interface ImageDataset {
  classNames: string[];
  train: ImageSet;
  test: ImageSet | null;
  /** Files that could not be read (a corrupt JPEG, say), with why. */
  skipped: SkippedFile[];
}
