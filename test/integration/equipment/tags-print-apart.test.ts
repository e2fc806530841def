import { describe, expect, it } from 'vitest';
import { testBackend } from '../../helpers/core';
import { call as callAs } from '../../helpers/invoke';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract';
import { previewEquipmentImport } from '../../../main/core/equipment/import/service';
import { EquipmentFields } from '../../../shared/domain/equipment';
import { issueProblems } from '../../../shared/validation';
import { importText, SAMPLE } from './fixtures';

/**
 * The barcode holds the asset tag and the sticker prints it: two devices must never carry tags
 * that print the same, or records and stickers name two devices with one tag and a scan opens
 * only one of them. Tags in Arabic or with an emoji are fine (test/e2e/stickers-edge.e2e.test.ts).
 */

type B = ReturnType<typeof testBackend>;

function call<C extends ChannelName>(b: B, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  return callAs(b.backend, b.session, channel, input);
}

/** The sample inventory (IP-0001 "Infusion pump" on Ward 4B among them), as a supervisor. */
async function inventory() {
  const b = testBackend('supervisor');
  importText(b.core, SAMPLE);
  const ward = (await call(b, 'locations.list', {})).find((l) => l.path === 'General Hospital > Ward 4B')!;
  const add = (assetTag: string, name = 'Second pump') =>
    b.backend.invoke(b.session, 'equipment.create', { assetTag, name, locationId: ward.id });
  const tags = () =>
    (b.core.db.prepare('SELECT asset_tag FROM equipment ORDER BY asset_tag').all() as { asset_tag: string }[]).map((r) => r.asset_tag);
  return { b, ward, add, tags };
}

const refusal = (res: unknown) => (res as { ok: false; error: { message: string; field?: string } }).error;

describe("a new device whose tag would print like another device's is refused, in a sentence naming why", () => {
  it('refuses a tag holding an invisible character, naming it', async () => {
    const { add, tags } = await inventory();
    const before = tags();
    for (const [tag, code] of [
      ['IP-0001\u200B', 'U+200B'], // zero-width space after the tag
      ['IP-\u2060 0001', 'U+2060'], // word joiner
      ['\u202E1000-PI', 'U+202E'], // right-to-left override: prints "IP-0001"
      ['IP-0001\uFE0F', 'U+FE0F'], // a variation selector
    ] as const) {
      const res = await add(tag);
      expect(res, JSON.stringify(tag)).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'assetTag' } });
      expect(refusal(res).message).toContain(`Asset tag holds an invisible character (${code})`);
    }
    expect(tags()).toEqual(before);
  });

  it('refuses a look-alike in Cyrillic letters of an existing tag, naming the device that has it', async () => {
    const { add, tags } = await inventory();
    const res = await add('\u0406\u0420-0001'); // Cyrillic І and Р: prints "IP-0001"
    expect(res).toMatchObject({ ok: false, error: { code: 'conflict', field: 'assetTag' } });
    expect(refusal(res).message).toMatch(/^Asset tag ІР-0001 prints like IP-0001, already used by "Infusion pump"/);
    expect(await add('DF-\u041E\u041E\u041E2')).toMatchObject({ ok: false, error: { field: 'assetTag' } }); // Cyrillic О for zeros
    expect(tags()).not.toContain('\u0406\u0420-0001');
  });

  it('refuses the ASCII tag when the look-alike came first, and compares case as the key does', async () => {
    const { add } = await inventory();
    expect(await add('\u0405C-9', 'Scale')).toMatchObject({ ok: true }); // Cyrillic Ѕ
    const res = await add('sc-9', 'Other scale');
    expect(res).toMatchObject({ ok: false, error: { code: 'conflict', field: 'assetTag' } });
    expect(refusal(res).message).toMatch(/^Asset tag sc-9 prints like ЅC-9, already used by "Scale"/);
  });

  it('refuses a full-width copy of a tag, saying what to type instead', async () => {
    const { add } = await inventory();
    const res = await add('ＩＰ－０００１');
    expect(res).toMatchObject({ ok: false, error: { field: 'assetTag' } });
    expect(refusal(res).message).toBe('Asset tag holds a full-width or compatibility form (U+FF29, printed like "I"): type it as IP-0001.');
  });

  it('refuses a doubled or non-breaking space beside the tag with one plain space', async () => {
    const { add, tags } = await inventory();
    expect(await add('XR 10')).toMatchObject({ ok: true });
    const doubled = await add('XR  10');
    expect(doubled).toMatchObject({ ok: false, error: { field: 'assetTag' } });
    expect(refusal(doubled).message).toBe('Asset tag holds two spaces in a row, which print like one: type one space.');
    const nbsp = await add('XR\u00A010');
    expect(nbsp).toMatchObject({ ok: false, error: { field: 'assetTag' } });
    expect(refusal(nbsp).message).toContain('Asset tag holds a space other than the plain one (U+00A0)');
    expect(tags().filter((t) => t.startsWith('XR'))).toEqual(['XR 10']);
  });

  it('keeps tags in Arabic, with an emoji, and ASCII tags that differ by O and 0 or I and 1', async () => {
    const { add, tags } = await inventory();
    for (const tag of ['مضخة-٠٠٧', 'PUMP-😀-1', 'IP-OOO1', '1P-0001', 'Ward 4B – Bay 1']) {
      expect(await add(tag, `Device ${tag}`), tag).toMatchObject({ ok: true });
    }
    expect(tags()).toEqual(expect.arrayContaining(['مضخة-٠٠٧', 'PUMP-😀-1', 'IP-OOO1', '1P-0001']));
  });

  it('the add form words the same refusals before anything is sent', () => {
    const parse = (assetTag: string) =>
      issueProblems(
        EquipmentFields.safeParse({ assetTag, name: 'Pump', locationId: '00000000-0000-7000-8000-000000000000' }).error?.issues ?? [],
      );
    expect(parse('IP-0001\u200B')).toEqual([
      { field: 'assetTag', message: expect.stringContaining('Asset tag holds an invisible character (U+200B)') },
    ]);
    expect(parse('ＩＰ－０００１')).toEqual([{ field: 'assetTag', message: expect.stringContaining('type it as IP-0001') }]);
    expect(parse('مضخة-٠٠٧')).toEqual([]);
  });
});

