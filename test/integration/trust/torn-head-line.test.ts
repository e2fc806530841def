import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../../main/core/audit';
import { createBackend } from '../../../main/core/backend';
import { HEAD_LOG } from '../../../main/core/anchors/head-log';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { openCore } from '../../../main/core/open-core';
import { runStartupChecks } from '../../../main/core/system/startup-checks';
import { tempDir, testActor } from '../../helpers/core';
import { cli, closeAsCrash } from './helpers';

/**
 * The head log gets a line after every commit, written and then fsynced. A power cut between the
 * two can leave the last line cut short: part of it, or zeros where the file grew. The commit it
 * named is in the database (committed first), so the next start takes its entries on with a line
 * of its own. That is a power cut, not an edit: the check must not cry tampering at every start
 * from then on, and `wardkeep verify` must pass. Someone garbling lines by hand is still found.
 */
function folder() {
  const dir = tempDir();
  const log = path.join(dir, HEAD_LOG);
  /** `n` entries, then Wardkeep closed, or gone in a power cut (its run marker left behind, as a power cut leaves it). */
  const write = (n: number, end: 'closed' | 'power cut' = 'closed') => {
    const core = openCore({ dataDir: dir });
    for (let i = 0; i < n; i++) inTransaction(core, (w) => appendAudit(w, testActor, { action: 'create', entity: 'thing', entityId: String(i), new: { n: i } }));
    if (end === 'power cut') closeAsCrash(core);
    else core.close();
  };
  const lines = () => readFileSync(log, 'utf8').split('\n');
  /** The last line as a power cut leaves it: `cut` of what was written, no line end after. */
  const cutLastLine = (cut: (line: string) => string) => {
    const all = lines().filter((l) => l !== '');
    const torn = cut(all.at(-1)!);
    writeFileSync(log, [...all.slice(0, -1), ''].join('\n') + torn);
    return torn;
  };
  return { dir, log, write, lines, cutLastLine };
}

const cuts: [string, (line: string) => string][] = [
  ['its first 60 characters', (l) => l.slice(0, 60)],
  ['zeros where the file grew', (l) => '\0'.repeat(l.length)],
];

describe('a head line cut short by a power cut', () => {
  it.each(cuts)('is a torn line, not an edit, once the next start has taken on its entries (%s)', async (_what, cut) => {
    const f = folder();
    f.write(3, 'power cut');
    const torn = f.cutLastLine(cut);
    // The next start finds entry 3 in no whole line and takes it on; work goes on after it.
    f.write(2);
    const lines = f.lines();
    // The torn line stays as it was, on a line of its own: the taking-on starts the next.
    expect(lines[2]).toBe(torn);
    expect(JSON.parse(lines[3]!)).toMatchObject({ kind: 'adopt', from: 3, seq: 3 });
    expect(JSON.parse(lines[5]!)).toMatchObject({ kind: 'head', seq: 5 });

    const res = await cli(['--data-dir', f.dir, 'verify']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Head log: line 3 was cut short by a power cut; the next start took on the entries it named (line 4).');

    // What supervisors see after the next start: no warning.
    const core = openCore({ dataDir: f.dir });
    const health = await runStartupChecks({ core, emit: createBackend(core).emit });
    expect(health.anchors).toMatchObject({ ok: true, findings: [] });
    core.close();
  });

  it('is still only a note when the power cut is the last thing in the log', async () => {
    const f = folder();
    f.write(3, 'power cut');
    f.cutLastLine((l) => l.slice(0, 60));
    const res = await cli(['--data-dir', f.dir, 'verify']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Head log: its last line was cut short by a power cut and is ignored.');
  });

  it('does not hide a line garbled by hand in the middle of the log', async () => {
    const f = folder();
    f.write(6);
    const lines = f.lines();
    // Line 2 cut short by hand, with a line after it that is an ordinary head, not a start's taking-on.
    writeFileSync(f.log, lines.map((l, i) => (i === 1 ? l.slice(0, 60) : l)).join('\n'));
    const res = await cli(['--data-dir', f.dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Head log: line 2 is not a head Wardkeep wrote: the log was edited.');
  });

  it('does not hide a line garbled by hand just before a real power cut', async () => {
    const f = folder();
    f.write(3, 'power cut');
    f.cutLastLine((l) => l.slice(0, 60));
    f.write(2);
    // Line 2 (entry 2) cut short by hand, above the torn line 3 and the start's taking-on of entry 3.
    writeFileSync(f.log, f.lines().map((l, i) => (i === 1 ? l.slice(0, 60) : l)).join('\n'));
    const res = await cli(['--data-dir', f.dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Head log: line 2 is not a head Wardkeep wrote: the log was edited.');
    expect(res.stderr).toContain('Audit entries 2 to 2 are in no head this data folder recorded');
    expect(res.stdout).toContain('Head log: line 3 was cut short by a power cut');
  });

  it('finds a line of JSON that is no head (null, a number) put in by hand, and still checks the rest', async () => {
    const f = folder();
    f.write(3);
    const lines = f.lines().filter((l) => l !== '');
    writeFileSync(f.log, [lines[0], 'null', lines[1], '7', lines[2], ''].join('\n'));
    const res = await cli(['--data-dir', f.dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Head log: line 2 is not a head Wardkeep wrote: the log was edited.');
    expect(res.stderr).toContain('Head log: line 4 is not a head Wardkeep wrote: the log was edited.');
    expect(res.stdout).toContain('Head log: 3 heads, 3 compared with the database');

    // What supervisors see after the next start: the same finding, not a check that could not run.
    const core = openCore({ dataDir: f.dir });
    const health = await runStartupChecks({ core, emit: createBackend(core).emit });
    expect(health.anchors).toMatchObject({ ok: false, findings: expect.arrayContaining(['Head log: line 2 is not a head Wardkeep wrote: the log was edited.']) });
    core.close();
  });

  it('does not take a taking-on line written without the key as proof of a power cut', async () => {
    const f = folder();
    f.write(4);
    const lines = f.lines().filter((l) => l !== '');
    // Line 3 cut short by hand, and an unsigned "taking-on" of its entries put after it.
    const forged = { ...JSON.parse(lines[2]!), kind: 'adopt', key: null, mac: null };
    writeFileSync(f.log, [lines[0], lines[1], lines[2]!.slice(0, 60), JSON.stringify(forged), lines[3], ''].join('\n'));
    const res = await cli(['--data-dir', f.dir, 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('Head log: line 3 is not a head Wardkeep wrote: the log was edited.');
    expect(res.stderr).toContain('Head log: line 4 is not signed although this data folder has a key: someone without the key wrote it.');
  });
});
