import { useCallback, useEffect, useState } from 'react';
import type { PresetSummary } from '../../../../shared/api/contract';
import type { ProjectSummary } from '../../../../shared/api/records';
import { call } from '../../api/host';
import { errorMessage } from '../../app/useToastStore';

export interface StartData {
  projects: ProjectSummary[] | null;
  presets: PresetSummary[] | null;
  /** Why the lists could not be loaded, for the screen to show with a retry. */
  error: string | null;
  reload(): void;
}

/** The project list and the presets, loaded when the start screen shows. */
export function useStartData(): StartData {
  const [projects, setProjects] = useState<ProjectSummary[] | null>(null);
  const [presets, setPresets] = useState<PresetSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    Promise.all([call('projects:list', {}), call('presets:list', {})]).then(
      ([p, q]) => {
        if (!live) return;
        setProjects(p);
        setPresets(q);
        setError(null);
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { projects, presets, error, reload };
}
