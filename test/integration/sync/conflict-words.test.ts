import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { testActor, testBackend } from '../../helpers/core';
import { signedInUser } from '../../helpers/users';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { setEquipmentStatus } from '../../../main/core/equipment/service';
import { category, device, done, place, plan } from '../plans/fixtures';

/**
 * What a supervisor reads of a conflict on the Conflicts screen, for every kind of row two PCs may
 * change apart: the row by its name (never a table's name or an id), the fields by their names, the
 * values in words (no JSON, no 0 and 1, a plan's timing as one schedule). The conflicts are written
 * as the hub writes them into the conflict log (hub.test.ts shows the hub does), so no PostgreSQL
 * is needed; conflict-decisions.test.ts makes them through a real hub.
 */

let n = 0;
const stamp = (iso: string, pc: string) => `${String(Date.parse(iso)).padStart(15, '0')}.000000.${pc}`;

/** A conflict the hub logged: `winner` stands (Emergency's, later), `loser` is Ward 4B's. */
function logConflict(core: Core, tbl: string, key: unknown[], winner: Record<string, unknown>, loser: Record<string, unknown>): string {
  n += 1;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  core.db
    .prepare(
      `INSERT INTO sync_conflicts (id, tbl, pk, fields, winner_value, winner_hlc, winner_pc, loser_value, loser_hlc, loser_pc, rule, detected_at)
       VALUES (?, ?, ?, ?, ?, ?, 'Emergency PC', ?, ?, 'Ward 4B PC', 'latest', '2026-11-20T10:00:00.000Z')`,
    )
    .run(
      id,
      tbl,
      JSON.stringify(key),
      Object.keys(winner).join(','),
      JSON.stringify(winner),
      stamp('2026-11-20T09:59:00Z', 'pc-b'),
      JSON.stringify(loser),
      stamp('2026-11-20T09:58:00Z', 'pc-a'),
    );
  return id;
}

async function supervisorPc() {
  const { core, backend, session } = testBackend('supervisor');
  const call = async <T,>(channel: string, input: unknown): Promise<T> => {
    const r = await backend.invoke(session, channel as never, input as never);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as T;
  };
  return { core, backend, session, call };
}

interface Item {
  id: string;
  row: string;
  fields: string[];
  winner: { text: string };
  loser: { text: string };
}

describe('the Conflicts screen says every conflict in words', () => {
  it('a location, a stock level, a supply item, a stock location, a plan, a device and a setting: names, not ids or table names; values, not JSON or 0/1', async () => {
    const { core, call } = await supervisorPc();
    const ward = place(core, 'General Hospital > Ward 4B');
    const dev = device(core, 'IP-0042', { name: 'Infusion pump' });
    const cart = await call<{ id: string }>('stock.locations.create', { name: 'Crash cart 4B', kind: 'crash_cart', locationId: ward });
    const pads = await call<{ id: string }>('stock.items.create', { name: 'Defibrillator pads', code: 'PAD-1', unit: 'pair' });
    await call('stock.levels.set', { stockLocationId: cart.id, itemId: pads.id, par: 4, minimum: 2 });
    const plan = await call<{ id: string }>('plans.create', { equipmentId: dev, task: 'electrical_safety', every: '6m', startDate: '2026-12-01', confirmDates: true });
    const schedule = { interval_n: 6, interval_unit: 'month', mode: 'fixed', start_date: '2026-12-01', window_days: 7, grace_days: 14 };
    const bay2 = place(core, 'General Hospital > Ward 4B > Bay 2');
    place(core, 'General Hospital > Emergency > Bay 2');
    logConflict(core, 'locations', [bay2], { name: 'Bay 2' }, { name: 'Bay 2 (isolation)' });
    logConflict(core, 'stock_levels', [cart.id, pads.id], { par: 6, minimum: 3 }, { par: 4, minimum: 2 });
    logConflict(core, 'supply_items', [pads.id], { unit: 'box' }, { unit: 'pair' });
    logConflict(core, 'stock_locations', [cart.id], { name: 'Crash cart A' }, { name: 'Crash cart 4B' });
    logConflict(core, 'plans', [plan.id], { ...schedule, interval_n: 12 }, schedule);
    logConflict(core, 'equipment', [dev], { reference_standard: 1 }, { reference_standard: 0 });
    logConflict(core, 'equipment', [dev], { ownership: 'leased' }, { ownership: 'owned' });
    logConflict(core, 'settings', ['hospitalName'], { value: JSON.stringify("St Mary's") }, { value: JSON.stringify("St Mary's Hospital") });
    logConflict(core, 'settings', ['idleTimeoutSeconds'], { value: '900' }, { value: '300' });
    const list = await call<Item[]>('sync.conflicts', {});
    const said = new Map(list.map((c) => [c.row + ' | ' + c.fields.join(', '), `${c.winner.text} | ${c.loser.text}`]));
    expect(Object.fromEntries(said)).toEqual({
      // Which ward's Bay 2: the place by its path.
      'General Hospital > Ward 4B > Bay 2 | name': 'Bay 2 | Bay 2 (isolation)',
      'Defibrillator pads at Crash cart 4B | par, minimum': 'par: 6; minimum: 3 | par: 4; minimum: 2',
      'Defibrillator pads (PAD-1) | unit': 'box | pair',
      'Crash cart 4B | name': 'Crash cart A | Crash cart 4B',
      'Electrical safety test of IP-0042 | schedule':
        'Every 12 months (fixed), from 2026-12-01; window 7 days, grace 14 days | Every 6 months (fixed), from 2026-12-01; window 7 days, grace 14 days',
      'IP-0042 Infusion pump | reference standard': 'yes | no',
      'IP-0042 Infusion pump | ownership': 'Leased | Owned',
      'The setting "Hospital or clinic name" | value': "St Mary's | St Mary's Hospital",
      'The setting "Lock the screen after" | value': '15 minutes | 5 minutes',
    });
    for (const c of list) {
      // No id, no table name, no JSON, no field's column name.
      expect(`${c.row} | ${c.fields.join(', ')} | ${c.winner.text} | ${c.loser.text}`).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|[{}[\]]|\b[a-z]+_[a-z_]+\b/);
    }
  });
});

