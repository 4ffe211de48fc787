// Electron security check of electron/ (run by `npm test`): fails on any high-severity finding of
// @doyensec/electronegativity, or on a file it could not parse (that file would go unchecked).
//
// The same scan from the command line:
//   npx electronegativity -i electron/ -r -e <electron version> -x AvailableSecurityFixesGlobalCheck -o report.csv
// This script calls the package's own entry (dist/runner.js) instead of reading that CSV: the CLI
// writes the CSV header and the rows with two unordered async writes, so rows can be lost.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
).version;

// An other folder may be named (to try the check itself); the default is the app's electron/.
const input = resolve(process.argv[2] ?? join(root, 'electron'));
const result = await run({
  input,
  isRelative: true,
  electronVersionOverride: electronVersion,
  // It compares the version with Electron's release list online; these machines are offline.
  excludeFromScan: ['availablesecurityfixesglobalcheck'],
});

const rank = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };
const findings = [...result.issues].sort((a, b) => rank[b.severity.name] - rank[a.severity.name]);
for (const issue of findings) {
  const where = `${issue.file}:${issue.location.line}:${issue.location.column}`;
  console.log(
    `${issue.severity.name.padEnd(6)} ${issue.confidence.name.padEnd(9)} ${issue.id.padEnd(28)} ${where}  ${issue.description}`,
  );
}
for (const error of result.errors)
  console.error(`could not check ${error.file}: ${error.message ?? error.error ?? JSON.stringify(error)}`);

const high = findings.filter((i) => i.severity.name === 'HIGH');
console.log(
  `electronegativity ${result.globalChecks + result.atomicChecks} checks on ${input} (Electron ${electronVersion}): ` +
    `${findings.length} finding(s), ${high.length} high, ${result.errors.length} unparsable file(s).`,
);
if (high.length > 0 || result.errors.length > 0) process.exit(1);
