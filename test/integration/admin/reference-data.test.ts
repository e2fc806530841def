import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { deactivateLocation, moveLocation } from '../../../main/core/locations/service';
import { newSession } from '../../../main/core/session';
import { testActor, testBackend } from '../../helpers/core';
import { caller } from '../../helpers/invoke';
import { signedInUser } from '../../helpers/users';
import { place } from '../plans/fixtures';

/** The administrator's reference data: names of locations and categories, procedures' text, the location tree. */

describe('names of locations and categories print as what they are', () => {
  it('refuses a location name that is only an invisible character (zero-width space), naming the field', async () => {
    const b = testBackend('supervisor');
    const res = await b.backend.invoke(b.session, 'locations.create', { name: '\u200B' });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'name', message: expect.stringMatching(/print as nothing/) },
    });
    expect(await caller(b.backend, b.session)('locations.list', {})).toEqual([]);
  });

  it('refuses a category name that is only invisible characters', async () => {
    const b = testBackend('supervisor');
    const res = await b.backend.invoke(b.session, 'categories.create', { name: '\u200B\u200B' });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'name' } });
  });

  it('refuses a hidden character inside a new name, saying which', async () => {
    const b = testBackend('supervisor');
    expect(await b.backend.invoke(b.session, 'locations.create', { name: 'Ward\u202E 9' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'name', message: expect.stringContaining('(U+202E)') },
    });
    expect(await b.backend.invoke(b.session, 'categories.create', { name: 'Infusion\u00A0pump' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'name', message: expect.stringContaining('a space other than the plain one (U+00A0)') },
    });
  });

  it('refuses a second "Ward 4B" under the same site that differs only by an invisible character', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const site = await call('locations.create', { name: 'General Hospital' });
    await call('locations.create', { name: 'Ward 4B', parentId: site.id });
    const res = await b.backend.invoke(b.session, 'locations.create', { name: 'Ward 4B\u200B', parentId: site.id });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'name', message: expect.stringMatching(/prints like the location "Ward 4B" here/) },
    });
    const wards = (await call('locations.list', {})).filter((l) => l.parentId === site.id);
    expect(wards.map((w) => w.path)).toEqual(['General Hospital > Ward 4B']);
  });

  it('refuses a look-alike of a sibling (Cyrillic В), but not of a location elsewhere', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const site = await call('locations.create', { name: 'General Hospital' });
    const other = await call('locations.create', { name: 'Clinic Nord' });
    await call('locations.create', { name: 'Ward 4B', parentId: site.id });
    expect(await b.backend.invoke(b.session, 'locations.create', { name: 'Ward 4\u0412', parentId: site.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'name' },
    });
    // A ward of that name at another site is another place: siblings only.
    expect(await call('locations.create', { name: 'Ward 4B', parentId: other.id })).toMatchObject({ path: 'Clinic Nord > Ward 4B' });
    // A rename or a move into a look-alike is refused too.
    const ward5 = await call('locations.create', { name: 'Ward 5', parentId: site.id });
    expect(await b.backend.invoke(b.session, 'locations.rename', { id: ward5.id, name: 'Ward 4\u0412' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'name' },
    });
    // A look-alike made elsewhere cannot be moved in beside it.
    const third = await call('locations.create', { name: 'St Mary' });
    const lookAlike = await call('locations.create', { name: 'Ward 4\u0412', parentId: third.id });
    expect(await b.backend.invoke(b.session, 'locations.move', { id: lookAlike.id, parentId: site.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'parentId', message: expect.stringMatching(/prints like the location "Ward 4B" there/) },
    });
  });

  it('refuses a category that differs from an existing one only by an invisible character or a look-alike letter', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    await call('categories.create', { name: 'Defibrillator' });
    expect(await b.backend.invoke(b.session, 'categories.create', { name: 'Defibri\u200Bllator' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'name', message: expect.stringMatching(/prints like the category "Defibrillator"/) },
    });
    expect(await b.backend.invoke(b.session, 'categories.create', { name: 'Defibrill\u0430tor' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'name' },
    });
  });

  it('rows saved before the rule keep working: moved, renamed by others, their other fields edited', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const site = await call('locations.create', { name: 'General Hospital' });
    const ward = await call('locations.create', { name: 'Ward 4B', parentId: site.id });
    const cat = await call('categories.create', { name: 'Defibrillator' });
    // As an older version (or another PC) saved them.
    b.core.db.prepare('UPDATE locations SET name = ? WHERE id = ?').run('Ward 4B\u200B', ward.id);
    b.core.db.prepare('UPDATE categories SET name = ? WHERE id = ?').run('Defibrillator\u200B', cat.id);
    expect(await call('categories.update', { id: cat.id, name: 'Defibrillator\u200B', notes: 'Zoll and Philips' })).toMatchObject({
      notes: 'Zoll and Philips',
    });
    expect(await call('locations.rename', { id: ward.id, name: 'Ward 4B\u200B' })).toMatchObject({ id: ward.id });
    const other = await call('locations.create', { name: 'Clinic Nord' });
    expect(await call('locations.move', { id: ward.id, parentId: other.id })).toMatchObject({ path: 'Clinic Nord > Ward 4B\u200B' });
    // And a name put right is taken.
    expect(await call('locations.rename', { id: ward.id, name: 'Ward 4B' })).toMatchObject({ path: 'Clinic Nord > Ward 4B' });
  });
});

