import { existsSync, readFileSync } from 'node:fs';
import { importProjectFile } from '../../services/projectFile';
import { openDb } from '../db';
import { UsageError } from '../errors';
import type { CommandContext } from '../context';

/** `nwb import <file.nwb|preset.json> [--name NAME]`: checks the whole file, then creates the project. */
export function importCommand(ctx: CommandContext): number {
  const file = ctx.args[0];
  if (!file) throw new UsageError('Name the file to import: nwb import <file.nwb>');
  if (!existsSync(file)) throw new UsageError(`No such file: ${file}`);
  const storage = openDb(ctx);
  try {
    const result = importProjectFile(
      storage,
      new Uint8Array(readFileSync(file)),
      typeof ctx.flags.name === 'string' ? { name: ctx.flags.name } : {},
    );
    if (ctx.json) ctx.out(JSON.stringify(result));
    else {
      ctx.out(
        `Imported project "${result.name}" (id ${result.projectId})${result.runIds.length > 0 ? ` with ${result.runIds.length} runs` : ''}.`,
      );
      if (result.datasetMissing)
        ctx.out(
          `Its dataset "${result.datasetMissing.name}" was shared by reference: import it from ${result.datasetMissing.origin || 'its original file'}.`,
        );
    }
    return 0;
  } finally {
    storage.close();
  }
}
