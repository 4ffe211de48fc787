import { z } from 'zod';
import type { ColumnSummary, TableInfo } from '../../../shared/data/types';
import type { TestMetrics } from '../../../shared/metrics/types';
import type { EpochRecord, ImageDatasetStats, Predictions } from './types';

/**
 * zod schemas of stored records, for data that arrives from outside (project files): the record types
 * in types.ts are the contract, and each schema is checked against its type.
 */

/** Any number, NaN and ±Infinity included (a diverged run's metrics are still its history). */
const metricNumber = z.custom<number>((value) => typeof value === 'number', 'expected a number');
const count = z.number().int().min(0);

export const epochMetricsSchema = z.record(z.string().max(200), metricNumber);

export const epochRecordSchema = z.object({
  epoch: z.number().int().min(1),
  metrics: epochMetricsSchema,
  learningRate: metricNumber.nullable(),
  seconds: metricNumber.nullable(),
}) satisfies z.ZodType<EpochRecord>;

const reportRow = z.object({
  precision: metricNumber,
  recall: metricNumber,
  f1: metricNumber,
  support: count,
});

const classificationMetrics = z.object({
  accuracy: metricNumber,
  confusion_matrix: z.array(z.array(count)),
  report: z.object({
    classes: z.array(reportRow.extend({ name: z.string() })),
    accuracy: metricNumber,
    macro_avg: reportRow,
    weighted_avg: reportRow,
  }),
  auc: metricNumber.optional(),
  roc: z
    .object({ fpr: z.array(metricNumber), tpr: z.array(metricNumber), thresholds: z.array(metricNumber) })
    .optional(),
  per_class_accuracy: z.array(metricNumber),
});

export const testMetricsSchema = z.union([
  z.object({
    task: z.literal('regression'),
    mse: metricNumber,
    rmse: metricNumber,
    mae: metricNumber,
    r2: metricNumber,
  }),
  classificationMetrics.extend({ task: z.enum(['binary', 'multiclass']) }),
]) satisfies z.ZodType<TestMetrics>;

export const predictionsSchema = z.object({
  yTrue: z.array(metricNumber),
  yPred: z.array(metricNumber),
}) satisfies z.ZodType<Predictions>;

const columnSummarySchema = z.object({
  name: z.string(),
  type: z.enum(['number', 'category', 'empty']),
  missing: count,
  distinct: count,
  min: z.number().optional(),
  max: z.number().optional(),
  mean: z.number().optional(),
  std: z.number().optional(),
  categories: z.array(z.string()).optional(),
}) satisfies z.ZodType<ColumnSummary>;

export const tableInfoSchema = z.object({
  delimiter: z.string().max(10),
  rows: count,
  columns: z.array(columnSummarySchema).max(100_000),
}) satisfies z.ZodType<TableInfo>;

export const imageStatsSchema = z.object({
  width: z.number().int().min(1).max(16384),
  height: z.number().int().min(1).max(16384),
  channels: z.union([z.literal(1), z.literal(3), z.literal(4)]),
  trainCount: count,
  testCount: count,
  trainClassCounts: z.array(count),
  testClassCounts: z.array(count),
  skipped: count,
}) satisfies z.ZodType<ImageDatasetStats>;

/** Weight dtypes a tfjs layers model stores, with their size in bytes. */
export const WEIGHT_DTYPE_BYTES = { float32: 4, int32: 4, bool: 1 } as const;

export const weightSpecSchema = z.object({
  name: z.string().min(1).max(1000),
  shape: z.array(z.number().int().min(0)).max(16),
  dtype: z.enum(['float32', 'int32', 'bool']),
});
