import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { backupLines, complianceLines, dueLines, repairsReportLines, benchClock, startupLines, verifyLines } from './backend';
import { chromiumLines, emptyHospital } from './chromium';
import { headLogLines } from './head-log';
import { importLines } from './import';
import type { Line } from './lines';
import { stockLines } from './stock';
import { formatTable } from './table';
import type { BenchSize } from './seed';
import { BENCH_TODAY, benchDataDir, counts, SIZES } from './seed';
import { openCore } from '../main/core/open-core';
import { workingCopy } from './workdir';
import { tuneHeap } from '../main/core/heap-tuning';

/**
 * `npm run bench`: every line of issue 17's table on a seeded synthetic hospital, each beside its
 * floor measured in the same run (alternately, so a busy machine slows both) and its target.
 *
 *   npm run bench                       the 50,000-device hospital (2,000,000 records), every line
 *   npm run bench -- --size 5k          5,000 devices with the same 2,000,000 records (deep history)
 *   npm run bench -- --size 200k        200,000 devices, 8,000,000 records (a long seed; cached after)
 *   npm run bench -- --only due,compliance   some groups: due today ward compliance repairs startup chain verify backup headlog import list scroll bundle stock
 *   npm run bench -- --size 200k --only seed   seeds the hospital (and its working copy) and times nothing
 *   npm run bench -- --label after      names the run in its saved results (.cache/bench/results/)
 *   npm run bench -- --only import --import-rows 200000   the CSV import of a larger file (50,000 rows unless said)
 *
 * Needs `npm run build` (the screens and the CLI are measured built) and Chromium (as the e2e tests).
 */

// The V8 options the app and the command line start with, so the lines run in this process measure what runs there.
tuneHeap();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => process.stdout.write(`${line}\n`);
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '50k' },
    only: { type: 'string' },
    label: { type: 'string', default: 'run' },
    rounds: { type: 'string', default: '3' },
    'import-rows': { type: 'string', default: '50000' },
  },
});
const size = values.size as BenchSize;
if (!(size in SIZES)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}.`);
const GROUPS = [
  'due',
  'today',
  'ward',
  'compliance',
  'repairs',
  'startup',
  'chain',
  'verify',
  'backup',
  'headlog',
  'import',
  'list',
  'scroll',
  'bundle',
  'stock',
  'seed',
];
const only = values.only ? new Set(values.only.split(',').map((g) => g.trim())) : null;
// A misspelt group would time nothing and report an empty table as a run.
const unknown = [...(only ?? [])].filter((g) => !GROUPS.includes(g));
if (unknown.length > 0)
  throw new Error(`--only: ${unknown.map((g) => `"${g}"`).join(', ')} is not a group; the groups are ${GROUPS.join(', ')}.`);
const wants = (...groups: string[]) => !only || groups.some((g) => only.has(g));
const rounds = Number(values.rounds);
const importRows = Number(values['import-rows']);
if (!Number.isInteger(importRows) || importRows < 1) throw new Error('--import-rows must be a whole number of rows, 1 or more.');

const seeded = await benchDataDir(root, size, log);
const work = path.join(root, '.cache', 'bench', `work-${size}`);
const dataDir = workingCopy(seeded, path.join(work, 'hospital'));
const emptyDir = path.join(work, 'empty');
rmSync(emptyDir, { recursive: true, force: true });
await emptyHospital(emptyDir);

const core = openCore({ dataDir, clock: benchClock });
const sizes = counts(core.db);
log(
  `Hospital (${size}): ${sizes.equipment!.toLocaleString('en')} devices, ${sizes.plans!.toLocaleString('en')} plans, ` +
    `${sizes.completions!.toLocaleString('en')} records, ${sizes.audit!.toLocaleString('en')} audit entries; today is ${BENCH_TODAY}.\n`,
);
const lines: Line[] = [];
if (wants('due', 'today', 'ward')) lines.push(...(await dueLines(core, log)));
if (wants('compliance')) lines.push(...(await complianceLines(core, log)));
if (wants('repairs')) lines.push(...(await repairsReportLines(core, log)));
core.close();
if (wants('startup', 'chain')) lines.push(...(await startupLines(dataDir, log, { newEntries: 1000 })));
if (wants('verify')) lines.push(...(await verifyLines(dataDir, log)));
if (wants('backup')) lines.push(...(await backupLines(dataDir, log)));
if (wants('headlog')) lines.push(...headLogLines(root, work, log, { lines: 200_000, tail: 1_000, rounds: Math.min(rounds, 3) }));
if (wants('import')) lines.push(...(await importLines(root, work, log, { rows: importRows, rounds: Math.min(rounds, 3) })));
if (wants('startup', 'today', 'list', 'scroll', 'bundle'))
  lines.push(...(await chromiumLines(dataDir, emptyDir, log, { scrollRows: 5000, rounds })));
// Last: it adds a cart and its history to the working copy, which no line above should see.
if (wants('stock')) {
  const stockCore = openCore({ dataDir, clock: benchClock });
  try {
    lines.push(...(await stockLines(stockCore, log, { movements: 20_000, afterCount: 10, runs: 20 })));
  } finally {
    stockCore.close();
  }
}

log('');
log(formatTable(lines));
const missed = lines.filter((l) => l.ok === false).length;
const judgedLines = lines.filter((l) => l.ok !== null).length;
log(
  judgedLines === 0
    ? '\nNo line was judged against a target in this run.'
    : missed === 0
      ? `\nEvery judged target met (${judgedLines} line${judgedLines === 1 ? '' : 's'}).`
      : `\n${missed} of ${judgedLines} judged target${judgedLines === 1 ? '' : 's'} missed.`,
);
const results = path.join(root, '.cache', 'bench', 'results');
mkdirSync(results, { recursive: true });
const file = path.join(results, `${size}-${values.label}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ size, label: values.label, at: new Date().toISOString(), sizes, lines }, null, 2));
log(`Saved ${path.relative(root, file)}`);
process.exitCode = missed === 0 ? 0 : 1;
