import { describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { countsOf, dueCounts, dueCountsSql, dueList, dueListSql, duePage, todayView, URGENT_SQL, urgentPlans } from '../../../main/core/due/service';
import { listLocations } from '../../../main/core/locations/service';
import { deactivatePlan } from '../../../main/core/plans/service';
import { updateSettings } from '../../../main/core/settings/service';
import { insertUser } from '../../../main/core/users/service';
import { uuidv7 } from '../../../main/core/ids';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, done, place, plan } from '../plans/fixtures';
import { queryPlan } from '../../helpers/query-plan';

const TODAY = '2025-11-25';

/**
 * A small hospital on 2025-11-25. Ward 4B (two bays) and Ward 4A, and a clinic whose devices sit on
 * the site itself.
 */
function hospital() {
  const core = testCore({ clock: fixedClock('2025-11-25T15:00:00Z') });
  const b1 = 'General Hospital > Ward 4B > Bay 1';
  const b2 = 'General Hospital > Ward 4B > Bay 2';
  const a1 = 'General Hospital > Ward 4A > Bay 1';
  const pump = device(core, 'IP-0002', { name: 'Infusion pump', location: b2, risk: 'high' });
  const defib = device(core, 'DF-0001', { name: 'Defibrillator', location: b1, risk: 'high' });
  const scale = device(core, 'SC-0003', { name: 'Patient scale', location: a1, risk: 'low' });
  const ecg = device(core, 'EC-0004', { name: 'ECG', location: 'Clinic Nord', risk: 'medium' });
  const broken = device(core, 'BR-0005', { name: 'Broken monitor', location: b1, status: 'out_of_service' });
  const plans = {
    // overdue 10 days, calibration: do not use
    pumpCal: plan(core, pump, 'calibration', '1y', '2025-11-15'),
    // overdue 3 days, inspection
    defibInsp: plan(core, defib, 'inspection', '1m', '2025-11-22'),
    // overdue 10 days: same date as the pump, sorted after it by location (Bay 1 < Bay 2)
    defibEs: plan(core, defib, 'electrical_safety', '1y', '2025-11-15'),
    // due (window 30): due date 2025-12-10
    scaleCal: plan(core, scale, 'calibration', '1y', '2025-12-10'),
    // due today
    ecgClean: plan(core, ecg, 'cleaning', '1d', TODAY),
    // within grace: due, not overdue (due 2025-11-23, grace 5)
    pumpInsp: plan(core, pump, 'inspection', '1m', '2025-11-23', { graceDays: 5 }),
    // scheduled: due 2025-12-02 (window 0)
    scaleClean: plan(core, scale, 'cleaning', '1w', '2025-12-02'),
    // scheduled far away
    ecgCal: plan(core, ecg, 'calibration', '1y', '2026-06-01'),
    // suspended: its device is out of service
    brokenCal: plan(core, broken, 'calibration', '1y', '2025-01-01'),
  };
  return { core, devices: { pump, defib, scale, ecg, broken }, plans };
}

const brief = (core: Core, options: Parameters<typeof dueList>[1]) =>
  dueList(core, options).map((r) => `${r.status} ${r.dueDate} ${r.assetTag} ${r.task}${r.doNotUse ? ' DNU' : ''}`);

