import { describe, expect, it } from 'vitest';
import { checkProgress } from '../../../main/cli/progress';

/** Issue 17: `wardkeep verify` says where it is and how long is left, every few seconds; a quick check says nothing. */
describe("verify's progress", () => {
  it('names each step, counts the audit trail with the time left, and ends with the time taken', () => {
    let t = 0;
    const lines: string[] = [];
    const p = checkProgress((l) => lines.push(l), { everyMs: 0, now: () => t });
    p.onProgress({ phase: 'integrity', done: 0, total: 3 * 2 ** 30 });
    t = 12_000;
    p.tick();
    p.onProgress({ phase: 'chain', done: 0, total: 2_000_000 });
    t = 22_000;
    p.onProgress({ phase: 'chain', done: 500_000, total: 2_000_000 });
    p.tick();
    p.onProgress({ phase: 'records', done: 0, total: 1 });
    t = 90_000;
    p.tick();
    p.onProgress({ phase: 'checked', done: 1, total: 1 });
    expect(lines).toEqual([
      'Checking every page of the database (3.0 GB): 12 s so far.\n',
      'Checking the audit trail: 500,000 of 2,000,000 entries (25%), about 30 s left for this step.\n',
      'Checking every record against its audit entry: 1 min 8 s so far.\n',
      'Checked in 1 min 30 s.\n',
    ]);
  });

  it('counts the records with the time left once it knows how many there are', () => {
    let t = 0;
    const lines: string[] = [];
    const p = checkProgress((l) => lines.push(l), { everyMs: 0, now: () => t });
    p.onProgress({ phase: 'records', done: 0, total: 2_000_000 });
    t = 5_000;
    p.tick();
    p.onProgress({ phase: 'records', done: 500_000, total: 2_000_000 });
    t = 10_000;
    p.tick();
    expect(lines).toEqual([
      'Checking every record against its audit entry: 5 s so far.\n',
      'Checking every record against its audit entry: 500,000 of 2,000,000 records (25%), about 30 s left for this step.\n',
    ]);
  });

  it('prints nothing for a check done before its first tick', () => {
    const lines: string[] = [];
    const p = checkProgress((l) => lines.push(l), { everyMs: 0, now: () => 0 });
    p.onProgress({ phase: 'integrity', done: 0, total: 1 });
    p.onProgress({ phase: 'checked', done: 1, total: 1 });
    expect(lines).toEqual([]);
  });
});

describe("verify's progress with the integrity check beside the other steps", () => {
  it('names the integrity check again when the others are done, with its time counted from its start', () => {
    let t = 0;
    const lines: string[] = [];
    const p = checkProgress((l) => lines.push(l), { everyMs: 0, now: () => t });
    p.onProgress({ phase: 'integrity', done: 0, total: 3 * 2 ** 30 });
    p.onProgress({ phase: 'chain', done: 0, total: 2_000_000 });
    t = 10_000;
    p.onProgress({ phase: 'chain', done: 1_000_000, total: 2_000_000 });
    p.tick();
    t = 20_000;
    p.onProgress({ phase: 'integrity', done: 0, total: 3 * 2 ** 30 });
    t = 25_000;
    p.tick();
    expect(lines).toEqual([
      'Checking the audit trail: 1,000,000 of 2,000,000 entries (50%), about 10 s left for this step.\n',
      'Checking every page of the database (3.0 GB): 25 s so far.\n',
    ]);
  });
});
