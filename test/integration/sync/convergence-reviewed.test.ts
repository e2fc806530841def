import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { actorOfUser } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { recordCompletion } from '../../../main/core/completions/record';
import { addCategoryPlan, removeCategoryPlan } from '../../../main/core/plans/category-plans';
import { hashSecret, markTemporary } from '../../../main/core/auth/passwords';
import { setOwnPin } from '../../../main/core/auth/service';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { reportFault, repairWorkOrder, returnWorkOrder, takeWorkOrder } from '../../../main/core/repairs/work-orders';
import { insertUser, resetPin, setUserActive, updateUser, userRowByName } from '../../../main/core/users/service';
import { CategoryPlanFields } from '../../../shared/domain/plan';
import { testActor } from '../../helpers/core';
import { category, device, done, plan } from '../plans/fixtures';
import { testHub, testPc } from './harness';

type Pc = Awaited<ReturnType<typeof testPc>>;

type Row = { id: string } & Record<string, unknown>;
const byId = (rows: Row[], id: string): Row => rows.find((r) => r.id === id)!;

/** What a person or auditor could tell apart on two PCs: statuses, plans, work orders, users' rights and secrets, records, stock. */
function snapshot(core: Core) {
  const q = (sql: string) => core.db.prepare(sql).all() as Row[];
  return {
    equipment: q('SELECT id, status, status_reason, tagged_out_by_plan_id, manual_status, manual_status_reason, manual_overrides FROM equipment ORDER BY id'),
    plans: q('SELECT id, active, next_due, due_from, last_done_on, target_in_service, interval_n, interval_unit FROM plans ORDER BY id'),
    workOrders: q('SELECT id, state, assigned_name, waiting_for, closed_at FROM work_orders ORDER BY id'),
    users: q('SELECT id, role, active, pin_hash, password_hash, must_set_pin FROM users ORDER BY id'),
    completions: q('SELECT id FROM completions ORDER BY id'),
    steps: q('SELECT id FROM work_order_steps ORDER BY id'),
    statusChanges: q('SELECT id FROM status_changes ORDER BY id'),
    signatures: q('SELECT id FROM signatures ORDER BY id'),
    templates: q('SELECT id, active, interval_n FROM category_plan_templates ORDER BY id'),
    levels: q('SELECT stock_location_id, item_id, on_hand FROM stock_levels ORDER BY 1, 2'),
  };
}
const quarantined = (pc: Pc) => pc.core.db.prepare('SELECT count(*) FROM sync_quarantine').pluck().get() as number;

async function converge(pcs: Pc[], order: number[]) {
  for (const i of order) await pcs[i]!.sync();
  for (const pc of pcs) await pc.sync();
  for (const pc of pcs) await pc.sync();
  const first = snapshot(pcs[0]!.core);
  for (const pc of pcs.slice(1)) expect(snapshot(pc.core)).toEqual(first);
  for (const pc of pcs) {
    expect(quarantined(pc)).toBe(0);
    expect(checkPermanentRows(pc.core.db).findings).toEqual([]);
  }
  return first;
}

function person(core: Core, name: string, role: 'ward_staff' | 'technician' | 'supervisor' | 'admin', extra: { pinHash?: string; passwordHash?: string | null } = {}) {
  return inTransaction(core, (w) =>
    insertUser(w, testActor, { name, role, homeLocationId: null, pinHash: extra.pinHash ?? null, passwordHash: extra.passwordHash ?? null, mustSetPin: true }),
  );
}
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
const ORDERS = [
  [0, 1, 2],
  [2, 1, 0],
  [1, 0, 2],
];

async function hospital() {
  const hub = await testHub();
  const a = await testPc(hub, 'Ward 4B');
  const b = await testPc(hub, 'Emergency');
  const c = await testPc(hub, 'Clinic');
  return { hub, a, b, c, pcs: [a, b, c] };
}

/**
 * Behaviours changed by the reviews (corrections moving a status, temporary passwords, work orders
 * deciding a return, rights withdrawn while others sign, category defaults) converge: three PCs
 * acting offline, synced in three orders, end with the same statuses, plans, work orders, users,
 * records and stock, nothing quarantined and `verify` clean on each.
 */
