import { readFileSync } from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { localDate } from '../../../main/core/clock';
import { tempDir, testCore } from '../../helpers/core';
import { device, plan } from './fixtures';

/** Runs `wardkeep …` in-process; returns the exit code and what it printed. */
function cli(dataDir: string, cwd: string) {
  return async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['--data-dir', dataDir, ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd });
    return { code, stdout, stderr };
  };
}

/** The hospital of the due-list tests, written to a data folder the CLI then opens. */
function setup() {
  const dataDir = tempDir();
  const work = tempDir();
  const core = testCore({ dataDir });
  const b1 = 'General Hospital > Ward 4B > Bay 1';
  const pump = device(core, 'IP-0002', { name: 'Infusion pump, "volumetric"', location: 'General Hospital > Ward 4B > Bay 2', risk: 'high' });
  const defib = device(core, 'DF-0001', { name: 'Defibrillator', location: b1, risk: 'high' });
  const scale = device(core, 'SC-0003', { name: 'Patient scale', location: 'General Hospital > Ward 4A > Bay 1', risk: 'low' });
  const ecg = device(core, 'EC-0004', { name: 'ECG — 12-lead électrocardiographe à très longue description pour plier les lignes', location: 'Clinic Nord' });
  const ids = {
    pumpCal: plan(core, pump, 'calibration', '1y', '2025-11-15').id,
    defibInsp: plan(core, defib, 'inspection', '1m', '2025-11-22').id,
    defibEs: plan(core, defib, 'electrical_safety', '1y', '2025-11-15').id,
    scaleCal: plan(core, scale, 'calibration', '1y', '2025-12-10').id,
    ecgClean: plan(core, ecg, 'cleaning', '1d', '2025-11-25').id,
    scaleClean: plan(core, scale, 'cleaning', '1w', '2025-12-02').id,
  };
  core.close();
  return { run: cli(dataDir, work), work, ids };
}

const AS_OF = ['--as-of', '2025-11-25'];

