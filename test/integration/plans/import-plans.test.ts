import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { commitPlanImport } from '../../../main/core/plans/import';
import { tempDir, testActor, testCore } from '../../helpers/core';
import { device, plan } from './fixtures';

function setup() {
  const dataDir = tempDir();
  const work = tempDir();
  const core = testCore({ dataDir });
  device(core, 'IP-0001', { name: 'Infusion pump' });
  const defib = device(core, 'DF-0002', { name: 'Defibrillator' });
  device(core, 'SC-0003', { name: 'Scale' });
  plan(core, defib, 'inspection', '1m', '2025-01-01');
  core.close();
  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['--data-dir', dataDir, ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: work });
    return { code, stdout, stderr };
  };
  const file = (name: string, text: string | Buffer) => {
    writeFileSync(path.join(work, name), text);
    return name;
  };
  return { run, file, db: () => testCore({ dataDir }) };
}

const plansOf = (core: ReturnType<typeof testCore>) =>
  core.db
    .prepare(
      `SELECT e.asset_tag, p.task, p.interval_n || substr(p.interval_unit, 1, 1) AS every, p.start_date, p.mode, p.window_days, p.grace_days, p.next_due
       FROM plans p JOIN equipment e ON e.id = p.equipment_id ORDER BY e.asset_tag, p.task`,
    )
    .all();

