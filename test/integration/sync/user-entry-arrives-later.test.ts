import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { insertUser, updateUser, userRowByName } from '../../../main/core/users/service';
import { testActor } from '../../helpers/core';
import { testHub, testPc } from './harness';

/**
 * A PC applies another PC's new user, or change of a user, only once it holds the audit entry
 * Wardkeep writes of it (apply.ts, vouchedNewUser and vouchedUserFields). Here the hub hands the
 * user's row out in one pull and the entry in a later one: a hub log written in that order (an
 * earlier hub took a PC's users before their entries, or someone wrote the hub's database). The
 * row is not sent again, so the PC keeps the refused row whole and applies it once the entry
 * arrives, ending as the hub and the other PCs are.
 */

type Hub = Awaited<ReturnType<typeof testHub>>;
type Pc = Awaited<ReturnType<typeof testPc>>;

interface LogRow {
  tbl: string;
  pk: string;
  entry: string;
  origin_replica: string | null;
  origin_seq: string | null;
  echo: boolean;
}

/** Takes the entries about a user (of one action) out of the hub's log, before any PC pulls them. */
async function withhold(hub: Hub, userId: string, action: string): Promise<LogRow[]> {
  const r = await hub.pool.query<LogRow>(
    `DELETE FROM hub_log WHERE tbl = 'audit_log' AND pk IN (SELECT _pk FROM audit_log WHERE entity = 'user' AND entity_id = $1 AND action = $2)
     RETURNING tbl, pk, entry, origin_replica, origin_seq::text, echo`,
    [userId, action],
  );
  expect(r.rowCount).toBeGreaterThan(0);
  return r.rows;
}

/** Puts them back at the end of the log: they arrive in the PCs' next pull. */
async function release(hub: Hub, rows: LogRow[]): Promise<void> {
  for (const r of rows)
    await hub.pool.query('INSERT INTO hub_log (tbl, pk, entry, origin_replica, origin_seq, echo) VALUES ($1, $2, $3, $4, $5, $6)', [
      r.tbl,
      r.pk,
      r.entry,
      r.origin_replica,
      r.origin_seq,
      r.echo,
    ]);
}

const refusals = (pc: Pc) => pc.core.db.prepare('SELECT reason, reported_at AS at FROM sync_quarantine ORDER BY id').all() as { reason: string; at: string }[];
const rights = (pc: Pc, name: string) => {
  const u = userRowByName(pc.core, name);
  return u ? { role: u.role, pin: u.pin_hash, active: u.active } : undefined;
};
const clocksOf = (pc: Pc, id: string) => pc.core.db.prepare("SELECT clocks FROM sync_row_clock WHERE tbl = 'users' AND pk = ?").pluck().get(JSON.stringify([id]));

async function ward4bAndEmergency() {
  const hub = await testHub();
  const a = await testPc(hub, 'Ward 4B');
  const b = await testPc(hub, 'Emergency');
  await a.sync();
  await b.sync();
  return { hub, a, b };
}

function addAnn(a: Pc): string {
  inTransaction(a.core, (w) =>
    insertUser(w, testActor, { name: 'Ann Nurse', role: 'supervisor', homeLocationId: null, pinHash: 'scrypt$ann', passwordHash: null, mustSetPin: false }),
  );
  return userRowByName(a.core, 'Ann Nurse')!.id;
}

