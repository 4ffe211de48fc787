import { extname } from 'node:path';
import { predict, type PredictInput } from '../../services/export/predict';
import { openDb } from '../db';
import { UsageError } from '../errors';
import { fmt, table } from '../format';
import type { CommandContext } from '../context';
import { asUsageError } from './exportModel';
import { runIdArg } from './show';

const IMAGE = /\.(jpe?g|png)$/i;

function inputOf(files: string[]): PredictInput {
  if (files.length === 0)
    throw new UsageError('Give the data to predict: nwb predict <run-id> <input.csv|image…> [--json]');
  const csv = files.filter((f) => extname(f).toLowerCase() === '.csv');
  if (csv.length > 0) {
    if (files.length > 1)
      throw new UsageError('Give one CSV file, or image files, not both or several CSVs.');
    return { kind: 'csv', path: files[0]! };
  }
  const other = files.find((f) => !IMAGE.test(f));
  if (other)
    throw new UsageError(`${other} is neither a CSV nor a JPEG/PNG image: give a .csv file or image files.`);
  return { kind: 'images', paths: files };
}

/** `nwb predict <run-id> <input.csv|image…> [--json]`: a stored model on new data, prepared as in training. */
export async function predictCommand(ctx: CommandContext): Promise<number> {
  const id = runIdArg(ctx.args[0]);
  const input = inputOf(ctx.args.slice(1));
  const storage = openDb(ctx);
  try {
    const result = await predict(storage, id, input);
    if (ctx.json) {
      ctx.out(JSON.stringify(result));
      return 0;
    }
    if (result.task === 'regression') {
      ctx.out(
        table(
          ['input', 'prediction'],
          result.predictions.map((p) => [p.input, 'value' in p ? fmt(p.value) : '']),
          ['l', 'r'],
        ),
      );
    } else {
      const names = result.classNames ?? [];
      ctx.out(
        table(
          ['input', 'class', ...names.map((n) => `p(${n})`)],
          result.predictions.map((p) =>
            'probabilities' in p
              ? [p.input, p.className, ...p.probabilities.map((v) => v.toFixed(4))]
              : [p.input],
          ),
          ['l', 'l', ...names.map(() => 'r' as const)],
        ),
      );
    }
    return 0;
  } catch (error) {
    throw asUsageError(error);
  } finally {
    storage.close();
  }
}
