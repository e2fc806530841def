import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit, hashEntry } from '../../../main/core/audit';
import { anchorsOf } from '../../../main/core/anchors';
import { verifiedFile } from '../../../main/core/anchors/position';
import { createBackend } from '../../../main/core/backend';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { runStartupChecks } from '../../../main/core/system/startup-checks';
import { runJob, stopWorker } from '../../../main/core/worker/run';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { rehashFrom } from './helpers';

/**
 * Issue 17: a start checks the audit trail only from the last position a check verified (signed,
 * outside the database), and the deep check (every page, the whole trail re-hashed) runs in the
 * worker once a week. The tampering the anchors are there for is still found at the next start.
 */
function world() {
  const clock = fixedClock('2026-11-25T09:00:00Z');
  const core = testCore({ clock });
  const backend = createBackend(core);
  const add = (n: number) => {
    for (let i = 0; i < n; i++)
      inTransaction(core, (w) => appendAudit(w, testActor, { action: 'create', entity: 'thing', entityId: String(i), new: { n: i } }));
  };
  // The position this account's key signed (the app's key on this PC).
  const positionFile = verifiedFile(core.dataDir, anchorsOf(core)!.ring.signing!.id);
  const verified = () => JSON.parse(readFileSync(positionFile, 'utf8')) as { seq: number; deepAt?: string };
  const head = () => core.db.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
  const raw = (sql: string, ...params: unknown[]) => {
    core.db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete');
    core.db.prepare(sql).run(...params);
  };
  return { clock, core, backend, add, verified, positionFile, head, raw };
}

