import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { ProjectDocument } from '../../../shared/graph';
import type { StorageReader } from '../storage';
import { ExportError } from './errors';
import { kerasScript } from './kerasScript';
import { npzBytes } from './npz';
import { pytorchScript } from './pytorchScript';
import { planNetwork } from './scriptPlan';
import { dataFileName, documentLoss, type ScriptSource } from './scriptSettings';
import { compileDocument, loadTrainedRun } from './trainedRun';
import { scriptWeights } from './weights';

export const codeLanguages = ['pytorch', 'keras'] as const;
export type CodeLanguage = (typeof codeLanguages)[number];

/** What exportCode wrote: the script, and its weights file when there are weights to carry. */
export interface CodeExportResult {
  script: string;
  weights: string | null;
  weightArrays: number;
}

/** `model.py` -> `model.weights.npz` beside it. */
export function weightsPathFor(scriptPath: string): string {
  const stem = basename(scriptPath, extname(scriptPath));
  return join(dirname(scriptPath), `${stem}.weights.npz`);
}

function write(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (error) {
    throw new ExportError(
      `Could not write ${path} (${error instanceof Error ? error.message : String(error)}): check the folder exists and may be written to.`,
    );
  }
}

function render(lang: CodeLanguage, source: Omit<ScriptSource, 'frozen'>, fileName: string): string {
  switch (lang) {
    case 'pytorch':
      return pytorchScript(source, fileName);
    case 'keras':
      return kerasScript(source, fileName);
  }
}

/** Writes a run's project as a script, with the run's trained weights beside it (loaded with --weights). */
export function exportRunCode(
  storage: StorageReader,
  runId: number,
  lang: CodeLanguage,
  file: string,
): CodeExportResult {
  const trained = loadTrainedRun(storage, runId);
  const { plan } = planNetwork(trained.net, { runTopology: trained.artifacts.modelTopology });
  const weights = scriptWeights(plan, trained.artifacts, lang);
  const weightsPath = weightsPathFor(file);
  const script = render(
    lang,
    {
      document: trained.document,
      plan,
      dataName: dataFileName(trained.document, datasetName(storage, trained.document)),
      loss: trained.net.loss,
      outputActivation: trained.net.outputActivation,
      preprocessing: trained.preprocessing,
      weightsFile: basename(weightsPath),
    },
    basename(file),
  );
  write(file, script);
  write(weightsPath, npzBytes(weights));
  return { script: file, weights: weightsPath, weightArrays: weights.length };
}

/** Writes a project as a script; Pretrained blocks' own weights are written beside it. */
export function exportProjectCode(
  document: ProjectDocument,
  lang: CodeLanguage,
  file: string,
  options: { baseDir?: string; storage?: StorageReader } = {},
): CodeExportResult {
  const net = compileDocument(document);
  const { plan, pretrainedWeights } = planNetwork(net, options.baseDir ? { baseDir: options.baseDir } : {});
  const weights = pretrainedWeights ? scriptWeights(plan, pretrainedWeights, lang, { partial: true }) : [];
  const weightsPath = weights.length > 0 ? weightsPathFor(file) : null;
  const script = render(
    lang,
    {
      document,
      plan,
      dataName: dataFileName(document, options.storage ? datasetName(options.storage, document) : undefined),
      loss: documentLoss(document),
      outputActivation: net.outputActivation,
      ...(weightsPath ? { weightsFile: basename(weightsPath), pretrainedWeightsOnly: true } : {}),
    },
    basename(file),
  );
  write(file, script);
  if (weightsPath) write(weightsPath, npzBytes(weights));
  return { script: file, weights: weightsPath, weightArrays: weights.length };
}

function datasetName(storage: StorageReader, document: ProjectDocument): string | undefined {
  const source = document.data?.source;
  if (source?.kind !== 'stored') return undefined;
  return storage.getDataset(Number(source.id))?.name;
}
