import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { setEquipmentStatus, updateEquipment } from '../../../main/core/equipment/service';
import { hashSecret } from '../../../main/core/auth/passwords';
import { insertUser, setUserActive, userRowByName } from '../../../main/core/users/service';
import { AppError } from '../../../main/core/errors';
import { openWorkOrderOf } from '../../../main/core/repairs/store';
import { reportFault, retireWorkOrder, returnWorkOrder, takeWorkOrder } from '../../../main/core/repairs/work-orders';
import { newSession } from '../../../main/core/session';
import { deriveServiceState } from '../../../main/core/sync/service-status';
import { syncStatus } from '../../../main/core/sync/status';
import { syncConnection } from '../../../main/core/sync/capture';
import { checkPermanentRows } from '../../../main/core/permanent/check';
import { EquipmentFields } from '../../../shared/domain/equipment';
import type { EquipmentStatus } from '../../../shared/domain/equipment';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device, done, plan } from '../plans/fixtures';
import { testHub, testPc } from './harness';

const DAY = 24 * 3600 * 1000;

describe('clocks that are wrong', () => {
  it("sync anyway: the hub's time gives the offset, a warning says so, and a skewed PC's later edit still wins", async () => {
    const hub = await testHub();
    const slow = await testPc(hub, 'Ward 4B', { clock: { now: () => new Date(Date.now() - 3 * DAY) } });
    const fast = await testPc(hub, 'Emergency');
    const id = device(fast.core, 'DF-1');
    await fast.sync();
    await slow.sync();
    const status = syncStatus(slow.core);
    expect(status.state).toBe('synced');
    expect(status.clockOffsetMs).toBeGreaterThan(3 * DAY - 60_000);
    expect(status.clockWarning).toMatch(/^This PC's clock is 72 hours behind the hub's\. Syncing goes on/);
    expect(syncStatus(fast.core).clockWarning).toBeNull();
    // Three days slow, yet its edit made after the other's is the later one: stamped by the hub's time.
    const rename = (core: typeof slow.core, name: string) => {
      const e = core.db.prepare('SELECT location_id FROM equipment WHERE id = ?').pluck().get(id) as string;
      inTransaction(core, (w) =>
        updateEquipment(w, testActor, { ...EquipmentFields.parse({ assetTag: 'DF-1', name, locationId: e }), id }),
      );
    };
    rename(fast.core, 'First name');
    await new Promise((r) => setTimeout(r, 20));
    rename(slow.core, 'Second name');
    await fast.sync();
    await slow.sync();
    await fast.sync();
    for (const pc of [slow, fast])
      expect(pc.core.db.prepare('SELECT name FROM equipment WHERE id = ?').pluck().get(id)).toBe('Second name');
  });
});

describe('a clock set days ahead while the PC was offline', () => {
  it('a failed test logged then tags the device out on every PC; nothing of it is refused, nor what the PC logs once its clock is right', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const id = device(a.core, 'DF-0001');
    const p = plan(a.core, id, 'electrical_safety', '1y', '2025-01-01');
    await a.sync();
    await b.sync();
    // Offline, Ward 4B's clock is set five days ahead (a flat battery, a date typed in wrong): the offset it holds does not correct it.
    const capture = syncConnection(a.core.db);
    capture.now = () => Date.now() + 5 * DAY;
    done(a.core, p.id, new Date().toISOString(), 'fail');
    expect(a.core.db.prepare('SELECT status FROM equipment WHERE id = ?').pluck().get(id)).toBe('out_of_service');
    await a.sync();
    // IT sets the clock right; more work is logged and synced.
    capture.now = () => Date.now();
    const id2 = device(a.core, 'DF-0002');
    done(a.core, plan(a.core, id2, 'electrical_safety', '1y', '2025-01-01').id, new Date().toISOString(), 'pass');
    await a.sync();
    await b.sync();
    expect(a.core.db.prepare('SELECT tbl, reason FROM sync_quarantine').all()).toEqual([]);
    expect(b.core.db.prepare('SELECT status FROM equipment WHERE id = ?').pluck().get(id)).toBe('out_of_service');
    expect(b.core.db.prepare('SELECT count(*) FROM completions').pluck().get()).toBe(2);
    // Every audit entry of Ward 4B reached the hub, so every record on Emergency is vouched for.
    const heads = await hub.pool.query<{ seq: number }>('SELECT seq::int AS seq FROM hub_audit_heads WHERE chain_id = $1', [a.core.pcId]);
    expect(heads.rows[0]!.seq).toBe(a.core.db.prepare('SELECT max(seq) FROM audit_log WHERE chain_id = ?').pluck().get(a.core.pcId));
    expect(checkPermanentRows(b.core.db).findings).toEqual([]);
    // Its clock was days ahead, then right: no stamp of it is ahead of the hub's time.
    const newest = await hub.pool.query<{ wall: string }>(
      "SELECT max(split_part(value, '.', 1)) AS wall FROM equipment, jsonb_each_text(_clocks)",
    );
    expect(Number(newest.rows[0]!.wall)).toBeLessThan(Date.now() + 60_000);
    expect(syncStatus(a.core).state).toBe('synced');
  });
});

