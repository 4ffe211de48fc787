import { writeFileSync } from 'node:fs';
import { exportProject } from '../../services/projectFile';
import { openDb } from '../db';
import { UsageError } from '../errors';
import type { CommandContext } from '../context';

/** `nwb export <project> -o file.nwb [--dataset embed|reference|none] [--runs]`. */
export function exportCommand(ctx: CommandContext): number {
  const name = ctx.args[0];
  const out = ctx.flags.output;
  if (!name) throw new UsageError('Name the project to export: nwb export <project> -o file.nwb');
  if (typeof out !== 'string') throw new UsageError('Say where to write the file: -o file.nwb');
  const dataset = ctx.flags.dataset ?? 'embed';
  if (dataset !== 'embed' && dataset !== 'reference' && dataset !== 'none')
    throw new UsageError('--dataset is embed, reference or none.');
  const storage = openDb(ctx);
  try {
    const project =
      storage.getProjectByName(name) ??
      (Number.isInteger(Number(name)) ? storage.getProject(Number(name)) : undefined);
    if (!project) throw new UsageError(`No project named "${name}": see \`nwb projects\`.`);
    const bytes = exportProject(storage, project.id, {
      includeDataset: dataset,
      includeRuns: ctx.flags.runs === true,
      includeModels: ctx.flags.runs === true,
    });
    writeFileSync(out, bytes);
    if (ctx.json) ctx.out(JSON.stringify({ project: project.name, file: out, bytes: bytes.byteLength }));
    else ctx.out(`Exported "${project.name}" to ${out} (${(bytes.byteLength / 1024).toFixed(1)} KiB).`);
    return 0;
  } finally {
    storage.close();
  }
}
