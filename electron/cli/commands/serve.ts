import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PreviewServerError, startPreviewServer } from '../../server/previewServer';
import { appRoot } from '../../services/paths';
import { StorageError, resolveDbPath } from '../../services/storage';
import { trainerEntryPath } from '../../services/trainerProcess';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';

function portFlag(raw: string | boolean | undefined): number {
  if (raw === undefined) return 0;
  const port = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(
      `--port needs a whole number from 0 to 65535, 0 for any free port (got ${JSON.stringify(raw)}).`,
    );
  }
  return port;
}

/** Resolves on the first SIGINT or SIGTERM: Ctrl+C, or a test runner ending the process. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * `nwb serve [--port N] [--db PATH] [--json]`: the browser preview. Prints the page's URL (with its
 * token) as one line on stdout, or `{"url":…}` with --json, then serves until SIGINT or SIGTERM.
 */
export async function serveCommand(
  ctx: CommandContext,
  options: { untilStopped?: () => Promise<void> } = {},
): Promise<number> {
  const port = portFlag(ctx.flags.port);
  const db = ctx.flags.db;
  const dbPath = resolveDbPath({ flag: typeof db === 'string' ? db : undefined });
  const staticDir = join(appRoot(), 'dist', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new UsageError("The app's pages are not built yet: run `npm run build`, then `nwb serve` again.");
  }
  if (!existsSync(trainerEntryPath())) {
    throw new UsageError('The trainer is not built yet: run `npm run build`, then `nwb serve` again.');
  }
  let server;
  try {
    server = await startPreviewServer({ port, dbPath, staticDir });
  } catch (error) {
    if (error instanceof PreviewServerError || error instanceof StorageError)
      throw new UsageError(error.message);
    throw error;
  }
  ctx.out(ctx.json ? JSON.stringify({ url: server.url }) : server.url);
  if (!ctx.json)
    ctx.err(
      `Serving Neural Workbench at 127.0.0.1:${server.port} with the database ${dbPath}. Press Ctrl+C to stop.`,
    );
  await (options.untilStopped ?? untilSignal)();
  await server.close();
  return 0;
}