describe('three PCs acting offline converge, whatever order they sync in', () => {
  for (const order of ORDERS) {
    it(`correction on A, newer fail on B, pass on C (order ${order.join('')})`, async () => {
      const { a, b, c, pcs } = await hospital();
      const id = device(a.core, 'DF-1');
      const safety = plan(a.core, id, 'electrical_safety', '1y', '2025-01-01');
      const f = done(a.core, safety.id, ago(300), 'fail');
      for (const pc of pcs) await pc.sync();
      // A corrects the fail to "not done" (wrong device tested); B logs a later fail; C a pass between.
      inTransaction(a.core, (w) =>
        recordCompletion(w, testActor, { planId: safety.id, performedAt: ago(300), outcome: 'not_done_other', notes: 'Wrong device', source: 'app', amendsId: f.id, amendReason: 'Wrong device tested' }),
      );
      done(b.core, safety.id, ago(60), 'fail');
      done(c.core, safety.id, ago(120), 'pass');
      const s = await converge(pcs, order);
      // B's later fail holds the device, the corrected fail no longer does.
      expect(byId(s.equipment, id).status).toBe('out_of_service');
    });

    it(`PIN reset on A, PIN chosen on B, temporary password (order ${order.join('')})`, async () => {
      const { a, b, pcs } = await hospital();
      const tempPin = await hashSecret('1111');
      const pwd = markTemporary(await hashSecret('Temporary-pass-1'));
      const u = person(a.core, 'Ana Silva', 'technician', { pinHash: tempPin, passwordHash: pwd });
      for (const pc of pcs) await pc.sync();
      const reset = await hashSecret('2222');
      const own = await hashSecret('3579');
      inTransaction(a.core, (w) => resetPin(w, testActor, u.id, reset));
      b.clockAhead(1000);
      inTransaction(b.core, (w) => setOwnPin(w, { row: userRowByName(b.core, 'Ana Silva')!, pinHash: own }));
      const s = await converge(pcs, order);
      const row = byId(s.users, u.id);
      expect(row.password_hash).toBeNull();
    });

    it(`work order returned on A while B logs a failed post-repair check (order ${order.join('')})`, async () => {
      const { a, b, pcs } = await hospital();
      const id = device(a.core, 'IP-7');
      const insp = plan(a.core, id, 'inspection', '1y', '2025-01-01');
      person(a.core, 'Nia Nurse', 'ward_staff');
      person(a.core, 'Tom Tech', 'technician');
      person(a.core, 'Sue Super', 'supervisor');
      const nia = userRowByName(a.core, 'Nia Nurse')!;
      const tom = userRowByName(a.core, 'Tom Tech')!;
      const sue = userRowByName(a.core, 'Sue Super')!;
      const { workOrder } = inTransaction(a.core, (w) => reportFault(w, nia, { equipmentId: id, problem: 'Alarm', takeOutOfUse: true, secret: '' }));
      inTransaction(a.core, (w) => takeWorkOrder(w, tom, { id: workOrder.id, note: null }));
      const codes = (kind: string) => a.core.db.prepare('SELECT id FROM repair_codes WHERE kind = ? ORDER BY sort_order LIMIT 1').pluck().get(kind) as string;
      inTransaction(a.core, (w) =>
        repairWorkOrder(w, tom, { id: workOrder.id, workDone: 'Fixed', failureCodeId: codes('failure'), causeCodeId: codes('cause'), labourMinutes: null, partsUsed: [], vendor: null, vendorTicket: null, cost: null, secret: '' }),
      );
      for (const pc of pcs) await pc.sync();
      a.clockAhead(60_000);
      b.clockAhead(60_000);
      await new Promise((r) => setTimeout(r, 5));
      inTransaction(a.core, (w) => recordCompletion(w, actorOfUser(tom), { planId: insp.id, performedAt: new Date(Date.now() + 60_000).toISOString(), outcome: 'pass', source: 'app' }));
      inTransaction(a.core, (w) => returnWorkOrder(w, sue, { id: workOrder.id, note: null }));
      inTransaction(b.core, (w) => recordCompletion(w, actorOfUser(tom), { planId: insp.id, performedAt: new Date(Date.now() + 60_000).toISOString(), outcome: 'fail', source: 'app' }));
      expect(b.core.db.prepare('SELECT state FROM work_orders WHERE id = ?').pluck().get(workOrder.id)).toBe('in_progress');
      const s = await converge(pcs, order);
      // A closed work order stays closed (docs/sync.md); B's failed inspection is kept on every PC.
      expect(byId(s.workOrders, workOrder.id).state).toBe('returned');
      for (const pc of pcs) expect(pc.core.db.prepare("SELECT count(*) FROM completions WHERE plan_id = ? AND outcome = 'fail'").pluck().get(insp.id)).toBe(1);
    });

    it(`user deactivated and demoted on A while B and C sign with them (order ${order.join('')})`, async () => {
      const { a, b, c, pcs } = await hospital();
      const id = device(a.core, 'DF-2');
      const safety = plan(a.core, id, 'electrical_safety', '1y', '2025-01-01');
      const u = person(a.core, 'Tia Tech', 'supervisor');
      for (const pc of pcs) await pc.sync();
      inTransaction(a.core, (w) => updateUser(w, testActor, u.id, { name: 'Tia Tech', role: 'ward_staff', homeLocationId: null }));
      inTransaction(a.core, (w) => setUserActive(w, testActor, u.id, false));
      const tia = (pc: Pc) => userRowByName(pc.core, 'Tia Tech')!;
      inTransaction(b.core, (w) => recordCompletion(w, actorOfUser(tia(b)), { planId: safety.id, performedAt: ago(10), outcome: 'fail', source: 'app' }));
      inTransaction(c.core, (w) => reportFault(w, tia(c), { equipmentId: id, problem: 'Cracked', takeOutOfUse: true, secret: '' }));
      const s = await converge(pcs, order);
      expect(s.completions.length).toBe(1);
      expect(byId(s.users, u.id).active).toBe(0);
      expect(byId(s.equipment, id).status).toBe('out_of_service');
    });

    it(`category default changed on A while B adds a device to it (order ${order.join('')})`, async () => {
      const { a, b, pcs } = await hospital();
      const cat = category(a.core, 'Defibrillators');
      const t = inTransaction(a.core, (w) => addCategoryPlan(w, testActor, CategoryPlanFields.parse({ categoryId: cat, task: 'inspection', every: '1m', mode: 'fixed' })));
      for (const pc of pcs) await pc.sync();
      inTransaction(a.core, (w) => removeCategoryPlan(w, testActor, t.id));
      inTransaction(a.core, (w) => addCategoryPlan(w, testActor, CategoryPlanFields.parse({ categoryId: cat, task: 'inspection', every: '3m', mode: 'fixed' })));
      const d = device(b.core, 'DF-9', { categoryId: cat });
      const s = await converge(pcs, order);
      expect(s.plans.filter((p) => b.core.db.prepare('SELECT equipment_id FROM plans WHERE id = ?').pluck().get(p.id) === d)).toHaveLength(1);
    });
  }
});
