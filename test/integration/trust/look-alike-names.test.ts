import { describe, expect, it } from 'vitest';
import { testBackend } from '../../helpers/core';

/**
 * Issue 13, item 11: no look-alike users. An administrator (or someone at their unlocked screen)
 * adds a user whose name prints exactly like an existing one's, so a signature looks like hers.
 */
describe('look-alike user names (item 11)', () => {
  it('refuses invisible and bidirectional control characters, and names that print like an existing user\'s', async () => {
    const t = testBackend('admin');
    const add = (name: string) => t.backend.invoke(t.session, 'users.create', { name, role: 'technician', temporaryPin: '2580' });
    expect(await add('Elena Petrova')).toMatchObject({ ok: true });
    expect(await add('Ian Moss')).toMatchObject({ ok: true });
    for (const name of [
      'Elena\u200b Petrova', // a zero-width space
      'Elena Petrov\u200da', // a zero-width joiner
      '\u202eavorteP anelE', // a right-to-left override: prints "Elena Petrova"
      'Elena\u00a0Petrova', // a no-break space
    ]) {
      const res = await add(name);
      expect(res, JSON.stringify(name)).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'name' } });
    }
    for (const name of [
      'Еlena Petrova', // Cyrillic Е
      'Elena Реtrova', // Cyrillic Р and е
      'Εlena Petrονa', // Greek Ε, ο and ν
      'lan Moss', // a lower-case l for the capital I
      'ELENA PETROVA', // the same name in capitals
    ]) {
      const res = await add(name);
      expect(res, JSON.stringify(name)).toMatchObject({ ok: false, error: { code: 'conflict', field: 'name' } });
    }
    // Renaming someone into a look-alike is refused the same way; an ordinary new name is fine.
    const other = await add('Sam Okafor');
    const id = (other as { value: { id: string } }).value.id;
    expect(await t.backend.invoke(t.session, 'users.update', { id, name: 'Еlena Petrova', role: 'technician' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await add('Zoë O\'Brien-Nørgaard')).toMatchObject({ ok: true });
  });
});