describe('users, hospital-wide', () => {
  it('a user deactivated on one PC cannot sign in on another after its next sync', async () => {
    const hub = await testHub();
    const a = await testPc(hub, 'Ward 4B');
    const b = await testPc(hub, 'Emergency');
    const pinHash = await hashSecret('2580');
    const user = inTransaction(a.core, (w) =>
      insertUser(w, testActor, {
        name: 'Ana Silva',
        role: 'technician',
        homeLocationId: null,
        pinHash,
        passwordHash: null,
        mustSetPin: false,
      }),
    );
    await a.sync();
    await b.sync();
    const backend = createBackend(b.core);
    expect(await backend.invoke(newSession(Date.now()), 'auth.signIn', { userId: user.id, secret: '2580' })).toMatchObject({ ok: true });
    inTransaction(a.core, (w) => setUserActive(w, testActor, user.id, false));
    await a.sync();
    await b.sync();
    expect(await backend.invoke(newSession(Date.now()), 'auth.signIn', { userId: user.id, secret: '2580' })).toMatchObject({
      ok: false,
      error: { message: 'That user is not active.' },
    });
    // A lockout stays on the PC where it happened.
    expect(a.core.db.prepare("SELECT count(*) FROM sync_outbox WHERE data LIKE '%failed_attempts%'").pluck().get()).toBe(0);
  });
});

describe('rule 12 derived from the records', () => {
  it('gives the status the app sets as work is logged and statuses are changed, whatever the sequence', () => {
    const STATUSES: EquipmentStatus[] = ['in_service', 'out_of_service', 'missing', 'retired'];
    const action = fc.oneof(
      fc.record({ kind: fc.constant('record' as const), plan: fc.nat(1), fail: fc.boolean(), daysAgo: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ kind: fc.constant('status' as const), status: fc.nat(3) }),
      // Repairs (issue 16): a fault reported (taking the device out of use or not), its work order taken.
      fc.record({ kind: fc.constant('fault' as const), takeOut: fc.boolean() }),
      fc.record({ kind: fc.constant('take' as const) }),
    );
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 15 }), (actions) => {
        const clock = fixedClock('2026-06-01T12:00:00Z');
        const core = testCore({ clock });
        try {
          const id = device(core, 'DF-1');
          const plans = [plan(core, id, 'electrical_safety', '1y', '2025-01-01').id, plan(core, id, 'calibration', '1y', '2025-01-01').id];
          inTransaction(core, (w) =>
            insertUser(w, testActor, { name: 'Sue Super', role: 'supervisor', homeLocationId: null, pinHash: null, passwordHash: null, mustSetPin: true }),
          );
          const sue = userRowByName(core, 'Sue Super')!;
          // What the app refuses (a step out of order, a status a work order decides) changes nothing, and is no failure here.
          const refusedOr = (fn: () => void) => {
            try {
              fn();
            } catch (e) {
              if (!(e instanceof AppError)) throw e;
            }
          };
          for (const a of actions) {
            clock.set(new Date(clock.now().getTime() + 3600_000).toISOString());
            const current = core.db.prepare('SELECT status FROM equipment WHERE id = ?').pluck().get(id);
            const open = openWorkOrderOf(core, id);
            if (a.kind === 'record')
              done(core, plans[a.plan]!, new Date(clock.now().getTime() - a.daysAgo * DAY).toISOString(), a.fail ? 'fail' : 'pass');
            else if (a.kind === 'fault')
              refusedOr(() => inTransaction(core, (w) => reportFault(w, sue, { equipmentId: id, problem: 'Alarm', takeOutOfUse: a.takeOut, secret: '' })));
            else if (a.kind === 'take') {
              if (open) refusedOr(() => inTransaction(core, (w) => takeWorkOrder(w, sue, { id: open.id, note: null })));
            } else {
              const status = STATUSES[a.status]!;
              if (current === status) continue;
              // With a work order open, the device changes status through it (returned, or retired beyond repair).
              if (open && status === 'in_service') refusedOr(() => inTransaction(core, (w) => returnWorkOrder(w, sue, { id: open.id, note: null })));
              else if (open && status === 'retired') refusedOr(() => inTransaction(core, (w) => retireWorkOrder(w, sue, { id: open.id, reason: 'Beyond repair' })));
              else if (!open) inTransaction(core, (w) => setEquipmentStatus(w, testActor, { id, status, reason: 'By hand' }));
            }
            const stored = core.db.prepare('SELECT status FROM equipment WHERE id = ?').pluck().get(id);
            expect(deriveServiceState(core, id)?.status).toBe(stored);
          }
        } finally {
          core.close();
        }
      }),
      { numRuns: Number(process.env.SYNC_PROPERTY_RUNS ?? 12) * 5 },
    );
  }, 600_000);
});
