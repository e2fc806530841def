import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { analyseHistoryImport, commitHistoryImport } from '../../../main/core/completions/history-import';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { openCore } from '../../../main/core/open-core';
import { recordCompletion } from '../../../main/core/completions/record';
import { insertEquipment } from '../../../main/core/equipment/service';
import { resolveLocationPath } from '../../../main/core/locations/service';
import { createPlan } from '../../../main/core/plans/service';
import { EquipmentFields } from '../../../shared/domain/equipment';
import { PlanFields } from '../../../shared/domain/plan';
import { fixedClock, testActor, testCore, tempDir } from '../../helpers/core';

/** A data folder with two devices, each with a fixed monthly inspection and a yearly calibration. */
function world() {
  const dir = tempDir();
  const core = openCore({ dataDir: dir });
  const plans: Record<string, string> = {};
  inTransaction(core, (core) => {
    const ward = resolveLocationPath(core, testActor, 'General Hospital > Ward 4B', { create: true })!;
    for (const tag of ['IP-1', 'IP-2']) {
      const id = insertEquipment(core, testActor, EquipmentFields.parse({ assetTag: tag, name: 'Infusion pump', locationId: ward.id }));
      plans[`${tag} inspection`] = createPlan(core, testActor, PlanFields.parse({ equipmentId: id, task: 'inspection', every: '1m', mode: 'fixed', startDate: '2025-01-01', windowDays: 7 })).id;
      plans[`${tag} calibration`] = createPlan(core, testActor, PlanFields.parse({ equipmentId: id, task: 'calibration', every: '1y', startDate: '2025-01-01' })).id;
    }
  });
  core.close();
  return { dir, plans };
}

async function cli(dir: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--data-dir', dir, ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: dir });
  return { code, stdout, stderr };
}

const HISTORY = [
  'asset_tag,task,performed_at,outcome,performed_by,notes',
  'IP-1,inspection,2025-03-26,pass,J. Okafor,counted for 1 April',
  'IP-1,inspection,2025-02-25,pass,J. Okafor,',
  'IP-1,calibration,2025-06-30T14:00:00+01:00,pass_adjusted,"Smith, A.","adjusted at 100 ml/h"',
  'IP-2,Inspection,2025-05-02,not_done_in_use,M. Díaz,in theatre',
  'IP-2,calibration,2025-08-01,fail,M. Díaz,',
].join('\r\n');

