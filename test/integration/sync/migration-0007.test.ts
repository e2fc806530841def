import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { appendAudit, canonicalJson, GENESIS_HASH, hashEntry, verifyAuditChain } from '../../../main/core/audit';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { migrate } from '../../../main/core/db/migrate';
import { applyPragmas, DB_FILE } from '../../../main/core/db/open';
import { migrations } from '../../../main/core/migrations';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { deriveServiceState } from '../../../main/core/sync/service-status';
import { tempDir, testActor, testCore } from '../../helpers/core';
import { insertSignature } from './fixtures';

const ID = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const NOW = '2025-01-01T00:00:00.000Z';
const PC = 'pc-one';

/**
 * A version-6 database as the app left it: an audit chain, stock with lots, devices in every state
 * of rule 12, its permanent rows bound to the trail. Written as version 5 wrote them, then upgraded
 * to version 6 by its own migration (which binds them), so the rows are what a real PC holds.
 */
function version6(dir: string): void {
  const db = new BetterSqlite3(path.join(dir, DB_FILE));
  applyPragmas(db);
  migrate(db, { migrations: migrations.slice(0, 5) });
  db.prepare("INSERT INTO meta (key, value) VALUES ('pc_id', ?)").run(PC);
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= 4; seq++) {
    const row = {
      seq,
      id: ID(100 + seq),
      at: NOW,
      actor_user_id: null,
      actor_name: 'Ada',
      via: 'app' as const,
      pc_id: PC,
      action: 'create',
      entity: 'thing',
      entity_id: String(seq),
      old_value: null,
      new_value: canonicalJson({ n: seq }),
      prev_hash: prev,
    };
    const hash = hashEntry(row);
    db.prepare(
      `INSERT INTO audit_log (seq, id, at, actor_user_id, actor_name, via, pc_id, action, entity, entity_id, old_value, new_value, prev_hash, hash)
       VALUES (@seq, @id, @at, @actor_user_id, @actor_name, @via, @pc_id, @action, @entity, @entity_id, @old_value, @new_value, @prev_hash, @hash)`,
    ).run({ ...row, hash });
    prev = hash;
  }
  const ins = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args);
  ins(
    "INSERT INTO locations (id, name, name_key, kind, created_at, updated_at, pc_id) VALUES (?, 'Site', 'site', 'site', ?, ?, ?)",
    ID(1),
    NOW,
    NOW,
    PC,
  );
  ins(
    "INSERT INTO users (id, name, name_key, role, created_at, updated_at, pc_id) VALUES (?, 'Tom', 'tom', 'technician', ?, ?, ?)",
    ID(2),
    NOW,
    NOW,
    PC,
  );
  const device = (id: number, tag: string, status: string, reason: string | null) =>
    ins(
      `INSERT INTO equipment (id, asset_tag, asset_tag_key, name, location_id, status, status_reason, created_at, updated_at, pc_id)
       VALUES (?, ?, ?, 'Defibrillator', ?, ?, ?, ?, ?, ?)`,
      ID(id),
      tag,
      tag,
      ID(1),
      status,
      reason,
      NOW,
      NOW,
      PC,
    );
  const plan = (id: number, equipment: number) =>
    ins(
      `INSERT INTO plans (id, equipment_id, task, interval_n, interval_unit, start_date, window_days, grace_days, next_due, due_from, created_at, updated_at, pc_id)
       VALUES (?, ?, 'electrical_safety', 1, 'year', '2024-01-01', 0, 0, '2024-01-01', '2024-01-01', ?, ?, ?)`,
      ID(id),
      ID(equipment),
      NOW,
      NOW,
      PC,
    );
  const record = (id: number, planId: number, equipment: number, outcome: string, at: string) =>
    ins(
      `INSERT INTO completions (id, plan_id, equipment_id, task, performed_at, performed_on, outcome, performed_by_name, source, created_at, pc_id)
       VALUES (?, ?, ?, 'electrical_safety', ?, ?, ?, 'Tom', 'app', ?, ?)`,
      ID(id),
      ID(planId),
      ID(equipment),
      at,
      at.slice(0, 10),
      outcome,
      NOW,
      PC,
    );
  // 10: tagged out by a failed safety test. 20: failed, then put back in service by a person. 30: out for repair.
  device(10, 'DF-1', 'in_service', null);
  plan(11, 10);
  record(12, 11, 10, 'fail', '2024-06-01T09:00:00.000Z');
  db.prepare("UPDATE equipment SET status = 'out_of_service', status_reason = 'Tagged out', tagged_out_by_plan_id = ? WHERE id = ?").run(
    ID(11),
    ID(10),
  );
  device(20, 'DF-2', 'in_service', 'Checked by the manufacturer');
  plan(21, 20);
  record(22, 21, 20, 'fail', '2024-06-01T09:00:00.000Z');
  device(30, 'DF-3', 'out_of_service', 'At the workshop');
  ins(
    "INSERT INTO signatures (id, completion_id, user_id, signer_name, signer_role, meaning, signed_at, pc_id) VALUES (?, ?, ?, 'Tom', 'technician', 'performed_by', ?, ?)",
    ID(40),
    ID(12),
    ID(2),
    NOW,
    PC,
  );
  ins(
    "INSERT INTO stock_locations (id, name, kind, location_id, created_at, updated_at, pc_id) VALUES (?, 'Store', 'store', ?, ?, ?, ?)",
    ID(50),
    ID(1),
    NOW,
    NOW,
    PC,
  );
  ins(
    "INSERT INTO supply_items (id, name, code, code_key, unit, created_at, updated_at, pc_id) VALUES (?, 'Pads', 'P1', 'p1', 'pair', ?, ?, ?)",
    ID(51),
    NOW,
    NOW,
    PC,
  );
  ins(
    'INSERT INTO stock_levels (stock_location_id, item_id, par, minimum, on_hand, created_at, updated_at, pc_id) VALUES (?, ?, 4, 2, 3, ?, ?, ?)',
    ID(50),
    ID(51),
    NOW,
    NOW,
    PC,
  );
  ins(
    "INSERT INTO stock_lots (id, stock_location_id, item_id, lot, expires_on, on_hand, created_at, updated_at, pc_id) VALUES (?, ?, ?, 'L1', '2027-01-01', 3, ?, ?, ?)",
    ID(52),
    ID(50),
    ID(51),
    NOW,
    NOW,
    PC,
  );
  ins(
    "INSERT INTO stock_transactions (id, stock_location_id, item_id, lot_id, kind, delta, at, user_name, pc_id) VALUES (?, ?, ?, ?, 'restock', 3, ?, 'Tom', ?)",
    ID(53),
    ID(50),
    ID(51),
    ID(52),
    NOW,
    PC,
  );
  migrate(db, { migrations: migrations.slice(0, 6) });
  db.close();
}

