// The training process. Started by Electron main with utilityProcess.fork and by the CLI, the preview
// server and tests with child_process.fork (serialization: 'advanced'); one process trains one run.
import { trainerRequestSchema, type TrainRequest } from '../../shared/api/trainer';
import { DataError } from '../services/datasets/csv';
import { ImageImportError } from '../services/datasets/images';
import { StorageError } from '../services/storage';
import { initBackend } from './backends/setup';
import { connectToParent } from './channel';
import { loadTrainingData } from './loadData';
import { PretrainedModelError, readRunWeights } from './pretrained';
import { backendNeeds, TrainingError, trainNetwork } from './train';

const parent = connectToParent();
let stopRequested = false;
let running = false;

async function run(request: TrainRequest): Promise<void> {
  running = true;
  try {
    const data = await loadTrainingData(request.document, request.data);
    const backend = await initBackend(request.backend, backendNeeds(request.document, data));
    const done = await trainNetwork({
      runId: request.runId,
      document: request.document,
      data,
      backend: backend.name,
      backendReason: backend.reason,
      emit: (event) => void parent.send(event),
      shouldStop: () => stopRequested,
      batchEventIntervalMs: request.batchEventIntervalMs,
      ...(request.threads !== undefined ? { threads: request.threads } : {}),
      ...(request.initialWeights
        ? { initialWeights: readRunWeights(request.initialWeights.dbPath, request.initialWeights.runId) }
        : {}),
    });
    await parent.send(done);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PretrainedModelError) {
      await parent.send({ type: 'failed', runId: request.runId, code: 'model', message });
    } else if (error instanceof TrainingError) {
      await parent.send({
        type: 'failed',
        runId: request.runId,
        code: error.code,
        message,
        ...(error.epoch ? { epoch: error.epoch } : {}),
      });
    } else if (
      error instanceof DataError ||
      error instanceof ImageImportError ||
      error instanceof StorageError
    ) {
      await parent.send({ type: 'failed', runId: request.runId, code: 'data', message });
    } else {
      await parent.send({
        type: 'failed',
        runId: request.runId,
        code: 'internal',
        message: `The trainer failed unexpectedly: ${message}`,
      });
    }
  } finally {
    process.exit(0);
  }
}

parent.onMessage((raw) => {
  const parsed = trainerRequestSchema.safeParse(raw);
  if (!parsed.success) return;
  const message = parsed.data;
  switch (message.type) {
    case 'train':
      if (!running) void run(message);
      break;
    case 'stop':
      stopRequested = true;
      break;
  }
});
void parent.send({ type: 'ready' });
