import { useEffect } from 'react';
import type { RunSummary } from '../../../../shared/api/records';
import { useRunsStore } from '../training/useRunsStore';

const EMPTY: RunSummary[] = [];

/** A project's runs, newest first, fetched again whenever a view showing them opens. */
export function useProjectRuns(projectId: number): {
  runs: RunSummary[];
  /** False until the first list arrives. */
  listed: boolean;
  listError: string | undefined;
} {
  const runs = useRunsStore((s) => s.lists[projectId] ?? EMPTY);
  const listed = useRunsStore((s) => s.lists[projectId] !== undefined);
  const listError = useRunsStore((s) => s.listErrors[projectId]);
  useEffect(() => {
    void useRunsStore
      .getState()
      .refreshRuns(projectId)
      .catch(() => undefined);
  }, [projectId]);
  return { runs, listed, listError };
}