describe('the due list', () => {
  it('lists overdue then due, by due date, then location, then asset tag; suspended plans never', () => {
    const { core } = hospital();
    expect(brief(core, { asOf: TODAY, sort: 'status' })).toEqual([
      'overdue 2025-11-15 DF-0001 electrical_safety DNU',
      'overdue 2025-11-15 IP-0002 calibration DNU',
      'overdue 2025-11-22 DF-0001 inspection',
      'due 2025-11-23 IP-0002 inspection',
      'due 2025-11-25 EC-0004 cleaning',
      'due 2025-12-10 SC-0003 calibration',
    ]);
  });

  it('gives each row its device, location path, ward, room, days overdue and risk', () => {
    const { core, plans, devices } = hospital();
    const rows = dueList(core, { asOf: TODAY, sort: 'status' });
    expect(rows.find((r) => r.planId === plans.pumpCal.id)).toEqual({
      planId: plans.pumpCal.id,
      equipmentId: devices.pump,
      stockLocationId: null,
      assetTag: 'IP-0002',
      name: 'Infusion pump',
      locationId: expect.any(String),
      location: 'General Hospital > Ward 4B > Bay 2',
      wardId: expect.any(String),
      wardPath: 'General Hospital > Ward 4B',
      ward: 'Ward 4B',
      room: 'Bay 2',
      task: 'calibration',
      taskLabel: 'Calibration',
      dueDate: '2025-11-15',
      status: 'overdue',
      daysOverdue: 10,
      windowDays: 30,
      graceDays: 0,
      risk: 'high',
      doNotUse: true,
    });
    expect(rows.find((r) => r.planId === plans.ecgClean.id)).toMatchObject({ location: 'Clinic Nord', ward: null, room: null, wardPath: 'Clinic Nord' });
    expect(rows.find((r) => r.planId === plans.pumpInsp.id)).toMatchObject({ status: 'due', daysOverdue: 0 });
  });

  it('adds plans scheduled within --within days of the day', () => {
    const { core } = hospital();
    expect(brief(core, { asOf: TODAY, withinDays: 7, sort: 'status' }).slice(-2)).toEqual([
      'due 2025-12-10 SC-0003 calibration',
      'scheduled 2025-12-02 SC-0003 cleaning',
    ]);
    expect(brief(core, { asOf: TODAY, withinDays: 6, sort: 'status' })).not.toContain('scheduled 2025-12-02 SC-0003 cleaning');
    expect(brief(core, { asOf: TODAY, withinDays: 400, sort: 'status' })).toContain('scheduled 2026-06-01 EC-0004 calibration');
  });

  it('narrows by location (with everything inside it), task, risk and status', () => {
    const { core } = hospital();
    const ward4b = place(core, 'General Hospital > Ward 4B');
    expect(brief(core, { asOf: TODAY, locationIds: [ward4b], sort: 'status' })).toEqual([
      'overdue 2025-11-15 DF-0001 electrical_safety DNU',
      'overdue 2025-11-15 IP-0002 calibration DNU',
      'overdue 2025-11-22 DF-0001 inspection',
      'due 2025-11-23 IP-0002 inspection',
    ]);
    const site = place(core, 'General Hospital');
    expect(dueList(core, { asOf: TODAY, locationIds: [site], sort: 'status' })).toHaveLength(5);
    expect(brief(core, { asOf: TODAY, tasks: ['calibration'], sort: 'status' })).toEqual([
      'overdue 2025-11-15 IP-0002 calibration DNU',
      'due 2025-12-10 SC-0003 calibration',
    ]);
    expect(brief(core, { asOf: TODAY, risks: ['low', 'medium'], sort: 'status' })).toEqual([
      'due 2025-11-25 EC-0004 cleaning',
      'due 2025-12-10 SC-0003 calibration',
    ]);
    expect(brief(core, { asOf: TODAY, statuses: ['overdue'], sort: 'status' })).toHaveLength(3);
  });

  it('sorts for a walk round the rooms: location, then due date', () => {
    const { core } = hospital();
    expect(dueList(core, { asOf: TODAY, sort: 'walk' }).map((r) => `${r.location} ${r.dueDate} ${r.assetTag}`)).toEqual([
      'Clinic Nord 2025-11-25 EC-0004',
      'General Hospital > Ward 4A > Bay 1 2025-12-10 SC-0003',
      'General Hospital > Ward 4B > Bay 1 2025-11-15 DF-0001',
      'General Hospital > Ward 4B > Bay 1 2025-11-22 DF-0001',
      'General Hospital > Ward 4B > Bay 2 2025-11-15 IP-0002',
      'General Hospital > Ward 4B > Bay 2 2025-11-23 IP-0002',
    ]);
  });

  it('moves with the day asked for: status is computed at read time', () => {
    const { core } = hospital();
    expect(brief(core, { asOf: '2025-11-14', sort: 'status' })).toEqual([
      'due 2025-11-15 DF-0001 electrical_safety',
      'due 2025-11-15 IP-0002 calibration',
      'due 2025-12-10 SC-0003 calibration',
    ]);
    // A monthly inspection's window is 3 days: due from 2025-11-19.
    expect(brief(core, { asOf: '2025-11-19', sort: 'status' })).toContain('due 2025-11-22 DF-0001 inspection');
  });

  it('drops a plan once its work is done, and a deactivated one', () => {
    const { core, plans } = hospital();
    done(core, plans.pumpCal.id, '2025-11-25T09:00:00Z');
    expect(brief(core, { asOf: TODAY, sort: 'status' })).not.toContain('overdue 2025-11-15 IP-0002 calibration DNU');
    inTransaction(core, (core) => deactivatePlan(core, testActor, plans.defibInsp.id));
    expect(brief(core, { asOf: TODAY, sort: 'status' })).toEqual([
      'overdue 2025-11-15 DF-0001 electrical_safety DNU',
      'due 2025-11-23 IP-0002 inspection',
      'due 2025-11-25 EC-0004 cleaning',
      'due 2025-12-10 SC-0003 calibration',
    ]);
  });

  it('lists the plans of stock locations beside those of devices', () => {
    const { core } = hospital();
    const ward4b = place(core, 'General Hospital > Ward 4B');
    const now = '2025-11-25T15:00:00.000Z';
    const cart = uuidv7();
    const gone = uuidv7();
    for (const [id, name, active] of [
      [cart, 'Crash cart 1', 1],
      [gone, 'Old store', 0],
    ] as const) {
      core.db
        .prepare(
          `INSERT INTO stock_locations (id, name, kind, location_id, active, created_at, updated_at, pc_id) VALUES (?, ?, 'crash_cart', ?, ?, ?, ?, 'pc')`,
        )
        .run(id, name, ward4b, active, now, now);
      core.db
        .prepare(
          `INSERT INTO plans (id, stock_location_id, task, interval_n, interval_unit, start_date, window_days, grace_days, next_due, due_from,
             created_at, updated_at, pc_id) VALUES (?, ?, 'stock_check', 1, 'week', '2025-11-20', 0, 0, '2025-11-20', '2025-11-20', ?, ?, 'pc')`,
        )
        .run(uuidv7(), id, now, now);
    }
    const rows = dueList(core, { asOf: TODAY, locationIds: [ward4b], sort: 'status' });
    const stock = rows.filter((r) => r.stockLocationId !== null);
    expect(stock).toEqual([
      expect.objectContaining({ stockLocationId: cart, equipmentId: null, assetTag: null, name: 'Crash cart 1', location: 'General Hospital > Ward 4B', status: 'overdue', daysOverdue: 5, doNotUse: false }),
    ]);
    expect(dueCounts(core, { asOf: TODAY, locationIds: [ward4b] })).toEqual([
      { wardId: ward4b, wardPath: 'General Hospital > Ward 4B', overdue: 4, due: 1 },
    ]);
  });
});

