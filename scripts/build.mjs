// Builds every process of the app: esbuild bundles the Node/Electron entries (fast, always),
// Vite builds the renderer (skipped when its output is newer than every renderer source).
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const nodeOnly = process.argv.includes('--node-only');

const common = {
  absWorkingDir: root,
  outdir: 'dist-electron',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

const nodeEntries = [
  { in: 'electron/cli/main.ts', out: 'cli' },
  { in: 'electron/trainer/entry.ts', out: 'trainer' },
  // Worker threads: the trainer's data-parallel replicas, and image decoding off the host's main thread.
  { in: 'electron/trainer/parallel/replicaWorker.ts', out: 'trainerReplica' },
  { in: 'electron/services/datasets/images/importWorker.ts', out: 'imageImport' },
  { in: 'electron/main/main.ts', out: 'main' },
].filter((e) => existsSync(join(root, e.in)));

await build({
  ...common,
  entryPoints: nodeEntries,
  // The sources are ESM and find their files from import.meta.url; give the CJS bundles the same.
  define: { 'import.meta.url': '__nwbImportMetaUrl' },
  banner: { js: "const __nwbImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// No banner for the preload: Electron's sandboxed preloads have no __filename.
if (existsSync(join(root, 'electron/preload/preload.ts'))) {
  await build({ ...common, entryPoints: [{ in: 'electron/preload/preload.ts', out: 'preload' }] });
}

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (!nodeOnly && existsSync(join(root, 'renderer/index.html'))) {
  const out = join(root, 'dist/renderer/index.html');
  const sources = Math.max(
    newestMtime(join(root, 'renderer')),
    newestMtime(join(root, 'shared')),
    statSync(join(root, 'vite.config.ts')).mtimeMs,
  );
  if (!existsSync(out) || statSync(out).mtimeMs < sources) {
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
