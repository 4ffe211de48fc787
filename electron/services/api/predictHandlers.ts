import type { ImageTiles, PredictForm, PredictInput, RunPredictResult } from '../../../shared/api/contract';
import type { RunRecord } from '../../../shared/api/records';
import { DataError } from '../datasets/csv';
import { ExportError } from '../export/errors';
import type { PreparedInputs } from '../export/predictInputs';
import { imageFileInput, imagePixelInputs, rowInputs, type PreparedImages } from '../export/predictInputs';
import { exampleRows, runTestSet, type RunTestSet } from '../export/runTestSet';
import { loadTrainedRun, type TrainedRun } from '../export/trainedRun';
import { rgbaBase64, tile } from '../imageDatasets';
import { fileSourceRefused } from './datasetPreviews';
import { ApiError } from './errors';
import { baseFileName, fileBytes } from './files';
import type { HandlerDeps, HandlerGroup } from './types';

/** Test sets kept in memory: the runs a user is trying out now (a CIFAR-10 test set is 30 MB). */
const CACHED_TEST_SETS = 2;

/** Why a run cannot predict yet, said as the user can act on it. */
function noModel(run: RunRecord): ApiError {
  switch (run.status) {
    case 'queued':
    case 'running':
      return new ApiError('run-active', `Run ${run.id} is still training: try it once it has finished.`);
    case 'failed':
    case 'interrupted':
    case 'completed':
    case 'stopped':
      return new ApiError(
        'no-model',
        `Run ${run.id} has no trained model (it ${run.status === 'failed' ? 'failed' : run.status === 'interrupted' ? 'was interrupted' : 'kept none'}): train again and try the new run.`,
      );
  }
}

/** The services say what is wrong in one sentence; the API passes it on with a code. */
function asApiError(error: unknown): unknown {
  return error instanceof ExportError ? new ApiError('bad-input', error.message) : error;
}

function wrongKind(runId: number, trainedOn: 'tabular' | 'image'): ApiError {
  return new ApiError(
    'bad-input',
    trainedOn === 'tabular'
      ? `Run ${runId} was trained on a table: enter its columns' values instead of an image.`
      : `Run ${runId} was trained on images: choose a test image or an image file instead of table rows.`,
  );
}

