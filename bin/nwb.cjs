#!/usr/bin/env node
// The `nwb` command. The TypeScript sources are bundled by `npm run build` (run by `npm ci` too).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist-electron', 'cli.cjs');
if (!fs.existsSync(entry)) {
  process.stderr.write(
    'nwb: the app is not built yet: run `npm run build` in ' + path.dirname(__dirname) + '\n',
  );
  process.exit(2);
}
require(entry);
