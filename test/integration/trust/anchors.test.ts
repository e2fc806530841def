import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { hashEntry } from '../../../main/core/audit';
import { createBackend } from '../../../main/core/backend';
import { backupToFolder } from '../../../main/core/backup/folder';
import { openCore } from '../../../main/core/open-core';
import { newSession } from '../../../main/core/session';
import { loggingWorld, threePoints } from '../completions/fixture';
import { cli, dropPermanentTriggers } from './helpers';

/**
 * Issue 13, item 3: the chain is anchored outside the database file. Someone with the data folder
 * and better-sqlite3 deletes the newest entries (and the record they cover), or changes an old
 * record and its entry and re-hashes every entry after it: `wardkeep verify` must say so from the
 * head log, a head read off a printout must catch it without the log, a backup made afterwards
 * must be refused, and rewriting the head log too must fail for want of the key.
 */
type Row = Record<string, unknown> & { seq: number; hash: string; prev_hash: string };

/** What an attacker who knows the hashing does: every entry from `seq` on hashed again, so the chain holds. */
function rehashFrom(db: BetterSqlite3.Database, seq: number): void {
  let prev = seq > 1 ? (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq - 1) as string) : '0'.repeat(64);
  const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const row of db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(seq) as Row[]) {
    const { hash: _old, ...rest } = row;
    const next = hashEntry({ ...(rest as Parameters<typeof hashEntry>[0]), prev_hash: prev });
    update.run(prev, next, row.seq);
    prev = next;
  }
}

async function anchoredWorld() {
  const w = await loggingWorld();
  const log = async (asFound: number) =>
    w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:30:00Z',
      result: threePoints([[asFound, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
  const first = await log(12); // out of tolerance, not adjusted: a fail
  // A printout of the due list: its header carries the head, which a supervisor files on paper.
  const printed = await w.as(w.admin)('reports.dueList', {});
  const last = await log(10);
  const dir = w.core.dataDir;
  w.core.close();
  return { w, dir, first, last, paperHead: printed.header.auditHead?.head ?? 'none printed' };
}

const open = (dir: string) => {
  const db = new BetterSqlite3(path.join(dir, 'wardkeep.sqlite3'));
  dropPermanentTriggers(db);
  return db;
};

/** The newest record, its readings and signature, and the audit entries for them and after: gone, consistently. */
function deleteNewestRecord(dir: string, id: string): void {
  const db = open(dir);
  const firstEntry = db.prepare("SELECT min(seq) FROM audit_log WHERE entity_id = ? OR entity_id LIKE ? || '/%'").pluck().get(id, id) as number;
  for (const t of ['signatures', 'completion_readings', 'completion_steps', 'stock_transactions']) db.prepare(`DELETE FROM ${t} WHERE completion_id = ?`).run(id);
  db.prepare('DELETE FROM completions WHERE id = ?').run(id);
  db.prepare('DELETE FROM audit_log WHERE seq >= ?').run(firstEntry);
  // The plan and the device go back to how they were, too.
  db.close();
}

/** The first record turned from a fail into a pass, in its row and its audit entry, and the chain hashed again. */
function rewriteOldRecord(dir: string, id: string): void {
  const db = open(dir);
  db.prepare("UPDATE completions SET outcome = 'pass' WHERE id = ?").run(id);
  const seq = db.prepare("SELECT seq FROM audit_log WHERE entity = 'completion' AND action = 'create' AND entity_id = ?").pluck().get(id) as number;
  db.prepare("UPDATE audit_log SET new_value = json_set(new_value, '$.outcome', 'pass') WHERE seq = ?").run(seq);
  rehashFrom(db, seq);
  db.close();
}

describe('the audit trail anchored outside the database (item 3)', () => {
  it('prints the head it ends on, and on every printout', async () => {
    const { dir, paperHead } = await anchoredWorld();
    expect(paperHead).toMatch(/^\d+:[0-9a-f]{16}$/);
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Head: \d+:[0-9a-f]{16} \(chain [0-9a-f]{8}\)/);
    // The head read off the printout still matches.
    expect(await cli(['--data-dir', dir, 'verify', '--head', paperHead])).toMatchObject({ code: 0 });
  });

  it('finds the newest entries deleted with the record they cover', async () => {
    const { dir, last } = await anchoredWorld();
    deleteNewestRecord(dir, last.id);
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/The audit trail ends at entry \d+, but the head log recorded entry \d+ on \d{4}-\d{2}-\d{2}: entries \d+ to \d+ were deleted\./);
  });

  it('finds an old record and its entry changed and every later entry hashed again: from the head log, and from paper alone', async () => {
    const { dir, first, paperHead } = await anchoredWorld();
    rewriteOldRecord(dir, first.id);
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/audit entry \d+ is not the one recorded in the head log on .*: the trail was rewritten at or before that entry and hashed again/);

    // Without the head log (deleted too), the head on the printout still catches it.
    rmSync(path.join(dir, 'audit-heads.log'));
    rmSync(path.join(dir, 'audit-keys'), { recursive: true });
    const paper = await cli(['--data-dir', dir, 'verify', '--head', paperHead]);
    expect(paper.code).toBe(1);
    expect(paper.stderr).toContain(`does not match the head ${paperHead}`);
  });

  it('refuses a backup made afterwards', async () => {
    const { dir, first } = await anchoredWorld();
    const good = dir;
    const before = await cli(['--data-dir', dir, 'backup', path.join(good, 'before.sqlite3')]);
    expect(before.code, before.stderr).toBe(0);
    rewriteOldRecord(dir, first.id);
    const after = await cli(['--data-dir', dir, 'backup', path.join(good, 'after.sqlite3')]);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/not the one recorded in the head log/);

  });

  it('refuses to restore a backup changed after it was made, even with its chain hashed again', async () => {
    const { dir, first } = await anchoredWorld();
    const core = openCore({ dataDir: dir });
    const made = await backupToFolder(core, 'manual');
    const edited = new BetterSqlite3(made.file);
    dropPermanentTriggers(edited);
    edited.prepare("UPDATE completions SET outcome = 'pass' WHERE id = ?").run(first.id);
    const seq = edited.prepare("SELECT seq FROM audit_log WHERE entity = 'completion' AND action = 'create' AND entity_id = ?").pluck().get(first.id) as number;
    edited.prepare("UPDATE audit_log SET new_value = json_set(new_value, '$.outcome', 'pass') WHERE seq = ?").run(seq);
    rehashFrom(edited, seq);
    edited.close();
    const backend = createBackend(core);
    const admin = newSession();
    expect(await backend.invoke(admin, 'auth.signIn', { name: 'Ada Admin', secret: '2468' })).toMatchObject({ ok: true });
    const res = await backend.invoke(admin, 'backups.restore', { fileName: path.basename(made.file), confirm: true });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(res.ok ? '' : res.error.message).toMatch(/does not pass its check/);
    core.close();
  });

  it('finds the head log rewritten to match, for want of the key', async () => {
    const { dir, first } = await anchoredWorld();
    rewriteOldRecord(dir, first.id);
    // The attacker rewrites every line's hash to the database's new one; without the key they cannot sign them.
    const db = new BetterSqlite3(path.join(dir, 'wardkeep.sqlite3'), { readonly: true });
    const hashOf = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck();
    const file = path.join(dir, 'audit-heads.log');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; hash: string });
    writeFileSync(file, lines.map((l) => JSON.stringify({ ...l, hash: hashOf.get(l.seq) })).join('\n') + '\n');
    db.close();
    const res = await cli(['--data-dir', dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Head log: line \d+ was changed after it was written \(its signature does not match\)/);
  });
});

