import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import type { Clock } from '../../../main/core/clock';
import type { Core } from '../../../main/core/context';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { openCore } from '../../../main/core/open-core';
import { syncStatus } from '../../../main/core/sync/status';
import { dateHint, formatDate, formatDateTime, formatDaysIn } from '../../../shared/date-format';
import type { DateWriter } from '../../../renderer/src/lib/settings';
import { statusLine } from '../../../renderer/src/lib/sync-words';

/** What `sync status` lists of the refused changes, and how long a trigger put back stays reported (docs/cli.md, docs/sync.md). */
const QUARANTINE_SHOWN = 20;
const CAPTURE_WARNING_DAYS = 7;
import { tempDir } from '../../helpers/core';
import { device } from '../plans/fixtures';
import { testHub, testPc } from './harness';

/**
 * What the hub refused and what was not sent, where a person can read it: `wardkeep sync status`
 * names each row (table, key, reason, when), in its table and in `--format json` (a field added,
 * nothing renamed: docs/cli.md); a change-counting trigger removed outside Wardkeep and put back
 * stays reported for a week, through the syncs that go well after it; and the header never says a
 * plain "Synced" while the hub holds back a change made here.
 */

async function cli(dir: string, ...args: string[]): Promise<string> {
  let stdout = '';
  const code = await runCli(['--data-dir', dir, 'sync', 'status', ...args], {
    stdout: (t) => (stdout += t),
    stderr: () => undefined,
    env: {},
    cwd: process.cwd(),
  });
  expect(code).toBe(0);
  return stdout;
}

/** A PC with device `tag` that joined `hub` and synced, in `dir`. */
async function pcWithDevice(tag: string, clock?: Clock) {
  const hub = await testHub();
  const dir = tempDir();
  const seed = openCore({ dataDir: dir });
  device(seed, tag);
  seed.close();
  const core = openCore({ dataDir: dir, ...(clock ? { clock } : {}) });
  const pc = await testPc(hub, 'Ward 4B', { core });
  await pc.sync();
  return { dir, core, pc };
}

function editByHand(dir: string, sql: string): void {
  const raw = new Database(path.join(dir, 'wardkeep.sqlite3'));
  raw.exec(sql);
  raw.close();
}

describe('`wardkeep sync status` names what was refused or not sent', () => {
  it('a row changed outside Wardkeep: its table, key, reason and time, in the table and in --format json', async () => {
    const { dir, core, pc } = await pcWithDevice('DF-0100');
    const id = core.db.prepare<[], { id: string }>("SELECT id FROM equipment WHERE asset_tag = 'DF-0100'").get()!.id;
    editByHand(dir, "UPDATE equipment SET name = 'Edited by hand' WHERE asset_tag = 'DF-0100'");
    await pc.sync();
    expect(syncStatus(core).quarantined).toBe(1);
    core.close();

    const table = await cli(dir);
    expect(table).toMatch(/Refused or not sent\s+1\n/);
    expect(table).toMatch(/Refused by the hub or not sent \(all, newest first\):/);
    const row = table.split('\n').find((l) => l.includes(id));
    expect(row).toMatch(/^\s+equipment\s+\S*\s+\d{4}-\d\d-\d\dT\S+Z\s+changed outside Wardkeep \(for example with the sqlite3 command line\): not sent to the hub$/);

    const json = JSON.parse(await cli(dir, '--format', 'json')) as Record<string, unknown>;
    expect(json.quarantined).toBe(1);
    expect(json.quarantine).toEqual([
      { table: 'equipment', row_key: expect.stringContaining(id), reason: expect.stringMatching(/changed outside Wardkeep/), reported_at: expect.stringMatching(/Z$/) },
    ]);
    // Only added: every field the published interface had is still there (docs/cli.md).
    for (const field of ['hub', 'hub_fingerprint', 'pc_name', 'state', 'last_sync_at', 'last_attempt_at', 'offline_since', 'last_error', 'pending_out', 'conflicts', 'clashes', 'quarantined', 'clock_offset_ms', 'clock_warning', 'join', 'capture_problems'])
      expect(json).toHaveProperty(field);
  });

  it(`lists the newest ${QUARANTINE_SHOWN} first and says how many there are in all`, async () => {
    const { dir, core } = await pcWithDevice('DF-0300');
    const add = core.db.prepare(
      "INSERT INTO sync_quarantine (replica, seq, tbl, pk, op, data, reason, reported_at) VALUES ('r', @seq, 'plans', @pk, 'update', '{}', @reason, @at)",
    );
    for (let i = 1; i <= QUARANTINE_SHOWN + 5; i++) {
      add.run({ seq: i, pk: `["p${i}"]`, reason: `refused number ${i}`, at: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString() });
    }
    core.close();
    const table = await cli(dir);
    expect(table).toMatch(new RegExp(`Refused or not sent\\s+${QUARANTINE_SHOWN + 5}\\n`));
    expect(table).toContain(`Refused by the hub or not sent (the newest ${QUARANTINE_SHOWN} of ${QUARANTINE_SHOWN + 5}, newest first):`);
    const json = JSON.parse(await cli(dir, '--format', 'json')) as { quarantine: { reason: string }[] };
    expect(json.quarantine).toHaveLength(QUARANTINE_SHOWN);
    expect(json.quarantine[0]!.reason).toBe(`refused number ${QUARANTINE_SHOWN + 5}`);
    expect(table.indexOf(`refused number ${QUARANTINE_SHOWN + 5}`)).toBeLessThan(table.indexOf(`refused number ${QUARANTINE_SHOWN + 4}`));
    expect(table).not.toContain('refused number 5\n');
  });
});