const taskType = (label: string) => ({ label, formKind: 'plain' as const, failTakesOutOfService: false, overdueMeansDoNotUse: false, failOpensWorkOrder: false });

describe('task types and repair codes print as what they are, as locations and categories do', () => {
  it('refuses a task type that prints like another (a look-alike letter, an invisible character, full-width letters) or as nothing, on field label, in words', async () => {
    const b = testBackend('admin');
    const create = (label: string) => b.backend.invoke(b.session, 'taskTypes.create', taskType(label));
    // "Іnspection" with a Cyrillic І (U+0406), beside the built-in Inspection.
    expect(await create('\u0406nspection')).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'label',
        message: '"\u0406nspection" prints like the task Inspection: lists, forms and printouts must never show two tasks that look the same. Choose a name that reads differently.',
      },
    });
    expect(await create('Calibration\u200B')).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'label', message: expect.stringMatching(/^"Calibration\u200B" prints like the task Calibration \(it holds a character that does not print as itself\)/) },
    });
    expect(await create('\uFF23\uFF41\uFF4C\uFF49\uFF42\uFF52\uFF41\uFF54\uFF49\uFF4F\uFF4E')).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'label', message: expect.stringMatching(/prints like the task Calibration/) },
    });
    expect(await create('\u200B')).toEqual({
      ok: false,
      error: { code: 'invalid_input', field: 'label', message: 'Name holds only characters that print as nothing: type the name with letters, digits and punctuation.' },
    });
    expect(await create('Leak\u00A0test')).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'label', message: expect.stringMatching(/^Name holds a space other than the plain one/) } });
    const labels = (await caller(b.backend, b.session)('taskTypes.list', {})).map((t) => t.label);
    expect(labels.filter((l) => /alibration|nspection/i.test(l.normalize('NFKC')))).toEqual(['Calibration', 'Inspection']);
  });

  it('refuses renaming a task type to a look-alike of another (Cyrillic а in "Leаk test"), and one out of use counts too', async () => {
    const b = testBackend('admin');
    const call = caller(b.backend, b.session);
    const leak = await call('taskTypes.create', taskType('Leak test'));
    const battery = await call('taskTypes.create', taskType('Battery check'));
    expect(await b.backend.invoke(b.session, 'taskTypes.update', { ...taskType('Le\u0430k test'), code: battery.code, active: true })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'label', message: expect.stringMatching(/^"Le\u0430k test" prints like the task Leak test: /) },
    });
    await call('taskTypes.update', { ...taskType('Leak test'), code: leak.code, active: false });
    expect(await b.backend.invoke(b.session, 'taskTypes.update', { ...taskType('Le\u0430k test'), code: battery.code, active: true })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'label', message: expect.stringMatching(/prints like the task Leak test \(out of use\)/) },
    });
    expect((await call('taskTypes.list', {})).find((t) => t.code === battery.code)).toMatchObject({ label: 'Battery check' });
    // A name that reads differently is taken.
    expect(await call('taskTypes.update', { ...taskType('Battery test'), code: battery.code, active: true })).toMatchObject({ label: 'Battery test' });
  });

  it('refuses a failure or cause code that prints like another of its kind or as nothing, on field label, in words', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    // "Sоftware" with a Cyrillic small o (U+043E).
    expect(await b.backend.invoke(b.session, 'workOrders.codes.add', { kind: 'failure', label: 'S\u043Eftware' })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'label',
        message: '"S\u043Eftware" prints like the failure code "Software": the repair form must never offer two codes that look the same. Choose a name that reads differently.',
      },
    });
    expect(await b.backend.invoke(b.session, 'workOrders.codes.add', { kind: 'cause', label: 'Wear\u200B' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'label', message: expect.stringMatching(/^"Wear\u200B" prints like the cause code "Wear" \(it holds a character that does not print as itself\)/) },
    });
    expect(await b.backend.invoke(b.session, 'workOrders.codes.add', { kind: 'failure', label: '\u200B' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', field: 'label', message: 'Code holds only characters that print as nothing: type the code with letters, digits and punctuation.' },
    });
    // A deleted look-alike is named, with how to bring it back.
    const wear = (await call('workOrders.codes', {})).find((c) => c.kind === 'cause' && c.label === 'Wear')!;
    await call('workOrders.codes.remove', { id: wear.id });
    expect(await b.backend.invoke(b.session, 'workOrders.codes.add', { kind: 'cause', label: 'W\u0435ar' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'label', message: expect.stringMatching(/^"W\u0435ar" prints like the cause code "Wear" \(deleted: add "Wear" to bring it back\)/) },
    });
    expect(await call('workOrders.codes.add', { kind: 'cause', label: 'wear' })).toMatchObject({ id: wear.id, label: 'Wear', active: true });
    // The other list is another list: a failure code may read like a cause code.
    expect(await call('workOrders.codes.add', { kind: 'failure', label: 'Wear' })).toMatchObject({ kind: 'failure', label: 'Wear', active: true });
    const software = (await call('workOrders.codes', {})).filter((c) => c.kind === 'failure' && c.label.normalize('NFKC').replace('\u043E', 'o').toLowerCase() === 'software');
    expect(software.map((c) => c.label)).toEqual(['Software']);
  });

  it('a look-alike pair saved before the rule stays listed and usable: the task is stopped and put right, the code deleted', async () => {
    const b = testBackend('admin');
    const call = caller(b.backend, b.session);
    await call('taskTypes.create', taskType('Leak test'));
    const twin = await call('taskTypes.create', taskType('Seal test'));
    const code = await call('workOrders.codes.add', { kind: 'failure', label: 'Cracked case' });
    // As an older version (or another PC) saved them.
    b.core.db.prepare('UPDATE task_types SET label = ? WHERE code = ?').run('Le\u0430k test', twin.code);
    b.core.db.prepare('UPDATE repair_codes SET label = ? WHERE id = ?').run('Software\u200B', code.id);
    expect((await call('taskTypes.list', {})).filter((t) => t.label.startsWith('Le')).map((t) => t.label)).toEqual(['Leak test', 'Le\u0430k test']);
    expect(await call('taskTypes.update', { ...taskType('Le\u0430k test'), code: twin.code, active: false })).toMatchObject({ label: 'Le\u0430k test', active: false });
    expect(await call('taskTypes.update', { ...taskType('Seal test'), code: twin.code, active: true })).toMatchObject({ label: 'Seal test', active: true });
    expect((await call('workOrders.codes', {})).find((c) => c.id === code.id)).toMatchObject({ label: 'Software\u200B', active: true });
    expect(await call('workOrders.codes.remove', { id: code.id })).toMatchObject({ active: false });
  });
});

