import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../../main/core/audit';
import type { AnchorCheck } from '../../../main/core/anchors/check';
import { HEAD_LOG } from '../../../main/core/anchors/head-log';
import { anchorsOf } from '../../../main/core/anchors';
import { verifiedFile } from '../../../main/core/anchors/position';
import { createBackend } from '../../../main/core/backend';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { runStartupChecks } from '../../../main/core/system/startup-checks';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { cli, closeAsCrash, rehashFrom } from './helpers';

/**
 * Issue 17: the head log grows by a line per commit, and every start checked every line of it (at
 * 200,000 lines, 4–7 s and up to 600 MB in the worker). A start now checks the lines written since the
 * last check that passed, on top of what that check recorded (signed with the verified position):
 * the bytes it read must be unchanged, and each chain's newest head is compared with the trail
 * again. The deep check, once a week, reads every line. What the anchors are there to catch is
 * still caught at the next start.
 */
function world() {
  const clock = fixedClock('2026-11-25T09:00:00Z');
  const core = testCore({ clock });
  const backend = createBackend(core);
  const add = (n: number) => {
    for (let i = 0; i < n; i++) inTransaction(core, (w) => appendAudit(w, testActor, { action: 'create', entity: 'thing', entityId: String(i), new: { n: i } }));
  };
  const log = path.join(core.dataDir, HEAD_LOG);
  const verified = () => JSON.parse(readFileSync(verifiedFile(core.dataDir, anchorsOf(core)!.ring.signing!.id), 'utf8')) as { seq: number; log?: { bytes: number; lines: number; heads: number } };
  const start = async () => (await runStartupChecks(backend)).anchors as AnchorCheck;
  const nextDay = (days: number) => clock.set(new Date(Date.parse('2026-11-25T09:00:00Z') + days * 86_400_000).toISOString());
  const raw = (sql: string, ...params: unknown[]) => {
    core.db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete');
    core.db.prepare(sql).run(...params);
  };
  return { core, clock, add, log, verified, start, nextDay, raw };
}

