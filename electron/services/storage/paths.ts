import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const FILE_NAME = 'workbench.db';

/** What defaultDbPath reads from the process; injectable so each OS's rule can be tested anywhere. */
export interface PlatformInfo {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

function currentPlatform(): PlatformInfo {
  return { platform: process.platform, env: process.env, home: homedir() };
}

/** The per-user database file: the OS's per-user application data folder, then `workbench.db`. */
export function defaultDbPath(info: PlatformInfo = currentPlatform()): string {
  const { platform, env, home } = info;
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Neural Workbench', FILE_NAME);
    case 'win32':
      return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Neural Workbench', FILE_NAME);
    default: {
      // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
      const xdg = env.XDG_DATA_HOME;
      const base = xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share');
      return join(base, 'neural-workbench', FILE_NAME);
    }
  }
}

/**
 * The database the CLI uses: `--db PATH` first, then the `NWB_DB` environment variable, then the
 * per-user default. Relative paths are taken from the current directory.
 */
export function resolveDbPath(
  options: { flag?: string | undefined; env?: Record<string, string | undefined> } = {},
  info?: PlatformInfo,
): string {
  const env = options.env ?? process.env;
  const chosen = nonEmpty(options.flag) ?? nonEmpty(env.NWB_DB);
  return chosen !== undefined ? resolve(chosen) : defaultDbPath(info);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
