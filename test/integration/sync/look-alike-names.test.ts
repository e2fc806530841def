import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/core/backend';
import type { Session } from '../../../main/core/session';
import { newSession } from '../../../main/core/session';
import { listClashes } from '../../../main/core/sync/keys';
import type { UserListing } from '../../../shared/contract/users';
import type { LocationTreeNode } from '../../../shared/domain/location';
import { caller } from '../../helpers/invoke';
import { signedInUser } from '../../helpers/users';
import type { WardPc } from './harness';
import { twoWards } from './harness';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { createLocation } from '../../../main/core/locations/service';
import { createCategory } from '../../../main/core/categories/service';
import { addRepairCode } from '../../../main/core/repairs/codes';
import { testActor } from '../../helpers/core';
import { createEquipment } from '../../../main/core/equipment/service';
import { EquipmentFields } from '../../../shared/domain/equipment';
import { place } from '../plans/fixtures';

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

/** Two PCs of a hub, each with its administrator; then, apart, John Smith added on Ward 4B and Jоhn Smith on Emergency. */
async function johnSmithOnEach() {
  const { a, b, both } = await twoWards();
  const ada = admin(a, 'Ada Admin');
  const bea = admin(b, 'Bea Admin');
  await both();
  return { a, b, both, ada, bea, latin: await addUser(ada, LATIN), cyrillic: await addUser(bea, CYRILLIC) };
}