describe('counts per ward', () => {
  it('counts overdue and due per ward (a device on a site counts under the site), in path order', () => {
    const { core } = hospital();
    expect(dueCounts(core, { asOf: TODAY }).map(({ wardId: _id, ...c }) => c)).toEqual([
      { wardPath: 'Clinic Nord', overdue: 0, due: 1 },
      { wardPath: 'General Hospital > Ward 4A', overdue: 0, due: 1 },
      { wardPath: 'General Hospital > Ward 4B', overdue: 3, due: 1 },
    ]);
    const ward4a = place(core, 'General Hospital > Ward 4A');
    expect(dueCounts(core, { asOf: TODAY, locationIds: [ward4a] }).map((c) => c.wardPath)).toEqual(['General Hospital > Ward 4A']);
  });

  it('puts numbered wards in the order of their numbers, as the location tree does: Ward 2 before Ward 10', () => {
    const { core } = hospital();
    for (const [tag, ward] of [['W10-1', 'Clinic Nord > Ward 10'], ['W2-1', 'Clinic Nord > Ward 2'], ['W9-1', 'Clinic Nord > Ward 9']] as const) {
      plan(core, device(core, tag, { name: 'Suction unit', location: ward }), 'inspection', '1m', '2025-11-15');
    }
    const wards = dueCounts(core, { asOf: TODAY }).map((c) => c.wardPath).filter((p) => p.startsWith('Clinic Nord > '));
    expect(wards).toEqual(['Clinic Nord > Ward 2', 'Clinic Nord > Ward 9', 'Clinic Nord > Ward 10']);
    expect(duePage(core, { asOf: TODAY, sort: 'status' }, 1).counts.map((c) => c.wardPath).filter((p) => p.startsWith('Clinic Nord > '))).toEqual(wards);
  });

  it('agrees with the due list on any day', () => {
    const { core } = hospital();
    for (const asOf of ['2025-11-01', '2025-11-15', '2025-11-16', TODAY, '2025-12-31', '2026-07-01']) {
      const rows = dueList(core, { asOf, sort: 'status' });
      const counts = dueCounts(core, { asOf });
      expect(counts.reduce((n, c) => n + c.overdue, 0)).toBe(rows.filter((r) => r.status === 'overdue').length);
      expect(counts.reduce((n, c) => n + c.due, 0)).toBe(rows.filter((r) => r.status === 'due').length);
      // The home screen counts the rows it already has: the same answer.
      expect(countsOf(rows)).toEqual(counts);
      // Today makes only the rows it shows (issue 17): the list's first rows, its length and the same counts.
      for (const limit of [1, 3, 500]) {
        expect(duePage(core, { asOf, sort: 'status' }, limit)).toEqual({ rows: rows.slice(0, limit), total: rows.length, counts });
      }
    }
  });
});

