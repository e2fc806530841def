import { describe, expect, it } from 'vitest';
import { nameKey } from '../../../shared/domain/common';
import { repairsWorld } from '../repairs/fixture';

/**
 * docs/users.md: a user's name may not print like another user's: a signature must never look like
 * someone else's. Word processors and phones write a typographic apostrophe or hyphen where a
 * keyboard writes ' and -; the two spellings print alike on a signature.
 */

describe("a name that differs from a user's only by typographic punctuation", () => {
  it('is refused, naming the user it prints like', async () => {
    const w = await repairsWorld();
    await w.call('users.create', { name: "Sean O'Brien", role: 'technician', temporaryPin: '2580' });
    await w.call('users.create', { name: 'Anne-Marie Dubois', role: 'technician', temporaryPin: '2580' });
    const add = (name: string) => w.backend.invoke(w.admin, 'users.create', { name, role: 'technician', temporaryPin: '2580' });
    for (const [name, like] of [
      ['Sean O\u2019Brien', "Sean O'Brien"], // right single quotation mark, as Word types it
      ['Sean O\u2018Brien', "Sean O'Brien"], // left single quotation mark
      ['Sean O\u02BCBrien', "Sean O'Brien"], // modifier letter apostrophe
      ['Sean O\u2032Brien', "Sean O'Brien"], // prime
      ['Sean O\u00B4Brien', "Sean O'Brien"], // acute accent, as a dead key types it (NFKC makes it a space and a combining accent)
      ['Sean O`Brien', "Sean O'Brien"], // grave accent
      ['Anne\u2010Marie Dubois', 'Anne-Marie Dubois'], // hyphen
      ['Anne\u2011Marie Dubois', 'Anne-Marie Dubois'], // non-breaking hyphen
      ['Anne\u2012Marie Dubois', 'Anne-Marie Dubois'], // figure dash
      ['Anne\u2013Marie Dubois', 'Anne-Marie Dubois'], // en dash
      ['Anne\u2212Marie Dubois', 'Anne-Marie Dubois'], // minus sign
    ]) {
      const res = await add(name!);
      expect(res, JSON.stringify(name)).toMatchObject({ ok: false, error: { code: 'conflict', field: 'name' } });
      expect((res as { ok: false; error: { message: string } }).error.message).toContain(`prints like the existing user "${like}"`);
    }
    const names = (await w.call('users.list', {})).map((u) => u.name);
    expect(names.filter((n) => n.startsWith('Sean') || n.startsWith('Anne'))).toEqual(['Anne-Marie Dubois', "Sean O'Brien"]);
  });

  it('is refused when a spacing accent stands for the punctuation it prints like, naming the user', async () => {
    const w = await repairsWorld();
    await w.call('users.create', { name: 'Martin, Anne', role: 'technician', temporaryPin: '2580' });
    await w.call('users.create', { name: 'Robert "Bob" Jones', role: 'technician', temporaryPin: '2580' });
    for (const [name, like] of [
      ['Martin\u00B8 Anne', 'Martin, Anne'], // cedilla for the comma
      ['Robert \u02DDBob\u02DD Jones', 'Robert "Bob" Jones'], // double acute accent for the quotation mark
    ]) {
      const res = await w.backend.invoke(w.admin, 'users.create', { name: name!, role: 'technician', temporaryPin: '2580' });
      expect(res, JSON.stringify(name)).toMatchObject({ ok: false, error: { code: 'conflict', field: 'name', message: expect.stringContaining(`prints like the existing user "${like}"`) } });
    }
  });

  it('stays refused the other way round, and a name with its own punctuation is welcome', async () => {
    const w = await repairsWorld();
    await w.call('users.create', { name: 'Sean O\u2019Brien', role: 'technician', temporaryPin: '2580' });
    const res = await w.backend.invoke(w.admin, 'users.create', { name: "Sean O'Brien", role: 'technician', temporaryPin: '2580' });
    expect(res).toMatchObject({ ok: false, error: { code: 'conflict', field: 'name' } });
    expect(
      await w.backend.invoke(w.admin, 'users.create', { name: "Siobhán O'Neill-Ward", role: 'technician', temporaryPin: '2580' }),
    ).toMatchObject({ ok: true });
  });

  it('does not stop an administrator changing the role of one of two users saved alike before the rule', async () => {
    const w = await repairsWorld();
    const sean = await w.call('users.create', { name: "Sean O'Brien", role: 'technician', temporaryPin: '2580' });
    const other = await w.call('users.create', { name: 'Sean Obrien', role: 'technician', temporaryPin: '2580' });
    // Saved before typographic punctuation was compared (or merged from two PCs by the hub).
    w.core.db
      .prepare('UPDATE users SET name = @name, name_key = @key WHERE id = @id')
      .run({ id: other.id, name: 'Sean O\u2019Brien', key: nameKey('Sean O\u2019Brien') });
    const res = await w.backend.invoke(w.admin, 'users.update', {
      id: other.id,
      name: 'Sean O\u2019Brien',
      role: 'supervisor',
      homeLocationId: null,
    });
    expect(res).toMatchObject({ ok: true, value: { role: 'supervisor' } });
    // Renaming into the look-alike is what the rule refuses.
    const renamed = await w.call('users.create', { name: 'Sean Byrne', role: 'technician', temporaryPin: '2580' });
    expect(
      await w.backend.invoke(w.admin, 'users.update', {
        id: renamed.id,
        name: 'Sean O\u02BCBrien',
        role: 'technician',
        homeLocationId: null,
      }),
    ).toMatchObject({
      ok: false,
      error: { field: 'name' },
    });
    expect(sean.name).toBe("Sean O'Brien");
  });
});

describe('a name with a blank that prints as a space and is not one', () => {
  it('is refused, naming the character, between the words or at the end (U+2800, U+3164, U+FFA0)', async () => {
    const w = await repairsWorld();
    await w.call('users.create', { name: 'Tim Tech', role: 'technician', temporaryPin: '2580' });
    for (const [name, code] of [
      ['Tim\u2800Tech', 'U+2800'], // Braille pattern blank
      ['Tim Tech\u2800', 'U+2800'],
      ['Tim\u3164Tech', 'U+3164'], // Hangul filler
      ['Tim\uFFA0Tech', 'U+FFA0'], // halfwidth Hangul filler
    ]) {
      const res = await w.backend.invoke(w.admin, 'users.create', { name: name!, role: 'admin', temporaryPin: '2580' });
      expect(res, JSON.stringify(name)).toMatchObject({
        ok: false,
        error: {
          code: 'invalid_input',
          field: 'name',
          message: `Name holds a space other than the plain one (${code}). Type the name with letters, plain spaces and punctuation only.`,
        },
      });
    }
    expect((await w.call('users.list', {})).filter((u) => u.name.startsWith('Tim'))).toHaveLength(1);
  });
});
