import { describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/domain/common';
import { createBackend } from '../../../main/core/backend';
import { newSession } from '../../../main/core/session';
import { fixedClock, testCore } from '../../helpers/core';

/** An administrator changing a user's name, role and home ward (users.update), as the trail records it. */
async function setup() {
  const clock = fixedClock('2026-11-25T07:00:00Z');
  const core = testCore({ clock });
  const backend = createBackend(core, {
    logError: (e) => {
      throw e;
    },
  });
  const admin = newSession(clock.now().getTime());
  expect(await backend.invoke(admin, 'auth.setupFirstAdmin', { name: 'Ada Admin', password: 'correct horse battery', pin: '2468' })).toMatchObject({ ok: true });
  const ward = await backend.invoke(admin, 'locations.create', { name: 'Ward 4B', parentId: null });
  if (!ward.ok) throw new Error(ward.error.message);
  return { clock, core, backend, admin, wardId: ward.value.id };
}
type B = Awaited<ReturnType<typeof setup>>;

async function addUser(b: B, name: string, role: Role) {
  const res = await b.backend.invoke(b.admin, 'users.create', { name, role, temporaryPin: '2580' });
  if (!res.ok) throw new Error(res.error.message);
  return res.value.id;
}

const userAudit = (b: B, id: string) =>
  b.core.db
    .prepare("SELECT action, actor_name, old_value, new_value FROM audit_log WHERE entity = 'user' AND entity_id = ? ORDER BY seq")
    .all(id) as { action: string; actor_name: string; old_value: string | null; new_value: string | null }[];

const asOpened = { name: 'Tom Tech', role: 'technician' as const, homeLocationId: null };

describe('editing a user another administrator changed meanwhile', () => {
  it('is refused in a sentence saying what changed, and the change made meanwhile stays', async () => {
    const b = await setup();
    const tom = await addUser(b, 'Tom Tech', 'technician');
    // Another administrator promotes Tom while Ada's dialog, opened on a technician, gives him a home ward.
    expect(await b.backend.invoke(b.admin, 'users.update', { id: tom, name: 'Tom Tech', role: 'supervisor', homeLocationId: null, expected: asOpened })).toMatchObject({ ok: true });
    const save = await b.backend.invoke(b.admin, 'users.update', { id: tom, name: 'Tom Tech', role: 'technician', homeLocationId: b.wardId, expected: asOpened });
    expect(save).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'expected.role',
        message: 'Tom Tech was changed by someone else since you opened this (now a supervisor): check and save again.',
      },
    });
    expect(b.core.db.prepare('SELECT role, home_location_id FROM users WHERE id = ?').get(tom)).toEqual({ role: 'supervisor', home_location_id: null });
    expect(userAudit(b, tom).filter((a) => a.action === 'update')).toHaveLength(1);
    // Saved again from what is there now, Ada's home ward goes in and the promotion stays.
    const now = { name: 'Tom Tech', role: 'supervisor' as const, homeLocationId: null };
    expect(await b.backend.invoke(b.admin, 'users.update', { id: tom, ...now, homeLocationId: b.wardId, expected: now })).toMatchObject({
      ok: true,
      value: { role: 'supervisor', homeLocationId: b.wardId },
    });
  });

  it('names every change made meanwhile: a new name, a role and a home ward', async () => {
    const b = await setup();
    const tom = await addUser(b, 'Tom Tech', 'technician');
    await b.backend.invoke(b.admin, 'users.update', { id: tom, name: 'Tom Technician', role: 'ward_staff', homeLocationId: b.wardId });
    expect(await b.backend.invoke(b.admin, 'users.update', { id: tom, name: 'Tom Tech', role: 'technician', homeLocationId: null, expected: asOpened })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        field: 'expected.name',
        message: 'Tom Tech was changed by someone else since you opened this (now called "Tom Technician", now ward staff, home ward now Ward 4B): check and save again.',
      },
    });
  });

  it('checks what the dialog opened with like any input', async () => {
    const b = await setup();
    const tom = await addUser(b, 'Tom Tech', 'technician');
    expect(await b.backend.invoke(b.admin, 'users.update', { id: tom, ...asOpened, expected: { ...asOpened, role: 'boss' } } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'expected.role' },
    });
    expect(await b.backend.invoke(b.admin, 'users.update', { id: tom, ...asOpened, expected: { ...asOpened, pin: '1357' } } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });
});

describe('what the audit trail says about user changes', () => {
  it('a role change names who did it, the old and the new role', async () => {
    const b = await setup();
    const tom = await addUser(b, 'Tom Tech', 'technician');
    expect(await b.backend.invoke(b.admin, 'users.update', { id: tom, name: 'Tom Tech', role: 'supervisor', homeLocationId: null, expected: asOpened })).toMatchObject({ ok: true });
    const update = userAudit(b, tom).find((a) => a.action === 'update')!;
    expect(update.actor_name).toBe('Ada Admin');
    expect(JSON.parse(update.old_value!)).toMatchObject({ role: 'technician' });
    expect(JSON.parse(update.new_value!)).toMatchObject({ role: 'supervisor' });
  });

  it('saving a user with nothing changed writes nothing: no "update" entry claiming a change', async () => {
    const b = await setup();
    const tom = await addUser(b, 'Tom Tech', 'technician');
    const before = userAudit(b, tom).length;
    const updatedAt = b.core.db.prepare('SELECT updated_at FROM users WHERE id = ?').pluck().get(tom);
    b.clock.set('2026-11-25T07:01:00Z');
    expect(await b.backend.invoke(b.admin, 'users.update', { id: tom, ...asOpened, expected: asOpened })).toMatchObject({ ok: true, value: { name: 'Tom Tech', role: 'technician' } });
    expect(await b.backend.invoke(b.admin, 'users.update', { id: tom, ...asOpened })).toMatchObject({ ok: true });
    expect(userAudit(b, tom).length).toBe(before);
    expect(b.core.db.prepare('SELECT updated_at FROM users WHERE id = ?').pluck().get(tom)).toBe(updatedAt);
  });
});
