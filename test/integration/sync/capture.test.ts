import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { deleteEquipment, setEquipmentStatus, updateEquipment } from '../../../main/core/equipment/service';
import { taskTypeMap, updatePlan } from '../../../main/core/plans/service';
import { updateTaskType } from '../../../main/core/plans/task-types';
import { updateSettings } from '../../../main/core/settings/service';
import { removeStockLevel, setStockLevel } from '../../../main/core/stock/catalog';
import { captureProblems, installCapture, takeForeignWrites, withoutCapture } from '../../../main/core/sync/capture';
import { parseHlc } from '../../../main/core/sync/hlc';
import { PERMANENT_TABLES } from '../../../main/core/permanent/tables';
import { SYNC_TABLES, syncTable } from '../../../main/core/sync/tables';
import { EquipmentFields } from '../../../shared/domain/equipment';
import { PlanUpdate } from '../../../shared/domain/plan';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, done, place, plan } from '../plans/fixtures';

interface OutboxRow {
  seq: number;
  replica: string;
  hlc: string;
  tbl: string;
  pk: string;
  op: string;
  data: string;
  base: string | null;
}

function joined(options: { clock?: ReturnType<typeof fixedClock> } = {}) {
  const core = testCore(options.clock ? { clock: options.clock } : {});
  inTransaction(core, (w) => installCapture(w));
  const outbox = () =>
    (core.db.prepare('SELECT * FROM sync_outbox ORDER BY seq').all() as OutboxRow[]).map((r) => ({
      ...r,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  const clear = () => core.db.prepare('DELETE FROM sync_outbox').run();
  return { core, outbox, clear };
}

describe('change capture', () => {
  it('syncs every column of an append-only row, and every column a permanent row is bound to the audit trail by', () => {
    const core = testCore();
    const columns = (table: string) => core.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
    for (const t of SYNC_TABLES.filter((t) => t.kind === 'append')) {
      expect({ table: t.name, columns: [...t.key, ...Object.keys(t.fields)].sort() }).toEqual({ table: t.name, columns: columns(t.name).sort() });
    }
    // A row that arrives must carry what its binding entry holds, or verify on the receiving PC finds it changed.
    // Every permanent row syncs (work order steps and the status history since version 10).
    for (const spec of PERMANENT_TABLES) {
      const t = syncTable(spec.table);
      expect(t, spec.table).toBeDefined();
      const synced = new Set([...t!.key, ...Object.keys(t!.fields)]);
      expect({ table: spec.table, missing: spec.columns.filter((c) => !synced.has(c)) }).toEqual({ table: spec.table, missing: [] });
    }
  });

  it('captures nothing on a PC that has not joined a hub', () => {
    const core = testCore();
    device(core, 'DF-1');
    expect(core.db.prepare('SELECT count(*) FROM sync_outbox').pluck().get()).toBe(0);
    expect(core.db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'sync_%'").pluck().get()).toBe(0);
  });

  it("captures a new device with every synced field, stamped with this PC's clock, and its audit entry", () => {
    const { core, outbox } = joined();
    const id = device(core, 'DF-1', { name: 'Defibrillator' });
    const rows = outbox();
    const eq = rows.find((r) => r.tbl === 'equipment')!;
    expect(eq).toMatchObject({ op: 'insert', pk: JSON.stringify([id]), replica: core.pcId, base: null });
    expect(eq.data).toMatchObject({
      asset_tag: 'DF-1',
      name: 'Defibrillator',
      manual_status: 'in_service',
      manual_overrides: '[]',
      _exists: 1,
    });
    // Derived and local columns stay on the PC.
    expect(Object.keys(eq.data)).not.toContain('status');
    expect(Object.keys(eq.data)).not.toContain('asset_tag_key');
    expect(Object.keys(eq.data)).not.toContain('updated_at');
    expect(parseHlc(eq.hlc).node).toBe(core.pcId);
    expect(rows.some((r) => r.tbl === 'audit_log' && r.data.entity === 'equipment' && r.data.entity_id === id)).toBe(true);
    const clocks = JSON.parse(
      core.db
        .prepare("SELECT clocks FROM sync_row_clock WHERE tbl = 'equipment' AND pk = ?")
        .pluck()
        .get(JSON.stringify([id])) as string,
    ) as Record<string, string>;
    expect(clocks.name).toBe(eq.hlc);
  });

  it('captures only the fields an edit changed, with the clocks they replaced as its base', () => {
    const { core, outbox, clear } = joined();
    const id = device(core, 'DF-1', { name: 'Defibrillator' });
    const before = core.db.prepare("SELECT clocks FROM sync_row_clock WHERE tbl = 'equipment'").pluck().get() as string;
    clear();
    const e = core.db.prepare('SELECT * FROM equipment WHERE id = ?').get(id) as { location_id: string };
    const fields = EquipmentFields.parse({ assetTag: 'DF-1', name: 'Defibrillator, adult', locationId: e.location_id });
    inTransaction(core, (w) => updateEquipment(w, testActor, { ...fields, id }));
    const eq = outbox().filter((r) => r.tbl === 'equipment');
    expect(eq).toHaveLength(1);
    expect(eq[0]).toMatchObject({ op: 'update', data: { name: 'Defibrillator, adult' }, base: before });
    expect(eq[0]!.hlc > (JSON.parse(before) as { name: string }).name).toBe(true);
  });

  it("sends a merge group whole: a plan's rule moves as one", () => {
    const { core, outbox, clear } = joined();
    const id = device(core, 'DF-1');
    const p = plan(core, id, 'calibration', '1y', '2025-01-01');
    clear();
    inTransaction(core, (w) =>
      updatePlan(w, testActor, PlanUpdate.parse({ id: p.id, every: '6m', startDate: '2025-01-01', mode: 'floating' })),
    );
    const update = outbox().find((r) => r.tbl === 'plans')!;
    expect(Object.keys(update.data).sort()).toEqual(['grace_days', 'interval_n', 'interval_unit', 'mode', 'start_date', 'window_days']);
    expect(update.data).toMatchObject({ interval_n: 6, interval_unit: 'month' });
  });

  it('leaves derived state alone: next due dates and a tag-out by a failed test are not changes to send', () => {
    const { core, outbox, clear } = joined();
    const id = device(core, 'DF-1');
    const p = plan(core, id, 'electrical_safety', '1y', '2025-01-01');
    clear();
    done(core, p.id, '2025-03-01T10:00:00Z', 'fail');
    expect(core.db.prepare('SELECT status FROM equipment WHERE id = ?').pluck().get(id)).toBe('out_of_service');
    expect(
      outbox()
        .map((r) => r.tbl)
        .sort(),
    ).toEqual(['audit_log', 'audit_log', 'audit_log', 'audit_log', 'audit_log', 'completions', 'status_changes', 'work_order_steps', 'work_orders']);
    // The record, the status history's row for the tag-out and the work order the fail opened (issue 16) with its first step are
    // facts every PC keeps; the device's status in force is not sent (each PC derives it), nor is where the work order stands.
    expect(core.db.prepare('SELECT count(*) FROM work_orders').pluck().get()).toBe(1);
    const head = outbox().find((r) => r.tbl === 'work_orders')!;
    expect(Object.keys(head.data)).not.toContain('state');
  });

  it("captures a person's status decision with the fails it overrides", () => {
    const { core, outbox, clear } = joined();
    const id = device(core, 'DF-1');
    const p = plan(core, id, 'electrical_safety', '1y', '2025-01-01');
    // A task whose fail opens no work order (an administrator's choice, issue 16): the person decides, not a work order.
    const safety = taskTypeMap(core).get('electrical_safety')!;
    inTransaction(core, (w) =>
      updateTaskType(w, testActor, {
        code: safety.code,
        label: safety.label,
        formKind: safety.formKind,
        failTakesOutOfService: safety.failTagsOut,
        overdueMeansDoNotUse: safety.overdueBlocksUse,
        failOpensWorkOrder: false,
        active: true,
      }),
    );
    const fail = done(core, p.id, '2025-03-01T10:00:00Z', 'fail');
    clear();
    inTransaction(core, (w) => setEquipmentStatus(w, testActor, { id, status: 'in_service', reason: 'Checked by the manufacturer' }));
    const eq = outbox().find((r) => r.tbl === 'equipment')!;
    expect(eq.data).toEqual({
      manual_status: 'in_service',
      manual_status_reason: 'Checked by the manufacturer',
      manual_overrides: JSON.stringify([fail.id]),
    });
  });

  it("keeps this PC's own settings and lockouts to itself", () => {
    const { core, outbox, clear } = joined();
    const ward = place(core, 'General Hospital > Ward 4B');
    clear();
    inTransaction(core, (w) => updateSettings(w, testActor, { defaultLocationId: ward, hospitalName: 'St Elsewhere' }));
    expect(
      outbox()
        .filter((r) => r.tbl === 'settings')
        .map((r) => r.pk),
    ).toEqual([JSON.stringify(['hospitalName'])]);
  });

  it('refuses to delete a device once the PC is in a hub, and sends a stock level taken off a list as a deletion', () => {
    const { core, outbox, clear } = joined();
    const id = device(core, 'DF-1');
    // The app refuses in words first; the trigger stays for a delete made around it (sqlite3 on the file).
    expect(() => inTransaction(core, (w) => deleteEquipment(w, testActor, id))).toThrow(/cannot be deleted on a PC of the hospital's hub .*retire it instead/);
    expect(() => core.db.prepare('DELETE FROM equipment WHERE id = ?').run(id)).toThrow(/retired .*never deleted/);
    expect(core.db.prepare('SELECT count(*) FROM equipment').pluck().get()).toBe(1);
    const loc = place(core, 'General Hospital > Ward 4B');
    const store = core.db
      .prepare(
        "INSERT INTO stock_locations (id, name, kind, location_id, created_at, updated_at, pc_id) VALUES ('s1', 'Store', 'store', ?, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'pc') RETURNING id",
      )
      .pluck()
      .get(loc) as string;
    const item = core.db
      .prepare(
        "INSERT INTO supply_items (id, name, code, code_key, unit, created_at, updated_at, pc_id) VALUES ('i1', 'Pads', 'P1', 'p1', 'pair', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'pc') RETURNING id",
      )
      .pluck()
      .get() as string;
    inTransaction(core, (w) => setStockLevel(w, testActor, { stockLocationId: store, itemId: item, par: 4, minimum: 2 }));
    clear();
    inTransaction(core, (w) => removeStockLevel(w, testActor, { stockLocationId: store, itemId: item }));
    expect(outbox().filter((r) => r.tbl === 'stock_levels')).toMatchObject([
      { op: 'delete', pk: JSON.stringify([store, item]), data: { _exists: 0 } },
    ]);
  });

  it('does not capture what arrives from the hub', () => {
    const { core, outbox, clear } = joined();
    const id = device(core, 'DF-1');
    clear();
    withoutCapture(core.db, () => core.db.prepare("UPDATE equipment SET name = 'From elsewhere' WHERE id = ?").run(id));
    expect(outbox()).toEqual([]);
    // Nor is it taken for a write from outside Wardkeep.
    expect(inTransaction(core, (w) => takeForeignWrites(w))).toEqual([]);
  });

  it("stamps a PC's edits in order even when its clock steps back", () => {
    const clock = fixedClock('2026-03-01T12:00:00Z');
    const { core, outbox } = joined({ clock });
    const id = device(core, 'DF-1');
    clock.set('2026-02-01T12:00:00Z');
    const e = core.db.prepare('SELECT location_id FROM equipment WHERE id = ?').pluck().get(id) as string;
    inTransaction(core, (w) =>
      updateEquipment(w, testActor, { ...EquipmentFields.parse({ assetTag: 'DF-1', name: 'Renamed', locationId: e }), id }),
    );
    const stamps = outbox().map((r) => r.hlc);
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps).size).toBe(stamps.length);
  });

  it('finds what a foreign writer (the sqlite3 command line) changed, never sends it, and refuses its deletions', () => {
    const { core, clear } = joined();
    const id = device(core, 'DF-1');
    clear();
    expect(inTransaction(core, (w) => takeForeignWrites(w))).toEqual([]);
    const foreign = new BetterSqlite3(core.file);
    try {
      foreign.prepare("UPDATE equipment SET name = 'Forged' WHERE id = ?").run(id);
      expect(() => foreign.prepare('DELETE FROM equipment WHERE id = ?').run(id)).toThrow(/never deleted/);
      expect(captureProblems(core)).toEqual([]);
      foreign.exec('DROP TRIGGER sync_equipment_count_update');
    } finally {
      foreign.close();
    }
    expect(core.db.prepare('SELECT count(*) FROM sync_outbox').pluck().get()).toBe(0);
    expect(inTransaction(core, (w) => takeForeignWrites(w))).toEqual([{ tbl: 'equipment', pk: JSON.stringify([id]), writes: 1 }]);
    expect(captureProblems(core)).toEqual([
      'The change-counting trigger sync_equipment_count_update is missing: it was removed outside Wardkeep.',
    ]);
  });

  describe('on a connection opened before the PC joined (another window, a worker thread, a second process)', () => {
    /** Two connections to one database, as the app's main thread and its worker hold; the second joins the hub. */
    function twoConnections() {
      const first = testCore();
      const second = testCore({ dataDir: first.dataDir });
      const outbox = () => first.db.prepare('SELECT tbl, pk, replica FROM sync_outbox ORDER BY seq').all() as Pick<OutboxRow, 'tbl' | 'pk' | 'replica'>[];
      const sent = (id: string) => outbox().filter((r) => r.tbl === 'equipment' && r.pk === JSON.stringify([id]));
      return { first, second, sent };
    }
    const captureTriggerCount = (core: ReturnType<typeof testCore>) =>
      core.db.prepare("SELECT count(*) FROM sqlite_temp_schema WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'").pluck().get();

    it('captures its next write as its own once another connection has joined the hub', () => {
      const { first, second, sent } = twoConnections();
      const before = device(first, 'DF-0');
      // Issue 17: a PC not in a hub runs no capture triggers at all (about 5 µs of every row written).
      expect(captureTriggerCount(first)).toBe(0);
      expect(sent(before)).toEqual([]);
      inTransaction(second, (w) => installCapture(w));
      const id = device(first, 'DF-1');
      expect(sent(id)).toEqual([{ tbl: 'equipment', pk: JSON.stringify([id]), replica: first.pcId }]);
      // Counted as Wardkeep's own write, not reported as one made outside it.
      expect(inTransaction(second, (w) => takeForeignWrites(w))).toEqual([]);
      expect(inTransaction(first, (w) => takeForeignWrites(w))).toEqual([]);
    });

    it('still captures after the transaction that made its triggers was rolled back', () => {
      const { first, second, sent } = twoConnections();
      inTransaction(second, (w) => installCapture(w));
      // The triggers are made inside the transaction, and go with its rollback.
      expect(() =>
        inTransaction(first, () => {
          throw new Error('The save was refused.');
        }),
      ).toThrow('The save was refused.');
      const id = device(first, 'DF-1');
      expect(sent(id)).toHaveLength(1);
      expect(inTransaction(first, (w) => takeForeignWrites(w))).toEqual([]);
    });

    it('makes its triggers again when something dropped them (a change of temp_store)', () => {
      const { first, sent } = twoConnections();
      inTransaction(first, (w) => installCapture(w));
      expect(captureTriggerCount(first)).toBeGreaterThan(0);
      first.db.pragma('temp_store = FILE');
      first.db.pragma('temp_store = MEMORY');
      expect(captureTriggerCount(first)).toBe(0);
      const id = device(first, 'DF-1');
      expect(sent(id)).toHaveLength(1);
      expect(inTransaction(first, (w) => takeForeignWrites(w))).toEqual([]);
    });
  });
});
