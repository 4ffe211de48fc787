import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | null = null;

/**
 * The app's root folder (the one holding package.json, data/ and resources/), found from this file:
 * it works from the TypeScript sources, from the bundles in dist-electron/, and inside Electron's asar.
 */
export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = here;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'neural-workbench'
    ) {
      cachedRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the Neural Workbench folder above ${here}`);
    dir = parent;
  }
}

/** A dataset shipped in data/, by file name only (a name with folders in it is refused). */
export function builtinDataPath(name: string): string {
  if (basename(name) !== name || name.startsWith('.'))
    throw new Error(`"${name}" is not the name of a shipped dataset.`);
  return join(appRoot(), 'data', name);
}

export function presetsDir(): string {
  return join(appRoot(), 'resources', 'presets');
}