describe('an edit that changes a tag into a look-alike is refused; an edit of the rest is not', () => {
  it("refuses retagging a device as a look-alike of another device's tag", async () => {
    const { b, add } = await inventory();
    const added = await add('IP-0099');
    const dev = (added as { value: { id: string; name: string; locationId: string } }).value;
    const res = await b.backend.invoke(b.session, 'equipment.update', {
      id: dev.id,
      assetTag: '\u0406\u0420-0001',
      name: dev.name,
      locationId: dev.locationId,
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'conflict', field: 'assetTag' } });
    expect(refusal(res).message).toMatch(/prints like IP-0001, already used by "Infusion pump"/);
  });

  it('lets a device whose tag already prints like another (from before the rule) be edited', async () => {
    const { b, add } = await inventory();
    const added = await add('IP-0098');
    const dev = (added as { value: { id: string; name: string; locationId: string } }).value;
    // Saved before tags were compared (or merged from two PCs): ІР-0001 in Cyrillic beside IP-0001.
    b.core.db.prepare("UPDATE equipment SET asset_tag = 'ІР-0001', asset_tag_key = 'ІР-0001' WHERE id = ?").run(dev.id);
    const res = await b.backend.invoke(b.session, 'equipment.update', {
      id: dev.id,
      assetTag: 'ІР-0001',
      name: 'Renamed pump',
      locationId: dev.locationId,
    });
    expect(res).toMatchObject({ ok: true, value: { assetTag: 'ІР-0001', name: 'Renamed pump' } });
  });
});

