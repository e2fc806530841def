import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../main/core/backend';
import { LATEST_VERSION } from '../main/core/migrations';
import { openCore } from '../main/core/open-core';
import { runStartupChecks } from '../main/core/system/startup-checks';
import { MAX_IMPORT_FILE } from '../shared/contract/equipment-import';
import { benchClock, signedInAdmin } from './backend';
import type { Line } from './lines';
import { judged } from './lines';
import { ADMIN } from './seed';
import { elapsed, median } from './timing';

/**
 * A 50,000-row inventory file (or `--import-rows`) imported into a new hospital (the day a hospital starts), by the
 * command line in its own process (time and peak memory) and by the app's import channel (its worker
 * started by the start-up checks first, as at the app's launch), against
 * the floor: the same file parsed and inserted bare, with one prepared statement in one
 * transaction, in its own process. A file larger than the channel takes (`--import-rows 200000`)
 * is imported by the command line only.
 */

const MAKERS = ['Baxter', 'BD', 'Philips', 'GE Healthcare', 'Mindray', 'Draeger', 'Zoll', 'Welch Allyn', 'Medtronic', 'Fresenius'];
const CATEGORIES = [
  'Infusion pump',
  'Syringe driver',
  'Defibrillator',
  'Patient monitor',
  'ECG machine',
  'Suction unit',
  'Patient scale',
  'Bladder scanner',
  'Pulse oximeter',
  'Ventilator',
];
const STATUSES = ['In service', 'in_service', 'Active', 'Out of service', 'Retired'];

export function inventoryCsv(file: string, rows: number): void {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const lines = ['Asset Tag,Name,Location,Category,Manufacturer,Model,Serial,Risk,Status,In Service On,Notes'];
  for (let i = 1; i <= rows; i++) {
    const c = CATEGORIES[i % CATEGORIES.length]!;
    const site = 1 + (i % 4);
    const ward = String.fromCharCode(65 + (i % 10));
    const room = 1 + (i % 6);
    lines.push(
      [
        `IMP-${String(i).padStart(6, '0')}`,
        `${c} ${1 + (i % 7)}`,
        `Site ${site} > Ward ${site}${ward} > Room ${room}`,
        c,
        MAKERS[i % MAKERS.length],
        `M${100 + (i % 50)}`,
        `SN${(i * 7919).toString(36).toUpperCase()}`,
        ['high', 'medium', 'low'][i % 3],
        STATUSES[i % 20 === 0 ? 3 : i % 50 === 0 ? 4 : i % 3],
        `20${String(10 + (i % 15)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 9}`,
        i % 10 === 0 ? '"Checked, ""as new"""' : '',
      ].join(','),
    );
  }
  writeFileSync(file, lines.join('\r\n') + '\r\n');
}

/**
 * A new hospital's data folder (migrated, with its administrator), kept as a template and copied per
 * run. Made again when the schema moved on: an older one made every CLI run migrate it and take a
 * backup first, while the floor wrote to the old schema.
 */
async function template(dir: string): Promise<string> {
  const ready = path.join(dir, 'READY');
  if (existsSync(ready) && readFileSync(ready, 'utf8') === String(LATEST_VERSION)) return dir;
  rmSync(dir, { recursive: true, force: true });
  const core = openCore({ dataDir: dir, clock: benchClock });
  const backend = createBackend(core);
  const { newSession } = await import('../main/core/session');
  const res = await backend.invoke(newSession(core.clock.now().getTime()), 'auth.setupFirstAdmin', ADMIN);
  if (!res.ok) throw new Error(res.error.message);
  core.close();
  writeFileSync(ready, String(LATEST_VERSION));
  return dir;
}

function fresh(from: string, to: string): string {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  return to;
}

/** Runs a script in its own Node process; its time (ms, as the parent saw it) and peak memory (MB). */
function child(script: string, args: string[], root: string): { ms: number; mb: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`${path.basename(script)} failed (exit ${r.status}):\n${out.slice(0, 4000)}`);
  const kb = /BENCH-MAXRSS-KB=(\d+)/.exec(out);
  return { ms, mb: kb ? Number(kb[1]) / 1024 : Number.NaN, out };
}

