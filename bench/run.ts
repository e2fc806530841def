import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openCore } from '../main/core/open-core';
import { dueCounts, dueCountsSql, dueList, dueListSql } from '../main/core/due/service';
import { findEquipmentIdByTag } from '../main/core/equipment/service';
import { listLocations } from '../main/core/locations/service';
import { assetTagKey } from '../shared/domain/equipment';
import { BENCH_TODAY, benchDataDir, counts } from './seed';

/**
 * `npm run bench`: times today's due list, the counts per ward and a barcode lookup on a seeded
 * synthetic hospital, each beside its floor: the bare SQL statement (prepared once) reading the
 * same rows, with nothing done to them. Reports the median of many runs and the ratio.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => process.stdout.write(`${line}\n`);

const dataDir = benchDataDir(root, log);
// "Today" is the day the hospital was seeded for, whatever the date the bench runs on.
const core = openCore({ dataDir, clock: { now: () => new Date(`${BENCH_TODAY}T12:00:00`) } });
const sizes = counts(core.db);
log(
  `Hospital: ${sizes.equipment!.toLocaleString('en')} devices, ${sizes.plans!.toLocaleString('en')} plans, ` +
    `${sizes.completions!.toLocaleString('en')} completions, ${sizes.locations} locations; today is ${BENCH_TODAY}.\n`,
);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Median times in ms of `fn` and of its floor over `runs` rounds (after warm-up), each round
 * timing one then the other, so both see the same machine load; a round makes `inner` calls.
 */
function timePair(fn: (i: number) => unknown, floor: (i: number) => unknown, runs: number, inner = 1): { ms: number; floor: number } {
  for (let i = 0; i < Math.min(5, runs); i++) {
    fn(i);
    floor(i);
  }
  const a: number[] = [];
  const b: number[] = [];
  let call = 0;
  for (let r = 0; r < runs; r++) {
    const first = call;
    let t0 = performance.now();
    for (let k = 0; k < inner; k++) fn(call++);
    a.push((performance.now() - t0) / inner);
    call = first;
    t0 = performance.now();
    for (let k = 0; k < inner; k++) floor(call++);
    b.push((performance.now() - t0) / inner);
  }
  return { ms: median(a), floor: median(b) };
}

interface Line {
  what: string;
  rows: number;
  ms: number;
  floor: number;
  target: number;
}
const lines: Line[] = [];

const all = listLocations(core);
const ward = all.find((l) => l.kind === 'ward')!;

// 1. Today's due list, the whole hospital (CLI `wardkeep due`).
{
  const rows = dueList(core, { asOf: BENCH_TODAY, sort: 'status' }).length;
  const { sql, params } = dueListSql({ asOf: BENCH_TODAY }, all);
  const bare = core.db.prepare(sql).raw(true);
  lines.push({
    what: "today's due list, whole hospital",
    rows,
    ...timePair(() => dueList(core, { asOf: BENCH_TODAY, sort: 'status' }), () => bare.all(params), 40),
    target: 50,
  });
}

// 2. One ward's due list (the home screen on a ward PC).
{
  const options = { asOf: BENCH_TODAY, locationIds: [ward.id] };
  const rows = dueList(core, { ...options, sort: 'status' }).length;
  const { sql, params } = dueListSql(options, all);
  const bare = core.db.prepare(sql).raw(true);
  lines.push({
    what: `today's due list, one ward (${ward.path})`,
    rows,
    ...timePair(() => dueList(core, { ...options, sort: 'status' }), () => bare.all(params), 60),
    target: 50,
  });
}

// 3. Counts per ward (the home screen's summary). The floor reads the rows they are counted from.
{
  const { sql, params } = dueCountsSql(BENCH_TODAY, null);
  const bare = core.db.prepare(sql).raw(true);
  lines.push({
    what: `counts per ward (${dueCounts(core, { asOf: BENCH_TODAY }).length} wards)`,
    rows: bare.all(params).length,
    ...timePair(() => dueCounts(core, { asOf: BENCH_TODAY }), () => bare.all(params), 40),
    target: 50,
  });
}

// 4. Barcode lookup: a different tag each call.
{
  const tags = Array.from({ length: 1000 }, (_, i) => `eq-${String(((i * 7919) % sizes.equipment!) + 1).padStart(6, '0')} `);
  const bare = core.db.prepare('SELECT id FROM equipment WHERE asset_tag_key = ?');
  if (!findEquipmentIdByTag(core, tags[0]!)) throw new Error('The lookup found nothing: the seeded data is not as expected.');
  lines.push({
    what: 'barcode lookup (findEquipmentIdByTag)',
    rows: 1,
    ...timePair(
      (i) => findEquipmentIdByTag(core, tags[i % tags.length]!),
      (i) => bare.get(assetTagKey(tags[i % tags.length]!)),
      200,
      50,
    ),
    target: 1,
  });
}

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
const widths = [46, 8, 12, 12, 7, 22];
const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
log(row(['', 'rows', 'median', 'SQL floor', 'ratio', 'target']));
let failed = 0;
for (const l of lines) {
  const ratio = l.ms / l.floor;
  const ok = l.ms < l.target && ratio <= 2;
  if (!ok) failed++;
  log(row([l.what, l.rows.toLocaleString('en'), fmt(l.ms), fmt(l.floor), `${ratio.toFixed(2)}×`, `< ${fmt(l.target)}, ≤ 2× ${ok ? 'ok' : 'MISSED'}`]));
}
core.close();
log(failed === 0 ? '\nEvery target met.' : `\n${failed} target${failed === 1 ? '' : 's'} missed.`);
process.exitCode = failed === 0 ? 0 : 1;
