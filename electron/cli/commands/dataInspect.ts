import { existsSync } from 'node:fs';
import { readCsvFile } from '../../services/datasets/csv';
import { UsageError } from '../errors';
import { fmt, table } from '../format';
import type { CommandContext } from '../context';

const delimiterNames: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/** `nwb data inspect <file.csv>`: delimiter, rows, and every column's type and missing count. */
export async function dataInspectCommand(ctx: CommandContext): Promise<number> {
  const file = ctx.args[0];
  if (!file) throw new UsageError('Name a CSV file: nwb data inspect <file.csv>');
  if (!existsSync(file)) throw new UsageError(`No such file: ${file}`);
  const { info } = await readCsvFile(file);
  if (ctx.json) {
    ctx.out(JSON.stringify(info));
    return 0;
  }
  ctx.out(
    `${file}: ${info.rows.toLocaleString('en-US')} rows, ${info.columns.length} columns, delimiter ${delimiterNames[info.delimiter] ?? JSON.stringify(info.delimiter)}`,
  );
  ctx.out(
    table(
      ['column', 'type', 'missing', 'distinct', 'min', 'max', 'mean'],
      info.columns.map((c) => [c.name, c.type, c.missing, c.distinct, fmt(c.min), fmt(c.max), fmt(c.mean)]),
      ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  return 0;
}
