// `npm start` needs better-sqlite3 built for Electron, while `npm test` needs Node's build of the same
// package in node_modules. This builds the Electron copy beside it, in native/electron/, once per
// Electron and better-sqlite3 version; storage loads it when running under Electron. Packaged apps
// don't need it: electron-builder rebuilds node_modules for Electron itself (npmRebuild).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
).version;
const sqliteVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8'),
).version;
const target = join(root, 'native/electron');
const stampFile = join(target, 'stamp.json');
const stamp = JSON.stringify({ electronVersion, sqliteVersion });
const binding = join(target, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');

if (existsSync(binding) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp)
  process.exit(0);

rmSync(target, { recursive: true, force: true });
mkdirSync(join(target, 'node_modules'), { recursive: true });
cpSync(join(root, 'node_modules/better-sqlite3'), join(target, 'node_modules/better-sqlite3'), {
  recursive: true,
  filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`),
});
writeFileSync(
  join(target, 'package.json'),
  JSON.stringify({
    name: 'nwb-electron-native',
    private: true,
    dependencies: { 'better-sqlite3': sqliteVersion },
  }),
);
console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once)…`);
const { rebuild } = require('@electron/rebuild');
try {
  await rebuild({ buildPath: target, electronVersion, onlyModules: ['better-sqlite3'], force: true });
} catch (error) {
  console.error(
    `Could not build better-sqlite3 for Electron: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
writeFileSync(stampFile, stamp);
