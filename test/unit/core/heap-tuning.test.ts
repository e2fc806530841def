import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const probe = path.join(__dirname, 'heap-tuning-probe.mjs');
let dir = '';
let tuning = '';

// heap-tuning.ts as plain JavaScript, for a probe that runs without a loader (tsx's changes what V8 decides).
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wardkeep-heap-'));
  tuning = path.join(dir, 'heap-tuning.mjs');
  buildSync({ entryPoints: [path.join(root, 'main/core/heap-tuning.ts')], outfile: tuning, format: 'esm', platform: 'node', bundle: true, logLevel: 'silent' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// V8's decision to make a place's objects old comes from what its young-generation collections find,
// and when they run, how large the young generation has grown and when the optimising compiler takes
// the place over (its code leaves no trace for the decision) depend on timing and on background
// threads. Once, among the parallel projects of a CI run, the untuned probe found no object made old.
// --predictable runs V8 on one thread and --predictable-gc-schedule fixes how its heap grows, so the
// probe sees the same collections whatever else the machine is doing.
const DETERMINISTIC_V8 = ['--predictable', '--predictable-gc-schedule'];

function run(mode: 'tuned' | 'as-v8-ships'): { kept: number; bornOld: number } {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', ...DETERMINISTIC_V8, probe, mode, tuning], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`The probe failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as { kept: number; bornOld: number };
}

describe("the main process's V8 options (issue 17)", () => {
  it('as V8 ships, a place whose objects all lived makes its next ones in the old generation (the probe sees it)', () => {
    expect(run('as-v8-ships')).toEqual({ kept: 1_000_000, bornOld: 1_000 });
  });

  it('after tuneHeap, the same place makes them young: a short-lived object dies young, whatever the place made before', () => {
    expect(run('tuned')).toEqual({ kept: 1_000_000, bornOld: 0 });
  });

  it.each(['main/app/index.ts', 'main/cli/main.ts'])('%s sets them before it does anything else', (entry) => {
    const statements = readFileSync(path.join(root, entry), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^\s*(import |\/\/)/.test(line));
    expect(statements[0]).toBe('tuneHeap();');
  });
});
