import { describe, expect, it } from 'vitest';
import { repairsWorld } from '../repairs/fixture';

/**
 * A user's home ward decides on which ward PCs their name is offered at sign-in (docs/users.md).
 * A ward is taken off the list only once no active user calls it home; a home ward off the list
 * all the same (a user deactivated meanwhile and brought back, or two PCs' changes merged by the
 * hub) counts as none everywhere: "(any ward)" on the Users screen, and on every PC's sign-in list.
 */

async function world() {
  const w = await repairsWorld();
  const ward9 = await w.call('locations.create', { name: 'Ward 9', parentId: w.site.id });
  const ron = await w.call('users.create', { name: 'Ron Tech', role: 'technician', temporaryPin: '2580', homeLocationId: ward9.id });
  return { w, ward9, ron };
}

describe("taking a ward off the list while it is someone's home ward", () => {
  it('is refused, naming who calls it home, until they have another', async () => {
    const { w, ward9, ron } = await world();
    const res = await w.backend.invoke(w.sue, 'locations.deactivate', { id: ward9.id });
    expect(res).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((res as { ok: false; error: { message: string } }).error.message).toBe(
      'Ward 9 is still the home ward of Ron Tech: give them another home ward first.',
    );
    expect((await w.call('locations.list', {})).map((l) => l.name)).toContain('Ward 9');

    await w.call('users.update', { id: ron.id, name: ron.name, role: ron.role, homeLocationId: w.ward.id });
    expect(await w.backend.invoke(w.sue, 'locations.deactivate', { id: ward9.id })).toMatchObject({ ok: true });
  });

  it('names several users, and counts no deactivated one', async () => {
    const { w, ward9 } = await world();
    for (const name of ['Amy Ames', 'Bea Bell', 'Cal Cole'])
      await w.call('users.create', { name, role: 'ward_staff', temporaryPin: '2580', homeLocationId: ward9.id });
    const gone = await w.call('users.create', { name: 'Dan Dale', role: 'ward_staff', temporaryPin: '2580', homeLocationId: ward9.id });
    await w.call('users.setActive', { id: gone.id, active: false });
    const res = await w.backend.invoke(w.sue, 'locations.deactivate', { id: ward9.id });
    expect((res as { ok: false; error: { message: string } }).error.message).toBe(
      'Ward 9 is still the home ward of Amy Ames, Bea Bell and 2 others: give each another home ward first.',
    );
  });
});

describe('a user whose home ward is off the list all the same', () => {
  /** Ron is deactivated, his ward taken off the list, and Ron brought back. */
  async function homeWardGone() {
    const { w, ward9, ron } = await world();
    await w.call('users.setActive', { id: ron.id, active: false });
    expect(await w.backend.invoke(w.sue, 'locations.deactivate', { id: ward9.id })).toMatchObject({ ok: true });
    await w.call('users.setActive', { id: ron.id, active: true });
    return { w, ward9, ron };
  }

  it('is shown with no home ward, and can be given another role without choosing a ward', async () => {
    const { w, ron } = await homeWardGone();
    const listed = (await w.call('users.list', {})).find((u) => u.id === ron.id)!;
    expect(listed.homeLocationPath).toBeNull(); // the Users screen prints "(any ward)"
    // The edit dialog sends back what the list gave.
    const res = await w.backend.invoke(w.admin, 'users.update', {
      id: ron.id,
      name: listed.name,
      role: 'supervisor',
      homeLocationId: listed.homeLocationId,
    });
    expect(res).toMatchObject({ ok: true, value: { role: 'supervisor' } });
  });

  it('cannot be given a ward off the list as a new home ward', async () => {
    const { w, ward9 } = await homeWardGone();
    const amy = await w.call('users.create', { name: 'Amy Ames', role: 'technician', temporaryPin: '2580' });
    const res = await w.backend.invoke(w.admin, 'users.update', { id: amy.id, name: amy.name, role: amy.role, homeLocationId: ward9.id });
    expect(res).toMatchObject({ ok: false, error: { field: 'homeLocationId', message: 'Choose a location from the list.' } });
  });

  it('is offered at sign-in on every ward PC, as users with no home ward are', async () => {
    const { w } = await homeWardGone();
    await w.call('settings.update', { defaultLocationId: w.ward.id });
    const names = (await w.call('auth.candidates', {})).map((c) => c.name);
    expect(names).toContain('Tom Tech'); // no home ward
    expect(names).toContain('Nia Nurse'); // Ward 4B's own
    expect(names).toContain('Ron Tech');
  });
});
