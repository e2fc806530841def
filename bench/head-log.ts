import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readWholeFile } from './backend';
import type { Line } from './lines';
import { median } from './timing';

/**
 * The head log gets a line per commit, so a ward PC's grows with its history (200,000 lines is a
 * few years of a busy ward). Each start checks the lines written since the last check that passed;
 * the weekly deep check, `wardkeep verify` and each backup's check read every line. Both are timed
 * here on a synthetic log, each in its own process (its peak memory), beside the floor: reading
 * the log's bytes.
 */

interface Checked {
  ms: number;
  mb: number;
  ok: boolean;
  findings: string[];
  checkpoint: Record<string, unknown> | null;
}

function child(root: string, args: string[]): Checked {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/child/head-log.ts'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`bench/child/head-log.ts ${args[0]} failed (exit ${r.status}):\n${`${r.stdout}${r.stderr}`.slice(0, 4000)}`);
  return args[0] === 'make' || args[0] === 'grow' ? ({} as Checked) : (JSON.parse(r.stdout) as Checked);
}

export function headLogLines(root: string, work: string, log: (l: string) => void, options: { lines: number; tail: number; rounds: number }): Line[] {
  // v2: the seed holds only the logged entries; the new ones are written per round (see grow).
  const seed = path.join(root, '.cache/bench', `head-log-v2-${options.lines}`);
  if (!existsSync(path.join(seed, 'READY'))) {
    rmSync(seed, { recursive: true, force: true });
    log(`  head log: writing a synthetic log of ${options.lines.toLocaleString('en')} lines (cached in ${path.relative(root, seed)})…`);
    child(root, ['make', seed, String(options.lines)]);
    writeFileSync(path.join(seed, 'READY'), '');
  }
  const dir = path.join(work, 'head-log');
  const logFile = path.join(dir, 'audit-heads.log');
  const whole: Checked[] = [];
  const since: Checked[] = [];
  const floor: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    rmSync(dir, { recursive: true, force: true });
    cpSync(seed, dir, { recursive: true });
    const t = performance.now();
    readWholeFile(logFile);
    floor.push(performance.now() - t);
    const first = child(root, ['check', dir]);
    if (!first.ok || !first.checkpoint) throw new Error(`The whole check of the synthetic head log did not pass: ${first.findings.join(' ')}`);
    whole.push(first);
    const checkpointFile = path.join(dir, 'checkpoint.json');
    writeFileSync(checkpointFile, JSON.stringify({ ...first.checkpoint, at: new Date().toISOString() }));
    // What a running Wardkeep writes after that check: entries, each commit with its head line. (Written
    // into the database before the whole check, entries no head covers are rightly named as written
    // outside Wardkeep when no run marker explains them.)
    child(root, ['grow', dir, String(options.tail)]);
    const next = child(root, ['check', dir, checkpointFile]);
    if (!next.ok) throw new Error(`The check from the last one did not pass: ${next.findings.join(' ')}`);
    since.push(next);
  }
  rmSync(dir, { recursive: true, force: true });
  const n = options.lines.toLocaleString('en');
  const m = (xs: Checked[], k: 'ms' | 'mb') => median(xs.map((x) => x[k]));
  log(
    `  head log (${n} lines): every line ${Math.round(m(whole, 'ms'))} ms, ${Math.round(m(whole, 'mb'))} MB; from the last check (${options.tail} new) ${Math.round(m(since, 'ms'))} ms, ${Math.round(m(since, 'mb'))} MB; reading the file ${Math.round(median(floor))} ms`,
  );
  const reported = { group: 'headlog', target: 'reported', ok: null };
  return [
    { ...reported, what: `head log, ${n} lines, every line checked (deep check, verify, backup)`, unit: 'ms', value: m(whole, 'ms'), floor: median(floor), floorWhat: "reading the log's bytes" },
    { ...reported, what: `head log, ${n} lines, every line checked: peak memory`, unit: 'MB', value: m(whole, 'mb'), floor: null, floorWhat: '' },
    { ...reported, what: `head log, ${n} lines, from the last check (${options.tail.toLocaleString('en')} new, each start)`, unit: 'ms', value: m(since, 'ms'), floor: null, floorWhat: '' },
    { ...reported, what: `head log, from the last check: peak memory`, unit: 'MB', value: m(since, 'mb'), floor: null, floorWhat: '' },
  ];
}
