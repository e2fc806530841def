import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testCore } from '../../helpers/core';
import { cliFolders } from './run';

/** `wardkeep due` as a person reads it in a terminal or a nightly mail (docs/cli.md, "wardkeep due"). */

/** A data folder with the database the app makes at its first start, and nothing in it. */
function emptyDatabase() {
  const s = cliFolders();
  testCore({ dataDir: s.dataDir }).close();
  return s;
}

async function imported(s: ReturnType<typeof cliFolders>, inventory: string, plans?: string) {
  writeFileSync(path.join(s.work, 'inv.csv'), inventory);
  expect((await s.run('import', 'equipment', 'inv.csv')).code).toBe(0);
  if (plans === undefined) return;
  writeFileSync(path.join(s.work, 'plans.csv'), plans);
  expect((await s.run('import', 'plans', 'plans.csv')).code).toBe(0);
}

describe('an empty due list says why, as the app\'s Today screen does: never "all done" when nothing is planned', () => {
  it('a database with no equipment: says so, naming the database, not "Nothing is overdue or due"', async () => {
    const s = emptyDatabase();
    const res = await s.run('due');
    expect(res).toEqual({
      code: 0,
      stdout: `Nothing is planned yet: there is no equipment in the database ${path.join(s.dataDir, 'wardkeep.sqlite3')}. Import the inventory (wardkeep import equipment FILE), then its plans (wardkeep import plans FILE).\n`,
      stderr: '',
    });
  });

  it('devices without a plan: says no device has a plan, so nothing can be due', async () => {
    const s = emptyDatabase();
    await imported(s, 'asset_tag,name,location\nA1,Pump,General > Ward 4B\n');
    const res = await s.run('due');
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      'Nothing is planned yet: no device in service has an active plan, so nothing can be due. Add plans in Wardkeep, or import them (wardkeep import plans FILE).\n',
    );
    // With a filter, the sentence names it.
    const filtered = await s.run('due', '--location', 'ward 4b', '--task', 'calibration');
    expect(filtered.stdout).toBe(
      'Nothing is planned yet: no device in service in General > Ward 4B has an active plan for calibration, so nothing can be due. Add plans in Wardkeep, or import them (wardkeep import plans FILE).\n',
    );
  });

  it('plans, none due yet: "Nothing is overdue or due" and when the next work is', async () => {
    const s = emptyDatabase();
    await imported(
      s,
      'asset_tag,name,location\nA1,Pump,Ward\nA2,Monitor,Ward\n',
      'asset_tag,task,every,start\nA1,cleaning,1w,2030-01-07\nA2,calibration,1y,2030-01-03\n',
    );
    expect((await s.run('due', '--as-of', '2029-12-01')).stdout).toBe(
      'Nothing is overdue or due on 2029-12-01. The next work due is the calibration of A2 Monitor on 2030-01-03.\n',
    );
    expect((await s.run('due', '--as-of', '2029-12-01', '--task', 'cleaning', '--location', 'Ward')).stdout).toBe(
      'Nothing is overdue or due in Ward on 2029-12-01. The next work due is the cleaning of A1 Pump on 2030-01-07.\n',
    );
  });

  it('CSV and JSON stay an empty list for a script, and stderr warns when nothing is planned at all', async () => {
    const s = emptyDatabase();
    const json = await s.run('due', '--format', 'json');
    expect(json.code).toBe(0);
    expect(json.stdout).toBe('[]\n');
    expect(json.stderr).toMatch(/^Warning: Nothing is planned yet: there is no equipment in the database /);
    const csv = await s.run('due', '--format', 'csv', '--out', 'due.csv');
    expect(csv.code).toBe(0);
    expect(csv.stderr).toMatch(/^Warning: Nothing is planned yet: .*\nWrote 0 plans due on \d{4}-\d\d-\d\d to due\.csv\.\n$/);
  });
});

describe('the due table', () => {
  it('keeps one line per plan, its columns aligned, when a name holds a line break or a tab', async () => {
    const s = cliFolders();
    await imported(
      s,
      'asset_tag,name,location\nA1,"Pump\nline 2",Ward\nA2,"Tab\there",Ward\n',
      'asset_tag,task,every,start\nA1,cleaning,1w,2026-01-05\nA2,cleaning,1w,2026-01-05\n',
    );
    const res = await s.run('due', '--as-of', '2026-02-01');
    expect(res.stdout).toBe(
      [
        'STATUS   DUE         DAYS OVER  ASSET TAG  NAME         TASK      LOCATION  NOTE',
        'overdue  2026-01-05  27         A1         Pump line 2  Cleaning  Ward',
        'overdue  2026-01-05  27         A2         Tab here     Cleaning  Ward',
        '',
        '2 overdue, 0 due on 2026-02-01.',
        '',
      ].join('\n'),
    );
  });
});
