import type { ModelArtifacts } from '../../../shared/api/trainer';
import { compileGraph, type CompiledModel, type ProjectDocument } from '../../../shared/graph';
import type { RunRecord, StorageReader } from '../storage';
import { ExportError } from './errors';
import { preprocessingFile, type PreprocessingFile } from './preprocessing';

/** A finished run with everything an export needs: the document it trained, its network and its weights. */
export interface TrainedRun {
  run: RunRecord;
  document: ProjectDocument;
  net: CompiledModel;
  artifacts: ModelArtifacts;
  preprocessing: PreprocessingFile;
}

/** The network a document describes, or an ExportError naming what is wrong with it. */
export function compileDocument(document: ProjectDocument): CompiledModel {
  const compiled = compileGraph(document.graph, { seed: document.training.seed });
  if (!compiled.ok) {
    const first = compiled.issues[0];
    throw new ExportError(
      `The network of "${document.name}" has errors (${first ? (first.nodeId ? `${first.nodeId}: ` : '') + first.message : 'it cannot be built'}): fix them in the editor first.`,
    );
  }
  return compiled.model;
}

/** Reads a run that has a trained model; a clear ExportError when there is none. */
export function loadTrainedRun(storage: StorageReader, runId: number): TrainedRun {
  const run = storage.getRun(runId);
  if (!run) throw new ExportError(`There is no run ${runId}: see the run history (nwb runs) for the ids.`);
  const model = storage.getRunModel(runId);
  if (!model) {
    throw new ExportError(
      `Run ${runId} has no trained model (it is ${run.status}): choose a run that completed or was stopped.`,
    );
  }
  const net = compileDocument(run.document);
  return {
    run,
    document: run.document,
    net,
    artifacts: model.artifacts,
    preprocessing: preprocessingFile(model.preprocessing, run.document, net),
  };
}
