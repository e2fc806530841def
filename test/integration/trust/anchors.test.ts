import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { backupToFolder } from '../../../main/core/backup/folder';
import { openCore } from '../../../main/core/open-core';
import { newSession } from '../../../main/core/session';
import { loggingWorld, threePoints } from '../completions/fixture';
import { cli, dropPermanentTriggers, rehashFrom } from './helpers';

/**
 * Issue 13, item 3: the chain is anchored outside the database file. Someone with the data folder
 * and better-sqlite3 deletes the newest entries (and the record they cover), or changes an old
 * record and its entry and re-hashes every entry after it: `wardkeep verify` must say so from the
 * head log, a head read off a printout must catch it without the log, a backup made afterwards
 * must be refused, and rewriting the head log too must fail for want of the key.
 */
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

  it('prints the same head on the device history, the compliance report and the stickers sheet as on the due list, and moves it on with each write', async () => {
    const w = await loggingWorld();
    // A calibration to print a sticker for (a sheet, so the head goes in its footer) and to report on.
    const logged = await w.as(w.tom)('completions.log', {
      planId: w.pumpPlan.id,
      performedAt: '2026-11-25T09:30:00Z',
      result: threePoints([[10, null], [100, null], [500, null]], w.analyser.id, w.calibration.id),
      secret: '1357',
    });
    expect(logged.outcome).toBe('pass');
    const heads = async () => ({
      dueList: (await w.call('reports.dueList', {})).header.auditHead,
      history: (await w.call('reports.history', { equipmentId: w.pump.id })).header.auditHead,
      compliance: (await w.call('reports.compliance', { from: '2026-11-01', to: '2026-11-30' })).header.auditHead,
      stickers: (await w.call('reports.stickers', { equipmentIds: [w.pump.id], stock: 'a4-3x8', symbology: 'code128' })).header.auditHead,
    });
    // The head as the file holds it, read the way an attacker with better-sqlite3 would.
    const onDisk = () => {
      const db = new BetterSqlite3(w.core.file, { readonly: true });
      const row = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      db.close();
      return `${row.seq}:${row.hash.slice(0, 16)}`;
    };

    const before = await heads();
    const head = onDisk();
    expect(before.dueList?.head).toBe(head);
    for (const printed of [before.history, before.compliance, before.stickers]) expect(printed).toEqual(before.dueList);

    // A later write: every printout carries the new head, never a stale one.
    await w.call('equipment.create', { assetTag: 'IP-2', name: 'Infusion pump', locationId: w.site.id, categoryId: w.pumps.id, risk: 'high' });
    const after = await heads();
    expect(onDisk()).not.toBe(head);
    for (const printed of Object.values(after)) expect(printed?.head).toBe(onDisk());

    // Each one read off paper checks out against the database.
    const dir = w.core.dataDir;
    w.core.close();
    for (const printed of Object.values(after)) expect(await cli(['--data-dir', dir, 'verify', '--head', printed!.head])).toMatchObject({ code: 0 });
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
    // The head it ends on is said to be of a trail that failed, so no one writes it down as one to check against.
    expect(res.stdout).toMatch(/Head: \d+:[0-9a-f]{16} \(chain [0-9a-f]{8}\), of a trail that failed this check: do not write it down as a head to check against\./);

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

  /**
   * The backup's own signed head (`meta.backup_head`) catches the edit by itself: the head log is
   * removed before the restore, so nothing else outside the backup speaks against it. The attacker
   * goes further each time: only the record and its entry (the chain hashed again); the stored head
   * rewritten to the new end too, with no key to sign it; the stored head deleted.
   */
  const backupEdits = {
    'the record and its entry': null,
    'and its stored head rewritten to the new end': (db: BetterSqlite3.Database) => {
      const stored = JSON.parse(db.prepare("SELECT value FROM meta WHERE key = 'backup_head'").pluck().get() as string) as Record<string, unknown>;
      const end = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      db.prepare("UPDATE meta SET value = ? WHERE key = 'backup_head'").run(JSON.stringify({ ...stored, ...end }));
    },
    'and its stored head deleted': (db: BetterSqlite3.Database) => db.prepare("DELETE FROM meta WHERE key = 'backup_head'").run(),
  } satisfies Record<string, ((db: BetterSqlite3.Database) => unknown) | null>;

  for (const [what, more] of Object.entries(backupEdits)) {
    it(`refuses to restore a backup changed after it was made, even with its chain hashed again and the head log gone: ${what}`, async () => {
      const { dir, first } = await anchoredWorld();
      const core = openCore({ dataDir: dir });
      const made = await backupToFolder(core, 'manual');
      const edited = new BetterSqlite3(made.file);
      dropPermanentTriggers(edited);
      const storedBefore = edited.prepare("SELECT value FROM meta WHERE key = 'backup_head'").pluck().get() as string | undefined;
      expect(storedBefore, 'the backup holds a signed head of its own').toMatch(/"mac":"[0-9a-f]+/);
      edited.prepare("UPDATE completions SET outcome = 'pass' WHERE id = ?").run(first.id);
      const seq = edited.prepare("SELECT seq FROM audit_log WHERE entity = 'completion' AND action = 'create' AND entity_id = ?").pluck().get(first.id) as number;
      edited.prepare("UPDATE audit_log SET new_value = json_set(new_value, '$.outcome', 'pass') WHERE seq = ?").run(seq);
      rehashFrom(edited, seq);
      more?.(edited);
      edited.close();
      rmSync(path.join(dir, 'audit-heads.log'));
      const backend = createBackend(core);
      const admin = newSession();
      expect(await backend.invoke(admin, 'auth.signIn', { name: 'Ada Admin', secret: '2468' })).toMatchObject({ ok: true });
      const res = await backend.invoke(admin, 'backups.restore', { fileName: path.basename(made.file), confirm: true });
      expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      const message = res.ok ? '' : res.error.message;
      expect(message).toMatch(/does not pass its check/);
      if (what === 'the record and its entry') expect(message).toMatch(/Anchor: It was changed after it was made: it ended on audit entry \d+:[0-9a-f]{16} and now ends on \d+:[0-9a-f]{16}\./);
      if (what === 'and its stored head rewritten to the new end') expect(message).toContain('Anchor: Its stored head was changed after it was made (the signature does not match).');
      if (what === 'and its stored head deleted') expect(message).toMatch(/Anchor: It holds no head of its own, though every backup Wardkeep makes at schema version \d+ stores one/);
      // The outcome in the live database is still the fail it was.
      expect(core.db.prepare('SELECT outcome FROM completions WHERE id = ?').pluck().get(first.id)).toBe('fail');
      core.close();
    });
  }

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

