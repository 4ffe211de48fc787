import type { Prediction, PredictionResult } from '../../../shared/api/contract';
import type { StorageReader } from '../storage';
import { outputProbabilities } from '../../trainer/train';
import { tf } from '../../trainer/tf';
import { ExportError } from './errors';
import { csvInputs, imageInputs, type PreparedInputs } from './predictInputs';
import { loadTrainedRun, type TrainedRun } from './trainedRun';

export type { Prediction, PredictionResult } from '../../../shared/api/contract';

/** New data to run a stored model on. */
export type PredictInput = { kind: 'csv'; path: string } | { kind: 'images'; paths: string[] };

const CHUNK = 1024;

/** Runs a run's trained model on new data with the preprocessing it was trained with. */
export async function predict(
  storage: StorageReader,
  runId: number,
  input: PredictInput,
): Promise<PredictionResult> {
  const trained = loadTrainedRun(storage, runId);
  const pre = trained.preprocessing;
  let prepared: PreparedInputs;
  switch (input.kind) {
    case 'csv':
      if (pre.kind !== 'tabular')
        throw new ExportError(
          `Run ${runId} was trained on images: give image files (JPEG or PNG), not a CSV.`,
        );
      prepared = await csvInputs(input.path, pre, trained.document.data?.ignored ?? []);
      break;
    case 'images':
      if (pre.kind !== 'image')
        throw new ExportError(
          `Run ${runId} was trained on a table: give a CSV file with its columns, not images.`,
        );
      if (input.paths.length === 0) throw new ExportError('Give at least one image to predict.');
      prepared = imageInputs(input.paths, pre);
      break;
  }
  return predictPrepared(trained, prepared);
}

/** A trained run's model on inputs already prepared as in training: a value, or classes with probabilities, per input. */
export async function predictPrepared(
  trained: TrainedRun,
  prepared: PreparedInputs,
): Promise<PredictionResult> {
  const { preprocessing: pre, net } = trained;
  const outputs = await runModel(trained, prepared);
  const k = net.outputSize;
  const classNames = pre.classNames;
  const predictions: Prediction[] = [];
  if (net.task === 'regression') {
    for (let i = 0; i < prepared.count; i++)
      predictions.push({ input: prepared.labels[i]!, value: outputs[i]! });
  } else {
    const probs = outputProbabilities(outputs, net);
    for (let i = 0; i < prepared.count; i++) {
      const p = k === 1 ? [1 - probs[i]!, probs[i]!] : Array.from(probs.subarray(i * k, (i + 1) * k));
      const classIndex = p.indexOf(Math.max(...p));
      predictions.push({
        input: prepared.labels[i]!,
        classIndex,
        className: classNames?.[classIndex] ?? String(classIndex),
        probabilities: p,
      });
    }
  }
  return { runId: trained.run.id, task: net.task, classNames, predictions };
}

async function runModel(trained: TrainedRun, inputs: PreparedInputs): Promise<Float32Array> {
  const { artifacts, net } = trained;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifacts.modelTopology as never,
      weightSpecs: artifacts.weightSpecs as never,
      weightData: artifacts.weightData,
    }),
  );
  try {
    const width = net.inputShape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(inputs.count * net.outputSize);
    for (let start = 0; start < inputs.count; start += CHUNK) {
      const rows = Math.min(CHUNK, inputs.count - start);
      const values = tf.tidy(() => {
        const x = tf.tensor(inputs.x.subarray(start * width, (start + rows) * width), [
          rows,
          ...net.inputShape,
        ]);
        return (model.predict(x) as ReturnType<typeof tf.tensor>).dataSync() as Float32Array;
      });
      out.set(values, start * net.outputSize);
    }
    return out;
  } finally {
    model.dispose();
  }
}
