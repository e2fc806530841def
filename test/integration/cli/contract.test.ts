import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliFolders } from './run';

/**
 * What the published command line promises (its contract, docs/cli.md), where the code once
 * departed from it: each quote is the contract's own words.
 */

const setup = cliFolders;

afterEach(() => {
  vi.useRealTimers();
});

describe('export equipment imports back unchanged', () => {
  it('keeps a device at a site named like a ward of another site (location round trip)', async () => {
    const a = setup();
    // Site "Ward X" is made first, then "Hosp > Ward X": two distinct locations. The export lists
    // A1 (Hosp > Ward X) first, so a single name must not match the ward an earlier row made.
    writeFileSync(path.join(a.work, 'inv.csv'), 'asset_tag,name,location\nB1,Site dev,Ward X\nA1,Nested dev,Hosp > Ward X\n');
    expect((await a.run('import', 'equipment', 'inv.csv')).code).toBe(0);
    const exported = await a.run('export', 'equipment');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('B1,Site dev,Ward X,');

    // The contract: "`--format csv` writes those fields as columns, so an export imports back unchanged."
    const b = setup();
    writeFileSync(path.join(b.work, 'export.csv'), exported.stdout);
    expect((await b.run('import', 'equipment', 'export.csv')).code).toBe(0);
    const again = await b.run('export', 'equipment');
    expect(again.stdout).toBe(exported.stdout);
  });
});

describe('import history: a bare date means that local day', () => {
  it("accepts today's work written as a bare date, before local noon", async () => {
    const { run, work } = setup();
    writeFileSync(path.join(work, 'inv.csv'), 'asset_tag,name,location\nP1,Pump,Ward\n');
    writeFileSync(path.join(work, 'plans.csv'), 'asset_tag,task,every,start\nP1,cleaning,1w,2026-01-05\n');
    expect((await run('import', 'equipment', 'inv.csv')).code).toBe(0);
    expect((await run('import', 'plans', 'plans.csv')).code).toBe(0);

    // 09:00 local (America/New_York, the integration project's zone) on 2026-03-10.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-10T13:00:00Z'));
    writeFileSync(path.join(work, 'history.csv'), 'asset_tag,task,performed_at,outcome,performed_by\nP1,cleaning,2026-03-10,pass,Jo Bloggs\n');
    // The contract: "`performed_at` may also be an ISO-8601 date-time (a bare date means that day, local time)".
    const res = await run('import', 'history', 'history.csv', '--dry-run');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    // Imported, it is that day's cleaning: the plan is next due a week on.
    expect((await run('import', 'history', 'history.csv')).code).toBe(0);
    const due = JSON.parse((await run('due', '--as-of', '2026-03-10', '--within', '30', '--format', 'json')).stdout) as { due_date: string }[];
    expect(due.map((d) => d.due_date)).toEqual(['2026-03-17']);
  });
});

describe('due near the end of the calendar', () => {
  it('still lists overdue plans when --as-of plus --within passes 9999-12-31', async () => {
    const { run, work } = setup();
    writeFileSync(path.join(work, 'inv.csv'), 'asset_tag,name,location\nP1,Pump,Ward\n');
    writeFileSync(path.join(work, 'plans.csv'), 'asset_tag,task,every,start\nP1,cleaning,1w,2026-01-05\n');
    expect((await run('import', 'equipment', 'inv.csv')).code).toBe(0);
    expect((await run('import', 'plans', 'plans.csv')).code).toBe(0);
    const plain = JSON.parse((await run('due', '--as-of', '9999-12-31', '--format', 'json')).stdout) as unknown[];
    expect(plain).toHaveLength(1);
    // The contract: due lists plans "overdue or due, plus those scheduled within --within days when given".
    const res = await run('due', '--as-of', '9999-12-31', '--within', '1', '--format', 'json');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toHaveLength(1);
  });
});

describe('backup FILE: errors are plain sentences', () => {
  it('says plainly that FILE is a folder, without a system error text', async () => {
    const { run, work } = setup();
    mkdirSync(path.join(work, 'backups'));
    const res = await run('backup', 'backups');
    expect(res.code).toBe(1);
    // The contract: "Errors go to stderr as plain sentences".
    expect(res.stderr).not.toMatch(/EISDIR|rename|\.partial-/);
    expect(res.stderr).toMatch(/folder/);
    expect(existsSync(path.join(work, 'backups'))).toBe(true);
  });
});
