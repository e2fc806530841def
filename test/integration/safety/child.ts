import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

const built = new Map<string, string>();

/**
 * A child script is bundled once (esbuild, which tsx brings) into .cache/test-children, so
 * each of the many launches starts in a fraction of a second; packages stay external and load
 * from node_modules as in the app. The file is named after its content and written by rename,
 * so parallel test workers share it safely and nothing piles up.
 */
export function bundle(script: string): string {
  const source = path.resolve(script);
  let out = built.get(source);
  if (!out) {
    const result = buildSync({ entryPoints: [source], write: false, bundle: true, platform: 'node', format: 'esm', packages: 'external', target: 'node20', logLevel: 'error', outfile: 'child.mjs' });
    const code = result.outputFiles[0]!.contents;
    const dir = path.resolve('.cache', 'test-children');
    mkdirSync(dir, { recursive: true });
    out = path.join(dir, `${path.basename(source, '.ts')}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    if (!existsSync(out)) {
      const temp = `${out}.${process.pid}.tmp`;
      writeFileSync(temp, code);
      renameSync(temp, out);
    }
    built.set(source, out);
  }
  return out;
}

/** Runs a TypeScript child script on plain Node, as CI can (no app build needed). */
export function spawnTs(script: string, args: string[]): ChildProcess & { lines: string[]; stderrText: () => string } {
  const child = spawn(process.execPath, [bundle(script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return Object.assign(child, { lines, stderrText: () => stderr });
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string, child?: { stderrText: () => string }): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}. ${child?.stderrText() ?? ''}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
