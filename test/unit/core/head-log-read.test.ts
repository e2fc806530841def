import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HeadLine } from '../../../main/core/anchors/head-log';
import { appendHeadLine, changedSince, HEAD_LOG, readHeadLog, readHeadLogAfter } from '../../../main/core/anchors/head-log';
import type { KeyRing } from '../../../main/core/anchors/key';
import { loadKeyRing } from '../../../main/core/anchors/key';

/**
 * The head log is read a block at a time (a whole log held in memory as parsed took 1.9 GB at a
 * million lines). Wherever the blocks fall, inside a line, inside a character of a backup's name
 * written in French, the check must read the same lines, signatures, line numbers, torn and edited
 * lines, and the same hash of what it read, as one read of the whole file gives.
 */

const A = '01a22fb6-0e99-7f1c-863e-07e26a58c91e';
const B = '01b33fc7-1f00-7f1c-863e-07e26a58c91f';
const hashOf = (seq: number) => createHash('sha256').update(String(seq)).digest('hex');

type Event =
  | { type: 'head'; signed: boolean }
  | { type: 'restore' }
  | { type: 'garbled' }
  | { type: 'blank' }
  | { type: 'power cut' };

function folder(): { dir: string; ring: KeyRing; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wardkeep-headlog-read-'));
  return { dir, ring: loadKeyRing(dir), file: path.join(dir, HEAD_LOG) };
}

/** Writes the events as Wardkeep (and someone at the file) would: each a line, a power cut a line cut short and taken on by the next start. */
function write(f: { dir: string; ring: KeyRing; file: string }, events: Event[], tornTail: boolean): void {
  let seq = 0;
  let chain = A;
  const line = (l: Omit<HeadLine, 'v' | 'key' | 'mac'>, signed = true) => appendHeadLine(f.dir, l, signed ? f.ring.signing : null);
  for (const e of events) {
    if (e.type === 'head') {
      seq++;
      line({ kind: 'head', chain, seq, hash: hashOf(seq), from: seq, at: '2026-12-02T10:00:00.000Z' }, e.signed);
    } else if (e.type === 'restore') {
      const base = { chain, seq, hash: hashOf(seq) };
      chain = chain === A ? B : A;
      line({ kind: 'restore', chain, seq, hash: hashOf(seq), from: seq + 1, at: '2026-12-02T11:00:00.000Z', base, backup: 'Sauvegarde été — Salle 4B ✓.sqlite3' });
    } else if (e.type === 'garbled') appendFileSync(f.file, 'ceci n’est pas une tête {\n');
    else if (e.type === 'blank') appendFileSync(f.file, '\n');
    else {
      seq++;
      const whole = JSON.stringify({ v: 1, kind: 'head', chain, seq, hash: hashOf(seq), from: seq, at: '2026-12-02T12:00:00.000Z', key: null, mac: null });
      appendFileSync(f.file, whole.slice(0, 50));
      line({ kind: 'adopt', chain, seq, hash: hashOf(seq), from: seq, at: '2026-12-02T12:05:00.000Z' });
    }
  }
  if (tornTail) appendFileSync(f.file, '{"v":1,"kind":"head","chain":"été');
}