describe('user names that print alike, made on two PCs apart', () => {
  it('each PC takes its own; after the sync both stand, flagged on every PC with what tells them apart, until one is renamed', async () => {
    const { a, b, both, ada, bea, latin, cyrillic } = await johnSmithOnEach();
    // Each PC alone still refuses a look-alike of a user it holds.
    await expect(addUser(ada, CYRILLIC)).rejects.toThrow(`"${CYRILLIC}" prints like the existing user "${LATIN}"`);
    await both();

    const [first, second] = [latin, cyrillic].sort((x, y) => (x.id < y.id ? -1 : 1));
    for (const pc of [a, b]) {
      expect(listClashes(pc.core)).toEqual([
        {
          table: 'users',
          label: 'user names',
          name: first!.name,
          ids: [first!.id, second!.id],
          alike: [first!.name, second!.name],
          why: 'so their signatures cannot be told apart',
          apart: [first!, second!].map((u) => (u.id === latin.id ? 'holds “o” (U+006F, Latin)' : 'holds “о” (U+043E, Cyrillic)')),
        },
      ]);
    }
    // The Conflicts screen's list, for a supervisor: each account with what tells it apart.
    for (const who of [ada, bea]) {
      expect(await who('sync.clashes', {})).toEqual([
        {
          label: 'user names',
          name: first!.name,
          alike: { names: [first!.name, second!.name], why: 'so their signatures cannot be told apart' },
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

    // Typed at sign-in, the name cannot say which account it means: refused before any PIN is counted; picked from the list, it signs in.
    const atSignIn = caller(createBackend(a.core), newSession(a.core.clock.now().getTime()));
    await expect(atSignIn('auth.signIn', { name: LATIN, secret: '9999' })).rejects.toThrow(
      `auth.signIn: More than one account has a name that prints like "${LATIN}": pick yours from the list, where each shows its ward.`,
    );
    expect(a.core.db.prepare('SELECT id, failed_attempts FROM users WHERE id IN (?, ?) ORDER BY id').all(latin.id, cyrillic.id)).toEqual(
      [latin.id, cyrillic.id].sort().map((id) => ({ id, failed_attempts: 0 })),
    );
    expect((await atSignIn('auth.signIn', { userId: latin.id, secret: '4826' })).id).toBe(latin.id);

    // An administrator renames the Cyrillic one on Ward 4B's PC: the flag is gone on both.
    await ada('users.update', { id: cyrillic.id, name: 'John Smith (Emergency)', role: 'technician', homeLocationId: null });
    await both();
    for (const who of [ada, bea]) {
      expect(await who('sync.clashes', {})).toEqual([]);
      expect((await who('users.list', {})).filter((u) => u.printsLike)).toEqual([]);
      expect((await who('auth.candidates', {})).filter((c) => c.alike !== null)).toEqual([]);
    }
    // Told apart again, the name typed signs in.
    {
      const atSignIn = caller(createBackend(b.core), newSession(b.core.clock.now().getTime()));
      expect((await atSignIn('auth.signIn', { name: LATIN, secret: '4826' })).id).toBe(latin.id);
    }
  });

  it('deactivating one ends the clash, as for a name made twice; the one in use is still told its name prints like a signature on records', async () => {
    const { a, both, ada, bea, latin, cyrillic } = await johnSmithOnEach();
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

/**
 * Two PCs of a hub under one site, General Hospital; then, apart, Ward 5, Scales and the failure
 * code Cracked casing made on Ward 4B, and Wаrd 5, Sсales and Crаcked casing (Cyrillic а and с) on
 * Emergency.
 */
async function alikeOnEach() {
  const { a, b, both } = await twoWards();
  const site = place(a.core, 'General Hospital');
  await both();
  const made = (pc: WardPc, ward: string, category: string, code: string) =>
    inTransaction(pc.core, (w) => ({
      ward: createLocation(w, testActor, { name: ward, parentId: site }).id,
      category: createCategory(w, testActor, { name: category, defaultRisk: null, notes: null }).id,
      code: addRepairCode(w, testActor, { kind: 'failure', label: code }).id,
    }));
  return { a, b, both, site, latin: made(a, 'Ward 5', 'Scales', 'Cracked casing'), cyrillic: made(b, 'W\u0430rd 5', 'S\u0441ales', 'Cr\u0430cked casing') };
}

describe('other names that print alike, made on two PCs apart', () => {
  it('a ward under one site, a category, a repair code and an asset tag: listed on both PCs with what tells each apart; the same name under another site is not', async () => {
    const { a, b, both, site, latin, cyrillic } = await alikeOnEach();
    // And a device each, tagged IP-0001 here and ІР-0001 (Cyrillic І and Р) on Emergency.
    const device = (pc: WardPc, tag: string) =>
      inTransaction(pc.core, (w) => createEquipment(w, testActor, EquipmentFields.parse({ assetTag: tag, name: 'Infusion pump', locationId: site }))).id;
    const tagged = { latin: device(a, 'IP-0001'), cyrillic: device(b, '\u0406\u0420-0001') };
    // Another site's Ward 5 is another place: not a look-alike of this one.
    place(b.core, 'Annex > Ward 5');
    await both();
    const pair = (key: keyof typeof latin, names: [string, string]) => {
      const rows = [
        { id: latin[key], name: names[0] },
        { id: cyrillic[key], name: names[1] },
      ].sort((x, y) => (x.id < y.id ? -1 : 1));
      return { ids: rows.map((r) => r.id), names: rows.map((r) => r.name) };
    };
    const codes = pair('code', ['Cracked casing', 'Cr\u0430cked casing']);
    const wards = pair('ward', ['Ward 5', 'W\u0430rd 5']);
    const categories = pair('category', ['Scales', 'S\u0441ales']);
    const tags = [
      { id: tagged.latin, name: 'IP-0001' },
      { id: tagged.cyrillic, name: '\u0406\u0420-0001' },
    ].sort((x, y) => (x.id < y.id ? -1 : 1));
    const apart: Record<string, string> = {
      'Cracked casing': 'holds “a” (U+0061, Latin)',
      'Cr\u0430cked casing': 'holds “а” (U+0430, Cyrillic)',
      'Ward 5': 'holds “a” (U+0061, Latin)',
      'W\u0430rd 5': 'holds “а” (U+0430, Cyrillic)',
      Scales: 'holds “c” (U+0063, Latin)',
      'IP-0001': 'holds “I” (U+0049, Latin), “P” (U+0050, Latin)',
      '\u0406\u0420-0001': 'holds “І” (U+0406, Cyrillic), “Р” (U+0420, Cyrillic)',
      'S\u0441ales': 'holds “с” (U+0441, Cyrillic)',
    };
    for (const pc of [a, b]) {
      const clashes = listClashes(pc.core);
      expect(clashes.map((c) => [c.table, c.label, c.ids, c.alike, c.why])).toEqual([
        ['repair_codes', 'repair codes', codes.ids, codes.names, 'so the repair form and the failure report cannot tell them apart'],
        ['locations', 'location names', wards.ids, wards.names, 'so due lists, filters and stickers cannot tell them apart'],
        ['categories', 'category names', categories.ids, categories.names, 'so device lists and filters cannot tell them apart'],
        ['equipment', 'asset tags', tags.map((t) => t.id), tags.map((t) => t.name), 'so stickers, lists and prints cannot tell them apart (a scan can)'],
      ]);
      for (const c of clashes) expect(c.apart).toEqual(c.alike!.map((n) => apart[n]));
    }
    const words = await admin(b, 'Bea Admin')('sync.clashes', {});
    expect(words.find((c) => c.label === 'location names')!.rows.map((r) => r.text)).toEqual(
      wards.names.map((n) => `General Hospital > ${n}: ${apart[n]}`),
    );
    // Each device's page is told its tag prints like the other's, with what tells each apart; only the tags' clash.
    for (const [pc, id] of [[a, tagged.latin], [b, tagged.cyrillic]] as const) {
      const onPage = await admin(pc, 'Ada Admin')('equipment.tagClashes', { equipmentId: id });
      expect(onPage.map((c) => [c.label, c.alike, c.rows.map((r) => [r.equipmentId, r.text])])).toEqual([
        [
          'asset tags',
          { names: tags.map((t) => t.name), why: 'so stickers, lists and prints cannot tell them apart (a scan can)' },
          tags.map((t) => [t.id, `${t.name} Infusion pump, General Hospital: ${apart[t.name]}`]),
        ],
      ]);
    }
  });

  it('the Locations, Categories and codes screens say it under each name in use on both PCs, until one is renamed, taken out of use or deleted', async () => {
    const { a, b, both, cyrillic } = await alikeOnEach();
    // The same label as a cause code is another list: not said.
    inTransaction(b.core, (w) => addRepairCode(w, testActor, { kind: 'cause', label: 'Cr\u0430cked casing' }));
    const annex = place(b.core, 'Annex > Ward 5');
    await both();
    const ada = admin(a, 'Ada Admin');
    const bea = admin(b, 'Bea Admin');
    const notes = async (who: typeof ada) => {
      const flat = (nodes: LocationTreeNode[]): LocationTreeNode[] => nodes.flatMap((n) => [n, ...flat(n.children)]);
      const places = flat(await who('locations.tree', {}));
      const categories = await who('categories.list', {});
      const codes = await who('workOrders.codes', {});
      return {
        places: Object.fromEntries(places.filter((n) => n.printsLike !== null).map((n) => [n.path, n.printsLike])),
        categories: Object.fromEntries(categories.filter((c) => c.printsLike !== null).map((c) => [c.name, c.printsLike])),
        codes: Object.fromEntries(codes.filter((c) => c.printsLike !== null).map((c) => [`${c.kind}: ${c.label}`, c.printsLike])),
        annex: places.find((n) => n.id === annex)!.printsLike,
      };
    };
    for (const who of [ada, bea]) {
      expect(await notes(who)).toEqual({
        places: {
          'General Hospital > Ward 5':
            'Prints like “W\u0430rd 5”, another place in General Hospital; this one holds “a” (U+0061, Latin). Rename one of them: due lists, filters and stickers must tell places apart.',
          'General Hospital > W\u0430rd 5':
            'Prints like “Ward 5”, another place in General Hospital; this one holds “а” (U+0430, Cyrillic). Rename one of them: due lists, filters and stickers must tell places apart.',
        },
        categories: {
          Scales:
            "Prints like “S\u0441ales”, another category's name; this one holds “c” (U+0063, Latin). Rename one of them, or take one out of use: device lists and filters must tell categories apart.",
          'S\u0441ales':
            "Prints like “Scales”, another category's name; this one holds “с” (U+0441, Cyrillic). Rename one of them, or take one out of use: device lists and filters must tell categories apart.",
        },
        codes: {
          'failure: Cracked casing':
            'Prints like “Cr\u0430cked casing”, another failure code; this one holds “a” (U+0061, Latin). Delete one of them: the repair form and the failure report must tell codes apart.',
          'failure: Cr\u0430cked casing':
            'Prints like “Cracked casing”, another failure code; this one holds “а” (U+0430, Cyrillic). Delete one of them: the repair form and the failure report must tell codes apart.',
        },
        annex: null,
      });
    }
    // On Emergency: the ward renamed, the category taken out of use, the code deleted. Both PCs stop saying it.
    await bea('locations.rename', { id: cyrillic.ward, name: 'Ward 5 East' });
    await bea('categories.update', { id: cyrillic.category, active: false });
    await bea('workOrders.codes.remove', { id: cyrillic.code });
    await both();
    for (const who of [ada, bea]) expect(await notes(who)).toEqual({ places: {}, categories: {}, codes: {}, annex: null });
  });
});
