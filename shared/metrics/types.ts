/** Test metrics as `nwb train --json` prints them and the results view shows them (snake_case on purpose). */
export interface RegressionMetrics {
  mse: number;
  rmse: number;
  mae: number;
  r2: number;
}

export interface ClassReportRow {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** The lesson's `classification_report`: one row a class, then macro and weighted averages. */
export interface ClassificationReport {
  classes: ClassReportRow[];
  accuracy: number;
  macro_avg: Omit<ClassReportRow, 'name'>;
  weighted_avg: Omit<ClassReportRow, 'name'>;
}

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

export interface ClassificationMetrics {
  accuracy: number;
  /** Rows are true classes, columns predicted classes, in class-name order. */
  confusion_matrix: number[][];
  report: ClassificationReport;
  /** Binary tasks only. */
  auc?: number;
  roc?: RocCurve;
  /** Accuracy of each class (recall), in class-name order. */
  per_class_accuracy: number[];
}

export type TestMetrics =
  ({ task: 'regression' } & RegressionMetrics) | ({ task: 'binary' | 'multiclass' } & ClassificationMetrics);