describe('the start-up check of the head log, from what the last check read (issue 17)', () => {
  it('reads every line once, then only the lines written since, and the deep check reads them all again', async () => {
    const w = world();
    w.add(20);
    const first = await w.start();
    expect(first).toMatchObject({ ok: true, findings: [] });
    expect(first.notes).toContain('Head log: 20 heads, 20 compared with the database.');
    expect(w.verified().log).toMatchObject({ bytes: statSync(w.log).size, lines: 20, heads: 20 });

    w.add(3);
    w.nextDay(1);
    const second = await w.start();
    expect(second).toMatchObject({ ok: true, findings: [] });
    expect(second.notes).toContain(
      'Head log: 23 heads: the first 20 as an earlier check found them, unchanged since (the newest of each chain compared again), and 3 written since, checked now; 4 compared with the database.',
    );
    expect(w.verified().log).toMatchObject({ bytes: statSync(w.log).size, lines: 23, heads: 23 });

    w.nextDay(8); // the deep check is due: every line
    const deep = await w.start();
    expect(deep.notes).toContain('Head log: 23 heads, 23 compared with the database.');
  });

  it('finds the trail rewritten and hashed again before the lines it reads, from the newest head it had read', async () => {
    const w = world();
    w.add(20);
    await w.start();
    w.add(5);
    w.nextDay(1);
    await w.start();
    // Entry 10 changed, and every entry after it hashed again so the chain holds.
    w.raw('UPDATE audit_log SET new_value = \'{"n":99}\' WHERE seq = 10');
    rehashFrom(w.core.db, 10);
    w.nextDay(2);
    const found = await w.start();
    expect(found.ok).toBe(false);
    // Found, the whole log is read for the findings' words: the first line that disagrees is entry 10's.
    expect(found.findings).toContainEqual(expect.stringMatching(/^The database's audit entry 10 is not the one recorded in the head log on 2026-\d\d-\d\d .*: the trail was rewritten at or before that entry and hashed again \(16 recorded heads disagree\)\.$/));
  });

  it('finds the head log cut back past what the last check read, though the trail is whole', async () => {
    const w = world();
    w.add(20);
    await w.start();
    // The last five lines removed by hand: read whole, the log alone would say only that entries 16 to 20 have no head yet.
    const lines = readFileSync(w.log, 'utf8').split('\n').filter((l) => l !== '');
    writeFileSync(w.log, lines.slice(0, 15).map((l) => `${l}\n`).join(''));
    w.nextDay(1);
    const found = await w.start();
    expect(found.ok).toBe(false);
    expect(found.findings[0]).toBe('Head log: its first 20 lines are not what the check of 2026-11-25 read: lines were changed, removed or cut short since.');
    expect(w.verified().seq).toBe(20); // nothing recorded over a check that failed
  });

  it('finds a line it read before changed in place, keeping its length', async () => {
    const w = world();
    w.add(10);
    await w.start();
    // Someone edits an old line's date in place, keeping its length (the signature no longer holds).
    const text = readFileSync(w.log, 'utf8');
    const edited = text.replace(/"at":"2026-(\d\d)-(\d\d)T/, (_m, mo: string) => `"at":"2025-${mo}-01T`);
    expect(edited.length).toBe(text.length);
    writeFileSync(w.log, edited);
    w.nextDay(1);
    const found = await w.start();
    expect(found.findings).toEqual([
      'Head log: its first 10 lines are not what the check of 2026-11-25 read: lines were changed, removed or cut short since.',
      'Head log: line 1 was changed after it was written (its signature does not match).',
      // A line that is not trusted covers nothing.
      'Audit entries 1 to 1 are in no head this data folder recorded: something other than Wardkeep added them (or a Wardkeep process stopped between writing them and recording their head).',
    ]);
  });

  it('wardkeep verify finds the log cut back past what the last check read, and one that passes leaves a checkpoint the next start goes on from', async () => {
    const w = world();
    w.add(10);
    await w.start();
    // verify reads every line, and records where it stopped for the app's next start.
    w.add(2);
    const verified = await cli(['--data-dir', w.core.dataDir, 'verify']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(w.verified().log).toMatchObject({ bytes: statSync(w.log).size, lines: 12, heads: 12 });
    w.add(1);
    w.clock.set(new Date(Date.now() + 86_400_000).toISOString()); // the day after verify: no deep check due
    const next = await w.start();
    expect(next.notes).toContain(
      'Head log: 13 heads: the first 12 as an earlier check found them, unchanged since (the newest of each chain compared again), and 1 written since, checked now; 2 compared with the database.',
    );

    // The last four lines cut off: verify says so, though every line left is sound.
    const lines = readFileSync(w.log, 'utf8').split('\n').filter((l) => l !== '');
    writeFileSync(w.log, lines.slice(0, 9).map((l) => `${l}\n`).join(''));
    const cut = await cli(['--data-dir', w.core.dataDir, 'verify']);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/^Anchors: Head log: its first 13 lines are not what the check of \d{4}-\d\d-\d\d read: lines were changed, removed or cut short since\.$/m);
  });

  it('records no checkpoint past a line a power cut left without its end, and the next start reads the whole log', async () => {
    const w = world();
    w.add(5);
    // The power cut: entry 5 committed, its line half written, the app gone.
    const lines = readFileSync(w.log, 'utf8').split('\n').filter((l) => l !== '');
    writeFileSync(w.log, lines.slice(0, 4).map((l) => `${l}\n`).join('') + lines[4]!.slice(0, 40));
    const first = await w.start();
    expect(first).toMatchObject({ ok: true });
    expect(first.notes).toContain('Head log: its last line was cut short by a power cut and is ignored.');
    expect(w.verified().log).toBeUndefined();
    closeAsCrash(w.core);
    // The next start takes entry 5 on (line 6), and work goes on.
    const again = testCore({ dataDir: w.core.dataDir, clock: w.clock });
    inTransaction(again, (tx) => appendAudit(tx, testActor, { action: 'create', entity: 'thing', entityId: 'after', new: { n: 6 } }));
    w.nextDay(1);
    const next = (await runStartupChecks(createBackend(again))).anchors as AnchorCheck;
    expect(next).toMatchObject({ ok: true, findings: [] });
    expect(next.notes).toContain('Head log: 6 heads, 6 compared with the database.');
    expect(next.notes).toContain('Head log: line 5 was cut short by a power cut; the next start took on the entries it named (line 6).');
    expect(w.verified().log).toMatchObject({ bytes: statSync(w.log).size, lines: 7 });
  });
});
