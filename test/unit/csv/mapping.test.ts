import { describe, expect, it } from 'vitest';
import { generatedNumber, generatedTag, readDate, readOwnership, readRisk, readStatus, readYesNo } from '../../../main/core/equipment/import/cells';
import { fieldForHeader, guessMapping, parseFieldName } from '../../../main/core/equipment/import/mapping';
import { EQUIPMENT_FILE_FIELDS, foldWord, HEADER_ALIASES, STATUS_SYNONYMS, statusFromWord } from '../../../shared/domain/equipment';

const EWH_HEADERS = ['Location', 'Code', 'Serial Number', 'Equipment Type', 'Model', 'Status', 'Manufacturer'];

describe('guessMapping', () => {
  it('maps the real EWH hospital file with no help', () => {
    const guess = guessMapping(EWH_HEADERS);
    expect(guess.columns.map((c) => [c.header, c.field, c.how])).toEqual([
      ['Location', 'location', 'name'],
      ['Code', 'asset_tag', 'alias'],
      ['Serial Number', 'serial', 'alias'],
      ['Equipment Type', 'name', 'alias'],
      ['Model', 'model', 'name'],
      ['Status', 'status', 'name'],
      ['Manufacturer', 'manufacturer', 'name'],
    ]);
    expect(guess.problems).toEqual([]);
    expect(guess.warnings).toEqual([]);
  });

  it('matches field names ignoring case, spaces, "_" and "-"', () => {
    for (const [header, field] of [
      ['ASSET_TAG', 'asset_tag'],
      ['asset tag', 'asset_tag'],
      ['Asset-Tag', 'asset_tag'],
      ['assetTag', 'asset_tag'],
      ['In Service On', 'in_service_on'],
      ['warranty-until', 'warranty_until'],
      ['Reference Standard', 'reference_standard'],
      ['S/N', 'serial'],
      ['Serial No.', 'serial'],
      ['  NOTES ', 'notes'],
    ] as const) {
      expect(fieldForHeader(header), header).toBe(field);
    }
    expect(fieldForHeader('Colour')).toBeNull();
    expect(fieldForHeader('Type')).toBeNull();
  });

  it('has an alias table where no folded header means two fields', () => {
    const seen = new Map<string, string>();
    for (const field of EQUIPMENT_FILE_FIELDS) {
      for (const alias of [field, ...HEADER_ALIASES[field]]) {
        const key = foldWord(alias);
        expect(seen.get(key) ?? field, `${alias} is listed for ${seen.get(key)} and ${field}`).toBe(field);
        seen.set(key, field);
      }
    }
  });

  it('reports missing required fields, and drops asset_tag from them when tags are generated', () => {
    const guess = guessMapping(['Equipment Type', 'Colour']);
    expect(guess.problems.map((p) => p.field)).toEqual(['asset_tag', 'location']);
    expect(guess.problems[1]!.message).toBe('No column is mapped to location, which is required: map one of the columns to it.');
    expect(guess.warnings).toEqual([{ column: 'Colour', message: 'Column "Colour" matches no field and is ignored.' }]);
    expect(guessMapping(['Name', 'Ward'], {}, { generateTags: true }).problems).toEqual([]);
  });

  it('reports two columns mapped to one field', () => {
    const guess = guessMapping(['Asset Tag', 'Code', 'Name', 'Location']);
    expect(guess.problems).toEqual([
      {
        field: 'asset_tag',
        message: 'Columns "Asset Tag" and "Code" are both mapped to asset_tag; map one of them to another field or ignore it.',
      },
    ]);
  });

  it("applies the user's choices: a column to a field, a column ignored, by header in any case", () => {
    const guess = guessMapping(['Asset Tag', 'Code', 'Name', 'Location', 'Dept code'], { code: null, 'Dept code': 'notes' });
    expect(guess.problems).toEqual([]);
    expect(guess.columns.find((c) => c.header === 'Code')).toMatchObject({ field: null, how: 'ignored' });
    expect(guess.columns.find((c) => c.header === 'Dept code')).toMatchObject({ field: 'notes', how: 'chosen' });
  });

  it('says so when a choice names a column the file does not have', () => {
    const guess = guessMapping(['Tag', 'Name', 'Location'], { Kode: 'asset_tag' });
    expect(guess.problems).toEqual([{ message: 'There is no column "Kode" in the file (its columns are "Tag", "Name", "Location").' }]);
  });

  it('parses field names as a user types them', () => {
    expect(parseFieldName('asset_tag')).toBe('asset_tag');
    expect(parseFieldName('Asset Tag')).toBe('asset_tag');
    expect(parseFieldName('tag')).toBeNull();
  });
});

