import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { chainId } from '../../../main/core/anchors/chain';
import type { AnchorCheck } from '../../../main/core/anchors/check';
import { HEAD_LOG } from '../../../main/core/anchors/head-log';
import { RUN_FILE_PREFIX } from '../../../main/core/anchors/runs';
import { createBackend } from '../../../main/core/backend';
import { backupToFolder } from '../../../main/core/backup/folder';
import { logCompletion } from '../../../main/core/completions/logging';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { openCore } from '../../../main/core/open-core';
import type { UserRow } from '../../../main/core/sql/rows';
import { runStartupChecks } from '../../../main/core/system/startup-checks';
import { stopWorker } from '../../../main/core/worker/run';
import { tempDir } from '../../helpers/core';
import { loggingWorld, threePoints } from '../completions/fixture';
import { exited, spawnTs, waitFor } from '../safety/child';
import { cli } from './helpers';

/**
 * Entries at the end of the trail that no head covers are taken on at the next start (an `adopt`
 * line) only when a Wardkeep run that did not close properly explains them: a crash or a power cut
 * between a commit and its head line leaves that run's marker (`audit-open-<id>.json`) behind.
 * Entries written while every Wardkeep was closed properly were written outside Wardkeep: someone
 * with the data folder opened the database with the app's own code but without its anchors, and
 * logged a record "signed" by the administrator, hashed and bound as Wardkeep does it.
 */
const FORGED = 'were written with no head recorded, and Wardkeep was closed properly before them: they were written outside Wardkeep.';

