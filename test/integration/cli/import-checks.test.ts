import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { previewEquipmentImport } from '../../../main/core/equipment/import/service';
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

describe('import plans and import history: a file with nothing to import', () => {
  const EMPTY = 'The file is empty: its first row must hold the column names.';
  it('says so in one sentence, as import equipment does, not a line for each missing column; --dry-run alike; nothing is written', async () => {
    const s = await withPlan();
    writeFileSync(path.join(s.work, 'zero.csv'), '');
    writeFileSync(path.join(s.work, 'blank-lines.csv'), '\r\n\r\n');
    writeFileSync(path.join(s.work, 'bom-only.csv'), Buffer.from([0xef, 0xbb, 0xbf]));
    writeFileSync(path.join(s.work, 'plans-header.csv'), 'asset_tag,task,every,start\r\n');
    writeFileSync(path.join(s.work, 'history-header.csv'), `${HISTORY_HEADER}\r\n`);
    writeFileSync(path.join(s.work, 'other-header.csv'), 'Tag;Description\r\n');
    const cases: [kind: 'plans' | 'history', file: string, sentence: string][] = [
      ['plans', 'zero.csv', EMPTY],
      ['plans', 'blank-lines.csv', EMPTY],
      ['plans', 'bom-only.csv', EMPTY],
      ['plans', 'plans-header.csv', 'The file has column names but no rows of plans.'],
      ['plans', 'other-header.csv', 'The file has column names but no rows of plans.'],
      ['history', 'zero.csv', EMPTY],
      ['history', 'blank-lines.csv', EMPTY],
      ['history', 'bom-only.csv', EMPTY],
      ['history', 'history-header.csv', 'The file has column names but no rows of past work.'],
      ['history', 'other-header.csv', 'The file has column names but no rows of past work.'],
    ];
    for (const [kind, file, sentence] of cases) {
      for (const dry of [[], ['--dry-run']]) {
        const res = await s.run('import', kind, file, ...dry);
        expect([res.code, res.stdout, res.stderr], `import ${kind} ${file} ${dry.join('')}`).toEqual([1, '', `${file}: ${sentence}\n${file}: nothing was imported: 1 problem.\n`]);
      }
    }
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

/** Text as Windows-1252 bytes: Latin-1 letters, and the curly quotes of 0x93 and 0x94. */
const cp1252 = (s: string) => Uint8Array.from([...s].map((c) => ({ '“': 0x93, '”': 0x94 })[c] ?? c.charCodeAt(0)));

describe('files as Windows programs save them', () => {
  it('reads a whole Windows-1252 file (French Excel, semicolons) whose notes quote a label in capitals (É” is by chance a UTF-8 pair)', async () => {
    const s = cliFolders();
    writeFileSync(path.join(s.work, 'fr.csv'), cp1252('asset_tag;name;location;notes\r\nDF-1;Défibrillateur;Réanimation;Étiquette “ÉTALONNÉ” posée\r\n'));
    const res = await s.run('import', 'equipment', 'fr.csv');
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect((await s.run('export', 'equipment')).stdout).toContain('DF-1,Défibrillateur,Réanimation,');
    const core = testCore({ dataDir: s.dataDir });
    try {
      expect(core.db.prepare('SELECT name, notes FROM equipment').all()).toEqual([{ name: 'Défibrillateur', notes: 'Étiquette “ÉTALONNÉ” posée' }]);
    } finally {
      core.close();
    }
  });

  /** The text as UTF-16 bytes after its byte-order mark: little-endian as Excel and PowerShell 5 write it, or big-endian. */
  const utf16 = (text: string, order: 'le' | 'be' = 'le') => {
    const le = Buffer.from(text, 'utf16le');
    return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), order === 'le' ? le : Buffer.from(le).swap16()]);
  };
  /** Excel's "Unicode Text": UTF-16 little-endian with its BOM, tab-separated, a cell with a tab in it quoted. */
  const UNICODE_TEXT = utf16(
    'Asset Tag\tName\tLocation\tNotes\r\nDF-1\tDéfibrillateur\tHôpital Nord > Réanimation\t"Étiquette\t“ÉTALONNÉ”"\r\nIP-2\tPerfusor Tür\tSt. Jørgen > Station Süd\t\r\n',
  );

  it('imports Excel\'s "Unicode Text" (UTF-16, tabs) with every accent as written, --dry-run first', async () => {
    const s = await withPlan();
    writeFileSync(path.join(s.work, 'unicode.txt'), UNICODE_TEXT);
    const dry = await s.run('import', 'equipment', 'unicode.txt', '--dry-run');
    expect([dry.code, dry.stderr]).toEqual([0, '']);
    expect(dry.stdout).toContain('Nothing was written');
    expect(s.count('equipment')).toBe(1);
    const real = await s.run('import', 'equipment', 'unicode.txt');
    expect([real.code, real.stderr]).toEqual([0, '']);
    const core = testCore({ dataDir: s.dataDir });
    try {
      expect(core.db.prepare("SELECT asset_tag, name, notes FROM equipment WHERE asset_tag <> 'P1' ORDER BY asset_tag").all()).toEqual([
        { asset_tag: 'DF-1', name: 'Défibrillateur', notes: 'Étiquette\t“ÉTALONNÉ”' },
        { asset_tag: 'IP-2', name: 'Perfusor Tür', notes: null },
      ]);
    } finally {
      core.close();
    }
    const exported = (await s.run('export', 'equipment')).stdout;
    expect(exported).toContain('DF-1,Défibrillateur,Hôpital Nord > Réanimation,');
    expect(exported).toContain('IP-2,Perfusor Tür,St. Jørgen > Station Süd,');
  });

  it('imports plans and history saved by PowerShell 5\'s Out-File (UTF-16 with its BOM, commas), little- and big-endian', async () => {
    const s = await withPlan();
    writeFileSync(path.join(s.work, 'inv.csv'), utf16('asset_tag,name,location\r\nØ-1,Défibrillateur,Salle Ø\r\n', 'be'));
    writeFileSync(path.join(s.work, 'plans.csv'), utf16('asset_tag,task,every,start\r\nØ-1,cleaning,1w,2026-01-05\r\n'));
    writeFileSync(path.join(s.work, 'h.csv'), utf16(`${HISTORY_HEADER}\r\nP1,cleaning,2026-01-06,pass,Zoë Müller,Gerät geprüft\r\nØ-1,cleaning,2026-01-07,pass,Jørgen,\r\n`));
    for (const args of [['equipment', 'inv.csv'], ['plans', 'plans.csv'], ['history', 'h.csv', '--dry-run'], ['history', 'h.csv']]) {
      const res = await s.run('import', ...args);
      expect([res.code, res.stderr], args.join(' ')).toEqual([0, '']);
    }
    const core = testCore({ dataDir: s.dataDir });
    try {
      expect(core.db.prepare("SELECT name FROM equipment WHERE asset_tag = 'Ø-1'").get()).toEqual({ name: 'Défibrillateur' });
      expect(core.db.prepare('SELECT performed_by_name, notes FROM completions ORDER BY performed_at').all()).toEqual([
        { performed_by_name: 'Zoë Müller', notes: 'Gerät geprüft' },
        { performed_by_name: 'Jørgen', notes: null },
      ]);
    } finally {
      core.close();
    }
  });

  it("the app's import screen previews a UTF-16 file with the same names, and says it read UTF-16 and tabs", async () => {
    const { backend, session } = testBackend();
    const res = await backend.invoke(session, 'equipment.import.preview', { source: { bytes: new Uint8Array(UNICODE_TEXT) } });
    expect(res).toMatchObject({
      ok: true,
      value: {
        encoding: 'utf-16le-bom',
        delimiter: '\t',
        problems: [],
        rows: [
          { values: { asset_tag: 'DF-1', name: 'Défibrillateur', location: 'Hôpital Nord > Réanimation', notes: 'Étiquette\t“ÉTALONNÉ”' } },
          { values: { asset_tag: 'IP-2', name: 'Perfusor Tür', location: 'St. Jørgen > Station Süd' } },
        ],
      },
    });
  });
});

/**
 * A new location whose name the app refuses (it prints like a location beside it, or holds a
 * character that does not print as itself) is refused by the check, so --dry-run and the app's
 * preview say it, by row and column, every such row, before anything is written.
 */
describe('import equipment: a new location whose name the app would refuse', () => {
  async function withWard4B() {
    const s = cliFolders();
    writeFileSync(path.join(s.work, 'first.csv'), 'asset_tag,name,location\nP1,Pump,General Hospital > Ward 4B\n');
    expect((await s.run('import', 'equipment', 'first.csv')).code).toBe(0);
    const count = (table: 'equipment' | 'locations') => {
      const core = testCore({ dataDir: s.dataDir });
      try {
        return (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      } finally {
        core.close();
      }
    };
    return { ...s, count };
  }
  // "Ward 4В" with a Cyrillic В: a second ward that prints exactly like Ward 4B on every due list.
  const LOOK_ALIKE = 'asset_tag,name,location\nQ1,Pump,Other Site\nQ2,Pump,General Hospital > Ward 4\u0412\n';
  const LOOK_ALIKE_LINE =
    'b.csv: Row 3, column "location": the new location "General Hospital > Ward 4\u0412" prints like the location "General Hospital > Ward 4B" (its "\u0412" is U+0412): ' +
    'a due list must never show two places that look the same. Write the name of the location there, or a name that reads differently.\n';

  it('--dry-run refuses what the import refuses, naming the row, the column and the value; nothing is written', async () => {
    const s = await withWard4B();
    writeFileSync(path.join(s.work, 'b.csv'), LOOK_ALIKE);
    const dry = await s.run('import', 'equipment', 'b.csv', '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stdout).not.toContain('would import');
    expect(dry.stderr).toContain(LOOK_ALIKE_LINE);
    const real = await s.run('import', 'equipment', 'b.csv');
    expect(real.code).toBe(1);
    expect(real.stderr).toContain(LOOK_ALIKE_LINE);
    expect(real.stderr).toContain('b.csv: nothing was imported');
    expect([s.count('equipment'), s.count('locations')]).toEqual([1, 2]);
  });

  it('reports every such row, each hidden character by its code, not only the first one the writing met', async () => {
    const s = await withWard4B();
    writeFileSync(
      path.join(s.work, 'c.csv'),
      'asset_tag,name,location\nQ1,Pump,General Hospital > Ward 4\u0412\nQ2,Pump,General Hospital > Ward\u200b 5\nQ3,Pump,General Hospital > Ward\u00a07\nQ4,Pump,General Hospital > Ward 8\n',
    );
    const real = await s.run('import', 'equipment', 'c.csv');
    expect(real.code).toBe(1);
    const rows = real.stderr.split('\n').filter((l) => /^c\.csv: Row \d+/.test(l));
    expect(rows).toEqual([
      expect.stringMatching(/^c\.csv: Row 2, column "location": the new location "General Hospital > Ward 4\u0412" prints like the location "General Hospital > Ward 4B"/),
      'c.csv: Row 3, column "location": the location name "Ward\u200b 5" holds a character that prints as nothing or reorders the text (U+200B): type it with letters, digits, plain spaces and punctuation only.',
      'c.csv: Row 4, column "location": the location name "Ward\u00a07" holds a space other than the plain one (U+00A0), which prints like a space: type it with letters, digits, plain spaces and punctuation only.',
    ]);
    expect([s.count('equipment'), s.count('locations')]).toEqual([1, 2]);
  });

  it("the app's preview shows the problem before the Import button is offered", async () => {
    const s = await withWard4B();
    const core = testCore({ dataDir: s.dataDir });
    try {
      const preview = previewEquipmentImport(core, { source: { bytes: new TextEncoder().encode(LOOK_ALIKE) }, mapping: {}, generateTagsPrefix: null });
      // The Import button is enabled exactly when there is no problem (PreviewStep.tsx canImport).
      expect(preview.problems).toEqual([{ row: 3, column: 'location', field: 'location', message: LOOK_ALIKE_LINE.slice('b.csv: '.length, -1) }]);
      expect(preview.counts).toMatchObject({ valid: 1, invalid: 1 });
    } finally {
      core.close();
    }
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
