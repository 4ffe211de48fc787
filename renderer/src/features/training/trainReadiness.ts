import type { ProjectDocument } from '../../../../shared/graph/document';
import type { GraphAnalysis } from '../../../../shared/graph/validate';

/** Why Train is disabled, and which view fixes it. */
export type TrainBlocker =
  | { kind: 'no-data'; view: 'data'; message: string }
  | { kind: 'no-target'; view: 'data'; message: string }
  | { kind: 'graph'; view: 'editor'; message: string; count: number }
  | { kind: 'running'; view: null; message: string };

/** Null when the project can be trained now; otherwise what stops it, in the order the user meets it. */
export function trainBlocker(
  doc: ProjectDocument,
  analysis: GraphAnalysis | null,
  options: { running: boolean; imageData: boolean },
): TrainBlocker | null {
  if (options.running)
    return { kind: 'running', view: null, message: 'A run is training: stop it or wait for it to finish.' };
  if (!doc.data) {
    return { kind: 'no-data', view: 'data', message: 'Choose a dataset in the Data view before training.' };
  }
  if (!options.imageData && !doc.data.target) {
    return {
      kind: 'no-target',
      view: 'data',
      message: 'Pick the column to predict (the target) in the Data view.',
    };
  }
  if (analysis && !analysis.ok) {
    const count = analysis.issues.length;
    const first = analysis.issues[0]?.message ?? 'the network is incomplete';
    const what = count === 1 ? 'The network has a problem' : `The network has ${count} problems`;
    return { kind: 'graph', view: 'editor', count, message: `${what} to fix in the Editor: ${first}` };
  }
  return null;
}
