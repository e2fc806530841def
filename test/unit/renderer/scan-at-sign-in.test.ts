import { describe, expect, it } from 'vitest';
import { signInScanStep } from '../../../renderer/src/features/auth/scan-at-sign-in';
import type { ScanState } from '../../../renderer/src/lib/scanner';
import { EMPTY_SCAN } from '../../../renderer/src/lib/scanner';

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
    expect(enterIsScan('EWH-00001', 50)).toBe(true);
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
