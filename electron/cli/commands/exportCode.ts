import { resolve } from 'node:path';
import {
  codeLanguages,
  exportProjectCode,
  exportRunCode,
  type CodeLanguage,
  type CodeExportResult,
} from '../../services/export/codeExport';
import { openDb } from '../db';
import { UsageError } from '../errors';
import { loadProjectArg } from '../project';
import type { CommandContext } from '../context';
import { asUsageError } from './exportModel';

function languageFlag(ctx: CommandContext): CodeLanguage {
  const raw = ctx.flags.lang ?? 'pytorch';
  if (typeof raw !== 'string' || !codeLanguages.includes(raw as CodeLanguage))
    throw new UsageError(`Unknown language "${String(raw)}": choose --lang pytorch or --lang keras.`);
  return raw as CodeLanguage;
}

/**
 * `nwb export-code <project|run-id> --lang pytorch|keras -o FILE`: a runnable script. From a run (a
 * number), the run's trained weights are written beside it; from a project (a name in the database,
 * a project file or a preset), the network starts fresh.
 */
export function exportCodeCommand(ctx: CommandContext): number {
  const target = ctx.args[0];
  if (!target)
    throw new UsageError(
      'Name a project or a run id: nwb export-code <project|run-id> --lang pytorch -o FILE',
    );
  const file = ctx.flags.output;
  if (typeof file !== 'string' || file === '')
    throw new UsageError('Say where to write the script: -o FILE (for example -o train.py)');
  const lang = languageFlag(ctx);
  const path = resolve(file);
  const storage = openDb(ctx);
  let result: CodeExportResult;
  try {
    if (/^\d+$/.test(target)) {
      result = exportRunCode(storage, Number(target), lang, path);
    } else {
      const stored = storage.getProjectByName(target);
      result = stored
        ? exportProjectCode(stored.document, lang, path, { storage })
        : (() => {
            const loaded = loadProjectArg(target);
            return exportProjectCode(loaded.document, lang, path, { baseDir: loaded.baseDir });
          })();
    }
  } catch (error) {
    throw asUsageError(error);
  } finally {
    storage.close();
  }
  if (ctx.json) {
    ctx.out(JSON.stringify({ script: result.script, weights: result.weights, lang }));
  } else {
    ctx.out(`Wrote ${result.script}${result.weights ? ` and its weights ${result.weights}` : ''}.`);
    ctx.out(
      `Run it with: python3 ${file}${lang === 'pytorch' ? `   (data-parallel: torchrun --nproc_per_node=N ${file})` : ''}`,
    );
  }
  return 0;
}
