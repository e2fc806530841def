import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainStarts, coveredOfChain, HEAD_LOG, readHeadLog } from '../../../main/core/anchors/head-log';

/**
 * At every start Wardkeep asks how far the head log covers the trail this database writes, before
 * the window opens. The log grows by a line per commit, so the answer is read from its end; it
 * must be the one reading the whole log gives (the highest entry any line of the chain names).
 */

const A = '01a22fb6-0e99-7f1c-863e-07e26a58c91e';
const B = '01b33fc7-1f00-7f1c-863e-07e26a58c91f';

function line(chain: string, seq: number, kind = 'head', extra: object = {}): string {
  return JSON.stringify({ v: 1, kind, chain, seq, hash: 'a'.repeat(64), from: Math.max(1, seq - 2), at: '2026-12-01T08:00:00.000Z', key: 'k1', mac: 'b'.repeat(64), ...extra });
}

function folder(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wardkeep-headlog-'));
  writeFileSync(path.join(dir, HEAD_LOG), text);
  return dir;
}

const wholeLog = (dir: string, chain: string): number | null => {
  const mine = readHeadLog(dir, new Map()).lines.filter((l) => l.chain === chain);
  return mine.length ? Math.max(...mine.map((l) => l.seq)) : null;
};

describe('how far the head log covers a chain, read from its end', () => {
  it('is what the whole log says, whatever the block size, with lines of two processes out of order and a restore between', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ chain: fc.constantFrom(A, B), step: fc.integer({ min: 1, max: 5 }), swap: fc.boolean(), restore: fc.boolean() }), { maxLength: 60 }),
        fc.integer({ min: 16, max: 4096 }),
        fc.boolean(),
        (writes, block, torn) => {
          const seqs = new Map<string, number>();
          const lines: string[] = [];
          for (const w of writes) {
            const seq = (seqs.get(w.chain) ?? 0) + w.step;
            seqs.set(w.chain, seq);
            const text = w.restore ? line(w.chain, seq, 'restore', { base: { chain: w.chain === A ? B : A, seq: 1, hash: 'c'.repeat(64) }, backup: 'x.sqlite' }) : line(w.chain, seq);
            // Two processes committing at once: the later head may be written first.
            if (w.swap && lines.length > 0) lines.splice(lines.length - 1, 0, text);
            else lines.push(text);
          }
          const dir = folder(lines.map((l) => `${l}\n`).join('') + (torn ? line(A, 999_999).slice(0, 40) : ''));
          for (const chain of [A, B]) expect(coveredOfChain(dir, chain, block)).toBe(wholeLog(dir, chain));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is null for a missing or empty log, or one with no line of the chain', () => {
    expect(coveredOfChain(path.join(os.tmpdir(), 'wardkeep-no-such-folder'), A)).toBeNull();
    expect(coveredOfChain(folder(''), A)).toBeNull();
    const dir = folder(`${line(B, 7)}\n`);
    expect(coveredOfChain(dir, A)).toBeNull();
    appendFileSync(path.join(dir, HEAD_LOG), `${line(A, 3)}\n${line(B, 9)}\n`);
    expect(coveredOfChain(dir, A, 20)).toBe(3);
  });
});

describe('where each chain begins in the head log (the order recovery offers backups in)', () => {
  it('is the first line of each chain, as reading the whole log says, whatever the block size, with a torn last line and non-ASCII text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ chain: fc.constantFrom(A, B), step: fc.integer({ min: 1, max: 5 }), note: fc.boolean() }), { maxLength: 40 }),
        fc.integer({ min: 8, max: 2048 }),
        fc.boolean(),
        (writes, block, torn) => {
          const seqs = new Map<string, number>();
          const lines = writes.map((w) => {
            const seq = (seqs.get(w.chain) ?? 0) + w.step;
            seqs.set(w.chain, seq);
            return w.note ? line(w.chain, seq, 'restore', { base: null, backup: 'sauvegarde-été-βαθμός.sqlite3' }) : line(w.chain, seq);
          });
          const dir = folder(lines.map((l) => `${l}\n`).join('') + (torn ? line(A, 999_999).slice(0, 40) : ''));
          const whole = readHeadLog(dir, new Map()).lines;
          const expected = new Map<string, number>();
          whole.forEach((l, i) => {
            if (!expected.has(l.chain)) expected.set(l.chain, i);
          });
          expect(chainStarts(dir, new Set([A, B]), block)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('leaves out a chain no line names, and answers nothing for a missing log', () => {
    expect(chainStarts(folder(`${line(A, 1)}\n`), new Set([A, B]))).toEqual(new Map([[A, 0]]));
    expect(chainStarts(path.join(os.tmpdir(), 'wardkeep-no-such-folder'), new Set([A]))).toEqual(new Map());
  });
});
