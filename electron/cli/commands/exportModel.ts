import { ExportError } from '../../services/export/errors';
import { exportModel } from '../../services/export/modelExport';
import { PretrainedModelError } from '../../trainer/pretrained';
import { openDb } from '../db';
import { UsageError } from '../errors';
import type { CommandContext } from '../context';
import { runIdArg } from './show';

/** Export and transfer-learning failures are the user's to fix: one line, exit code 2. */
export function asUsageError(error: unknown): unknown {
  return error instanceof ExportError || error instanceof PretrainedModelError
    ? new UsageError(error.message)
    : error;
}

/** `nwb export-model <run-id> -o DIR`: the trained model in the TensorFlow.js layers format. */
export function exportModelCommand(ctx: CommandContext): number {
  const id = runIdArg(ctx.args[0]);
  const dir = ctx.flags.output;
  if (typeof dir !== 'string' || dir === '')
    throw new UsageError('Say which folder to write the model into: nwb export-model <run-id> -o DIR');
  const storage = openDb(ctx);
  try {
    const exported = exportModel(storage, id, dir);
    if (ctx.json) {
      ctx.out(
        JSON.stringify({
          run: id,
          dir: exported.dir,
          files: exported.files,
          weight_bytes: exported.weightBytes,
        }),
      );
    } else {
      ctx.out(
        `Exported run ${id} to ${exported.dir}: model.json, weights.bin (${(exported.weightBytes / 1024).toFixed(1)} KiB) and preprocessing.json.`,
      );
      ctx.out('Load it with tf.loadLayersModel, or convert it for Keras with tensorflowjs_converter.');
    }
    return 0;
  } catch (error) {
    throw asUsageError(error);
  } finally {
    storage.close();
  }
}
