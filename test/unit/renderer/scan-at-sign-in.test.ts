import { describe, expect, it } from 'vitest';
import { signInScanStep } from '../../../renderer/src/features/auth/scan-at-sign-in';
import type { ScanState } from '../../../renderer/src/lib/scanner';
import { EMPTY_SCAN, SCANNER, scanStep } from '../../../renderer/src/lib/scanner';

/**
 * Types `text` into the sign-in box a key every `gap` ms (after `before` already in it), then
 * Enter `enterGap` ms later; true when the Enter is taken as a barcode scan.
 */
function enterIsScan(text: string, gap: number, { enterGap = gap, before = '' } = {}): boolean {
  let state: ScanState = EMPTY_SCAN;
  let box = before;
  let time = 1000;
  for (const key of text) {
    box += key;
    state = signInScanStep(state, { key, time }, box).state;
    time += gap;
  }
  return signInScanStep(state, { key: 'Enter', time: time - gap + enterGap }, box).scanned;
}

describe('a barcode scanned into the sign-in box', () => {
  it("is a scan: the whole box came in one burst, Enter included, at a scanner's speed", () => {
    expect(enterIsScan('IP-0042', 5)).toBe(true);
    expect(enterIsScan('48521', 5)).toBe(true);
    expect(enterIsScan('EWH-00001', 30)).toBe(true);
  });

  it('is not a scan when a fast typist types a PIN at 40 ms a key, Enter 40 ms after: the PIN is sent', () => {
    expect(enterIsScan('1357', 40)).toBe(false);
    expect(enterIsScan('97531', 40)).toBe(false);
    expect(enterIsScan('24681357', 31)).toBe(false);
    // Every digit fast, but the Enter a person's 40 ms after the last.
    expect(enterIsScan('1357', 10, { enterGap: 40 })).toBe(false);
  });

  it('is not a scan when a key is held down (its auto-repeat), however fast the repeats come', () => {
    let state: ScanState = EMPTY_SCAN;
    let box = '';
    for (let i = 0; i < 6; i++) {
      box += '1';
      state = signInScanStep(state, { key: '1', time: 1000 + i * 5, repeat: i > 0 }, box).state;
    }
    expect(signInScanStep(state, { key: 'Enter', time: 1030 }, box).scanned).toBe(false);
  });

  it('is not a scan when a person types, even quickly', () => {
    expect(enterIsScan('1357', 120)).toBe(false);
    expect(enterIsScan('1357', 60)).toBe(false);
    expect(enterIsScan('correct horse battery', 60)).toBe(false);
    // Every key fast but a pause before Enter.
    expect(enterIsScan('1357', 5, { enterGap: 200 })).toBe(false);
  });

  it('is not a scan when only the end of the box came fast (a fast typist rolling over the last keys)', () => {
    expect(enterIsScan('ing', 20, { before: 'correct horse batter' })).toBe(false);
    expect(enterIsScan('57', 20, { before: '13' })).toBe(false);
  });

  it('is not a scan when the secret is put in whole, with no keys (pasted, or filled by a password manager)', () => {
    expect(signInScanStep(EMPTY_SCAN, { key: 'Enter', time: 1000 }, 'correct horse battery').scanned).toBe(false);
    // Ctrl+V, then Enter at once.
    const pasted = signInScanStep(EMPTY_SCAN, { key: 'v', time: 1000, ctrlKey: true }, '').state;
    expect(signInScanStep(pasted, { key: 'Enter', time: 1010 }, '1357').scanned).toBe(false);
  });

  it('is not a scan for fewer keys than a tag has', () => {
    expect(enterIsScan('12', 5)).toBe(false);
  });
});

/** Keys `gap` ms apart, then Enter, into the signed-in app's scanner rule; the scans it sees. */
function scansOf(text: string, gap: number, inTextField = false): string[] {
  let state: ScanState = EMPTY_SCAN;
  let time = 1000;
  const scans: string[] = [];
  for (const key of [...text, 'Enter']) {
    const step = scanStep(state, { key, time, inTextField });
    state = step.state;
    if (step.scan !== null) scans.push(step.scan);
    time += gap;
  }
  return scans;
}

describe("the signed-in app's scan rule (lib/scanner.ts, SCANNER: the sign-in box's too)", () => {
  it('is three characters or more, every key and the Enter within 30 ms of the one before', () => {
    expect(SCANNER).toEqual({ minLength: 3, maxGapMs: 30 });
    expect(scansOf('IP-0042', 5)).toEqual(['IP-0042']);
    expect(scansOf('REF-7', 30)).toEqual(['REF-7']);
    expect(scansOf('AB', 5)).toEqual([]);
  });

  it('takes a PIN typed at 40 ms a key with the focus on no field for typing, not a scan: no tag looked up, no dialog showing its digits', () => {
    expect(scansOf('1357', 40)).toEqual([]);
    expect(scansOf('24681357', 35)).toEqual([]);
  });

  it('never takes keys typed into a field (a PIN or password box included) for a scan, however fast', () => {
    expect(scansOf('1357', 5, true)).toEqual([]);
  });
});