describe('an inventory file whose tags print alike is refused, naming each row', () => {
  const header = 'asset_tag,name,location';

  it('refuses rows that print like a device in the inventory or a row above, and hidden or full-width tags', async () => {
    const { b } = await inventory();
    const file = [
      header,
      'ІР-0001,Pump in Cyrillic,General Hospital > Ward 4B', // row 2: like IP-0001 in the inventory
      'MX-7,Monitor,General Hospital > Ward 4B', // row 3
      'МХ-7,Monitor in Cyrillic,General Hospital > Ward 4B', // row 4: like row 3
      'NB-1\u200B,Hidden,General Hospital > Ward 4B', // row 5
      'ＮＢ-2,Wide,General Hospital > Ward 4B', // row 6
      'NB  3,Doubled,General Hospital > Ward 4B', // row 7
      'مضخة-٠٠٧,Arabic pump,General Hospital > Ward 4B', // row 8: fine
      'IP-OOO1,Letters O,General Hospital > Ward 4B', // row 9: fine (ASCII tags are told apart by their key)
    ].join('\n');
    const preview = previewEquipmentImport(b.core, { source: { text: file }, generateTagsPrefix: null });
    const byRow = new Map(preview.problems.map((p) => [p.row, p.message]));
    expect([...byRow.keys()].sort()).toEqual([2, 4, 5, 6, 7]);
    expect(byRow.get(2)).toBe(
      'Row 2, column "asset_tag": asset tag "ІР-0001" prints like IP-0001, already used by "Infusion pump" in the inventory: a sticker or a scan could not tell them apart.',
    );
    expect(byRow.get(4)).toBe(
      'Row 4, column "asset_tag": asset tag "МХ-7" prints like "MX-7" on row 3: a sticker or a scan could not tell them apart.',
    );
    expect(byRow.get(5)).toContain('holds an invisible character (U+200B)');
    expect(byRow.get(6)).toContain('type it as NB-2');
    expect(byRow.get(7)).toContain('two spaces in a row');
  });

  it('refuses an ASCII row that prints like a tag beyond ASCII already in the inventory', async () => {
    const { b, add } = await inventory();
    expect(await add('\u0405C-9', 'Scale')).toMatchObject({ ok: true });
    const preview = previewEquipmentImport(b.core, {
      source: { text: [header, 'SC-9,Scale,General Hospital > Ward 4B', 'SC-10,Scale,General Hospital > Ward 4B'].join('\n') },
      generateTagsPrefix: null,
    });
    expect(preview.problems.map((p) => p.message)).toEqual([
      'Row 2, column "asset_tag": asset tag "SC-9" prints like ЅC-9, already used by "Scale" in the inventory: a sticker or a scan could not tell them apart.',
    ]);
  });
});

describe('a tag that differs from IP-0001 only in ways a sticker or scan cannot show', () => {
  // Each prints as "IP-0001": "١" (U+0661, Arabic-Indic digit one) and "۱" (U+06F1, its Persian
  // form) are a plain stroke, as "1" is in most label fonts; "ǀ" (U+01C0) is a vertical bar.
  const LOOK_ALIKES = ['ip-0001', ' IP-0001 ', 'IP\u20100001', 'IP\u22120001', 'IP\u20130001', '\u0399\u03A1-0001', 'IP-000\u0661', 'IP-000\u06F1', '\u01C0P-0001'];

  it('is refused when a new device is added with it', async () => {
    const { add, tags } = await inventory();
    const before = tags();
    const accepted: string[] = [];
    for (const tag of LOOK_ALIKES) if ((await add(tag)).ok) accepted.push(tag);
    expect(accepted).toEqual([]);
    expect(tags()).toEqual(before);
  });

  it('is refused when another device is re-tagged with it', async () => {
    const { b, ward } = await inventory();
    const other = await call(b, 'equipment.create', { assetTag: 'XX-1', name: 'Other', locationId: ward.id });
    const accepted: string[] = [];
    for (const tag of LOOK_ALIKES) {
      if ((await b.backend.invoke(b.session, 'equipment.update', { id: other.id, assetTag: tag, name: 'Other', locationId: ward.id })).ok) accepted.push(tag);
    }
    expect(accepted).toEqual([]);
  });

  it('an Arabic-Indic digit is named in the refusal; digits of any script are welcome on a tag of their own', async () => {
    const { add } = await inventory();
    expect(refusal(await add('IP-000\u0661'))).toEqual({
      code: 'conflict',
      field: 'assetTag',
      message: 'Asset tag IP-000\u0661 prints like IP-0001, already used by "Infusion pump": a sticker or a scan could not tell them apart. Choose a tag that reads differently.',
    });
    expect(await add('IP-000\u0662', 'Arabic-Indic two')).toMatchObject({ ok: true });
    // …and then "IP-0002" in ASCII prints like it.
    expect(refusal(await add('IP-0002'))).toMatchObject({ field: 'assetTag', message: expect.stringContaining('prints like IP-000\u0662') });
    expect(await add('\u0645\u0636\u062e\u0629-\u0967\u0968', 'Devanagari digits')).toMatchObject({ ok: true });
  });
});