describe('wardkeep import history', () => {
  it('gives the same due dates as entering the records live, whatever the row order, and the performer as written; the status is left alone', async () => {
    const a = world();
    writeFileSync(path.join(a.dir, 'history.csv'), HISTORY);
    const res = await cli(a.dir, ['import', 'history', 'history.csv']);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout).toContain('Imported 5 records from history.csv.');
    expect(res.stdout).toContain("Imported history is unsigned and never changes a device's status. The latest calibration or safety test of 1 device is an imported fail: check its status (IP-2).");

    // The same records entered live, in performed order, in another data folder.
    const b = world();
    const live = openCore({ dataDir: b.dir });
    for (const [key, at, outcome] of [
      ['IP-1 inspection', '2025-02-25T12:00:00', 'pass'],
      ['IP-1 inspection', '2025-03-26T12:00:00', 'pass'],
      ['IP-1 calibration', '2025-06-30T13:00:00Z', 'pass_adjusted'],
      ['IP-2 inspection', '2025-05-02T12:00:00', 'not_done_in_use'],
      ['IP-2 calibration', '2025-08-01T12:00:00', 'fail'],
    ] as const) {
      inTransaction(live, (live) => recordCompletion(live, testActor, { planId: b.plans[key]!, performedAt: new Date(at).toISOString(), outcome, source: 'app' }));
    }
    const dueOf = (dir: string) => {
      const core = openCore({ dataDir: dir });
      const rows = core.db
        .prepare('SELECT e.asset_tag, p.task, p.next_due, p.last_done_on FROM plans p JOIN equipment e ON e.id = p.equipment_id ORDER BY 1, 2')
        .all();
      core.close();
      return rows;
    };
    live.close();
    expect(dueOf(a.dir)).toEqual(dueOf(b.dir));
    expect(dueOf(a.dir)).toContainEqual({ asset_tag: 'IP-1', task: 'inspection', next_due: '2025-05-01', last_done_on: '2025-03-26' });
    expect(dueOf(a.dir)).toContainEqual({ asset_tag: 'IP-2', task: 'calibration', next_due: '2025-01-01', last_done_on: null });
    const core = openCore({ dataDir: a.dir });
    expect(core.db.prepare("SELECT status FROM equipment WHERE asset_tag = 'IP-2'").get()).toEqual({ status: 'in_service' });
    expect(core.db.prepare("SELECT performed_by_name, performed_by_user_id, source FROM completions WHERE notes = 'adjusted at 100 ml/h'").get()).toEqual({
      performed_by_name: 'Smith, A.',
      performed_by_user_id: null,
      source: 'import',
    });
    core.close();
  });

  it('imports nothing when any row is wrong, and names every problem by row and column', async () => {
    const { dir } = world();
    writeFileSync(
      path.join(dir, 'bad.csv'),
      [
        'asset_tag,task,performed_at,outcome,performed_by',
        'IP-1,inspection,2025-02-25,pass,J. Okafor',
        'IP-9,inspection,2025-02-25,pass,J. Okafor',
        'IP-1,cleaning,2025-02-25,pass,J. Okafor',
        'IP-1,inspection,25/02/2025,pass,J. Okafor',
        'IP-1,inspection,2999-01-01,pass,J. Okafor',
        'IP-1,inspection,2025-03-01,passed,J. Okafor',
        'IP-1,inspection,2025-03-02,pass,',
      ].join('\n'),
    );
    const res = await cli(dir, ['import', 'history', 'bad.csv']);
    expect(res.code).toBe(1);
    expect(res.stderr.split('\n').filter((l) => l.startsWith('bad.csv: Row'))).toEqual([
      'bad.csv: Row 3, column "asset_tag": no device has the asset tag "IP-9".',
      'bad.csv: Row 4, column "task": IP-1 has no active cleaning plan to record this against (import its plans first).',
      'bad.csv: Row 5, column "performed_at": "25/02/2025" is not a date (YYYY-MM-DD) or an ISO-8601 date and time.',
      'bad.csv: Row 6, column "performed_at": "2999-01-01" is in the future.',
      expect.stringMatching(/^bad\.csv: Row 7, column "outcome": "passed" is not an outcome/),
      'bad.csv: Row 8, column "performed_by": who did the work is blank.',
    ]);
    expect(res.stderr).toContain('nothing was imported');
    const core = openCore({ dataDir: dir });
    expect(core.db.prepare('SELECT count(*) AS n FROM completions').get()).toEqual({ n: 0 });
    core.close();
  });

  it('refuses a time past 23:59 (24:00 included) and a year before 1900 or in the future, naming row, column and value; --dry-run alike; nothing is written', async () => {
    const { dir } = world();
    writeFileSync(
      path.join(dir, 'dates.csv'),
      [
        'Tag,Task,Date,Outcome,By',
        'IP-1,inspection,2025-02-25,pass,J. Okafor',
        'IP-1,inspection,2025-03-25T24:00,pass,J. Okafor',
        'IP-1,inspection,2025-04-25 25:30:00Z,pass,J. Okafor',
        'IP-1,inspection,2025-05-25T10:60,pass,J. Okafor',
        'IP-2,inspection,1026-03-04,pass,J. Okafor',
        'IP-2,calibration,1899-12-31T10:00:00Z,pass,J. Okafor',
        'IP-2,inspection,2206-03-04,pass,J. Okafor',
        'IP-2,calibration,1900-01-01,pass,J. Okafor',
      ].join('\r\n'),
    );
    const LINES = [
      'dates.csv: Row 3, column "Date": "2025-03-25T24:00" has the hour 24: write the time from 00:00 to 23:59 (midnight is 00:00 of the next day).',
      'dates.csv: Row 4, column "Date": "2025-04-25 25:30:00Z" has the hour 25: write the time from 00:00 to 23:59 (midnight is 00:00 of the next day).',
      'dates.csv: Row 5, column "Date": "2025-05-25T10:60" has the minute 60: write the time from 00:00 to 23:59 (midnight is 00:00 of the next day).',
      'dates.csv: Row 6, column "Date": "1026-03-04" is before 1900: check the year.',
      'dates.csv: Row 7, column "Date": "1899-12-31T10:00:00Z" is before 1900: check the year.',
      'dates.csv: Row 8, column "Date": "2206-03-04" is in the future.',
    ];
    for (const dry of [['--dry-run'], []]) {
      const res = await cli(dir, ['import', 'history', 'dates.csv', ...dry]);
      expect(res.code).toBe(1);
      expect(res.stderr.split('\n').filter((l) => l.startsWith('dates.csv: Row'))).toEqual(LINES);
      expect(res.stderr).toContain('dates.csv: nothing was imported: 6 problems in 6 rows of 8.');
    }
    const core = openCore({ dataDir: dir });
    // The import itself checks again in its one transaction, and writes nothing, not even row 2.
    const bytes = new Uint8Array(readFileSync(path.join(dir, 'dates.csv')));
    expect(() => inTransaction(core, (core) => commitHistoryImport(core, testActor, bytes, { fileName: 'dates.csv' }))).toThrow(LINES[0]!.slice('dates.csv: '.length));
    expect(core.db.prepare('SELECT count(*) AS n FROM completions').get()).toEqual({ n: 0 });
    core.close();
    // The rows refused are the only thing wrong: without them the file imports (1900 and the good rows).
    writeFileSync(path.join(dir, 'good.csv'), 'Tag,Task,Date,Outcome,By\r\nIP-1,inspection,2025-02-25T23:59,pass,J. Okafor\r\nIP-2,calibration,1900-01-01,pass,J. Okafor\r\n');
    expect(await cli(dir, ['import', 'history', 'good.csv'])).toMatchObject({ code: 0, stderr: '', stdout: expect.stringContaining('Imported 2 records from good.csv.') });
  });

  it('checks without writing on --dry-run, and refuses the same file twice', async () => {
    const { dir } = world();
    writeFileSync(path.join(dir, 'history.csv'), HISTORY);
    expect(await cli(dir, ['import', 'history', 'history.csv', '--dry-run'])).toMatchObject({ code: 0, stdout: expect.stringContaining('would import 5 records') });
    expect((await cli(dir, ['import', 'history', 'history.csv'])).code).toBe(0);
    const again = await cli(dir, ['import', 'history', 'history.csv']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('this work is already recorded');
    expect((await cli(dir, ['import', 'history'])).code).toBe(2);
  });

  it('refuses a file dated today imported again the same morning, after noon or the next day; the record is today, never after now', () => {
    // 09:00 in New York (the integration zone) on 10 March 2026 (EDT, UTC-4).
    const clock = fixedClock('2026-03-10T13:00:00Z');
    const core = testCore({ clock });
    inTransaction(core, (core) => {
      const ward = resolveLocationPath(core, testActor, 'General Hospital > Ward 4B', { create: true })!;
      const id = insertEquipment(core, testActor, EquipmentFields.parse({ assetTag: 'IP-1', name: 'Infusion pump', locationId: ward.id }));
      createPlan(core, testActor, PlanFields.parse({ equipmentId: id, task: 'cleaning', every: '1w', startDate: '2026-03-01' }));
    });
    const file = new TextEncoder().encode(
      'asset_tag,task,performed_at,outcome,performed_by,notes\r\nIP-1,cleaning,2026-03-10,pass,J. Okafor,done on paper this morning\r\n',
    );
    const importIt = () => {
      try {
        return inTransaction(core, (core) => commitHistoryImport(core, testActor, file, { fileName: 'today.csv' })).created;
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(importIt()).toBe(1);
    const stored = core.db.prepare('SELECT performed_at, performed_on FROM completions').get() as { performed_at: string; performed_on: string };
    expect(stored.performed_on).toBe('2026-03-10');
    expect(Date.parse(stored.performed_at)).toBeLessThanOrEqual(Date.parse('2026-03-10T13:00:00Z'));
    // Due dates count from the local day: a week on.
    expect(core.db.prepare('SELECT next_due, last_done_on FROM plans').get()).toEqual({ next_due: '2026-03-17', last_done_on: '2026-03-10' });

    // The same file again five minutes later (a double click, a scheduled job run twice), after noon, and the next day.
    const REFUSAL = 'Row 2, column "performed_at": this work is already recorded on 2026-03-10 (an earlier import?); if it was done again that day, give the time it was done.';
    for (const at of ['2026-03-10T13:05:00Z', '2026-03-10T18:00:00Z', '2026-03-11T14:00:00Z']) {
      clock.set(at);
      expect(importIt(), at).toBe(REFUSAL);
      expect(analyseHistoryImport(core, file).problems.map((p) => p.message), at).toEqual([REFUSAL]);
    }
    // One cleaning on the device's record, not two identical ones from the same paper sheet.
    expect(core.db.prepare('SELECT count(*) AS n FROM completions').get()).toEqual({ n: 1 });
    // Work done again that day, with its time, is another record.
    const again = new TextEncoder().encode('asset_tag,task,performed_at,outcome,performed_by\nIP-1,cleaning,2026-03-10T15:30:00,pass,J. Okafor\n');
    expect(inTransaction(core, (core) => commitHistoryImport(core, testActor, again, { fileName: 'later.csv' })).created).toBe(1);
  });

  it('refuses a row dated by day only beside a row of the same plan, outcome and day in the file', () => {
    const core = testCore({ clock: fixedClock('2026-03-20T12:00:00Z') });
    inTransaction(core, (core) => {
      const ward = resolveLocationPath(core, testActor, 'General Hospital > Ward 4B', { create: true })!;
      const id = insertEquipment(core, testActor, EquipmentFields.parse({ assetTag: 'IP-1', name: 'Infusion pump', locationId: ward.id }));
      createPlan(core, testActor, PlanFields.parse({ equipmentId: id, task: 'cleaning', every: '1d', startDate: '2026-03-01' }));
    });
    const file = new TextEncoder().encode(
      [
        'asset_tag,task,performed_at,outcome,performed_by',
        'IP-1,cleaning,2026-03-10T08:00:00,pass,J. Okafor',
        'IP-1,cleaning,2026-03-10T16:00:00,pass,J. Okafor',
        'IP-1,cleaning,2026-03-10,pass,J. Okafor',
        'IP-1,cleaning,2026-03-11,pass,J. Okafor',
        'IP-1,cleaning,2026-03-11T09:00:00,pass,J. Okafor',
      ].join('\n'),
    );
    expect(analyseHistoryImport(core, file).problems.map((p) => p.message)).toEqual([
      'Row 4, column "performed_at": row 2 records the same work on the same day.',
      'Row 6, column "performed_at": row 5 records the same work on the same day.',
    ]);
  });
});