describe('procedures: text the hub can store', () => {
  it('refuses a checklist step holding a NUL character (the hub cannot store it), naming the field', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const cat = await call('categories.create', { name: 'Infusion pump' });
    const res = await b.backend.invoke(b.session, 'procedures.save', {
      owner: { kind: 'category', categoryId: cat.id },
      task: 'inspection',
      definition: { kind: 'checklist', steps: [{ text: 'Check the alarm\u0000 sounds' }] },
    });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'definition.steps.0.text', message: expect.stringMatching(/NUL/) },
    });
  });

  it('refuses a measurement point label or unit holding a NUL character', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const cat = await call('categories.create', { name: 'Infusion pump' });
    const res = await b.backend.invoke(b.session, 'procedures.save', {
      owner: { kind: 'category', categoryId: cat.id },
      task: 'calibration',
      definition: {
        kind: 'measurements',
        points: [{ label: 'Flow 50', unit: 'ml/h\u0000', nominal: 50, toleranceKind: 'percent', tolerance: 5 }],
      },
    });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'definition.points.0.unit', message: expect.stringMatching(/NUL/) },
    });
    const check = await b.backend.invoke(b.session, 'procedures.save', {
      owner: { kind: 'category', categoryId: cat.id },
      task: 'electrical_safety',
      definition: { kind: 'safety', checks: [{ label: 'Earth\u0000', unit: 'Ω', min: null, max: 0.2 }] },
    });
    expect(check).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/NUL/) } });
  });
});

