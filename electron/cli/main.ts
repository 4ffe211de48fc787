import { parseArgs } from 'node:util';
import { DataError } from '../services/datasets/csv';
import type { CommandContext } from './context';
import { UsageError } from './errors';
import { dataInspectCommand } from './commands/dataInspect';
import { inspectCommand } from './commands/inspect';
import { presetsCommand } from './commands/presets';
import { trainCommand } from './commands/train';
import { compareCommand } from './commands/compare';
import { projectsCommand } from './commands/projects';
import { runsCommand } from './commands/runs';
import { showCommand } from './commands/show';
import { exportCommand } from './commands/exportProject';
import { importCommand } from './commands/importProject';
import { serveCommand } from './commands/serve';
import { exportModelCommand } from './commands/exportModel';
import { exportCodeCommand } from './commands/exportCode';
import { predictCommand } from './commands/predict';
import { ProjectFileError } from '../services/projectFile';
import { StorageError } from '../services/storage';

const usage = `Neural Workbench: build and train neural networks offline.

Usage:
  nwb presets [--json]                           list the shipped presets
  nwb inspect <project-file|preset> [--json]     layer table, parameter counts and errors
  nwb data inspect <file.csv> [--json]           delimiter, rows, column types and missing values
  nwb train <project-file|preset> [--epochs N] [--batch-size N] [--optimizer NAME] [--lr X]
            [--seed N] [--backend auto|tensorflow|wasm|cpu] [--threads N] [--from-run N] [--json]
                                                 train and record the run
  nwb runs [--project NAME] [--json]             the run history
  nwb show <run-id> [--json]                     one run: settings, epochs, test metrics
  nwb compare <run-id> <run-id>… [--json]        runs side by side, differing settings marked
  nwb projects [--json]                          the projects in the database
  nwb export <project> -o file.nwb [--dataset embed|reference|none] [--runs]
                                                 write a project file to share
  nwb import <file.nwb|preset.json> [--name NAME] create a project from a project file
  nwb serve [--port N] [--db PATH] [--json]      the app in a browser on 127.0.0.1 (prints the URL with its token)
  nwb export-model <run-id> -o DIR              the trained model (tfjs layers format) and its preprocessing
  nwb export-code <project|run-id> --lang pytorch|keras -o FILE
                                                 a runnable Python script (with the run's weights beside it)
  nwb predict <run-id> <input.csv|image…> [--json]  predictions of a stored model on new data

Every command that reads or writes the database takes --db PATH (or the NWB_DB variable).
`;

type Command = (ctx: CommandContext) => number | Promise<number>;

const commands: Record<string, Command> = {
  presets: presetsCommand,
  inspect: inspectCommand,
  train: trainCommand,
  runs: runsCommand,
  show: showCommand,
  compare: compareCommand,
  projects: projectsCommand,
  export: exportCommand,
  import: importCommand,
  serve: (ctx) => serveCommand(ctx),
  'export-model': exportModelCommand,
  'export-code': exportCodeCommand,
  predict: predictCommand,
  data: (ctx) => {
    const [sub, ...rest] = ctx.args;
    if (sub !== 'inspect') throw new UsageError('Usage: nwb data inspect <file.csv> [--json]');
    return dataInspectCommand({ ...ctx, args: rest });
  },
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      optimizer: { type: 'string' },
      lr: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      db: { type: 'string' },
      project: { type: 'string' },
      output: { type: 'string', short: 'o' },
      name: { type: 'string' },
      dataset: { type: 'string' },
      runs: { type: 'boolean' },
      port: { type: 'string' },
      lang: { type: 'string' },
      'from-run': { type: 'string' },
    },
  });
  const [name, ...args] = positionals;
  if (!name || values.help) {
    process.stdout.write(usage);
    return name || values.help ? 0 : 2;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`Unknown command "${name}": run \`nwb --help\` for the list.`);
  return command({
    args,
    flags: values,
    json: values.json === true,
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
  });
}

function isParseArgsError(e: unknown): boolean {
  return (
    e instanceof TypeError &&
    typeof (e as { code?: unknown }).code === 'string' &&
    String((e as unknown as { code: string }).code).startsWith('ERR_PARSE_ARGS')
  );
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      error instanceof DataError ||
      error instanceof StorageError ||
      error instanceof ProjectFileError ||
      isParseArgsError(error)
    ) {
      process.stderr.write(`nwb: ${(error as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `nwb: unexpected error: ${error instanceof Error ? error.message : String(error)}${process.env.NWB_DEBUG ? '\n' + String((error as Error).stack) : ' (set NWB_DEBUG=1 for details)'}\n`,
    );
    process.exitCode = 1;
  },
);
