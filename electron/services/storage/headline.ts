import type { EpochMetrics } from '../../../shared/api/trainer';
import type { TestMetrics } from '../../../shared/metrics/types';
import type { HeadlineMetric } from './types';

/** Test accuracy (classification) or r² (regression) once tested, else the last epoch's validation loss. */
export function headlineOf(
  test: TestMetrics | null,
  lastEpoch: EpochMetrics | null,
): { metric: HeadlineMetric; value: number } | null {
  if (test) {
    switch (test.task) {
      case 'regression':
        return { metric: 'r2', value: test.r2 };
      case 'binary':
      case 'multiclass':
        return { metric: 'accuracy', value: test.accuracy };
    }
  }
  if (lastEpoch) {
    if (typeof lastEpoch.val_loss === 'number') return { metric: 'val_loss', value: lastEpoch.val_loss };
    if (typeof lastEpoch.loss === 'number') return { metric: 'loss', value: lastEpoch.loss };
  }
  return null;
}