describe("Today's page", () => {
  it('cuts a run of rows alike in status, date and location by asset tag, as the whole list does', () => {
    const { core } = hospital();
    // Six devices in one bay, each overdue since the same day: their sort keys are equal, so the
    // asset tag decides, and the first page ends inside the run.
    const bay = 'General Hospital > Ward 4B > Bay 1';
    for (const tag of ['ZZ-0006', 'AA-0001', 'MM-0003', 'BB-0002', 'YY-0005', 'NN-0004']) {
      plan(core, device(core, tag, { name: 'Suction unit', location: bay }), 'inspection', '1m', '2025-11-15');
    }
    const rows = dueList(core, { asOf: TODAY, sort: 'status' });
    for (const limit of [1, 2, 3, 4, 5, 7, 9, 12]) {
      expect(duePage(core, { asOf: TODAY, sort: 'status' }, limit)).toEqual({ rows: rows.slice(0, limit), total: rows.length, counts: countsOf(rows) });
    }
    expect(duePage(core, { asOf: TODAY, sort: 'status' }, 4).rows.map((r) => r.assetTag)).toEqual(['AA-0001', 'BB-0002', 'DF-0001', 'MM-0003']);
  });

  it('pages a ward, a task and a walk order as the whole list does', () => {
    const { core } = hospital();
    const ward4b = place(core, 'General Hospital > Ward 4B');
    for (const options of [
      { asOf: TODAY, sort: 'status' as const, locationIds: [ward4b] },
      { asOf: TODAY, sort: 'status' as const, tasks: ['calibration'], withinDays: 400 },
      { asOf: TODAY, sort: 'walk' as const, withinDays: 30 },
      { asOf: TODAY, sort: 'status' as const, statuses: ['due' as const] },
    ]) {
      const rows = dueList(core, options);
      expect(rows.length).toBeGreaterThan(0);
      for (const limit of [1, 2, rows.length + 1]) {
        expect(duePage(core, options, limit)).toEqual({ rows: rows.slice(0, limit), total: rows.length, counts: countsOf(rows) });
      }
    }
  });
});

describe('urgent plans of listed devices', () => {
  it('gives each device its most urgent plan, do-not-use if any plan blocks use, and leaves out devices with none', () => {
    const { core, devices, plans } = hospital();
    const none = device(core, 'NO-0009');
    const urgent = urgentPlans(core, [devices.pump, devices.defib, devices.scale, devices.broken, none], TODAY);
    expect(urgent.get(devices.pump)).toMatchObject({ planId: plans.pumpCal.id, status: 'overdue', daysOverdue: 10, doNotUse: true });
    expect(urgent.get(devices.defib)).toMatchObject({ planId: plans.defibEs.id, status: 'overdue', doNotUse: true });
    expect(urgent.get(devices.scale)).toMatchObject({ planId: plans.scaleCal.id, status: 'due', dueDate: '2025-12-10', doNotUse: false });
    expect(urgent.get(devices.broken)).toMatchObject({ status: 'suspended', doNotUse: false });
    expect(urgent.has(none)).toBe(false);
  });

  it('flags do-not-use even when the overdue calibration is not the most urgent plan', () => {
    const core = testCore({ clock: fixedClock('2025-11-25T15:00:00Z') });
    const id = device(core, 'X-1');
    plan(core, id, 'inspection', '1m', '2025-11-01');
    plan(core, id, 'calibration', '1y', '2025-11-20');
    expect(urgentPlans(core, [id], TODAY).get(id)).toMatchObject({ task: 'inspection', daysOverdue: 24, doNotUse: true });
  });
});