describe('wardkeep import plans', () => {
  it('imports every row, blank mode, window and grace taking their defaults, attributed to the OS user (exit 0)', async () => {
    const { run, file, db } = setup();
    const name = file(
      'plans.csv',
      [
        'asset_tag,task,every,start,mode,window_days,grace_days',
        'IP-0001,calibration,1y,2026-01-15,,,',
        'ip-0001 ,Electrical safety test,6m,2026-02-01,fixed,10,3',
        'DF-0002,calibration,1y,2026-01-31,floating,0,0',
        'SC-0003,cleaning,1w,2025-12-01,,,',
      ].join('\r\n'),
    );
    const res = await run('import', 'plans', name);
    expect(res).toEqual({ code: 0, stdout: 'Imported 4 plans from plans.csv.\n', stderr: '' });
    const core = db();
    expect(plansOf(core)).toEqual([
      { asset_tag: 'DF-0002', task: 'calibration', every: '1y', start_date: '2026-01-31', mode: 'floating', window_days: 0, grace_days: 0, next_due: '2026-01-31' },
      { asset_tag: 'DF-0002', task: 'inspection', every: '1m', start_date: '2025-01-01', mode: 'floating', window_days: 3, grace_days: 0, next_due: '2025-01-01' },
      { asset_tag: 'IP-0001', task: 'calibration', every: '1y', start_date: '2026-01-15', mode: 'floating', window_days: 30, grace_days: 0, next_due: '2026-01-15' },
      { asset_tag: 'IP-0001', task: 'electrical_safety', every: '6m', start_date: '2026-02-01', mode: 'fixed', window_days: 10, grace_days: 3, next_due: '2026-02-01' },
      { asset_tag: 'SC-0003', task: 'cleaning', every: '1w', start_date: '2025-12-01', mode: 'floating', window_days: 0, grace_days: 0, next_due: '2025-12-01' },
    ]);
    const actors = core.db.prepare("SELECT actor_name, via, count(*) AS n FROM audit_log WHERE entity = 'plan' GROUP BY 1, 2 ORDER BY 3").all();
    expect(actors).toEqual([
      { actor_name: 'Test Runner', via: 'system', n: 1 },
      { actor_name: os.userInfo().username, via: 'cli', n: 5 },
    ]);
    expect(core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'plan' AND action = 'import'").get()).toEqual({ n: 1 });
  });

  it('reports every problem by row and column and imports nothing (exit 1)', async () => {
    const { run, file, db } = setup();
    const name = file(
      'bad.csv',
      [
        'Asset Tag;Task;Every;Start;Mode;Window;Grace;Owner',
        'IP-0001;calibration;1y;2026-01-15;;;;x',
        'XX-9999;calibration;monthly;2026-13-01;sometimes;-1;;',
        ';;;;;;;',
        'SC-0003;polishing;1w;2025-12-01;;7;;',
        'SC-0003;cleaning;1w;2025-12-01;;;7;',
        'DF-0002;inspection;1m;2025-12-01;;;;',
        'IP-0001;calibration;1y;2026-01-15;;;;',
        'SC-0003;stock_check;1w;2025-12-01;;;;',
        'IP-0001;inspection;0m;2025-12-01;;;;',
        'SC-0003;inspection;1000y;2025-12-01;;;;',
      ].join('\n'),
    );
    const before = plansOf(db());
    const res = await run('import', 'plans', name);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr.split('\n')).toEqual([
      'Warning: bad.csv: Column "Owner" matches no field and is ignored.',
      'bad.csv: Row 3, column "Asset Tag": no device has the asset tag "XX-9999".',
      'bad.csv: Row 3, column "Every": "monthly" must be written like 7d, 2w, 6m or 1y.',
      'bad.csv: Row 3, column "Start": "2026-13-01" is not a date written YYYY-MM-DD.',
      'bad.csv: Row 3, column "Mode": "sometimes" is not a mode (use fixed or floating, or leave it blank for floating).',
      'bad.csv: Row 3, column "Window": "-1" is not a whole number of days, 0 or more (leave it blank for the default).',
      'bad.csv: Row 5, column "Task": "polishing" is not a task (use one of calibration, electrical_safety, inspection, cleaning, acceptance, repair).',
      'bad.csv: Row 5, column "Window": window (7 days) must be shorter than the interval (7 days).',
      'bad.csv: Row 6, column "Grace": grace (7 days) must be shorter than the interval (7 days).',
      'bad.csv: Row 7, column "Task": DF-0002 already has an active inspection plan.',
      'bad.csv: Row 8, column "Task": row 2 already gives IP-0001 a calibration plan.',
      'bad.csv: Row 9, column "Task": stock_check is a task for stock locations, not for a device.',
      // Written like 6m and 1y: the number is what is wrong.
      'bad.csv: Row 10, column "Every": "0m" must be at least 1 month.',
      'bad.csv: Row 11, column "Every": "1000y" must be at most 999 years.',
      'bad.csv: nothing was imported: 13 problems in 8 rows of 9.',
      '',
    ]);
    expect(plansOf(db())).toEqual(before);
  });

  it('--dry-run checks and writes nothing; a missing column is named', async () => {
    const { run, file, db } = setup();
    const good = file('good.csv', '\ufeffTag,Task Type,Interval,Start Date\nIP-0001,inspection,6m,2026-01-01\n');
    expect(await run('import', 'plans', good, '--dry-run')).toEqual({
      code: 0,
      stdout: 'Dry run: would import 1 plan from good.csv.\nNothing was written.\n',
      stderr: '',
    });
    expect(plansOf(db())).toHaveLength(1);
    const noStart = file('nostart.csv', 'asset_tag,task,every\nIP-0001,inspection,6m\n');
    const res = await run('import', 'plans', noStart);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'nostart.csv: There is no start column, which is required (the columns are asset_tag, task, every, start, mode, window_days, grace_days).\n' +
        'nostart.csv: nothing was imported: 1 problem.\n',
    );
  });

  it('usage errors exit 2; a missing file exits 1', async () => {
    const { run } = setup();
    expect((await run('import', 'plans')).code).toBe(2);
    expect(await run('import', 'plans', 'nope.csv')).toEqual({ code: 1, stdout: '', stderr: 'nope.csv: there is no such file. Nothing was imported.\n' });
  });

  it('is all or nothing inside the transaction too', () => {
    const core = testCore();
    device(core, 'IP-0001');
    const bytes = new TextEncoder().encode('asset_tag,task,every,start\nIP-0001,calibration,1y,2026-01-01\nIP-0001,calibration,1y,2026-01-01\n');
    expect(() => inTransaction(core, (core) => commitPlanImport(core, testActor, bytes, { fileName: 'x.csv' }))).toThrow('row 2 already gives IP-0001 a calibration plan');
    expect(core.db.prepare('SELECT count(*) AS n FROM plans').get()).toEqual({ n: 0 });
  });
});