/**
 * Entries in the audit trail after the upgrade to the latest version: the four written by hand, the
 * migration to version 6's bindings, and version 8's bindings of the status history it fills in
 * (two devices not in service: issue 16).
 */
const ENTRIES = 4 + 3 + 2;

describe('migration 7 (sync with a hospital hub), from version 6', () => {
  it("keeps the audit chain verifying as the PC's own chain, and every row of the rebuilt tables", () => {
    const dir = tempDir();
    version6(dir);
    const core = testCore({ dataDir: dir });
    expect(verifyAuditChain(core.db)).toMatchObject({ ok: true, entries: ENTRIES });
    expect(checkPermanentRows(core.db).findings.filter((f) => !f.message.startsWith('Signature'))).toEqual([]);
    expect(core.db.prepare('SELECT DISTINCT chain_id FROM audit_log').pluck().all()).toEqual([PC]);
    expect(core.db.prepare("SELECT value FROM meta WHERE key = 'audit_chain'").pluck().get() ?? PC).toBe(PC);
    // The next entry continues the same chain.
    inTransaction(core, (w) => appendAudit(w, testActor, { action: 'test', entity: 'thing', entityId: null }));
    expect(core.db.prepare('SELECT chain_id, seq FROM audit_log ORDER BY rowid DESC LIMIT 1').get()).toEqual({ chain_id: PC, seq: ENTRIES + 1 });
    expect(verifyAuditChain(core.db)).toMatchObject({ ok: true, entries: ENTRIES + 1 });
    expect(core.db.prepare('SELECT count(*) FROM signatures').pluck().get()).toBe(1);
    expect(core.db.prepare('SELECT id, lot_id, delta FROM stock_transactions').all()).toEqual([{ id: ID(53), lot_id: ID(52), delta: 3 }]);
    expect(core.db.prepare('SELECT id, on_hand FROM stock_lots').all()).toEqual([{ id: ID(52), on_hand: 3 }]);
    expect(core.db.pragma('foreign_key_check')).toEqual([]);
    // Permanent rows stay permanent.
    expect(() => core.db.prepare('DELETE FROM stock_transactions').run()).toThrow(/permanent/);
    expect(() => core.db.prepare("UPDATE signatures SET signer_name = 'x'").run()).toThrow(/permanent/);
    expect(() => core.db.prepare("UPDATE audit_log SET actor_name = 'x'").run()).toThrow(/permanent/);
  });

  it('lets two "reviewed by" signatures on one record stand side by side (two PCs may each add one)', () => {
    const dir = tempDir();
    version6(dir);
    const core = testCore({ dataDir: dir });
    insertSignature(core, ID(60), ID(12), 'reviewed_by');
    insertSignature(core, ID(61), ID(12), 'reviewed_by');
    expect(core.db.prepare("SELECT count(*) FROM signatures WHERE meaning = 'reviewed_by'").pluck().get()).toBe(2);
  });

  it('separates the status a person set from the status in force, so rule 12 gives back the same status', () => {
    const dir = tempDir();
    version6(dir);
    const core = testCore({ dataDir: dir });
    const row = (id: number) =>
      core.db.prepare('SELECT status, manual_status, manual_status_reason, manual_overrides FROM equipment WHERE id = ?').get(ID(id));
    expect(row(10)).toEqual({ status: 'out_of_service', manual_status: 'in_service', manual_status_reason: null, manual_overrides: '[]' });
    expect(row(20)).toEqual({
      status: 'in_service',
      manual_status: 'in_service',
      manual_status_reason: 'Checked by the manufacturer',
      manual_overrides: JSON.stringify([ID(22)]),
    });
    expect(row(30)).toEqual({
      status: 'out_of_service',
      manual_status: 'out_of_service',
      manual_status_reason: 'At the workshop',
      manual_overrides: '[]',
    });
    for (const id of [10, 20, 30]) {
      expect(deriveServiceState(core, ID(id))?.status).toBe((row(id) as { status: string }).status);
    }
    expect(deriveServiceState(core, ID(10))).toEqual({
      status: 'out_of_service',
      statusReason: 'Tagged out: failed electrical safety test on 2024-06-01. Do not use.',
      taggedOutByPlanId: ID(11),
    });
  });
});
