import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import type { Session } from '../../../main/core/session';
import { newSession } from '../../../main/core/session';
import { listClashes } from '../../../main/core/sync/keys';
import type { UserListing } from '../../../shared/contract/users';
import { caller } from '../../helpers/invoke';
import { signedInUser } from '../../helpers/users';
import type { WardPc } from './harness';
import { twoWards } from './harness';

/**
 * A PC refuses a user whose name prints like one it holds ("Jоhn Smith" with a Cyrillic о beside
 * "John Smith"), but two PCs of a hub apart each hold only their own: after they sync, both
 * accounts sign on every PC, and their signatures look the same on every record and print.
 */

const LATIN = 'John Smith';
const CYRILLIC = 'J\u043Ehn Smith';

function admin(pc: WardPc, name: string) {
  const session: Session = newSession(pc.core.clock.now().getTime());
  signedInUser(pc.core, 'admin', { name, session });
  return caller(createBackend(pc.core), session);
}

async function addUser(who: ReturnType<typeof admin>, name: string): Promise<UserListing> {
  return who('users.create', { name, role: 'technician', homeLocationId: null, temporaryPin: '4826' });
}

describe('user names that print alike, made on two PCs apart', () => {
  it('each PC takes its own; after the sync both stand, flagged on every PC with what tells them apart, until one is renamed', async () => {
    const { a, b, both } = await twoWards();
    const ada = admin(a, 'Ada Admin');
    const bea = admin(b, 'Bea Admin');
    await both();
    const latin = await addUser(ada, LATIN);
    const cyrillic = await addUser(bea, CYRILLIC);
    // Each PC alone still refuses a look-alike of a user it holds.
    await expect(addUser(ada, CYRILLIC)).rejects.toThrow(`"${CYRILLIC}" prints like the existing user "${LATIN}"`);
    await both();

    const [first, second] = [latin, cyrillic].sort((x, y) => (x.id < y.id ? -1 : 1));
    for (const pc of [a, b]) {
      expect(listClashes(pc.core)).toEqual([{ table: 'users', label: 'user names', name: first!.name, ids: [first!.id, second!.id], alike: [first!.name, second!.name] }]);
    }
    // The Conflicts screen's list, for a supervisor: each account with what tells it apart.
    for (const who of [ada, bea]) {
      expect(await who('sync.clashes', {})).toEqual([
        {
          label: 'user names',
          name: first!.name,
          alike: [first!.name, second!.name],
          rows: [first!, second!].map((u) => ({
            id: u.id,
            text: u.id === latin.id ? `${LATIN} (technician): holds “o” (U+006F, Latin)` : `${CYRILLIC} (technician): holds “о” (U+043E, Cyrillic)`,
            equipmentId: null,
            userId: u.id,
          })),
        },
      ]);
      expect((await who('sync.status', {})).clashes).toBe(1);
      // The sign-in list: the two say their wards, so each person picks their own; other names say nothing more.
      const listedAtSignIn = await who('auth.candidates', {});
      expect(listedAtSignIn.filter((c) => c.alike !== null).map((c) => [c.id, c.alike])).toEqual(
        [first!, second!].map((u) => [u.id, 'any ward']),
      );
      expect(listedAtSignIn.filter((c) => c.alike === null).map((c) => c.name).sort()).toEqual(['Ada Admin', 'Bea Admin']);
      // The Users screen says it under each name, where the rename is made.
      const listed = await who('users.list', {});
      expect(Object.fromEntries(listed.filter((u) => u.printsLike).map((u) => [u.id, u.printsLike]))).toEqual({
        [latin.id]: `Prints like “${CYRILLIC}”, another user's name; this one holds “o” (U+006F, Latin). Rename one of them: a signature must never look like someone else's.`,
        [cyrillic.id]: `Prints like “${LATIN}”, another user's name; this one holds “о” (U+043E, Cyrillic). Rename one of them: a signature must never look like someone else's.`,
      });
    }

    // An administrator renames the Cyrillic one on Ward 4B's PC: the flag is gone on both.
    await ada('users.update', { id: cyrillic.id, name: 'John Smith (Emergency)', role: 'technician', homeLocationId: null });
    await both();
    for (const who of [ada, bea]) {
      expect(await who('sync.clashes', {})).toEqual([]);
      expect((await who('users.list', {})).filter((u) => u.printsLike)).toEqual([]);
      expect((await who('auth.candidates', {})).filter((c) => c.alike !== null)).toEqual([]);
    }
  });

  it('deactivating one ends the clash, as for a name made twice; the one in use is still told its name prints like a signature on records', async () => {
    const { a, b, both } = await twoWards();
    const ada = admin(a, 'Ada Admin');
    const bea = admin(b, 'Bea Admin');
    await both();
    const latin = await addUser(ada, LATIN);
    const cyrillic = await addUser(bea, CYRILLIC);
    await both();
    expect(listClashes(a.core)).toHaveLength(1);
    await bea('users.setActive', { id: cyrillic.id, active: false });
    await both();
    for (const who of [ada, bea]) {
      expect(await who('sync.clashes', {})).toEqual([]);
      const listed = await who('users.list', {});
      expect(listed.filter((u) => u.printsLike).map((u) => [u.name, u.printsLike])).toEqual([
        [LATIN, `Prints like “${CYRILLIC}”, another user's name; this one holds “o” (U+006F, Latin). Rename one of them: a signature must never look like someone else's.`],
      ]);
    }
    expect(latin.printsLike).toBeNull();
  });
});