async function forgedWorld() {
  const w = await loggingWorld();
  const failed = await w.as(w.tom)('completions.log', {
    planId: w.pumpPlan.id,
    performedAt: '2026-11-25T09:30:00Z',
    result: threePoints([[12, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
    secret: '1357',
  });
  expect(failed.outcome).toBe('fail');
  await runStartupChecks(w.backend); // a check passed: a verified position and its checkpoint exist
  const dir = w.core.dataDir;
  await stopWorker(w.core);
  w.core.close();
  const before = currentSeq(dir);

  // Wardkeep closed; the app's code, no anchors (no head line, no run marker), no PIN.
  const raw = openCore({ dataDir: dir, anchors: false, clock: w.clock });
  const ada = raw.db.prepare("SELECT * FROM users WHERE name = 'Ada Admin'").get() as UserRow;
  const forged = inTransaction(raw, (tx) =>
    logCompletion(tx, ada, {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:45:00Z',
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: 'not asked',
      suppliesUsed: [],
      minutesSpent: null,
    } as never),
  );
  const chain = chainId(raw.db);
  raw.close();
  return { w, dir, forged, chain, from: before + 1, to: currentSeq(dir) };
}

function currentSeq(dir: string): number {
  const db = new BetterSqlite3(path.join(dir, 'wardkeep.sqlite3'), { readonly: true });
  try {
    return db.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
  } finally {
    db.close();
  }
}

const markers = (dir: string) => readdirSync(dir).filter((n) => n.startsWith(RUN_FILE_PREFIX));
const logLines = (dir: string) =>
  readFileSync(path.join(dir, HEAD_LOG), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

async function startApp(dir: string, clock = undefined as Parameters<typeof openCore>[0]['clock']) {
  const core = openCore({ dataDir: dir, ...(clock ? { clock } : {}) });
  const health = await runStartupChecks(createBackend(core));
  await stopWorker(core);
  core.close();
  return health.anchors as AnchorCheck;
}

describe('a signed record forged at the end of the trail while Wardkeep was closed', () => {
  it('wardkeep verify names the entries as written outside Wardkeep, before any start', async () => {
    const { dir, forged, from, to } = await forgedWorld();
    const db = new BetterSqlite3(path.join(dir, 'wardkeep.sqlite3'), { readonly: true });
    expect(db.prepare('SELECT signer_name FROM signatures WHERE completion_id = ?').pluck().get(forged.id)).toBe('Ada Admin');
    db.close();
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`Anchors: Audit entries ${from} to ${to} ${FORGED}`);
    expect(res.stdout).not.toContain('The database is healthy.');
  });

  it('the next start does not take the forged entries on, warns supervisors, and verify after it still names them', async () => {
    const { w, dir, from, to } = await forgedWorld();
    const linesBefore = logLines(dir).length;
    const anchors = await startApp(dir, w.clock);
    expect(anchors.ok).toBe(false);
    expect(anchors.findings).toContain(`Audit entries ${from} to ${to} ${FORGED}`);
    // No `adopt` line signed over them: the head log is as the attacker left it.
    expect(logLines(dir)).toHaveLength(linesBefore);
    expect(markers(dir)).toEqual([]);
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`Audit entries ${from} to ${to} ${FORGED}`);
  });

  it('a run marker put in by hand, without the key, does not pass the forged entries off as a crash', async () => {
    const { w, dir, chain, from, to } = await forgedWorld();
    const fake = { v: 1, id: 'fake', pid: 999_999_999, host: hostname(), chain, seq: 0, at: '2026-11-25T09:00:00Z', key: null, mac: null };
    writeFileSync(path.join(dir, `${RUN_FILE_PREFIX}fake.json`), JSON.stringify(fake));
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`Audit entries ${from} to ${to} ${FORGED}`);
    const anchors = await startApp(dir, w.clock);
    expect(anchors.findings).toContain(`Audit entries ${from} to ${to} ${FORGED}`);
    expect(logLines(dir).some((l) => (JSON.parse(l) as { kind: string }).kind === 'adopt')).toBe(false);
  });
});

describe('an honest crash between a commit and its head line is still taken on', () => {
  it('a Wardkeep killed while writing: verify notes the entries, the next start takes them on, and every anchor agrees', async () => {
    const dir = tempDir();
    const child = spawnTs('test/integration/safety/children/writer.ts', [dir, '1']);
    await waitFor(() => child.lines.filter((l) => /^K1-\d+$/.test(l)).length >= 3 || child.exitCode !== null, 30_000, 'the writer to write', child);
    child.kill('SIGKILL');
    expect((await exited(child)).signal, child.stderrText()).toBe('SIGKILL');
    // Its run marker is left behind; the kill taken as falling between a commit and its head line.
    expect(markers(dir)).toHaveLength(1);
    const whole = logLines(dir).filter((l) => l.endsWith('}'));
    writeFileSync(path.join(dir, HEAD_LOG), whole.slice(0, -1).map((l) => `${l}\n`).join(''));
    const last = currentSeq(dir);

    const before = await cli(['--data-dir', dir, 'verify']);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toMatch(/Audit entries \d+ to \d+ have no recorded head yet/);

    const anchors = await startApp(dir);
    expect(anchors).toMatchObject({ ok: true, findings: [] });
    expect(JSON.parse(logLines(dir).at(-1)!)).toMatchObject({ kind: 'adopt', seq: last });
    // The dead run's marker is gone once its entries are taken on, and the start's own at its close.
    expect(markers(dir)).toEqual([]);
    const after = await cli(['--data-dir', dir, 'verify']);
    expect(after.code, after.stderr).toBe(0);
  });
});

describe('Wardkeep writers that close properly are neither crashes nor attackers', () => {
  it('the app, its worker thread (a backup) and command-line writes, also while the app runs, leave no marker and pass verify', async () => {
    const w = await loggingWorld();
    const dir = w.core.dataDir;
    expect(markers(dir)).toHaveLength(1); // the app's own, while it runs
    await backupToFolder(w.core, 'auto');
    const work = tempDir();
    writeFileSync(path.join(work, 'inv.csv'), 'asset_tag,name,location,status\nCLI-1,Pump,General Hospital,Operational\n');
    const during = await cli(['--data-dir', dir, 'import', 'equipment', path.join(work, 'inv.csv')]);
    expect(during.code, during.stderr).toBe(0);
    expect(markers(dir)).toHaveLength(1); // the command's marker went with it
    await w.call('equipment.create', { assetTag: 'APP-2', name: 'Pump', locationId: w.site.id });
    await stopWorker(w.core);
    w.core.close();
    expect(markers(dir)).toEqual([]);

    writeFileSync(path.join(work, 'inv2.csv'), 'asset_tag,name,location,status\nCLI-2,Pump,General Hospital,Operational\n');
    const after = await cli(['--data-dir', dir, 'import', 'equipment', path.join(work, 'inv2.csv')]);
    expect(after.code, after.stderr).toBe(0);
    expect(markers(dir)).toEqual([]);
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(await startApp(dir, w.clock)).toMatchObject({ ok: true, findings: [] });
  });
});
