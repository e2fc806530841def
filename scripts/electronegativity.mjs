// Scans the Electron security settings of main/ and renderer/ with Electronegativity (pinned in
// package.json), for Electron 45. Every finding must be listed, with its reason, in
// docs/security-scan.md; any other finding, or a file the scanner cannot parse, fails the run.
//
// The scanner would fetch translations and Electron's release list from the internet; Wardkeep's
// CI has no internet, so those requests are answered "offline" here without leaving the machine.
// Known security fixes are tracked instead by keeping the pinned Electron version current.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const Module = require('node:module');
const ELECTRON_VERSION = '45.4.1';

const originalLoad = Module._load;
Module._load = function load(request, ...rest) {
  if (request === 'got') {
    const offline = () => Promise.reject(new Error('Wardkeep scans offline: no network requests'));
    offline.head = offline;
    return offline;
  }
  return originalLoad.call(this, request, ...rest);
};
const run = require('@doyensec/electronegativity/dist/runner.js');

/** `| CHECK_ID | folder/file | reason |` rows of the accepted-findings table. */
function acceptedFindings() {
  const doc = readFileSync(path.join(root, 'docs', 'security-scan.md'), 'utf8');
  const accepted = new Map();
  for (const line of doc.split('\n')) {
    const m = /^\|\s*`?([A-Z_]+_CHECK)`?\s*\|\s*`?([^|`]+?)`?\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
    if (m && m[3].length > 10) accepted.set(`${m[1]} ${m[2]}`, m[3]);
  }
  return accepted;
}

const accepted = acceptedFindings();
const seen = new Set();
const problems = [];
const quiet = console.log;
for (const folder of ['main', 'renderer']) {
  console.log = () => undefined; // the runner's own chatter about being offline
  let result;
  try {
    result = await run({ input: path.join(root, folder), electronVersionOverride: ELECTRON_VERSION, isRelative: true, customScan: [], excludeFromScan: [] });
  } finally {
    console.log = quiet;
  }
  console.log(`${folder}/: ${result.globalChecks + result.atomicChecks} checks, ${result.issues.length} findings`);
  for (const e of result.errors) problems.push(`${folder}/: could not scan ${path.relative(root, e.file)}: ${e.message}`);
  for (const issue of result.issues) {
    const file = issue.file === 'N/A' ? `${folder}/` : `${folder}/${issue.file}`;
    const key = `${issue.id} ${file}`;
    seen.add(key);
    const where = `${file}${issue.location?.line ? `:${issue.location.line}` : ''}`;
    if (accepted.has(key)) console.log(`  accepted  ${issue.id} ${where}: ${accepted.get(key)}`);
    else problems.push(`${issue.id} at ${where}: ${issue.description} (not in docs/security-scan.md)`);
  }
}
for (const key of accepted.keys()) if (!seen.has(key)) console.log(`  note: the accepted finding ${key} no longer occurs; remove it from docs/security-scan.md`);
if (problems.length > 0) {
  for (const p of problems) console.error(`Electronegativity: ${p}`);
  process.exit(1);
}
console.log('Electronegativity: no unexplained findings.');