describe('the head log read a block at a time', () => {
  it('reads every line as one read of the whole file does, and tells torn lines from edited ones', () => {
    const f = folder();
    write(
      f,
      [{ type: 'head', signed: true }, { type: 'head', signed: true }, { type: 'restore' }, { type: 'head', signed: true }, { type: 'power cut' }, { type: 'garbled' }, { type: 'head', signed: true }, { type: 'head', signed: false }],
      true,
    );
    const bytes = readFileSync(f.file);
    const through = bytes.subarray(0, bytes.lastIndexOf(10) + 1);
    const log = readHeadLog(f.dir, f.ring.known);
    expect(log.lineNumbers).toEqual([1, 2, 3, 4, 6, 8, 9]);
    expect(log.lines.map((l) => [l.kind, l.seq, l.sig])).toEqual([
      ['head', 1, 'ok'],
      ['head', 2, 'ok'],
      ['restore', 2, 'ok'],
      ['head', 3, 'ok'],
      ['adopt', 4, 'ok'],
      ['head', 5, 'ok'],
      ['head', 6, 'unsigned'],
    ]);
    expect(log.lines[2]).toMatchObject({ chain: B, base: { chain: A, seq: 2 } });
    expect(log.mended).toEqual([{ line: 5, next: log.lines[4], nextLine: 6 }]);
    expect(log.unreadable).toEqual([7]);
    expect(log.torn).toBe(true);
    expect(log.extent).toEqual({ bytes: through.length, sha256: createHash('sha256').update(through).digest('hex'), lines: 9, whole: false });

    for (const block of [1, 2, 3, 5, 17, 64, 333]) expect(readHeadLog(f.dir, f.ring.known, block), `blocks of ${block} bytes`).toEqual(log);

    // Going on from the first three lines, as a start does from its checkpoint: the same lines after them, numbered as in the file.
    const three = bytes.subarray(0, bytes.indexOf(10, bytes.indexOf(10, bytes.indexOf(10) + 1) + 1) + 1);
    const since = { bytes: three.length, sha256: createHash('sha256').update(three).digest('hex'), lines: 3 };
    for (const block of [1, 7, 1 << 20]) {
      const after = readHeadLogAfter(f.dir, since, f.ring.known, block);
      expect(after).toEqual({ ...log, lines: log.lines.slice(3), lineNumbers: log.lineNumbers.slice(3) });
    }
    expect(changedSince(f.dir, since)).toBe(false);

    // A line the checkpoint read, changed by hand: the read refuses to go on, and the whole check is told so.
    writeFileSync(f.file, Buffer.concat([bytes.subarray(0, 40), Buffer.from('X'), bytes.subarray(41)]));
    expect(readHeadLogAfter(f.dir, since, f.ring.known, 7)).toBe('changed');
    expect(changedSince(f.dir, since)).toBe(true);
    // Cut back before what the checkpoint read: the same.
    writeFileSync(f.file, three.subarray(0, three.length - 1));
    expect(readHeadLogAfter(f.dir, since, f.ring.known)).toBe('changed');
    expect(changedSince(f.dir, since)).toBe(true);
    // Deleted: a finding of its own elsewhere ("its head log is missing"), not a changed one.
    rmSync(f.file);
    expect(readHeadLogAfter(f.dir, since, f.ring.known)).toBe('missing');
    expect(changedSince(f.dir, since)).toBe(false);
  });

  it('counts a line that is JSON but no head (null, a number, a list, a head with a field of the wrong kind) as an edit, and reads on', () => {
    const f = folder();
    write(f, [{ type: 'head', signed: true }], false);
    appendFileSync(f.file, 'null\n7\n[]\n"tête"\n{}\n');
    // Heads but for a field a check names in its findings: a time that is no text, a restore's base that is no head.
    const almost = { v: 1, kind: 'restore', chain: A, seq: 1, hash: hashOf(1), from: 1, at: '2026-12-02T10:00:00.000Z', key: null, mac: null };
    appendFileSync(f.file, `${JSON.stringify({ ...almost, at: 5 })}\n${JSON.stringify({ ...almost, base: 'yesterday' })}\n${JSON.stringify({ ...almost, key: 7 })}\n`);
    write(f, [{ type: 'head', signed: true }], false);
    const log = readHeadLog(f.dir, f.ring.known);
    expect(log.unreadable).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(log.lineNumbers).toEqual([1, 10]);
  });

  it('reads a long run of bytes with no line end, put in by hand, as one line that is no head, and reads on', () => {
    const f = folder();
    write(f, [{ type: 'head', signed: true }], false);
    // Three megabytes with no line end in the middle, then a head, then two more megabytes at the end.
    appendFileSync(f.file, `${'x'.repeat(3 << 20)}\n`);
    write(f, [{ type: 'head', signed: true }], false);
    appendFileSync(f.file, 'y'.repeat(2 << 20));
    for (const block of [4096, 1 << 20]) {
      const log = readHeadLog(f.dir, f.ring.known, block);
      expect(log.unreadable).toEqual([2]);
      expect(log.lineNumbers).toEqual([1, 3]);
      expect(log.torn).toBe(true);
      expect(log.extent).toMatchObject({ lines: 3, whole: false, bytes: readFileSync(f.file).length - (2 << 20) });
    }
  });

  it('gives the same log whatever the blocks, for any mix of heads, restores, power cuts and edits', () => {
    const event: fc.Arbitrary<Event> = fc.oneof(
      { arbitrary: fc.record({ type: fc.constant('head' as const), signed: fc.boolean() }), weight: 6 },
      fc.constant({ type: 'restore' as const }),
      fc.constant({ type: 'garbled' as const }),
      fc.constant({ type: 'blank' as const }),
      fc.constant({ type: 'power cut' as const }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 25 }), fc.boolean(), fc.integer({ min: 1, max: 600 }), (events, tornTail, block) => {
        const f = folder();
        try {
          write(f, events, tornTail);
          const whole = readHeadLog(f.dir, f.ring.known);
          expect(readHeadLog(f.dir, f.ring.known, block)).toEqual(whole);
          // Every line Wardkeep signed reads as signed; only the unsigned heads do not.
          const unsigned = events.filter((e) => e.type === 'head' && !e.signed).length;
          expect(whole.lines.filter((l) => l.sig !== 'ok')).toHaveLength(unsigned);
          expect(whole.unreadable).toHaveLength(events.filter((e) => e.type === 'garbled').length);
          expect(whole.mended).toHaveLength(events.filter((e) => e.type === 'power cut').length);
          expect(whole.torn).toBe(tornTail);
        } finally {
          rmSync(f.dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});