/** The "Try it" requests of the Results view: a finished run's model on rows or images a user gives. */
export function predictHandlers({
  storage,
  transport,
}: HandlerDeps): HandlerGroup<'runs:predictForm' | 'runs:predict'> {
  // Keyed by run id and its end time: an id freed by a deletion may later name another run.
  const testSets = new Map<string, Promise<RunTestSet>>();

  const requireTrained = (runId: number): TrainedRun => {
    const run = storage.getRun(runId);
    if (!run) throw new ApiError('not-found', `There is no run ${runId}: it may have been deleted.`);
    if (!run.hasModel) throw noModel(run);
    try {
      return loadTrainedRun(storage, runId);
    } catch (error) {
      throw asApiError(error);
    }
  };

  const testSetOf = (trained: TrainedRun): Promise<RunTestSet> => {
    const source = trained.document.data?.source;
    if (source?.kind === 'file' && transport === 'electron')
      return Promise.reject(fileSourceRefused(source.path));
    const key = `${trained.run.id}:${trained.run.endedAt ?? ''}`;
    let entry = testSets.get(key);
    if (!entry) {
      entry = runTestSet(storage, trained.document);
      testSets.set(key, entry);
      entry.catch(() => testSets.delete(key));
      for (const old of testSets.keys()) if (testSets.size > CACHED_TEST_SETS) testSets.delete(old);
    }
    return entry;
  };

  const prepare = async (
    trained: TrainedRun,
    input: PredictInput,
  ): Promise<PreparedInputs | PreparedImages> => {
    const pre = trained.preprocessing;
    const runId = trained.run.id;
    switch (input.kind) {
      case 'rows':
        if (pre.kind !== 'tabular') throw wrongKind(runId, 'image');
        return rowInputs(input.rows, pre, trained.document.data?.ignored ?? []);
      case 'imageFile':
        if (pre.kind !== 'image') throw wrongKind(runId, 'tabular');
        return imageFileInput({ name: baseFileName(input.fileName), bytes: fileBytes(input) }, pre);
      case 'testImages': {
        if (pre.kind !== 'image') throw wrongKind(runId, 'tabular');
        const test = await testSetOf(trained);
        if (test.kind !== 'image') throw wrongKind(runId, 'tabular');
        const { set } = test;
        const bad = input.indices.find((i) => i >= set.count);
        if (bad !== undefined) {
          throw new ApiError(
            'bad-input',
            `Run ${runId}'s test set has ${set.count} images, so there is no test image ${bad}: choose one from 0 to ${set.count - 1}.`,
          );
        }
        const stride = set.width * set.height * set.channels;
        const pixels = new Uint8Array(input.indices.length * stride);
        input.indices.forEach((index, i) =>
          pixels.set(set.pixels.subarray(index * stride, (index + 1) * stride), i * stride),
        );
        return imagePixelInputs(
          pixels,
          input.indices.map((i) => `test image ${i}`),
          pre,
        );
      }
    }
  };

  return {
    'runs:predictForm': async ({ runId, offset, count }): Promise<PredictForm> => {
      const trained = requireTrained(runId);
      const pre = trained.preprocessing;
      let test: RunTestSet | null = null;
      let note: string | null = null;
      try {
        test = await testSetOf(trained);
      } catch (error) {
        // The form still works without examples: the user types values or uploads an image.
        if (!(error instanceof DataError || error instanceof ApiError)) throw error;
        note = error.message;
      }
      if (pre.kind === 'tabular') {
        return {
          kind: 'tabular',
          runId,
          task: pre.task,
          targetName: pre.targetName,
          features: pre.featureNames,
          classNames: pre.classNames,
          examples:
            test?.kind === 'tabular'
              ? exampleRows(test, pre.featureNames, pre.targetName, offset, count)
              : [],
          testCount: test?.kind === 'tabular' ? test.rows.length : 0,
          note,
        };
      }
      let testImages: ImageTiles | null = null;
      if (test?.kind === 'image') {
        const { set, classNames } = test;
        const end = Math.min(set.count, offset + count);
        testImages = {
          width: set.width,
          height: set.height,
          tiles: Array.from({ length: Math.max(0, end - offset) }, (_, i) =>
            tile(set, offset + i, classNames),
          ),
        };
      }
      return {
        kind: 'image',
        runId,
        task: pre.task,
        classNames: pre.classNames,
        width: pre.width,
        height: pre.height,
        channels: pre.channels,
        testImages,
        testCount: test?.kind === 'image' ? test.set.count : 0,
        note,
      };
    },

    'runs:predict': async ({ runId, input }): Promise<RunPredictResult> => {
      const trained = requireTrained(runId);
      let prepared: PreparedInputs | PreparedImages;
      try {
        prepared = await prepare(trained, input);
      } catch (error) {
        throw asApiError(error);
      }
      // tfjs loads on the first prediction, not with the app.
      const { predictPrepared } = await import('../export/predict');
      const result = await predictPrepared(trained, prepared);
      const pre = trained.preprocessing;
      let seen: RunPredictResult['seen'] = null;
      if ('pixels' in prepared && pre.kind === 'image') {
        const stride = pre.width * pre.height * pre.channels;
        seen = {
          width: pre.width,
          height: pre.height,
          rgbaBase64: Array.from({ length: prepared.count }, (_, i) =>
            rgbaBase64(
              prepared.pixels.subarray(i * stride, (i + 1) * stride),
              pre.width,
              pre.height,
              pre.channels,
            ),
          ),
        };
      }
      return { ...result, seen };
    },
  };
}