describe('"Use the other" keeps the rules of the edit it makes', () => {
  it('does not move a device into a place taken out of use since the conflict, and says so naming it', async () => {
    const { core, backend, session, call } = await supervisorPc();
    const bay1 = place(core, 'General Hospital > Ward 4B > Bay 1');
    const bay2 = place(core, 'General Hospital > Ward 4B > Bay 2');
    const dev = device(core, 'IP-0042', { name: 'Infusion pump', location: 'General Hospital > Ward 4B > Bay 1' });
    const id = logConflict(core, 'equipment', [dev], { location_id: bay1 }, { location_id: bay2 });
    // Bay 2 closes after the conflict (nothing is in it).
    await call('locations.deactivate', { id: bay2 });
    const [listed] = await call<Item[]>('sync.conflicts', {});
    expect(listed!.loser.text).toBe('General Hospital > Ward 4B > Bay 2 (no longer in use)');
    const res = await backend.invoke(session, 'sync.resolveConflict', { id, choice: 'used_other', changedSince: null });
    expect(res.ok ? 'written' : res.error.message).toBe(
      'General Hospital > Ward 4B > Bay 2 is no longer in use, so IP-0042 Infusion pump is not put there. Keep what stands, or bring General Hospital > Ward 4B > Bay 2 back into use on the Locations screen first.',
    );
    expect(core.db.prepare('SELECT location_id FROM equipment WHERE id = ?').pluck().get(dev)).toBe(bay1);
    expect(core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'resolve_conflict'").pluck().get()).toBe(0);
    // Keep is still open to the supervisor.
    expect((await backend.invoke(session, 'sync.resolveConflict', { id, choice: 'kept', changedSince: null })).ok).toBe(true);
  });

  it('does not put a device in a category taken out of use since the conflict', async () => {
    const { core, backend, session } = await supervisorPc();
    const pumps = category(core, 'Infusion pumps');
    const old = category(core, 'Old pumps');
    const dev = device(core, 'IP-0043', { name: 'Infusion pump', categoryId: pumps });
    const id = logConflict(core, 'equipment', [dev], { category_id: pumps }, { category_id: old });
    // Taken out of use, as categories.delete does on a PC of a hub (nothing is deleted there).
    core.db.prepare('UPDATE categories SET active = 0 WHERE id = ?').run(old);
    const res = await backend.invoke(session, 'sync.resolveConflict', { id, choice: 'used_other', changedSince: null });
    expect(res.ok ? 'written' : res.error.message).toBe(
      'The category "Old pumps" is taken out of use, so IP-0043 Infusion pump is not put in it. Keep what stands, or bring the category back on the Categories screen first.',
    );
    expect(core.db.prepare('SELECT category_id FROM equipment WHERE id = ?').pluck().get(dev)).toBe(pumps);
  });
});

describe('"Use the other" keeps the rules of the Locations screen and of the plan forms', () => {
  it('does not take a place out of use while a device is in it: refused in the Locations screen\'s words, naming it', async () => {
    const { core, backend, session } = await supervisorPc();
    const bay2 = place(core, 'General Hospital > Ward 4B > Bay 2');
    device(core, 'IP-0045', { name: 'Infusion pump', location: 'General Hospital > Ward 4B > Bay 2' });
    // Ward 4B took Bay 2 off the lists while it was empty; Emergency, later, put the device there.
    const id = logConflict(core, 'locations', [bay2], { active: 1 }, { active: 0 });
    const res = await backend.invoke(session, 'sync.resolveConflict', { id, choice: 'used_other', changedSince: null });
    expect(res.ok ? 'written' : res.error.message).toBe('"Bay 2" still holds 1 device (retired ones included); move them elsewhere first.');
    expect(core.db.prepare('SELECT active FROM locations WHERE id = ?').pluck().get(bay2)).toBe(1);
    expect(core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'resolve_conflict'").pluck().get()).toBe(0);
    // Empty, it is taken out of use as the Locations screen takes it, and the decision recorded.
    const bay1 = place(core, 'General Hospital > Ward 4B > Bay 1');
    core.db.prepare("UPDATE equipment SET location_id = ? WHERE asset_tag = 'IP-0045'").run(bay1);
    expect((await backend.invoke(session, 'sync.resolveConflict', { id, choice: 'used_other', changedSince: null })).ok).toBe(true);
    expect(core.db.prepare('SELECT active FROM locations WHERE id = ?').pluck().get(bay2)).toBe(0);
  });

  it('does not move a plan onto a retired device, nor onto one that has a plan of the task in use', async () => {
    const { core, backend, session } = await supervisorPc();
    const pump = device(core, 'IP-0046', { name: 'Infusion pump' });
    const retired = device(core, 'IP-0047', { name: 'Infusion pump' });
    const other = device(core, 'IP-0048', { name: 'Infusion pump' });
    const p = plan(core, pump, 'electrical_safety', '1y', '2025-01-01');
    plan(core, other, 'electrical_safety', '1y', '2025-01-01');
    inTransaction(core, (w) => setEquipmentStatus(w, testActor, { id: retired, status: 'retired', reason: 'Beyond repair' }));
    const onto = (target: string) => logConflict(core, 'plans', [p.id], { equipment_id: pump, stock_location_id: null }, { equipment_id: target, stock_location_id: null });
    const use = async (id: string) => {
      const res = await backend.invoke(session, 'sync.resolveConflict', { id, choice: 'used_other', changedSince: null });
      return res.ok ? 'written' : res.error.message;
    };
    expect(await use(onto(retired))).toBe('IP-0047 is retired, so Electrical safety test of IP-0046 is not moved onto it. Keep what stands.');
    expect(await use(onto(other))).toBe(
      'IP-0048 already has an active electrical safety test plan, so Electrical safety test of IP-0046 is not moved onto it. Keep what stands.',
    );
    expect(core.db.prepare('SELECT equipment_id FROM plans WHERE id = ?').pluck().get(p.id)).toBe(pump);
  });

  it("does not take a plan out of use while its failed test holds the device out of service, as the plan's Take out of use refuses", async () => {
    const { core, backend, session } = await supervisorPc();
    const pump = device(core, 'IP-0049', { name: 'Infusion pump' });
    const p = plan(core, pump, 'electrical_safety', '1y', '2025-01-01');
    done(core, p.id, '2025-03-01T10:00:00Z', 'fail');
    const id = logConflict(core, 'plans', [p.id], { active: 1 }, { active: 0 });
    const res = await backend.invoke(session, 'sync.resolveConflict', { id, choice: 'used_other', changedSince: null });
    expect(res.ok ? 'written' : res.error.message).toMatch(/^IP-0049 is held out of service by this plan's failed test/);
    expect(core.db.prepare('SELECT active FROM plans WHERE id = ?').pluck().get(p.id)).toBe(1);
  });
});

describe('two people decide one conflict on one PC', () => {
  it('the second, in another window, is refused in words saying who decided first and how; nothing of theirs is written', async () => {
    const { core, backend, session } = await supervisorPc();
    const dev = device(core, 'IP-0044', { name: 'Infusion pump, Alaris' });
    const id = logConflict(core, 'equipment', [dev], { name: 'Infusion pump, Alaris' }, { name: 'Infusion pump, Baxter' });
    // A second window, another supervisor signed in, opened on the same list.
    const other = createBackend(core, {
      logError: (err) => {
        throw err;
      },
    });
    const second = newSession(core.clock.now().getTime());
    signedInUser(core, 'supervisor', { name: 'Sam Second', session: second });
    expect((await backend.invoke(session, 'sync.resolveConflict', { id, choice: 'kept', changedSince: null })).ok).toBe(true);
    const late = await other.invoke(second, 'sync.resolveConflict', { id, choice: 'used_other', changedSince: null });
    expect(late.ok ? 'written' : late.error.message).toBe(
      'This conflict was already resolved by Test supervisor, who kept the value in force: look at the row as it is now, and change it there if needed.',
    );
    expect(core.db.prepare('SELECT name FROM equipment WHERE id = ?').pluck().get(dev)).toBe('Infusion pump, Alaris');
    expect(core.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'resolve_conflict'").pluck().get()).toBe(1);
  });
});