export async function importLines(
  root: string,
  work: string,
  log: (l: string) => void,
  options: { rows: number; rounds: number },
): Promise<Line[]> {
  if (!existsSync(path.join(root, 'out/main/cli.js'))) throw new Error('The CLI is not built: run "npm run build" first.');
  const csv = path.join(root, '.cache/bench', `inventory-${options.rows}.csv`);
  inventoryCsv(csv, options.rows);
  const base = await template(path.join(root, '.cache/bench/new-hospital'));
  const cliTimes: number[] = [];
  const cliMb: number[] = [];
  const floorTimes: number[] = [];
  const floorMb: number[] = [];
  const appTimes: number[] = [];
  const byApp = statSync(csv).size <= MAX_IMPORT_FILE;
  if (!byApp) log(`  import: the file is larger than the app's channel takes (${MAX_IMPORT_FILE / 1e6} MB): the command line only.`);
  for (let r = 0; r < options.rounds; r++) {
    const a = child(
      path.join(root, 'bench/child/cli.mjs'),
      ['--data-dir', fresh(base, path.join(work, 'import-cli')), 'import', 'equipment', csv],
      root,
    );
    if (!/Imported 50,000|Imported/.test(a.out)) throw new Error(`The import did not import:\n${a.out.slice(0, 2000)}`);
    cliTimes.push(a.ms);
    cliMb.push(a.mb);
    const f = child(path.join(root, 'bench/child/bare-insert.mjs'), [fresh(base, path.join(work, 'import-floor')), csv], root);
    floorTimes.push(f.ms);
    floorMb.push(f.mb);
    // The app's channel, as the import screen calls it (the file's bytes from the renderer).
    if (!byApp) continue;
    const dir = fresh(base, path.join(work, 'import-app'));
    const core = openCore({ dataDir: dir, clock: benchClock });
    try {
      const backend = createBackend(core);
      const session = await signedInAdmin(backend, core);
      // As the app does at launch: its start-up checks run in the worker, which stays for the jobs
      // after them (core/worker/run.ts). A person imports later, into a worker already running.
      await runStartupChecks(backend);
      const bytes = new Uint8Array(readFileSync(csv));
      appTimes.push(
        await elapsed(async () => {
          const res = await backend.invoke(session, 'equipment.import.commit', {
            source: { bytes },
            mapping: {},
            generateTagsPrefix: null,
          });
          if (!res.ok) throw new Error(res.error.message);
        }),
      );
    } finally {
      core.close();
    }
  }
  const cli = median(cliTimes);
  const floor = median(floorTimes);
  log(
    `  import: CLI ${Math.round(cli)} ms (${Math.round(median(cliMb))} MB), floor ${Math.round(floor)} ms (${Math.round(median(floorMb))} MB)` +
      (byApp ? `, app ${Math.round(median(appTimes))} ms` : ''),
  );
  const n = options.rows.toLocaleString('en');
  // The issue's < 10 s is for 50,000 rows; a file of another size is judged by its ratio alone.
  const max = options.rows === 50_000 ? 10_000 : null;
  const target = max === null ? '≤ 2×' : '< 10 s, ≤ 2×';
  return [
    {
      group: 'import',
      what: `CSV import, ${n} rows (CLI, own process)`,
      unit: 'ms',
      value: cli,
      floor,
      floorWhat: 'bare inserts, one transaction',
      target,
      ok: judged(cli, floor, max),
    },
    {
      group: 'import',
      what: `CSV import, ${n} rows (CLI): peak memory`,
      unit: 'MB',
      value: median(cliMb),
      floor: median(floorMb),
      floorWhat: 'bare inserts',
      target: 'bounded',
      ok: null,
    },
    ...(byApp
      ? [
          {
            group: 'import',
            what: `CSV import, ${n} rows (the app's import channel)`,
            unit: 'ms',
            value: median(appTimes),
            floor,
            floorWhat: 'bare inserts, one transaction',
            target,
            ok: judged(median(appTimes), floor, max),
          } satisfies Line,
        ]
      : []),
  ];
}