describe('the home screen', () => {
  it("starts on the user's home ward, else this PC's ward, else everywhere", () => {
    const { core } = hospital();
    const ward4a = place(core, 'General Hospital > Ward 4A');
    const ward4b = place(core, 'General Hospital > Ward 4B');
    const user = (homeLocationId: string | null, name: string) =>
      inTransaction(core, (core) => insertUser(core, testActor, { name, role: 'technician', homeLocationId, pinHash: null, passwordHash: null, mustSetPin: false }).id);
    const homed = user(ward4a, 'Hana Home');
    const roaming = user(null, 'Rory Roam');
    expect(todayView(core, roaming, {})).toMatchObject({ locationId: null, defaultSource: 'all', total: 6 });
    inTransaction(core, (core) => updateSettings(core, testActor, { defaultLocationId: ward4b }));
    expect(todayView(core, roaming, {})).toMatchObject({ locationId: ward4b, locationPath: 'General Hospital > Ward 4B', defaultSource: 'pc', total: 4 });
    const mine = todayView(core, homed, {});
    expect(mine).toMatchObject({ locationId: ward4a, defaultSource: 'user', defaultLocationId: ward4a, total: 1 });
    expect(mine.counts).toEqual([{ wardId: ward4a, wardPath: 'General Hospital > Ward 4A', overdue: 0, due: 1 }]);
    // The selector: any location, or all.
    expect(todayView(core, homed, { locationId: null })).toMatchObject({ locationId: null, total: 6, defaultLocationId: ward4a });
    expect(todayView(core, homed, { locationId: ward4b, limit: 2 })).toMatchObject({ total: 4, rows: [expect.anything(), expect.anything()] });
  });
});

describe('query plans', () => {
  const plansOf = (core: Core, sql: string, params: Record<string, unknown>) => queryPlan(core.db, sql, params);

  it('the due list and the counts are one range of a covering index (plans_due; plans_ward_due, led by the location, for some locations), never a scan of plans, targets or completions', () => {
    const { core } = hospital();
    const all = listLocations(core);
    const ward = place(core, 'General Hospital > Ward 4B');
    const whole = 'SEARCH p USING COVERING INDEX plans_due (target_in_service=? AND due_from<?)';
    const byWard = 'SEARCH p USING COVERING INDEX plans_ward_due (target_location_id=? AND target_in_service=? AND due_from<?)';
    const queries = [
      { q: dueListSql({ asOf: TODAY }, all), index: whole },
      { q: dueListSql({ asOf: TODAY, withinDays: 30, locationIds: [ward], tasks: ['calibration'], risks: ['high'] }, all), index: byWard },
      { q: dueCountsSql(TODAY, null), index: whole },
      { q: dueCountsSql(TODAY, [ward]), index: byWard },
    ];
    for (const { q, index } of queries) {
      const plan = plansOf(core, q.sql, q.params);
      expect(plan).toContain(index);
      expect(plan.filter((d) => /^(SCAN|SEARCH) (p|e|s)\b/.test(d) && d !== index)).toEqual([]);
      expect(plan.filter((d) => /completions|equipment|stock_locations/.test(d))).toEqual([]);
    }
  });

  it('urgent plans probe plans_equipment once per device', () => {
    const { core } = hospital();
    const plan = plansOf(core, URGENT_SQL, { ids: '[]' });
    expect(plan).toContain('SEARCH p USING INDEX plans_equipment (equipment_id=?)');
    expect(plan.filter((d) => /^SCAN (p|e)\b/.test(d))).toEqual([]);
  });
});