describe('wardkeep due', () => {
  it('--format json: the fields of docs/cli.md, overdue first, then due date, location, asset tag', async () => {
    const { run, ids } = setup();
    const res = await run('due', ...AS_OF, '--format', 'json');
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    const rows = JSON.parse(res.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => [r.status, r.due_date, r.asset_tag, r.task, r.days_overdue])).toEqual([
      ['overdue', '2025-11-15', 'DF-0001', 'electrical_safety', 10],
      ['overdue', '2025-11-15', 'IP-0002', 'calibration', 10],
      ['overdue', '2025-11-22', 'DF-0001', 'inspection', 3],
      ['due', '2025-11-25', 'EC-0004', 'cleaning', 0],
      ['due', '2025-12-10', 'SC-0003', 'calibration', 0],
    ]);
    expect(rows[1]).toEqual({
      asset_tag: 'IP-0002',
      name: 'Infusion pump, "volumetric"',
      location: 'General Hospital > Ward 4B > Bay 2',
      task: 'calibration',
      due_date: '2025-11-15',
      status: 'overdue',
      days_overdue: 10,
      do_not_use: true,
      risk: 'high',
      ward: 'Ward 4B',
      room: 'Bay 2',
      plan_id: ids.pumpCal,
    });
  });

  it('--format csv: the same fields as columns, RFC 4180 quoting and CRLF', async () => {
    const { run } = setup();
    const res = await run('due', ...AS_OF, '--format', 'csv', '--task', 'calibration');
    expect(res.code).toBe(0);
    expect(res.stdout.split('\r\n').slice(0, 3)).toEqual([
      'asset_tag,name,location,task,due_date,status,days_overdue,do_not_use,risk,ward,room,plan_id',
      expect.stringMatching(/^IP-0002,"Infusion pump, ""volumetric""",General Hospital > Ward 4B > Bay 2,calibration,2025-11-15,overdue,10,yes,high,Ward 4B,Bay 2,[0-9a-f-]{36}$/),
      expect.stringMatching(/^SC-0003,Patient scale,General Hospital > Ward 4A > Bay 1,calibration,2025-12-10,due,0,no,low,Ward 4A,Bay 1,/),
    ]);
    expect(res.stdout.endsWith('\r\n')).toBe(true);
    expect(res.stdout.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('--format ics: an RFC 5545 calendar a real parser reads, one all-day event per row, UIDs stable across runs', async () => {
    const { run, ids } = setup();
    const first = await run('due', ...AS_OF, '--format', 'ics');
    expect(first.code).toBe(0);
    const text = first.stdout;
    // CRLF only, and no line over 75 octets.
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-\/\/Wardkeep\/\/Due list\/\/EN\r\n/);
    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(5);
    expect(events.map((e) => [e.startDate.toString(), e.endDate.toString(), e.startDate.isDate])).toEqual([
      ['2025-11-15', '2025-11-16', true],
      ['2025-11-15', '2025-11-16', true],
      ['2025-11-22', '2025-11-23', true],
      ['2025-11-25', '2025-11-26', true],
      ['2025-12-10', '2025-12-11', true],
    ]);
    expect(events[1]!.uid).toBe(`${ids.pumpCal}-2025-11-15@wardkeep`);
    expect(events[1]!.summary).toBe('DO NOT USE: Overdue Calibration: IP-0002 Infusion pump, "volumetric"');
    expect(events[1]!.location).toBe('General Hospital > Ward 4B > Bay 2');
    // The long UTF-8 name was folded and unfolds unchanged.
    expect(events[3]!.summary).toBe('Cleaning: EC-0004 ECG — 12-lead électrocardiographe à très longue description pour plier les lignes');
    expect(calendar.getAllSubcomponents('vevent')[0]!.getFirstPropertyValue('dtstamp')).toBeTruthy();
    const second = await run('due', ...AS_OF, '--format', 'ics');
    const uids = (t: string) => new ICAL.Component(ICAL.parse(t)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v).uid);
    expect(uids(second.stdout)).toEqual(uids(text));
    expect(new Set(uids(text)).size).toBe(5);
  });

  it('--format table (the default): aligned columns and a summary line', async () => {
    const { run } = setup();
    const res = await run('due', ...AS_OF, '--location', 'Ward 4B');
    expect(res.code).toBe(0);
    const lines = res.stdout.split('\n');
    expect(lines[0]).toMatch(/^STATUS +DUE +DAYS OVER +ASSET TAG +NAME +TASK +LOCATION +NOTE$/);
    expect(lines[1]).toMatch(/^overdue +2025-11-15 +10 +DF-0001 +Defibrillator +Electrical safety test +General Hospital > Ward 4B > Bay 1 +DO NOT USE$/);
    expect(lines.filter((l) => l.startsWith('overdue'))).toHaveLength(3);
    expect(res.stdout.endsWith('\n3 overdue, 0 due on 2025-11-25.\n')).toBe(true);
    const empty = await run('due', '--as-of', '2024-01-01');
    // An empty list says when the next work is, as the app's Today screen does.
    expect(empty).toEqual({
      code: 0,
      stdout: 'Nothing is overdue or due on 2024-01-01. The next work due is the electrical safety test of DF-0001 Defibrillator on 2025-11-15.\n',
      stderr: '',
    });
  });

  it('defaults to today', async () => {
    const { run } = setup();
    const res = await run('due');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(` on ${localDate(new Date())}.`);
  });

  it('--location by name or by path, with everything inside it; --task by code or label; --within adds what is scheduled soon', async () => {
    const { run } = setup();
    const tags = async (...argv: string[]) => {
      const res = await run('due', ...AS_OF, '--format', 'json', ...argv);
      expect(res.code).toBe(0);
      return (JSON.parse(res.stdout) as { asset_tag: string; task: string; status: string }[]).map((r) => `${r.asset_tag} ${r.task} ${r.status}`);
    };
    expect(await tags('--location', 'General Hospital > Ward 4A')).toEqual(['SC-0003 calibration due']);
    expect(await tags('--location', 'general hospital>ward 4b>bay 2')).toEqual(['IP-0002 calibration overdue']);
    expect(await tags('--location', 'General Hospital')).toHaveLength(4);
    expect(await tags('--task', 'Electrical safety test')).toEqual(['DF-0001 electrical_safety overdue']);
    expect(await tags('--task', 'CLEANING', '--within', '7')).toEqual(['EC-0004 cleaning due', 'SC-0003 cleaning scheduled']);
    expect(await tags('--task', 'cleaning', '--within', '6')).toEqual(['EC-0004 cleaning due']);
  });

  it('--out writes the file and says so on stderr', async () => {
    const { run, work } = setup();
    const res = await run('due', ...AS_OF, '--format', 'csv', '--out', 'due.csv');
    expect(res).toEqual({ code: 0, stdout: '', stderr: 'Wrote 5 plans due on 2025-11-25 to due.csv.\n' });
    expect(readFileSync(path.join(work, 'due.csv'), 'utf8').split('\r\n')).toHaveLength(7);
    const bad = await run('due', ...AS_OF, '--out', path.join(work, 'no-such-folder', 'x.csv'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`The folder ${path.join(work, 'no-such-folder')} does not exist: make it first, or name a file in a folder that does. Nothing was written.\n`);
  });

  it('exit 1 with a sentence for a location or task that does not exist', async () => {
    const { run } = setup();
    expect(await run('due', '--location', 'Ward 9Z')).toEqual({
      code: 1,
      stdout: '',
      stderr: '--location "Ward 9Z": there is no such location. Name one by its name or its path, e.g. "Site > Ward".\n',
    });
    expect(await run('due', '--task', 'polishing')).toEqual({
      code: 1,
      stdout: '',
      stderr: '--task "polishing" is not a task; the tasks are calibration, electrical_safety, inspection, cleaning, acceptance, repair, stock_check.\n',
    });
    // "Bay 1" is in two wards: the path must say which.
    const ambiguous = await run('due', '--location', 'Bay 1');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/^--location "Bay 1": the location "Bay 1" is ambiguous: write its full path, e\.g\. General Hospital > Ward 4\w > Bay 1\.\n$/);
  });

  it('exit 2 for a usage error, naming the flag and its value', async () => {
    const { run } = setup();
    const usage = async (argv: string[], message: string) => {
      const res = await run(...argv);
      expect(res.code).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr.split('\n')[0]).toBe(message);
    };
    await usage(['due', '--as-of', '25/11/2025'], '--as-of "25/11/2025" is not a date written YYYY-MM-DD.');
    await usage(['due', '--as-of', '2025-02-30'], '--as-of "2025-02-30" is not a date written YYYY-MM-DD.');
    await usage(['due', '--within', 'soon'], '--within "soon" is not a whole number of days (0 to 9999).');
    await usage(['due', '--within=-3'], '--within "-3" is not a whole number of days (0 to 9999).');
    await usage(['due', '--format', 'xml'], '--format "xml" is not one of table, csv, json, ics.');
    await usage(['due', 'tomorrow'], 'Unexpected argument "tomorrow".');
    const unknown = await run('due', '--ward', 'x');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--ward/);
  });
});
