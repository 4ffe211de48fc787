import packageJson from '../../../package.json';
import type { PresetSummary } from '../../../shared/api/contract';
import { analyzeGraph } from '../../../shared/graph';
import { listPresets } from '../presets';
import type { HandlerDeps, HandlerGroup } from './types';

function presetSummaries(): PresetSummary[] {
  return listPresets().map(({ id, document }) => {
    const analysis = analyzeGraph(document.graph);
    return {
      id,
      name: document.name,
      description: document.description,
      task: analysis.task,
      params: analysis.totals.total,
      document,
    };
  });
}

export function appHandlers({ storage, transport }: HandlerDeps): HandlerGroup<'app:info' | 'presets:list'> {
  return {
    'app:info': async () => ({ version: packageJson.version, dbPath: storage.path, transport }),
    'presets:list': async () => presetSummaries(),
  };
}
