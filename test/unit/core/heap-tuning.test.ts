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

function run(mode: 'tuned' | 'as-v8-ships'): { kept: number; bornOld: number } {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', probe, mode, tuning], { encoding: 'utf8' });
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