describe('locations', () => {
  it('a room brought back after its ward was moved up to a site gets the kind of its new depth (ward)', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const roomId = place(b.core, 'General Hospital > Ward 4B > Side room');
    const wardId = place(b.core, 'General Hospital > Ward 4B');
    inTransaction(b.core, (w) => deactivateLocation(w, testActor, roomId));
    // Ward 4B becomes a site of its own: what was inside it is now one level higher.
    inTransaction(b.core, (w) => moveLocation(w, testActor, { id: wardId, parentId: null }));
    expect((await call('locations.list', {})).find((l) => l.id === wardId)).toMatchObject({ kind: 'site' });
    const back = await call('locations.create', { name: 'Side room', parentId: wardId });
    expect(back.id).toBe(roomId);
    expect(back).toMatchObject({ path: 'Ward 4B > Side room', kind: 'ward' });
  });

  it('refuses a move to where the location already is, in words on parentId', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const site = await call('locations.create', { name: 'General Hospital' });
    const ward = await call('locations.create', { name: 'Ward 4B', parentId: site.id });
    expect(await b.backend.invoke(b.session, 'locations.move', { id: site.id, parentId: null })).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'parentId',
        message: '"General Hospital" is already a site: choose another place to move it into.',
      },
    });
    expect(await b.backend.invoke(b.session, 'locations.move', { id: ward.id, parentId: site.id })).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'parentId',
        message: '"Ward 4B" is already inside General Hospital: choose another place to move it into.',
      },
    });
    expect(b.core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'move'").get()).toEqual({ n: 0 });
  });

  it('refuses to deactivate the ward that is this PC\'s ward, naming the setting, until another is chosen there', async () => {
    const b = testBackend('admin');
    const call = caller(b.backend, b.session);
    const site = await call('locations.create', { name: 'General Hospital' });
    const ward = await call('locations.create', { name: 'Ward 4B', parentId: site.id });
    const room = await call('locations.create', { name: 'Side room', parentId: ward.id });
    await call('settings.update', { defaultLocationId: room.id });
    // Its notices and the changes it is told of would count an empty ward no list has, for ever.
    expect(await b.backend.invoke(b.session, 'locations.deactivate', { id: room.id })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'id',
        message: "Side room is this PC's ward (Settings → This PC's ward): choose another ward there first, or none.",
      },
    });
    expect((await call('locations.list', {})).map((l) => l.path)).toContain('General Hospital > Ward 4B > Side room');
    expect(b.core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'location' AND action = 'deactivate'").get()).toEqual({ n: 0 });
    await call('settings.update', { defaultLocationId: ward.id });
    expect(await call('locations.deactivate', { id: room.id })).toEqual({ id: room.id });
  });

  it('refuses a rename made on the name the dialog opened with when someone else renamed the place meanwhile, on name; their name stays and nothing is audited', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const site = await call('locations.create', { name: 'General Hospital' });
    const ward = await call('locations.create', { name: 'Ward 4B', parentId: site.id });
    // Another supervisor (another window, or another PC through the hub) renames it first.
    await call('locations.rename', { id: ward.id, name: 'Ward 4B East', expected: { name: 'Ward 4B' } });
    expect(await b.backend.invoke(b.session, 'locations.rename', { id: ward.id, name: 'Ward 4C', expected: { name: 'Ward 4B' } })).toEqual({
      ok: false,
      error: { code: 'conflict', field: 'name', message: 'Ward 4B was renamed by someone else since you opened this (now called "Ward 4B East"): check and rename again.' },
    });
    expect((await call('locations.list', {})).map((l) => l.path)).toContain('General Hospital > Ward 4B East');
    expect(b.core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'location' AND action = 'rename'").get()).toEqual({ n: 1 });
    // Made on the name as it now is, the rename goes through.
    expect(await call('locations.rename', { id: ward.id, name: 'Ward 4C', expected: { name: 'Ward 4B East' } })).toMatchObject({ path: 'General Hospital > Ward 4C' });
  });

  it('refuses to add under a location taken off the lists meanwhile, naming it by its path, on parentId', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const site = await call('locations.create', { name: 'General Hospital' });
    const ward = await call('locations.create', { name: 'Ward 4C', parentId: site.id });
    await call('locations.deactivate', { id: ward.id });
    expect(await b.backend.invoke(b.session, 'locations.create', { name: 'Bay 1', parentId: ward.id })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        field: 'parentId',
        message: 'General Hospital > Ward 4C is no longer in the lists, so nothing was added: choose where to add "Bay 1".',
      },
    });
    expect((await call('locations.list', {})).map((l) => l.path)).toEqual(['General Hospital']);
  });

  it('lists numbered bays and wards in the order they are numbered: Bay 2 before Bay 10, in the tree and in the list', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const site = await call('locations.create', { name: 'General Hospital' });
    for (const n of [12, 4, 10]) await call('locations.create', { name: `Ward ${n}`, parentId: site.id });
    const ward = (await call('locations.list', {})).find((l) => l.name === 'Ward 4')!;
    for (const n of [1, 2, 10, 11, 3]) await call('locations.create', { name: `Bay ${n}`, parentId: ward.id });
    const [hospital] = await call('locations.tree', {});
    expect(hospital!.children.map((c) => c.name)).toEqual(['Ward 4', 'Ward 10', 'Ward 12']);
    expect(hospital!.children[0]!.children.map((c) => c.name)).toEqual(['Bay 1', 'Bay 2', 'Bay 3', 'Bay 10', 'Bay 11']);
    expect((await call('locations.list', {})).map((l) => l.path)).toEqual([
      'General Hospital',
      'General Hospital > Ward 4',
      'General Hospital > Ward 4 > Bay 1',
      'General Hospital > Ward 4 > Bay 2',
      'General Hospital > Ward 4 > Bay 3',
      'General Hospital > Ward 4 > Bay 10',
      'General Hospital > Ward 4 > Bay 11',
      'General Hospital > Ward 10',
      'General Hospital > Ward 12',
    ]);
  });
});

