import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { testCore } from '../../helpers/core';
import { cli, cliFolders } from './run';

const EWH = path.resolve(new URL('../../fixtures/ewh-hospital-inventory.csv', import.meta.url).pathname);

function setup() {
  const folders = cliFolders();
  return { ...folders, db: () => testCore({ dataDir: folders.dataDir }) };
}

const equipmentCount = (core: ReturnType<typeof testCore>) =>
  (core.db.prepare('SELECT count(*) AS n FROM equipment').get() as { n: number }).n;

describe('wardkeep import equipment', () => {
  it('imports the real EWH file with no --map, attributing every write to the OS user (exit 0)', async () => {
    const { run, db } = setup();
    const res = await run('import', 'equipment', EWH, '--generate-tags', 'EWH');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /^Imported 23 devices from .*ewh-hospital-inventory\.csv, 8 generated asset tags; new locations: Dentistry, Emergency, /,
    );
    expect(res.stdout).toContain('  PartiallyOperational → out_of_service: 1\n');
    expect(res.stderr).toBe(
      `Warning: ${EWH}: Row 24, column "Equipment Type": the name is blank, so the model "DryView 5850 Laser Imager" is used as the name.\n`,
    );
    const core = db();
    expect(equipmentCount(core)).toBe(23);
    const actors = core.db.prepare('SELECT DISTINCT actor_name, via FROM audit_log').all();
    expect(actors).toEqual([{ actor_name: os.userInfo().username, via: 'cli' }]);
    expect(core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'import'").get()).toEqual({ n: 1 });
  });

  it('without --generate-tags, names every blank tag by file, row and column and imports nothing (exit 1)', async () => {
    const { run, db } = setup();
    const res = await run('import', 'equipment', EWH);
    expect(res.code).toBe(1);
    const errors = res.stderr.split('\n').filter((l) => l && !l.startsWith('Warning: '));
    expect(errors).toHaveLength(9);
    expect(errors[0]).toBe(
      `${EWH}: Row 2, column "Code": the asset tag is blank. Fill it in, or choose to generate tags (PREFIX-00001, PREFIX-00002, …).`,
    );
    expect(errors.slice(0, 8).map((e) => e.match(/Row (\d+)/)?.[1])).toEqual(['2', '7', '12', '13', '15', '19', '23', '24']);
    expect(errors[8]).toBe(`${EWH}: nothing was imported: 8 problems in 8 rows of 23.`);
    expect(res.stdout).toBe('');
    expect(equipmentCount(db())).toBe(0);
  });

  it('refuses the same file a second time when its tags are generated, naming each device already imported (exit 1)', async () => {
    const { run, db } = setup();
    expect((await run('import', 'equipment', EWH, '--map', 'Code=', '--generate-tags', 'EWH')).code).toBe(0);
    const res = await run('import', 'equipment', EWH, '--map', 'Code=', '--generate-tags', 'EWH');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${EWH}: Row 3, column "Serial Number": serial "FARX O1093" (Ohmeda 5250 RGM) is already on EWH-00002 in the inventory.\n`);
    expect(res.stderr).toContain(`${EWH}: nothing was imported: 14 problems in 14 rows of 23.`);
    expect(equipmentCount(db())).toBe(23);
  });

  it('--dry-run checks and reports, and writes nothing', async () => {
    const { run, db } = setup();
    const res = await run('import', 'equipment', EWH, '--generate-tags', 'EWH', '--dry-run');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Dry run: would import 23 devices/);
    expect(res.stdout).toMatch(/Nothing was written\.\n$/);
    const core = db();
    expect(equipmentCount(core)).toBe(0);
    expect(core.db.prepare('SELECT count(*) AS n FROM locations').get()).toEqual({ n: 0 });
    expect(core.db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
    const bad = await run('import', 'equipment', EWH, '--dry-run');
    expect(bad.code).toBe(1);
  });

  it('--map maps a column to a field and "Column=" ignores one', async () => {
    const { run, work, db } = setup();
    writeFileSync(path.join(work, 'inv.csv'), 'Kode;Bezeichnung;Standort;Status;Farbe\nK-1;Waage;Station 3;kaputt;rot\n', 'utf8');
    const unmapped = await run('import', 'equipment', 'inv.csv');
    expect(unmapped.code).toBe(1);
    expect(unmapped.stderr).toContain('inv.csv: No column is mapped to asset_tag, which is required');
    const res = await run(
      'import',
      'equipment',
      'inv.csv',
      '--map',
      'Kode=asset_tag',
      '--map',
      'Bezeichnung=name',
      '--map',
      'standort=location',
      '--map',
      'Status=',
    );
    expect(res.stderr).toBe('Warning: inv.csv: Column "Farbe" matches no field and is ignored.\n');
    expect(res.code).toBe(0);
    expect(db().db.prepare('SELECT asset_tag, name, status FROM equipment').all()).toEqual([
      { asset_tag: 'K-1', name: 'Waage', status: 'in_service' },
    ]);
  });

  it('names a bad status by file, row, column and value', async () => {
    const { run, work } = setup();
    writeFileSync(path.join(work, 'inv.csv'), 'asset_tag,name,location,status\nA,Pump,Ward,Operational\nB,Pump,Ward,Brokn\n');
    const res = await run('import', 'equipment', 'inv.csv');
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'inv.csv: Row 3, column "status": "Brokn" is not a known status (use in_service, out_of_service, retired or missing, or a synonym such as Operational).\n' +
        'inv.csv: nothing was imported: 1 problem in 1 row of 2.\n',
    );
  });

  it('exits 1 for a file it cannot read and 2 for usage errors', async () => {
    const { run } = setup();
    expect(await run('import', 'equipment', 'nope.csv')).toMatchObject({
      code: 1,
      stderr: 'nope.csv: there is no such file. Nothing was imported.\n',
    });
    const usage = [
      ['import', 'equipment'],
      ['import', 'equipment', 'a.csv', 'b.csv'],
      ['import', 'equipment', EWH, '--map', 'Code'],
      ['import', 'equipment', EWH, '--map', 'Code=barcode'],
      ['import', 'equipment', EWH, '--generate-tags', 'no spaces'],
      ['import', 'equipment', EWH, '--frobnicate'],
      ['export', 'equipment', '--format', 'xml'],
      ['export', 'equipment', 'extra'],
    ];
    for (const argv of usage) {
      const res = await run(...argv);
      expect(res.code, argv.join(' ')).toBe(2);
      expect(res.stderr, argv.join(' ')).toMatch(/Usage: wardkeep/);
    }
    expect((await run('import', 'equipment', EWH, '--map', 'Code=barcode')).stderr).toMatch(
      /^--map "Code=barcode": "barcode" is not a field; the fields are asset_tag, name, location,/,
    );
  });
});

/**
 * docs/cli.md: rows are numbered as a spreadsheet shows them, whatever the file holds: a UTF-8 BOM,
 * semicolons (European Excel), CRLF, and notes holding line breaks inside quotes. All or nothing.
 */
describe('wardkeep import equipment: row numbers after multi-line cells in a European Excel file', () => {
  it('names the bad row as the spreadsheet numbers it, on stderr only, and writes nothing', async () => {
    const s = cliFolders();
    const text =
      '\uFEFFAsset Tag;Description;Location;Notes;Acquired On\r\n' +
      'A-1;Pompe;Site > Réa;"ligne 1\r\nligne 2\r\nligne 3";2020-01-01\r\n' +
      'A-2;Pompe;Site > Réa;"dit ""OK""; vu";2020-01-02\r\n' +
      'A-3;Pompe;Site > Réa;;03/04/2020\r\n';
    writeFileSync(path.join(s.work, 'eu.csv'), text);
    const res = await s.run('import', 'equipment', 'eu.csv');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('eu.csv: Row 4, column "Acquired On": "03/04/2020" is not a date written YYYY-MM-DD.');
    const core = testCore({ dataDir: s.dataDir });
    try {
      expect(core.db.prepare('SELECT count(*) AS n FROM equipment').get()).toEqual({ n: 0 });
      expect(core.db.prepare('SELECT count(*) AS n FROM locations').get()).toEqual({ n: 0 });
    } finally {
      core.close();
    }
    writeFileSync(path.join(s.work, 'eu.csv'), text.replace('03/04/2020', '2020-04-03'));
    const ok = await s.run('import', 'equipment', 'eu.csv');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
    const after = testCore({ dataDir: s.dataDir });
    try {
      expect(after.db.prepare("SELECT notes FROM equipment WHERE asset_tag IN ('A-1','A-2') ORDER BY asset_tag").all()).toEqual([
        { notes: 'ligne 1\r\nligne 2\r\nligne 3' },
        { notes: 'dit "OK"; vu' },
      ]);
    } finally {
      after.close();
    }
  });
});

describe('wardkeep export equipment', () => {
  it('writes CSV to stdout by default and JSON to a file, and the CSV imports back unchanged', async () => {
    const { run, work } = setup();
    await run('import', 'equipment', EWH, '--generate-tags', 'EWH');
    const csv = await run('export', 'equipment');
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'asset_tag,name,location,category,manufacturer,model,serial,risk,ownership,status,acquired_on,in_service_on,warranty_until,reference_standard,notes',
    );
    expect(csv.stdout.split('\r\n')).toContain(
      '1817,"Analyzers, Laboratory, Blood Gas",Surgery,,Ohmeda,5250 RGM,FARX O1093,,,out_of_service,,,,no,',
    );

    const json = await run('export', 'equipment', '--format', 'json', '--out', 'inv.json');
    expect(json).toMatchObject({ code: 0, stdout: '', stderr: 'Exported 23 devices to inv.json.\n' });
    const records = JSON.parse(readFileSync(path.join(work, 'inv.json'), 'utf8')) as Record<string, string | null>[];
    expect(records).toHaveLength(23);
    expect(Object.keys(records[0]!)).toEqual([
      'asset_tag',
      'name',
      'location',
      'category',
      'manufacturer',
      'model',
      'serial',
      'risk',
      'ownership',
      'status',
      'acquired_on',
      'in_service_on',
      'warranty_until',
      'reference_standard',
      'notes',
    ]);

    writeFileSync(path.join(work, 'inv.csv'), csv.stdout);
    const second = setup();
    const again = await cli(second.dataDir, work)('import', 'equipment', 'inv.csv');
    expect(again.code).toBe(0);
    expect((await second.run('export', 'equipment')).stdout).toBe(csv.stdout);
  });

  it('writes a CSV file with the byte order mark Excel needs for accents, as the app saves it; stdout has none', async () => {
    const { run, work } = setup();
    writeFileSync(path.join(work, 'pumps.csv'), 'asset_tag,name,location\nP-1,Pompe à perfusion,Réanimation\n');
    expect((await run('import', 'equipment', 'pumps.csv')).code).toBe(0);
    const stdout = (await run('export', 'equipment')).stdout;
    expect(stdout.startsWith('asset_tag,')).toBe(true);

    expect((await run('export', 'equipment', '--out', 'export.csv')).code).toBe(0);
    const bytes = readFileSync(path.join(work, 'export.csv'));
    // Without EF BB BF, Excel on Windows opens "Pompe Ã  perfusion".
    expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
    expect(bytes.subarray(3).toString('utf8')).toBe(stdout);

    // The file imports back as it is, mark and all.
    const second = setup();
    expect((await cli(second.dataDir, work)('import', 'equipment', 'export.csv')).code).toBe(0);
    expect((await second.run('export', 'equipment')).stdout).toBe(stdout);

    // JSON is not for Excel: no mark.
    expect((await run('export', 'equipment', '--format', 'json', '--out', 'export.json')).code).toBe(0);
    expect(readFileSync(path.join(work, 'export.json'), 'utf8').startsWith('[')).toBe(true);
  });
});

describe('wardkeep import equipment while another program holds the database', () => {
  it('waits, then refuses in the app\'s words with exit 1 and writes nothing; once released, the same import works', async () => {
    const { run, dataDir, work, db } = setup();
    const core = db(); // the database made, as the app would have it
    const other = new BetterSqlite3(path.join(dataDir, 'wardkeep.sqlite3'));
    other.exec('BEGIN IMMEDIATE'); // the app (or a second command) writing, and holding on
    const file = path.join(work, 'pumps.csv');
    writeFileSync(file, 'Asset tag,Name,Location\nX-1,Infusion pump,General Hospital\n');
    // Before, runCli threw SqliteError "database is locked" (the built CLI: "wardkeep failed unexpectedly").
    const busy = await run('import', 'equipment', file);
    other.exec('ROLLBACK');
    other.close();
    expect(busy).toEqual({ code: 1, stdout: '', stderr: 'The database is busy with another program, so nothing was saved. Try again in a moment.\n' });
    expect(equipmentCount(core)).toBe(0);
    const again = await run('import', 'equipment', file);
    expect(again.code).toBe(0);
    expect(equipmentCount(core)).toBe(1);
  }, 30_000);
});