describe('a change-counting trigger removed outside Wardkeep', () => {
  it(`is put back and reported, with its day, through the syncs that go well after it, for ${CAPTURE_WARNING_DAYS} days`, async () => {
    let now = Date.now();
    const clock: Clock = { now: () => new Date(now) };
    const { dir, core, pc } = await pcWithDevice('DF-0200', clock);
    editByHand(dir, "DROP TRIGGER sync_equipment_count_update; UPDATE equipment SET name = 'Edited by hand' WHERE asset_tag = 'DF-0200'");
    expect(syncStatus(core).captureProblems).toEqual([expect.stringMatching(/sync_equipment_count_update is missing: it was removed outside Wardkeep/)]);

    await pc.sync();
    const after = syncStatus(core);
    // The sync went through (the trigger is back), and still says what happened: the write made meanwhile was never counted nor sent.
    expect(after.state).toBe('synced');
    const day = (ms: number) => {
      const d = new Date(ms);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    expect(after.captureProblems).toEqual([
      `On ${day(now)} the change-counting trigger sync_equipment_count_update was found removed or altered outside Wardkeep and put back: writes made while it was missing were not counted, so they were neither sent to the hub nor listed as changed outside Wardkeep.`,
    ]);
    core.close();
    const table = await cli(dir);
    expect(table).toContain(`Warning: On ${day(now)} the change-counting trigger sync_equipment_count_update was found removed`);
    expect((JSON.parse(await cli(dir, '--format', 'json')) as { capture_problems: string[] }).capture_problems).toEqual(after.captureProblems);

    const again = openCore({ dataDir: dir, clock });
    now += (CAPTURE_WARNING_DAYS - 1) * 86_400_000;
    expect(syncStatus(again).captureProblems).toEqual(after.captureProblems);
    now += 2 * 86_400_000;
    expect(syncStatus(again).captureProblems).toEqual([]);
    again.close();
  });
});

describe("the header's line, while the hub holds back a change made here", () => {
  const dates: DateWriter = {
    setting: 'dd/MM/yyyy',
    date: (iso) => formatDate(iso, 'dd/MM/yyyy'),
    dateTime: (iso) => formatDateTime(iso, 'dd/MM/yyyy'),
    text: (kept) => formatDaysIn(kept, 'dd/MM/yyyy'),
    hint: dateHint('dd/MM/yyyy'),
  };
  const header = (core: Core) => {
    const s = syncStatus(core);
    return statusLine({ ...s, join: null }, new Date(), dates);
  };

  it('says how many the hub refused, in the warning tone, never a plain green "Synced"', async () => {
    const { core, pc } = await pcWithDevice('DF-0400');
    expect(header(core)).toEqual({ text: 'Synced a moment ago', tone: 'ok' });
    // A change the hub refuses: a device's overridden fails that are no JSON list of text.
    inTransaction(core, (w) => w.db.prepare("UPDATE equipment SET manual_overrides = '[1]' WHERE asset_tag = 'DF-0400'").run());
    await pc.sync();
    const s = syncStatus(core);
    expect({ quarantined: s.quarantined, pendingOut: s.pendingOut, state: s.state }).toEqual({ quarantined: 1, pendingOut: 0, state: 'synced' });
    expect(header(core)).toEqual({ text: 'Synced a moment ago · 1 change refused or not sent', tone: 'warn' });
    core.close();
  });

  it('counts a row changed outside Wardkeep (not sent) the same way, as the details list it', async () => {
    const { dir, core, pc } = await pcWithDevice('DF-0500');
    editByHand(dir, "UPDATE equipment SET name = 'Edited by hand' WHERE asset_tag = 'DF-0500'");
    await pc.sync();
    expect(header(core)).toEqual({ text: 'Synced a moment ago · 1 change refused or not sent', tone: 'warn' });
    core.close();
  });
});