describe("a new user whose creation entry arrives in a pull after their row", () => {
  it('is refused at first, then added once the entry arrives, as Ward 4B holds them; the refusal is cleared', async () => {
    const { hub, a, b } = await ward4bAndEmergency();
    const ann = addAnn(a);
    await a.sync();
    const created = await withhold(hub, ann, 'create');
    await b.sync();
    expect(rights(b, 'Ann Nurse')).toBeUndefined();
    expect(refusals(b).map((r) => r.reason)).toEqual([
      `A new user "Ann Nurse" arrived from another PC, "Ward 4B" (history ${a.core.pcId}) without the audit entry Wardkeep writes when it adds one: they were not added on this PC.`,
    ]);

    await release(hub, created);
    await b.sync();
    expect(rights(b, 'Ann Nurse')).toEqual({ role: 'supervisor', pin: 'scrypt$ann', active: 1 });
    expect(clocksOf(b, ann)).toBe(clocksOf(a, ann));
    expect(refusals(b)).toEqual([]);
    // She is an ordinary user there now: a later change reaches Emergency as usual.
    inTransaction(a.core, (w) => updateUser(w, testActor, ann, { name: 'Ann Nurse', role: 'technician', homeLocationId: null }));
    await a.sync();
    await b.sync();
    expect(rights(b, 'Ann Nurse')?.role).toBe('technician');
  });

  it('refused twice (changed on Ward 4B meanwhile), she is added as she stands now; an entry about her that is not her creation adds her not, and leaves the refusal as it was', async () => {
    const { hub, a, b } = await ward4bAndEmergency();
    const ann = addAnn(a);
    await a.sync();
    const created = await withhold(hub, ann, 'create');
    await b.sync();
    const first = refusals(b);
    expect(first).toHaveLength(1);

    inTransaction(a.core, (w) => updateUser(w, testActor, ann, { name: 'Ann Nurse', role: 'technician', homeLocationId: null }));
    await a.sync();
    const edited = await withhold(hub, ann, 'update');
    await b.sync();
    expect(rights(b, 'Ann Nurse')).toBeUndefined();
    expect(refusals(b)).toEqual(first);

    // The entry of her edit arrives first: still no entry of her creation here.
    await release(hub, edited);
    await b.sync();
    expect(rights(b, 'Ann Nurse')).toBeUndefined();
    expect(refusals(b)).toEqual(first);

    await release(hub, created);
    await b.sync();
    expect(rights(b, 'Ann Nurse')).toEqual({ role: 'technician', pin: 'scrypt$ann', active: 1 });
    expect(clocksOf(b, ann)).toBe(clocksOf(a, ann));
    expect(refusals(b)).toEqual([]);
  });
});

describe("a change of a user whose entry arrives in a pull after the user's row", () => {
  async function withTom() {
    const { hub, a, b } = await ward4bAndEmergency();
    inTransaction(a.core, (w) =>
      insertUser(w, testActor, { name: 'Tom Tech', role: 'technician', homeLocationId: null, pinHash: 'scrypt$tom', passwordHash: null, mustSetPin: false }),
    );
    await a.sync();
    await b.sync();
    return { hub, a, b, tom: userRowByName(a.core, 'Tom Tech')!.id };
  }

  it('is refused at first, then applied once the entry arrives, so Emergency ends with the role the hub and Ward 4B hold', async () => {
    const { hub, a, b, tom } = await withTom();
    inTransaction(a.core, (w) => updateUser(w, testActor, tom, { name: 'Tom Tech', role: 'supervisor', homeLocationId: null }));
    await a.sync();
    const edited = await withhold(hub, tom, 'update');
    await b.sync();
    expect(rights(b, 'Tom Tech')?.role).toBe('technician');
    expect(refusals(b).map((r) => r.reason)).toEqual([
      `A change of user "Tom Tech" (their role) arrived from another PC, "Ward 4B" (history ${a.core.pcId}) without the audit entry Wardkeep writes of it: it was not applied on this PC.`,
    ]);

    await release(hub, edited);
    await b.sync();
    expect(rights(b, 'Tom Tech')?.role).toBe('supervisor');
    expect(clocksOf(b, tom)).toBe(clocksOf(a, tom));
    expect(refusals(b)).toEqual([]);
  });

  it('overtaken meanwhile by a later change, it brings back no older role when its entry arrives', async () => {
    const { hub, a, b, tom } = await withTom();
    inTransaction(a.core, (w) => updateUser(w, testActor, tom, { name: 'Tom Tech', role: 'supervisor', homeLocationId: null }));
    await a.sync();
    const edited = await withhold(hub, tom, 'update');
    await b.sync();
    expect(refusals(b)).toHaveLength(1);

    a.clockAhead(1000);
    inTransaction(a.core, (w) => updateUser(w, testActor, tom, { name: 'Tom Tech', role: 'admin', homeLocationId: null }));
    await a.sync();
    await b.sync();
    expect(rights(b, 'Tom Tech')?.role).toBe('admin');

    await release(hub, edited);
    await b.sync();
    expect(rights(b, 'Tom Tech')?.role).toBe('admin');
    expect((await hub.pool.query<{ role: string }>('SELECT role FROM users WHERE id = $1', [tom])).rows).toEqual([{ role: 'admin' }]);
    expect(clocksOf(b, tom)).toBe(clocksOf(a, tom));
    expect(refusals(b)).toEqual([]);
  });
});