describe('reference data: who may change it, and what is refused', () => {
  it('ward staff and technicians cannot change reference data through the channels', async () => {
    const b = testBackend('supervisor');
    const call = caller(b.backend, b.session);
    const site = await call('locations.create', { name: 'General Hospital' });
    const cat = await call('categories.create', { name: 'Infusion pump' });
    const plan = await call('categoryPlans.add', { categoryId: cat.id, task: 'calibration', every: '1y', mode: 'floating', windowDays: null, graceDays: null });
    for (const role of ['ward_staff', 'technician'] as const) {
      const session = newSession(b.core.clock.now().getTime());
      signedInUser(b.core, role, { name: `Probe ${role}`, session });
      for (const [channel, input] of [
        ['locations.create', { name: 'Ward 9', parentId: site.id }],
        ['locations.rename', { id: site.id, name: 'X' }],
        ['locations.move', { id: site.id, parentId: null }],
        ['locations.deactivate', { id: site.id }],
        ['categories.update', { id: cat.id, name: 'Y' }],
        ['categories.update', { id: cat.id, name: 'Infusion pump', active: false }],
        ['categories.delete', { id: cat.id }],
        ['categories.create', { name: 'Defibrillator' }],
        ['categoryPlans.add', { categoryId: cat.id, task: 'inspection', every: '1m', mode: 'floating', windowDays: null, graceDays: null }],
        ['categoryPlans.remove', { id: plan.id }],
        ['categoryPlans.applyToDevices', { categoryId: cat.id }],
        [
          'procedures.save',
          {
            owner: { kind: 'category', categoryId: cat.id },
            task: 'inspection',
            definition: { kind: 'checklist', steps: [{ text: 'a' }] },
          },
        ],
        [
          'taskTypes.create',
          {
            label: 'Battery check',
            formKind: 'plain',
            failTakesOutOfService: false,
            overdueMeansDoNotUse: false,
            failOpensWorkOrder: false,
          },
        ],
      ] as const) {
        const res = await b.backend.invoke(session, channel as never, input as never);
        expect(res, `${role} ${channel}`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
    }
    expect((await call('locations.list', {})).map((l) => l.path)).toEqual(['General Hospital']);
    expect((await call('categories.list', {})).map((c) => [c.name, c.active])).toEqual([['Infusion pump', true]]);
    expect((await call('categoryPlans.list', { categoryId: cat.id })).map((p) => [p.task, p.every])).toEqual([['calibration', '1y']]);
  });

  it('a technician cannot add or delete a repair code, and a supervisor cannot add or change a task type', async () => {
    const b = testBackend('admin');
    const call = caller(b.backend, b.session);
    const sueSession = newSession(b.core.clock.now().getTime());
    const tomSession = newSession(b.core.clock.now().getTime());
    signedInUser(b.core, 'supervisor', { name: 'Sue Super', session: sueSession });
    signedInUser(b.core, 'technician', { name: 'Tom Tech', session: tomSession });
    const wear = (await call('workOrders.codes', {})).find((c) => c.kind === 'cause' && c.label === 'Wear')!;
    expect(await b.backend.invoke(tomSession, 'workOrders.codes.add', { kind: 'failure', label: 'Cracked case' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await b.backend.invoke(tomSession, 'workOrders.codes.remove', { id: wear.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await b.backend.invoke(sueSession, 'taskTypes.create', taskType('Leak test'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const cleaning = (await call('taskTypes.list', {})).find((t) => t.code === 'cleaning')!;
    expect(
      await b.backend.invoke(sueSession, 'taskTypes.update', {
        code: 'cleaning',
        label: 'Wipe',
        formKind: cleaning.formKind,
        active: false,
        failTakesOutOfService: cleaning.failTagsOut,
        overdueMeansDoNotUse: cleaning.overdueBlocksUse,
        failOpensWorkOrder: cleaning.failOpensWorkOrder,
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await call('workOrders.codes', {})).filter((c) => c.kind === 'failure').map((c) => c.label)).not.toContain('Cracked case');
    expect((await call('workOrders.codes', {})).find((c) => c.id === wear.id)).toMatchObject({ active: true });
    expect((await call('taskTypes.list', {})).find((t) => t.code === 'cleaning')).toMatchObject({ label: cleaning.label, active: true });
  });

  it('refuses unknown fields, empty and whitespace names, and ">" in a location name, naming the field', async () => {
    const b = testBackend('supervisor');
    expect(await b.backend.invoke(b.session, 'categories.create', { name: 'A', active: false } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await b.backend.invoke(b.session, 'locations.create', { name: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'name' },
    });
    expect(await b.backend.invoke(b.session, 'locations.create', { name: 'A > B' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'name' },
    });
    expect(await b.backend.invoke(b.session, 'categories.create', { name: 'x'.repeat(121) })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'name' },
    });
  });
});
