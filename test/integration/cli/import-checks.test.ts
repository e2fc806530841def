import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testBackend, testCore } from '../../helpers/core';
import { cliFolders } from './run';

/**
 * What an import refuses, as the app refuses it: bad input gets a clear sentence naming the field,
 * row or value, and nothing is half-written (docs/cli.md).
 */

const HISTORY_HEADER = 'asset_tag,task,performed_at,outcome,performed_by,notes';

/** A data folder with device P1 and its weekly cleaning plan, made by the command line itself. */
async function withPlan() {
  const s = cliFolders();
  writeFileSync(path.join(s.work, 'inv.csv'), 'asset_tag,name,location\nP1,Pump,Ward\n');
  writeFileSync(path.join(s.work, 'plans.csv'), 'asset_tag,task,every,start\nP1,cleaning,1w,2026-01-05\n');
  expect((await s.run('import', 'equipment', 'inv.csv')).code).toBe(0);
  expect((await s.run('import', 'plans', 'plans.csv')).code).toBe(0);
  const count = (table: 'completions' | 'equipment') => {
    const core = testCore({ dataDir: s.dataDir });
    try {
      return (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    } finally {
      core.close();
    }
  };
  return { ...s, count };
}

describe('import history checks each cell as the app checks a record (LogFields, a person\'s name)', () => {
  it('refuses notes longer than a record may hold (4000 characters), naming row and column, and imports nothing, not even the good row', async () => {
    const s = await withPlan();
    writeFileSync(
      path.join(s.work, 'history.csv'),
      `${HISTORY_HEADER}\nP1,cleaning,2026-01-06,pass,Jo Bloggs,ok\nP1,cleaning,2026-01-13,pass,Jo Bloggs,${'n'.repeat(100_000)}\n`,
    );
    const res = await s.run('import', 'history', 'history.csv');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('history.csv: Row 3, column "notes": the notes must be at most 4000 characters (it has 100000).\n');
    expect(res.stderr).toContain('history.csv: nothing was imported');
    expect(res.stderr.length).toBeLessThan(1000);
    expect(s.count('completions')).toBe(0);
  });

  it('takes notes of exactly 4000 characters, as the record form does', async () => {
    const s = await withPlan();
    writeFileSync(path.join(s.work, 'history.csv'), `${HISTORY_HEADER}\nP1,cleaning,2026-01-06,pass,Jo Bloggs,${'n'.repeat(4000)}\n`);
    const res = await s.run('import', 'history', 'history.csv');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(s.count('completions')).toBe(1);
  });

  it('refuses a NUL character in the notes, naming the row, and imports nothing', async () => {
    const s = await withPlan();
    writeFileSync(path.join(s.work, 'history.csv'), `${HISTORY_HEADER}\nP1,cleaning,2026-01-06,pass,Jo Bloggs,before\u0000after\n`);
    const res = await s.run('import', 'history', 'history.csv');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('history.csv: Row 2, column "notes": the notes must not hold a NUL character (pasted from elsewhere?).\n');
    expect(s.count('completions')).toBe(0);
  });

  it('refuses a performed_by longer than a person\'s name may be (120 characters) or holding a NUL, and imports nothing', async () => {
    const s = await withPlan();
    writeFileSync(
      path.join(s.work, 'history.csv'),
      `${HISTORY_HEADER}\nP1,cleaning,2026-01-06,pass,${'J'.repeat(3000)},ok\nP1,cleaning,2026-01-13,pass,Jo\u0000,ok\n`,
    );
    const res = await s.run('import', 'history', 'history.csv');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('history.csv: Row 2, column "performed_by": the name must be at most 120 characters (it has 3000).\n');
    expect(res.stderr).toContain('history.csv: Row 3, column "performed_by": the name must not hold a NUL character');
    expect(s.count('completions')).toBe(0);
  });
});

/** A UTF-8 export with one Windows-1252 en dash (0x96) pasted in on row 3, as Notepad leaves it. */
const MIXED = Buffer.concat([
  Buffer.from('asset_tag,name,location\nM1,Défibrillateur,Salle\nM2,"Pompe\nà perfusion ', 'utf8'),
  Buffer.from([0x96]),
  Buffer.from(' 2",Salle\n'),
]);
const MIXED_SENTENCE =
  'Row 3: the file is written in UTF-8 but this row holds a byte that is not UTF-8 (0x96, perhaps a character pasted from another program). ' +
  'Open the file, check that row, save it as UTF-8 (in Excel: "CSV UTF-8") and import it again.';

describe('a UTF-8 file with a byte that is not UTF-8', () => {
  it('is refused naming the row of that byte (a quoted line break inside it counts as one row) and what to do; nothing is imported', async () => {
    const s = await withPlan();
    writeFileSync(path.join(s.work, 'more.csv'), MIXED);
    const res = await s.run('import', 'equipment', 'more.csv');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`more.csv: ${MIXED_SENTENCE}\n`);
    expect(res.stderr).toContain('more.csv: nothing was imported.');
    expect(s.count('equipment')).toBe(1);
    // --dry-run says the same.
    const dry = await s.run('import', 'equipment', 'more.csv', '--dry-run');
    expect([dry.code, dry.stderr]).toEqual([1, `more.csv: ${MIXED_SENTENCE}\nmore.csv: nothing was imported.\n`]);
  });

  it('is refused by import history the same way', async () => {
    const s = await withPlan();
    writeFileSync(path.join(s.work, 'h.csv'), Buffer.concat([Buffer.from(`${HISTORY_HEADER}\nP1,cleaning,2026-01-06,pass,Zoé,ok\nP1,cleaning,2026-01-13,pass,Zo`, 'utf8'), Buffer.from([0xe9, 0x0a])]));
    const res = await s.run('import', 'history', 'h.csv');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('h.csv: Row 3: the file is written in UTF-8 but this row holds a byte that is not UTF-8 (0xE9');
    expect(s.count('completions')).toBe(0);
  });

  it('is refused by the app\'s import screen with the same sentence (it sends the bytes to the same decode)', async () => {
    const { backend, session } = testBackend();
    const res = await backend.invoke(session, 'equipment.import.preview', { source: { bytes: new Uint8Array(MIXED) } });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', message: MIXED_SENTENCE } });
  });

  it('a Windows-1252 file (no UTF-8 characters in it at all) is still read as Windows-1252', async () => {
    const s = cliFolders();
    writeFileSync(path.join(s.work, 'cp.csv'), Buffer.concat([Buffer.from('asset_tag,name,location\nM1,D'), Buffer.from([0xe9]), Buffer.from('fibrillateur '), Buffer.from([0x96]), Buffer.from(' 2,Salle\n')]));
    expect((await s.run('import', 'equipment', 'cp.csv')).code).toBe(0);
    const csv = (await s.run('export', 'equipment')).stdout;
    expect(csv).toContain('M1,Défibrillateur – 2,Salle');
  });
});

describe('import equipment: messages stay one readable line', () => {
  it('quotes the first 40 characters of a huge wrong value and "…", not all of it', async () => {
    const s = cliFolders();
    const tag = `T${'t'.repeat(19_999)}`;
    writeFileSync(path.join(s.work, 'inv.csv'), `asset_tag,name,location,status\nL1,Pump,Ward,${'x'.repeat(20_000)}\n${tag},Pump,Ward,\n${tag},Pump,Ward,\n`);
    const res = await s.run('import', 'equipment', 'inv.csv');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`inv.csv: Row 2, column "status": "${'x'.repeat(40)}…" is not a known status`);
    expect(res.stderr).toContain(`inv.csv: Row 4, column "asset_tag": asset tag "${tag.slice(0, 40)}…" is already on row 3.`);
    for (const line of res.stderr.split('\n')) expect(line.length).toBeLessThan(300);
  });
});