describe('the start-up check of the audit trail, from the last verified position (issue 17)', () => {
  it('walks the whole trail once, then only what was written since; the deep check waits a week', async () => {
    const w = world();
    w.add(20);
    const first = await runStartupChecks(w.backend);
    expect(first.auditChain).toMatchObject({ ok: true, entries: w.head() });
    expect(first.integrity).toEqual({ state: 'ok', checkedAt: '2026-11-25T09:00:00.000Z' });
    expect(w.verified()).toMatchObject({ seq: w.head(), deepAt: '2026-11-25T09:00:00.000Z' });

    const before = w.head();
    w.add(3);
    w.clock.set('2026-11-26T09:00:00Z');
    const second = await runStartupChecks(w.backend);
    expect(second.auditChain).toMatchObject({ ok: true, entries: 3, from: before + 1 });
    expect(second.integrity).toEqual({ state: 'ok', checkedAt: '2026-11-25T09:00:00.000Z' });
    expect(w.verified()).toMatchObject({ seq: before + 3, deepAt: '2026-11-25T09:00:00.000Z' });
  });

  it('finds the trail rewritten and hashed again before the verified position, at the next start', async () => {
    const w = world();
    w.add(20);
    await runStartupChecks(w.backend);
    const position = w.verified().seq;
    // Entry 5 changed, and every entry after it hashed again so the chain holds.
    w.raw('UPDATE audit_log SET new_value = \'{"n":99}\' WHERE seq = 5');
    rehashFrom(w.core.db, 5);
    const next = await runStartupChecks(w.backend);
    expect(next.auditChain).toMatchObject({
      ok: false,
      seq: position,
      message: `audit entry ${position} is not the one an earlier check verified: the trail was rewritten at or before it`,
    });
    expect(next.anchors).toMatchObject({ ok: false });
    expect(w.verified().seq).toBe(position);
  });

  it('finds entries deleted back past the verified position', async () => {
    const w = world();
    w.add(20);
    await runStartupChecks(w.backend);
    const position = w.verified().seq;
    w.raw('DELETE FROM audit_log WHERE seq > 10');
    const next = await runStartupChecks(w.backend);
    expect(next.auditChain).toMatchObject({
      ok: false,
      seq: position,
      message: `audit entry ${position}, which an earlier check verified, is missing: entries were deleted`,
    });
  });

  it('finds an entry after the verified position changed without its hash', async () => {
    const w = world();
    w.add(20);
    await runStartupChecks(w.backend);
    w.add(5);
    const changed = w.head() - 2;
    w.raw("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = ?", changed);
    const next = await runStartupChecks(w.backend);
    expect(next.auditChain).toMatchObject({ ok: false, seq: changed, message: `audit entry ${changed} was changed after it was written` });
  });

  it('finds an old entry edited with its stored hash left alone at the weekly deep check, and does not move the position past it', async () => {
    const w = world();
    w.add(20);
    await runStartupChecks(w.backend);
    const position = w.verified().seq;
    w.raw("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 3");
    w.clock.set('2026-12-03T09:00:00Z'); // eight days on: the deep check is due
    const next = await runStartupChecks(w.backend);
    expect(next.auditChain).toMatchObject({ ok: false, seq: 3, message: 'audit entry 3 was changed after it was written' });
    expect(w.verified()).toMatchObject({ seq: position, deepAt: '2026-11-25T09:00:00.000Z' });
  });

  it('does not trust a position file edited by hand (its signature fails): the whole trail is walked', async () => {
    const w = world();
    w.add(20);
    await runStartupChecks(w.backend);
    const file = w.positionFile;
    const forged = { ...JSON.parse(readFileSync(file, 'utf8')), deepAt: '2027-01-01T00:00:00.000Z' };
    writeFileSync(file, JSON.stringify(forged));
    w.raw("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 3");
    const next = await runStartupChecks(w.backend);
    expect(next.auditChain).toMatchObject({ ok: false, seq: 3 });
  });

  it("walks only this PC's own chain from its position when another PC's entries arrived (a hub), and still finds its own rewritten", async () => {
    const w = world();
    w.add(10);
    await runStartupChecks(w.backend);
    const position = w.verified().seq;
    // Five entries of another PC's chain, as a sync brings them (written here by hand, each linked and hashed).
    let prev = '0'.repeat(64);
    for (let seq = 1; seq <= 5; seq++) {
      const row = {
        seq,
        id: `01900000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
        at: '2026-11-25T08:00:00.000Z',
        actor_user_id: null,
        actor_name: 'Ben on Emergency',
        via: 'app' as const,
        pc_id: 'pc-emergency',
        action: 'create',
        entity: 'thing',
        entity_id: String(seq),
        old_value: null,
        new_value: `{"n":${seq}}`,
        prev_hash: prev,
      };
      prev = hashEntry(row);
      w.raw(
        `INSERT INTO audit_log (chain_id, seq, id, at, actor_user_id, actor_name, via, pc_id, action, entity, entity_id, old_value, new_value, prev_hash, hash)
         VALUES ('pc-emergency', @seq, @id, @at, @actor_user_id, @actor_name, @via, @pc_id, @action, @entity, @entity_id, @old_value, @new_value, @prev_hash, @hash)`,
        { ...row, hash: prev },
      );
    }
    expect(w.core.db.prepare('SELECT hash FROM audit_log WHERE chain_id = ? AND seq = 1').pluck().get('pc-emergency')).not.toBeNull();
    w.add(2);
    w.clock.set('2026-11-26T09:00:00Z');
    const next = await runStartupChecks(w.backend);
    expect(next.auditChain).toMatchObject({ ok: true, entries: 2, from: position + 1 });
    expect(w.verified().seq).toBe(position + 2);
    // This PC's own entry after the position changed: found at the next start, whatever the other chains hold.
    const own = w.core.db.prepare("SELECT value FROM meta WHERE key = 'audit_chain'").pluck().get() as string | undefined;
    w.add(2);
    w.raw(`UPDATE audit_log SET actor_name = 'someone else' WHERE seq = ? AND chain_id ${own ? '= ?' : "<> 'pc-emergency'"}`, position + 3, ...(own ? [own] : []));
    const after = await runStartupChecks(w.backend);
    expect(after.auditChain).toMatchObject({ ok: false, seq: position + 3, message: `audit entry ${position + 3} was changed after it was written` });
  });

  it('closing Wardkeep stops the deep check part-way: it records nothing, reports no damage, and the next start checks the whole trail', async () => {
    const w = world();
    w.add(30);
    // A first start's deep check, and the app closed at once (stopWorker is what the quit runs).
    const checking = runStartupChecks(w.backend);
    await stopWorker(w.core);
    const cut = await checking;
    expect(cut).toEqual({ auditChain: 'checking', anchors: 'checking', integrity: { state: 'checking' }, stock: { state: 'checking' } });
    expect(existsSync(w.positionFile)).toBe(false);
    // The next start runs it again, whole.
    const next = await runStartupChecks(w.backend);
    expect(next.auditChain).toMatchObject({ ok: true, entries: w.head() });
    expect(next.integrity).toEqual({ state: 'ok', checkedAt: '2026-11-25T09:00:00.000Z' });
    expect(w.verified()).toMatchObject({ seq: w.head(), deepAt: '2026-11-25T09:00:00.000Z' });
  });

  it('closing Wardkeep stops the check of what was written since too, and leaves the verified position where it was', async () => {
    const w = world();
    w.add(10);
    await runStartupChecks(w.backend);
    const position = w.verified().seq;
    w.add(10);
    w.clock.set('2026-11-26T09:00:00Z');
    const checking = runStartupChecks(w.backend);
    await stopWorker(w.core);
    expect(await checking).toEqual({ auditChain: 'checking', anchors: 'checking', integrity: { state: 'checking' }, stock: { state: 'checking' } });
    expect(w.verified().seq).toBe(position);
    const next = await runStartupChecks(w.backend);
    expect(next.auditChain).toMatchObject({ ok: true, entries: 10, from: position + 1 });
    expect(w.verified().seq).toBe(w.head());
  });

  it('a closing never cuts a write short: a backup asked just before it runs to its end', async () => {
    const w = world();
    w.add(5);
    const dest = path.join(w.core.dataDir, 'before-closing.sqlite3');
    const backup = runJob(w.core, 'backup.file', { dest });
    await stopWorker(w.core);
    await expect(backup).resolves.toMatchObject({ file: dest });
    expect(existsSync(dest)).toBe(true);
  });
});
