import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StorageReader } from '../storage';
import { ExportError } from './errors';
import type { PreprocessingFile } from './preprocessing';
import { loadTrainedRun } from './trainedRun';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const PREPROCESSING_FILE = 'preprocessing.json';

/** What exportModel wrote. */
export interface ExportedModel {
  dir: string;
  files: string[];
  preprocessing: PreprocessingFile;
  weightBytes: number;
}

/**
 * Writes a run's trained model in the TensorFlow.js layers format (model.json + weights.bin, for
 * tf.loadLayersModel or tensorflowjs_converter) and preprocessing.json (how to prepare inputs for it).
 */
export function exportModel(storage: StorageReader, runId: number, dir: string): ExportedModel {
  const trained = loadTrainedRun(storage, runId);
  const target = resolve(dir);
  try {
    mkdirSync(target, { recursive: true });
  } catch (error) {
    throw new ExportError(
      `Could not create the folder ${dir} (${error instanceof Error ? error.message : String(error)}): choose another place.`,
    );
  }
  const { artifacts } = trained;
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'Neural Workbench',
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs }],
    userDefinedMetadata: { runId, project: trained.run.projectName, preprocessing: PREPROCESSING_FILE },
  };
  const files = [MODEL_FILE, WEIGHTS_FILE, PREPROCESSING_FILE].map((f) => join(target, f));
  try {
    writeFileSync(files[0]!, JSON.stringify(modelJson));
    writeFileSync(files[1]!, new Uint8Array(artifacts.weightData));
    writeFileSync(files[2]!, JSON.stringify(trained.preprocessing, null, 2) + '\n');
  } catch (error) {
    throw new ExportError(
      `Could not write the model into ${dir} (${error instanceof Error ? error.message : String(error)}): check that the folder may be written to.`,
    );
  }
  return {
    dir: target,
    files,
    preprocessing: trained.preprocessing,
    weightBytes: artifacts.weightData.byteLength,
  };
}