describe('status words', () => {
  it.each([
    ['Operational', 'in_service'],
    ['active', 'in_service'],
    ['In use', 'in_service'],
    ['', 'in_service'],
    ['in_service', 'in_service'],
    ['UnderMaintenance', 'out_of_service'],
    ['under maintenance', 'out_of_service'],
    ['PartiallyOperational', 'out_of_service'],
    ['broken', 'out_of_service'],
    ['REPAIR', 'out_of_service'],
    ['Out-of-service', 'out_of_service'],
    ['retired', 'retired'],
    ['Disposed', 'retired'],
    ['condemned', 'retired'],
    ['missing', 'missing'],
    ['lost', 'missing'],
  ])('%j means %s', (word, status) => {
    expect(statusFromWord(word)).toBe(status);
  });

  it('refuses an unknown word with the sentence the user sees', () => {
    expect(readStatus('Brokn')).toEqual({
      ok: false,
      why: '"Brokn" is not a known status (use in_service, out_of_service, retired or missing, or a synonym such as Operational).',
    });
  });

  it('lists no word under two statuses', () => {
    const owner = new Map<string, string>();
    for (const [status, list] of Object.entries(STATUS_SYNONYMS)) {
      for (const w of list) {
        expect(owner.get(foldWord(w)) ?? status).toBe(status);
        owner.set(foldWord(w), status);
      }
    }
  });
});

describe('cells', () => {
  it('reads risk, ownership and yes/no in any case, blank as none', () => {
    expect(readRisk(' HIGH ')).toEqual({ ok: true, value: 'high' });
    expect(readRisk('')).toEqual({ ok: true, value: null });
    expect(readRisk('Hi')).toEqual({ ok: false, why: '"Hi" is not a risk level (use high, medium or low).' });
    expect(readOwnership('Leased')).toEqual({ ok: true, value: 'leased' });
    expect(readOwnership('borrowed')).toMatchObject({ ok: false });
    expect(readYesNo('Yes')).toEqual({ ok: true, value: true });
    expect(readYesNo('N')).toEqual({ ok: true, value: false });
    expect(readYesNo('')).toEqual({ ok: true, value: false });
    expect(readYesNo('maybe')).toEqual({ ok: false, why: '"maybe" is not yes or no.' });
  });

  it('answers a word read again as the first time, past the 256 words each reader keeps', () => {
    // Each reader keeps its answers for the words a column repeats (issue 17): a word read again, a
    // word read after hundreds of others, must get the same answer as when it was first read.
    const words = Array.from({ length: 600 }, (_, i) => `word ${i}`);
    for (const round of [1, 2]) {
      for (const w of words) {
        expect(readRisk(w), `${w}, round ${round}`).toEqual({ ok: false, why: `"${w}" is not a risk level (use high, medium or low).` });
        expect(readStatus(w)).toMatchObject({ ok: false, why: expect.stringContaining(`"${w}" is not a known status`) });
      }
      expect(readRisk(' HIGH ')).toEqual({ ok: true, value: 'high' });
      expect(readOwnership('Leased')).toEqual({ ok: true, value: 'leased' });
      expect(readYesNo('Yes')).toEqual({ ok: true, value: true });
      expect(readStatus('Operational')).toEqual({ ok: true, value: 'in_service' });
    }
    // An answer is shared by every row holding the word: it cannot be changed by one of them.
    const cell = readRisk('high');
    expect(Object.isFrozen(cell)).toBe(true);
  });

  it('reads dates written YYYY-MM-DD only, and real ones', () => {
    expect(readDate('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(readDate(' ')).toEqual({ ok: true, value: null });
    expect(readDate('2023-02-29')).toMatchObject({ ok: false });
    expect(readDate('12/03/2020')).toEqual({ ok: false, why: '"12/03/2020" is not a date written YYYY-MM-DD.' });
  });

  it('makes and recognises generated tags', () => {
    expect(generatedTag('EWH', 1)).toBe('EWH-00001');
    expect(generatedTag('EWH', 123456)).toBe('EWH-123456');
    expect(generatedNumber('ewh', 'EWH-00042')).toBe(42);
    expect(generatedNumber('EWH', 'EWH-X1')).toBeNull();
    expect(generatedNumber('EWH', 'EWHA-00001')).toBeNull();
  });
});
