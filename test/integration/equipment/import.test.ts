import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { describe, expect, it } from 'vitest';
import { createCategory } from '../../../main/core/categories/service';
import { AppError } from '../../../main/core/errors';
import { commitEquipmentImport, previewEquipmentImport } from '../../../main/core/equipment/import/service';
import { searchEquipment } from '../../../main/core/equipment/search';
import { exportEquipment } from '../../../main/core/equipment/export';
import { deactivateLocation, listLocations } from '../../../main/core/locations/service';
import { testActor, testBackend, testCore } from '../../helpers/core';
import { count, ewhBytes, importText, SAMPLE, snapshot } from './fixtures';

const BAD = [
  'Tag,Name,Location,Status,Risk,Acquired,Category',
  'A-1,Pump,New Site > New Ward,Operational,high,2020-01-01,Brand new category',
  'A-2,Pump,New Site > New Ward,Brokn,high,2020-01-01,',
  ',Scale,Other Site,active,low,,',
  'a-1 ,Duplicate,Other Site,active,,,',
  'A-5,,Other Site,active,,,',
  'A-6,Monitor,,retired,HI,12/03/2020,',
  'A-7,Monitor,A > B > C > D,missing,,,',
].join('\n');

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('importing equipment: all or nothing', () => {
  it('reports every problem of every bad row, by row and column, and writes nothing at all', () => {
    const core = testCore();
    const before = snapshot(core);
    const err = thrown(() => importText(core, BAD));
    expect(err.code).toBe('invalid_input');
    expect(err.details?.map((d) => d.message)).toEqual([
      'Row 3, column "Status": "Brokn" is not a known status (use in_service, out_of_service, retired or missing, or a synonym such as Operational).',
      'Row 4, column "Tag": the asset tag is blank. Fill it in, or choose to generate tags (PREFIX-00001, PREFIX-00002, …).',
      'Row 5, column "Tag": asset tag "a-1" is already on row 2.',
      'Row 6, column "Name": the name is blank (it is required; a blank name is taken from the model or the category, and both are blank too).',
      'Row 7, column "Location": the location is blank (it is required).',
      'Row 7, column "Risk": "HI" is not a risk level (use high, medium or low).',
      'Row 7, column "Acquired": "12/03/2020" is not a date written YYYY-MM-DD.',
      'Row 8, column "Location": "A > B > C > D" has 4 levels; locations go three deep (Site > Ward > Room).',
    ]);
    expect(err.details?.map((d) => d.row)).toEqual([3, 4, 5, 6, 7, 7, 7, 8]);
    expect(err.message).toMatch(/^Nothing was imported: the file has 8 problems\. Row 3, column "Status"/);
    // Not even the locations and the category the good rows would have created.
    expect(snapshot(core)).toEqual(before);
  });

  it('previews the same problems, the rows, what would be created and the status words, writing nothing', () => {
    const core = testCore();
    const before = snapshot(core);
    const preview = previewEquipmentImport(core, { source: { text: BAD } });
    expect(preview.problems).toHaveLength(8);
    expect(preview.counts).toEqual({ rows: 7, valid: 1, invalid: 6, tagsGenerated: 0 });
    expect(preview.newLocations).toEqual(['New Site', 'New Site > New Ward', 'Other Site']);
    expect(preview.newCategories).toEqual(['Brand new category']);
    expect(preview.rows[0]).toMatchObject({
      row: 2,
      problemCount: 0,
      values: {
        asset_tag: 'A-1',
        location: 'New Site > New Ward',
        status: 'in_service',
        risk: 'high',
        acquired_on: '2020-01-01',
        reference_standard: 'no',
      },
    });
    expect(preview.statusWords).toContainEqual({ word: 'active', status: 'in_service', count: 3 });
    expect(snapshot(core)).toEqual(before);
  });

  it("gives a row without a risk its category's default risk, as the add form does, in the preview and in the inventory", () => {
    const core = testCore();
    inTransaction(core, (w) => createCategory(w, testActor, { name: 'Defibrillators', defaultRisk: 'high', notes: null }));
    const text = [
      'Tag,Name,Location,Risk,Category',
      'D-1,Defibrillator,Site > Ward,,defibrillators',
      'D-2,Defibrillator trainer,Site > Ward,low,Defibrillators',
      'D-3,Scale,Site > Ward,,Scales',
    ].join('\n');
    const preview = previewEquipmentImport(core, { source: { text } });
    expect(preview.rows.map((r) => r.values.risk)).toEqual(['high', 'low', null]);
    importText(core, text);
    const risks = core.db.prepare('SELECT asset_tag, risk FROM equipment ORDER BY asset_tag').all();
    expect(risks).toEqual([
      { asset_tag: 'D-1', risk: 'high' },
      { asset_tag: 'D-2', risk: 'low' },
      { asset_tag: 'D-3', risk: null },
    ]);
  });

  it('refuses tags already in the database, case and spaces ignored', () => {
    const core = testCore();
    importText(core, SAMPLE);
    const before = snapshot(core);
    const err = thrown(() => importText(core, 'asset_tag,name,location\n ip-0001 ,Another pump,Clinic Nord\nNEW-1,Fine,Clinic Nord\n'));
    expect(err.details).toEqual([
      {
        row: 2,
        field: 'asset_tag',
        message: 'Row 2, column "asset_tag": asset tag "ip-0001" is already used by "Infusion pump" (IP-0001) in the inventory.',
      },
    ]);
    expect(snapshot(core)).toEqual(before);
  });

  it('reports a file with no usable header and an unclosed quote', () => {
    const core = testCore();
    expect(previewEquipmentImport(core, { source: { text: '' } }).problems).toEqual([
      { message: 'The file is empty: its first row must hold the column names.' },
    ]);
    const broken = previewEquipmentImport(core, { source: { text: 'asset_tag,name,location\nA,"Pump,Ward\n' } });
    expect(broken.problems[0]?.message).toMatch(/^Row 2: a quoted cell is never closed/);
  });

  it('through the backend: every problem comes back in the error value', async () => {
    const b = testBackend('supervisor');
    const res = await b.backend.invoke(b.session, 'equipment.import.commit', { source: { text: BAD } });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('invalid_input');
    expect(res.error.details).toHaveLength(8);
    const tech = testBackend('technician');
    expect(await tech.backend.invoke(tech.session, 'equipment.import.commit', { source: { text: SAMPLE } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('generated asset tags', () => {
  it('gives blank tags the next free PREFIX-nnnnn after those in the database and the file', () => {
    const core = testCore();
    importText(core, 'asset_tag,name,location\nWK-00007,Old pump,Ward 1\n');
    const result = importText(core, 'asset_tag,name,location\n,Pump A,Ward 1\nwk-00009,Pump B,Ward 1\n,Pump C,Ward 1\n', {
      generateTagsPrefix: 'WK',
    });
    expect(result.generatedTags).toEqual(['WK-00010', 'WK-00011']);
    const tags = searchEquipment(core, { sort: 'assetTag' }, { offset: 0, limit: 10 }).rows.map((r) => [r.assetTag, r.name]);
    expect(tags).toEqual([
      ['WK-00007', 'Old pump'],
      ['wk-00009', 'Pump B'],
      ['WK-00010', 'Pump A'],
      ['WK-00011', 'Pump C'],
    ]);
  });

  it('counts on from the highest tag anywhere in the file, however far below the blank tags it comes (issue 17: checked a chunk at a time)', () => {
    const core = testCore();
    const input = { source: { text: 'asset_tag,name,location\n,Pump A,Ward 1\n,Pump B,Ward 1\nWK-00041,Pump C,Ward 1\n' }, generateTagsPrefix: 'WK' };
    const preview = previewEquipmentImport(core, input, { chunkRows: 1 });
    expect(preview.rows.map((r) => [r.values.asset_tag, r.tagGenerated])).toEqual([
      ['WK-00042', true],
      ['WK-00043', true],
      ['WK-00041', false],
    ]);
    const result = inTransaction(core, (core) => commitEquipmentImport(core, testActor, input, undefined, { chunkRows: 1 }));
    expect(result.generatedTags).toEqual(['WK-00042', 'WK-00043']);
    expect(searchEquipment(core, { sort: 'assetTag' }, { offset: 0, limit: 10 }).rows.map((r) => [r.assetTag, r.name])).toEqual([
      ['WK-00041', 'Pump C'],
      ['WK-00042', 'Pump A'],
      ['WK-00043', 'Pump B'],
    ]);
  });

  it('needs no asset tag column at all when tags are generated', () => {
    const core = testCore();
    const result = importText(core, 'Description;Department\nSuction unit;Theatre 2\n', { generateTagsPrefix: 'TH' });
    expect(result).toMatchObject({ created: 1, generatedTags: ['TH-00001'], newLocations: ['Theatre 2'] });
  });
});

describe('the real EWH hospital inventory', () => {
  it('imports with no mapping and no editing, generating the 8 missing tags, and every device is then found by search', () => {
    const core = testCore();
    const preview = previewEquipmentImport(core, { source: { bytes: ewhBytes() }, generateTagsPrefix: 'EWH' });
    expect(preview.problems).toEqual([]);
    expect(preview.counts).toEqual({ rows: 23, valid: 23, invalid: 0, tagsGenerated: 8 });
    expect(preview.statusWords).toEqual([
      { word: 'Operational', status: 'in_service', count: 20 },
      { word: 'UnderMaintenance', status: 'out_of_service', count: 2 },
      { word: 'PartiallyOperational', status: 'out_of_service', count: 1 },
    ]);
    // The one row with no equipment type takes its model as its name, and says so.
    expect(preview.warnings).toEqual([
      {
        row: 24,
        column: 'Equipment Type',
        field: 'name',
        message: 'Row 24, column "Equipment Type": the name is blank, so the model "DryView 5850 Laser Imager" is used as the name.',
      },
    ]);

    const result = inTransaction(core, (core) => commitEquipmentImport(core, testActor, { source: { bytes: ewhBytes() }, generateTagsPrefix: 'EWH' }));
    expect(result.created).toBe(23);
    expect(result.newLocations).toHaveLength(12);
    expect(count(core, 'equipment')).toBe(23);

    const find = (text: string) => searchEquipment(core, { text }, { offset: 0, limit: 100 }).rows;
    const all = searchEquipment(core, {}, { offset: 0, limit: 100 }).rows;
    expect(all).toHaveLength(23);
    for (const device of all) {
      // By tag (the file's code, or the generated one), whole or in part.
      expect(
        find(device.assetTag).map((r) => r.id),
        device.assetTag,
      ).toContain(device.id);
      if (device.serial)
        expect(
          find(device.serial).map((r) => r.id),
          device.serial,
        ).toContain(device.id);
      // By the words of its type, e.g. "Analyzers, Laboratory, Blood Gas" → "blood gas".
      const words = device.name
        .split(/[\s,/]+/)
        .filter((w) => w.length >= 3)
        .slice(-2)
        .join(' ');
      expect(
        find(words).map((r) => r.id),
        words,
      ).toContain(device.id);
      if (device.model)
        expect(
          find(device.model.slice(0, 5)).map((r) => r.id),
          device.model,
        ).toContain(device.id);
    }
    expect(find('blood gas').map((r) => r.assetTag)).toEqual(['1817']);
    expect(find('aspirat').length).toBe(5);
    expect(find('FARX').map((r) => r.assetTag)).toEqual(['1817']);
    expect(find('dryview')[0]).toMatchObject({
      name: 'DryView 5850 Laser Imager',
      status: 'out_of_service',
      locationPath: 'Medical Imaging',
    });
    const imaging = listLocations(core).find((l) => l.name === 'Medical Imaging')!;
    expect(searchEquipment(core, { locationId: imaging.id }, { offset: 0, limit: 10 }).total).toBe(2);
    const dev1817 = core.db.prepare("SELECT status, status_reason FROM equipment WHERE asset_tag = '1817'").get();
    expect(dev1817).toEqual({ status: 'out_of_service', status_reason: 'Imported with status "UnderMaintenance".' });
  });
});

describe('export and import again', () => {
  it('gives the same inventory in an empty database, field by field (CSV and JSON)', () => {
    const first = testCore();
    importText(first, SAMPLE);
    inTransaction(first, (first) => commitEquipmentImport(first, testActor, { source: { bytes: ewhBytes() }, generateTagsPrefix: 'EWH' }));
    const csv = exportEquipment(first, 'csv');
    expect(csv.count).toBe(27);
    expect(
      csv.content.startsWith(
        'asset_tag,name,location,category,manufacturer,model,serial,risk,ownership,status,acquired_on,in_service_on,warranty_until,reference_standard,notes\r\n',
      ),
    ).toBe(true);

    const second = testCore();
    importText(second, csv.content);
    expect(exportEquipment(second, 'csv').content).toBe(csv.content);
    expect(exportEquipment(second, 'json').content).toBe(exportEquipment(first, 'json').content);

    const json = JSON.parse(exportEquipment(second, 'json').content) as Record<string, string | null>[];
    expect(json.find((r) => r.asset_tag === 'DF-0002')).toEqual({
      asset_tag: 'DF-0002',
      name: 'Defibrillator',
      location: 'General Hospital > Ward 4B',
      category: 'Defibrillator',
      manufacturer: 'Zoll',
      model: 'R Series',
      serial: 'ZR-77',
      risk: 'high',
      ownership: 'leased',
      status: 'out_of_service',
      acquired_on: null,
      in_service_on: null,
      warranty_until: null,
      reference_standard: 'no',
      notes: 'Paddles cracked, sent to "Zoll" for repair\nCall before use',
    });
    expect(json.find((r) => r.asset_tag === 'AN-0003')).toMatchObject({
      reference_standard: 'yes',
      acquired_on: '2019-06-01',
      location: 'General Hospital > Workshop',
    });
    // The stored rows agree column by column, ids and stamps aside.
    const rows = (core: typeof first) =>
      core.db
        .prepare(
          `SELECT e.asset_tag, e.name, e.manufacturer, e.model, e.serial, e.risk, e.ownership, e.status, e.acquired_on, e.in_service_on,
             e.warranty_until, e.reference_standard, e.notes, c.name AS category, l.name AS location
           FROM equipment e LEFT JOIN categories c ON c.id = e.category_id JOIN locations l ON l.id = e.location_id ORDER BY e.asset_tag_key`,
        )
        .all();
    expect(rows(second)).toEqual(rows(first));
  });

  it('exports only what the filter shows, in its order', () => {
    const core = testCore();
    importText(core, SAMPLE);
    const out = exportEquipment(core, 'json', { risks: ['high'], sort: 'name', direction: 'desc' });
    expect((JSON.parse(out.content) as { asset_tag: string }[]).map((r) => r.asset_tag)).toEqual(['IP-0001', 'DF-0002']);
    expect(out.fileName).toMatch(/^wardkeep-equipment-\d{4}-\d{2}-\d{2}\.json$/);
  });
});

describe('encodings and delimiters of real files', () => {
  it('imports a Windows-1252 file with semicolons and a UTF-8 file with a BOM alike', () => {
    const core = testCore();
    const latin = Uint8Array.from(
      [...'N° inventaire;Désignation;Service;État\r\nF-1;D']
        .map((c) => c.charCodeAt(0))
        .concat(
          [0xe9],
          [...'fibrillateur;Urgences;In service\r\n'].map((c) => c.charCodeAt(0)),
        ),
    );
    // "N° inventaire" and "État" are not in the alias table: map them as a user would.
    const preview = previewEquipmentImport(core, {
      source: { bytes: latin },
      mapping: { 'N° inventaire': 'asset_tag', Désignation: 'name', Service: 'location', État: 'status' },
    });
    expect(preview.encoding).toBe('windows-1252');
    expect(preview.delimiter).toBe(';');
    expect(preview.problems).toEqual([]);
    expect(preview.rows[0]?.values).toMatchObject({ asset_tag: 'F-1', name: 'Défibrillateur', location: 'Urgences', status: 'in_service' });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Asset Tag,Description,Department\nB-1,Écho,Cardiologie\n')]);
    expect(previewEquipmentImport(core, { source: { bytes: bom } })).toMatchObject({
      encoding: 'utf-8-bom',
      problems: [],
      rows: [{ values: { name: 'Écho' } }],
    });
  });
});

describe('files as Windows programs save them', () => {
  /** Text as Windows-1252 bytes: Latin-1 letters, and the curly quotes of 0x93 and 0x94. */
  const cp1252 = (s: string) => Uint8Array.from([...s].map((c) => ({ '“': 0x93, '”': 0x94 })[c] ?? c.charCodeAt(0)));

  it('previews a whole Windows-1252 file whose notes quote a label in capitals as Windows-1252 (É” is by chance a UTF-8 pair)', () => {
    const core = testCore();
    const bytes = cp1252('asset_tag;name;location;notes\r\nDF-1;Défibrillateur;Réanimation;Étiquette “ÉTALONNÉ” posée\r\n');
    const preview = previewEquipmentImport(core, { source: { bytes }, mapping: {}, generateTagsPrefix: null });
    expect(preview).toMatchObject({ encoding: 'windows-1252', delimiter: ';', problems: [] });
    expect(preview.rows[0]?.values).toMatchObject({ name: 'Défibrillateur', location: 'Réanimation', notes: 'Étiquette “ÉTALONNÉ” posée' });
  });

  /** The text as UTF-16 bytes: little-endian (or big) after its byte-order mark, as Windows programs save it. */
  const utf16 = (text: string, order: 'le' | 'be', bom = true) => {
    const le = Buffer.from(text, 'utf16le');
    const body = order === 'le' ? le : Buffer.from(le).swap16();
    return new Uint8Array(bom ? Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]) : body);
  };

  it('imports Excel\'s "Unicode Text" (UTF-16 with its BOM, tabs) with every accent of its names and locations as written', () => {
    const core = testCore();
    const text = 'Asset Tag\tName\tLocation\r\nDF-1\tDéfibrillateur\tHôpital Nord > Réanimation\r\nIP-2\tPerfusor Tür\tSt. Jørgen > Station Süd\r\nSC-3\tWaage Ø 30\tSt. Jørgen > Station Süd\r\n';
    const preview = previewEquipmentImport(core, { source: { bytes: utf16(text, 'le') }, mapping: {}, generateTagsPrefix: null });
    expect(preview).toMatchObject({ encoding: 'utf-16le-bom', delimiter: '\t', headers: ['Asset Tag', 'Name', 'Location'], problems: [] });
    expect(preview.newLocations).toEqual(['Hôpital Nord', 'Hôpital Nord > Réanimation', 'St. Jørgen', 'St. Jørgen > Station Süd']);
    const result = inTransaction(core, (core) => commitEquipmentImport(core, testActor, { source: { bytes: utf16(text, 'le') }, generateTagsPrefix: null }));
    expect(result.created).toBe(3);
    expect(searchEquipment(core, { sort: 'assetTag' }, { offset: 0, limit: 10 }).rows.map((r) => [r.assetTag, r.name, r.locationPath])).toEqual([
      ['DF-1', 'Défibrillateur', 'Hôpital Nord > Réanimation'],
      ['IP-2', 'Perfusor Tür', 'St. Jørgen > Station Süd'],
      ['SC-3', 'Waage Ø 30', 'St. Jørgen > Station Süd'],
    ]);
  });

  it('previews PowerShell 5\'s Out-File (UTF-16 with its BOM, commas), big-endian, and UTF-16 without a BOM, naming the encoding read', () => {
    const core = testCore();
    const text = 'asset_tag,name,location\r\nDF-1,Défibrillateur,Salle Ø\r\n';
    for (const [bytes, encoding] of [
      [utf16(text, 'le'), 'utf-16le-bom'],
      [utf16(text, 'be'), 'utf-16be-bom'],
      [utf16(text, 'le', false), 'utf-16le'],
      [utf16(text, 'be', false), 'utf-16be'],
    ] as const) {
      const preview = previewEquipmentImport(core, { source: { bytes }, mapping: {}, generateTagsPrefix: null });
      expect(preview, encoding).toMatchObject({ encoding, delimiter: ',', problems: [], rows: [{ values: { asset_tag: 'DF-1', name: 'Défibrillateur', location: 'Salle Ø' } }] });
    }
  });
});

describe('new locations the app would refuse', () => {
  it('refuses a new location printing like one a row above makes, or like a deactivated one, by row; the old name brings a deactivated one back', () => {
    const core = testCore();
    importText(core, 'asset_tag,name,location\nP1,Pump,General Hospital > Ward 4B\nP2,Pump,General Hospital > Old Ward\n');
    inTransaction(core, (core) => {
      const ward = listLocations(core).find((l) => l.name === 'Ward 4B')!;
      core.db.prepare("UPDATE equipment SET location_id = ? WHERE asset_tag = 'P2'").run(ward.id);
      deactivateLocation(core, testActor, listLocations(core).find((l) => l.name === 'Old Ward')!.id);
    });
    const before = snapshot(core);
    const file = [
      'asset_tag,name,location',
      'Q1,Pump,New Site > Ward 9',
      'Q2,Pump,New Site > Ward 9\u200b',
      'Q3,Pump,General Hospital > 0ld Ward',
      'Q4,Pump,New Site > Ward 9\u200b > Bay 1',
    ].join('\n');
    const err = thrown(() => importText(core, file));
    expect(err.details?.map((d) => d.message)).toEqual([
      'Row 3, column "location": the new location "New Site > Ward 9\u200b" prints like "New Site > Ward 9", which row 2 makes (it holds U+200B, which does not print as itself): a due list must never show two places that look the same. Write the two the same, or a name that reads differently.',
      'Row 4, column "location": the new location "General Hospital > 0ld Ward" prints like "Old Ward", a deactivated location there: a due list must never show two places that look the same. Write "Old Ward" to bring it back, or a name that reads differently.',
      'Row 5, column "location": the new location "New Site > Ward 9\u200b" prints like "New Site > Ward 9", which row 2 makes (it holds U+200B, which does not print as itself): a due list must never show two places that look the same. Write the two the same, or a name that reads differently.',
    ]);
    expect(snapshot(core)).toEqual(before);
    // Written as it was, the deactivated location comes back, as when it is added in the app.
    const result = importText(core, 'asset_tag,name,location\nQ3,Pump,General Hospital > Old Ward\n');
    expect(result.newLocations).toEqual(['General Hospital > Old Ward']);
    expect(listLocations(core).filter((l) => l.name === 'Old Ward')).toHaveLength(1);
  });

  it('checks a new ward inside a site it brings back against the wards taken out of use with that site', () => {
    const core = testCore();
    importText(core, 'asset_tag,name,location\nP1,Pump,Main Site\nP2,Pump,Old Site > Ward A\n');
    inTransaction(core, (core) => {
      const at = (name: string) => listLocations(core).find((l) => l.name === name)!.id;
      core.db.prepare("UPDATE equipment SET location_id = ? WHERE asset_tag = 'P2'").run(at('Main Site'));
      deactivateLocation(core, testActor, at('Ward A'));
      deactivateLocation(core, testActor, at('Old Site'));
    });
    const err = thrown(() => importText(core, 'asset_tag,name,location\nQ1,Pump,Old Site > Ward \u0410\n'));
    expect(err.details?.map((d) => d.message)).toEqual([
      'Row 2, column "location": the new location "Old Site > Ward \u0410" prints like "Ward A", a deactivated location there (its "\u0410" is U+0410): a due list must never show two places that look the same. Write "Ward A" to bring it back, or a name that reads differently.',
    ]);
    expect(importText(core, 'asset_tag,name,location\nQ1,Pump,Old Site > Ward A\n').newLocations).toEqual(['Old Site', 'Old Site > Ward A']);
  });
});

describe('new categories the app would refuse', () => {
  it('refuses a new category printing like one a row above makes, by row, in the preview as at the import, writing nothing', () => {
    const core = testCore();
    const before = snapshot(core);
    const file = [
      'asset_tag,name,location,category',
      'Q1,Pump,Ward 9,Infusion pump',
      // A Cyrillic "о" in "Infusiоn": another name to the app, the same on a device list.
      'Q2,Pump,Ward 9,Infusi\u043En pump',
      'Q3,Pump,Ward 9,Infusion pump',
      'Q4,Pump,Ward 9,Infusi\u043En pump',
      'Q5,Pump,Ward 9,Defibri\u200bllator',
    ].join('\n');
    const expected = [
      'Row 3, column "category": the new category "Infusi\u043En pump" prints like "Infusion pump", which row 2 makes (its "\u043E" is U+043E): a device list must never show two categories that look the same. Write the two the same, or a name that reads differently.',
      'Row 5, column "category": the new category "Infusi\u043En pump" prints like "Infusion pump", which row 2 makes (its "\u043E" is U+043E): a device list must never show two categories that look the same. Write the two the same, or a name that reads differently.',
      'Row 6, column "category": Name holds a character that prints as nothing or reorders the text (U+200B): type it with letters, digits, plain spaces and punctuation only.',
    ];
    const preview = previewEquipmentImport(core, { source: { text: file } });
    expect(preview.problems.map((p) => p.message)).toEqual(expected);
    expect(preview.newCategories).toEqual(['Infusion pump']);
    const err = thrown(() => importText(core, file));
    expect(err.code).toBe('invalid_input');
    expect(err.details?.map((d) => d.message)).toEqual(expected);
    expect(snapshot(core)).toEqual(before);
    // Written the same, they are one new category.
    const result = importText(core, file.replace(/\u043E/g, 'o').replace('\u200b', ''));
    expect(result.newCategories).toEqual(['Defibrillator', 'Infusion pump']);
    expect(count(core, 'categories')).toBe(2);
  });
});

describe('the same device twice (serial, manufacturer and model)', () => {
  const WITH_TAGS = 'asset_tag,name,location,manufacturer,model,serial\nP-1,Pump,Ward 1,Baxter,Sigma,SN-1\n';

  it('refuses the same file imported again with generated tags, naming the row, its serial and the tag it already has', () => {
    const core = testCore();
    // The EWH inventory's "Code" column ignored: every device gets a generated tag.
    const input = { source: { bytes: ewhBytes() }, mapping: { Code: null }, generateTagsPrefix: 'EWH' };
    expect(inTransaction(core, (c) => commitEquipmentImport(c, testActor, input)).created).toBe(23);
    const before = snapshot(core);
    // The supervisor picks the same file again (a double click, a second PC's copy).
    const again = previewEquipmentImport(core, input);
    expect(again.problems).toContainEqual({
      row: 3,
      column: 'Serial Number',
      field: 'serial',
      message: 'Row 3, column "Serial Number": serial "FARX O1093" (Ohmeda 5250 RGM) is already on EWH-00002 in the inventory.',
    });
    // Every row with a serial (14 of the 23) is refused; the rows without one cannot be told apart.
    expect(again.problems.filter((p) => p.field === 'serial')).toHaveLength(14);
    const err = thrown(() => inTransaction(core, (c) => commitEquipmentImport(c, testActor, input)));
    expect(err.message).toMatch(/^Nothing was imported: the file has 14 problems\. Row 3, column "Serial Number": serial "FARX O1093"/);
    expect(snapshot(core)).toEqual(before);
    expect(count(core, 'equipment')).toBe(23);
  });

  it('imports a row with a tag of its own whose device is already in the inventory, and says so as a warning', () => {
    const core = testCore();
    importText(core, WITH_TAGS);
    const result = importText(core, 'asset_tag,name,location,manufacturer,model,serial\nP-9,Pump,Ward 1,BAXTER,sigma, sn-1 \n');
    expect(result.created).toBe(1);
    expect(result.warnings).toEqual([
      { row: 2, column: 'serial', field: 'serial', message: 'Row 2, column "serial": serial "sn-1" (BAXTER sigma) is already on P-1 in the inventory.' },
    ]);
  });

  it("ignores the case of a serial's ASCII letters only, as SQLite's lower() does, whether or not the serial is plain ASCII", () => {
    const core = testCore();
    importText(core, 'asset_tag,name,location,manufacturer,model,serial\nP-1,Pump,Ward 1,Baxter,Sigma,sn-Äx\nP-2,Pump,Ward 1,Baxter,Sigma,AB-1\n');
    const text = 'asset_tag,name,location,manufacturer,model,serial\nQ-1,Pump,Ward 1,Baxter,Sigma,SN-ÄX\nQ-2,Pump,Ward 1,Baxter,Sigma,SN-äX\nQ-3,Pump,Ward 1,Baxter,Sigma,ab-1\n';
    const result = importText(core, text);
    expect(result.created).toBe(3);
    // Q-2's "ä" is another letter than P-1's "Ä" (SQLite folds no case beyond ASCII): not the same device.
    expect(result.warnings.map((w) => w.message)).toEqual([
      'Row 2, column "serial": serial "SN-ÄX" (Baxter Sigma) is already on P-1 in the inventory.',
      'Row 4, column "serial": serial "ab-1" (Baxter Sigma) is already on P-2 in the inventory.',
    ]);
  });

  it('names the device in the inventory, not one the import wrote a chunk earlier (issue 17: written a chunk at a time)', () => {
    const core = testCore();
    importText(core, WITH_TAGS);
    const text = 'asset_tag,name,location,manufacturer,model,serial\nA-9,Pump,Ward 1,Baxter,Sigma,SN-1\nA-0,Pump,Ward 1,Baxter,Sigma,SN-1\n';
    const result = inTransaction(core, (core) => commitEquipmentImport(core, testActor, { source: { text } }, undefined, { chunkRows: 1 }));
    // A-9, written before row 3 is checked, comes before P-1 in order; the inventory's device is still P-1.
    expect(result.warnings.map((w) => w.message)).toEqual([
      'Row 2, column "serial": serial "SN-1" (Baxter Sigma) is already on P-1 in the inventory.',
      'Row 3, column "serial": serial "SN-1" (Baxter Sigma) is already on P-1 in the inventory.',
    ]);
  });

  it('says a device twice in the same file: refused when the second tag would be generated, a warning when it has its own', () => {
    const core = testCore();
    const file = 'asset_tag,name,location,manufacturer,model,serial\nP-1,Pump,Ward 1,Baxter,Sigma,SN-1\n,Pump,Ward 1,Baxter,Sigma,SN-1\nP-3,Pump,Ward 1,Baxter,Sigma,SN-1\n';
    const preview = previewEquipmentImport(core, { source: { text: file }, generateTagsPrefix: 'WK' });
    expect(preview.problems.map((p) => p.message)).toEqual(['Row 3, column "serial": serial "SN-1" (Baxter Sigma) is already on row 2.']);
    expect(preview.warnings.map((p) => p.message)).toEqual(['Row 4, column "serial": serial "SN-1" (Baxter Sigma) is already on row 2.']);
  });

  it('leaves alone a blank serial, and the same serial of another model or maker', () => {
    const core = testCore();
    importText(core, WITH_TAGS + 'P-2,Scale,Ward 1,,,\n');
    const result = importText(
      core,
      'asset_tag,name,location,manufacturer,model,serial\n,Pump,Ward 1,Baxter,Sigma II,SN-1\n,Pump,Ward 1,BD,Sigma,SN-1\n,Scale,Ward 1,,,\n,Scale,Ward 1,,,\n',
      { generateTagsPrefix: 'WK' },
    );
    expect(result).toMatchObject({ created: 4, warnings: [] });
  });
});
