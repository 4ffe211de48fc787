import { useEffect, useState } from 'react';
import { host } from '../../api/host';
import type { ImportStep } from './imageDataModel';

/**
 * The host's latest `dataset:progress` step while `active` (an import or a first samples request is
 * running), else null. The host sends no request id with these events: one import runs at a time.
 */
export function useDatasetProgress(active: boolean): ImportStep | null {
  const [step, setStep] = useState<ImportStep | null>(null);
  useEffect(() => {
    if (!active) return;
    const stop = host.onEvent((event) => {
      if (event.type === 'dataset:progress') setStep({ phase: event.phase, done: event.done, total: event.total });
    });
    return () => {
      stop();
      // The next import starts from an empty bar, not from where this one ended.
      setStep(null);
    };
  }, [active]);
  return active ? step : null;
}
