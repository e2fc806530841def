import { describe, expect, it } from 'vitest';
import type { ScanKey, ScanState } from '../../../renderer/src/lib/scanner';
import { EMPTY_SCAN, isTextEntry, SCANNER, scanStep } from '../../../renderer/src/lib/scanner';

/** Feeds keys typed `gap` ms apart and returns every scan seen. */
function feed(keys: (string | (Partial<ScanKey> & { key: string }))[], gap: number, start = 1000): string[] {
  let state: ScanState = EMPTY_SCAN;
  let time = start;
  const scans: string[] = [];
  for (const k of keys) {
    const key: ScanKey = typeof k === 'string' ? { key: k, time, inTextField: false } : { time, inTextField: false, ...k };
    const step = scanStep(state, key);
    state = step.state;
    if (step.scan !== null) scans.push(step.scan);
    time += gap;
  }
  return scans;
}

const typed = (s: string) => [...s, 'Enter'];

describe("the barcode scan detector: the app's one scan rule (lib/scanner.ts, SCANNER)", () => {
  it('is three characters or more, every key and the Enter within 30 ms of the one before', () => {
    expect(SCANNER).toEqual({ minLength: 3, maxGapMs: 30 });
  });

  it('takes a fast burst ended by Enter as a scan', () => {
    expect(feed(typed('IP-0042'), 5)).toEqual(['IP-0042']);
    expect(feed(typed('EWH-00001'), 30)).toEqual(['EWH-00001']);
  });

  it('ignores a person typing at human speed', () => {
    expect(feed(typed('IP-0042'), 120)).toEqual([]);
    expect(feed(typed('IP-0042'), 31)).toEqual([]);
  });

  it('takes a PIN a fast typist types at 40 ms a key, the Enter 40 ms after, for typing', () => {
    expect(feed(typed('1357'), 40)).toEqual([]);
    expect(feed(typed('24681357'), 35)).toEqual([]);
  });

  it("takes a held key's auto-repeat for typing, however fast the repeats come", () => {
    expect(feed(['1', ...[...'11111'].map((key) => ({ key, repeat: true })), 'Enter'], 5)).toEqual([]);
    // A repeat in the middle of a burst breaks it.
    expect(feed(['I', 'P', '-', { key: '-', repeat: true }, '4', '2', 'Enter'], 5)).toEqual([]);
  });

  it('needs at least three characters', () => {
    expect(feed(typed('AB'), 5)).toEqual([]);
    expect(feed(typed('ABC'), 5)).toEqual(['ABC']);
  });

  it('keeps Shift inside a burst (scanners press it for capitals)', () => {
    expect(feed(['Shift', 'I', 'Shift', 'P', '-', '4', '2', 'Enter'], 5)).toEqual(['IP-42']);
  });

  it('starts a new burst after a pause, so earlier slow keys are not part of the tag', () => {
    const keys: ScanKey[] = [
      { key: 'x', time: 0, inTextField: false },
      { key: 'y', time: 500, inTextField: false },
      { key: 'A', time: 1000, inTextField: false },
      { key: 'B', time: 1005, inTextField: false },
      { key: 'C', time: 1010, inTextField: false },
      { key: 'Enter', time: 1015, inTextField: false },
    ];
    let state = EMPTY_SCAN;
    const scans: string[] = [];
    for (const k of keys) {
      const step = scanStep(state, k);
      state = step.state;
      if (step.scan) scans.push(step.scan);
    }
    expect(scans).toEqual(['ABC']);
  });

  it('drops the burst when Enter comes too late', () => {
    const state = { chars: 'IP-0042', lastAt: 1000 };
    expect(scanStep(state, { key: 'Enter', time: 1200, inTextField: false }).scan).toBeNull();
    expect(scanStep(state, { key: 'Enter', time: 1031, inTextField: false }).scan).toBeNull();
    expect(scanStep(state, { key: 'Enter', time: 1030, inTextField: false }).scan).toBe('IP-0042');
  });

  it('never scans keys typed into a field being edited', () => {
    expect(feed([...'IP-0042'].map((key) => ({ key, inTextField: true })).concat({ key: 'Enter', inTextField: true }), 5)).toEqual([]);
    // Focus moves into a field half-way: the burst is dropped.
    expect(feed(['I', 'P', { key: '-', inTextField: true }, '4', 'Enter'], 5)).toEqual([]);
  });

  it('is broken by modifier shortcuts and other keys', () => {
    expect(feed(['A', 'B', { key: 'c', ctrlKey: true }, 'D', 'Enter'], 5)).toEqual([]);
    expect(feed(['A', 'B', 'C', 'Tab', 'Enter'], 5)).toEqual([]);
    expect(feed(['A', 'B', 'C', 'Backspace', 'D', 'Enter'], 5)).toEqual([]);
  });

  it('trims spaces around the tag, and takes two scans in a row', () => {
    expect(feed([...typed(' ABC '), ...typed('DEF-1')], 5)).toEqual(['ABC', 'DEF-1']);
  });

  it('ignores a clock that goes backwards', () => {
    expect(scanStep({ chars: 'ABC', lastAt: 1000 }, { key: 'Enter', time: 900, inTextField: false }).scan).toBeNull();
  });

  it('knows which focused elements take typing', () => {
    expect(isTextEntry(null)).toBe(false);
    expect(isTextEntry({ tagName: 'BODY' })).toBe(false);
    expect(isTextEntry({ tagName: 'BUTTON' })).toBe(false);
    expect(isTextEntry({ tagName: 'A' })).toBe(false);
    expect(isTextEntry({ tagName: 'DIV' })).toBe(false);
    expect(isTextEntry({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTextEntry({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTextEntry({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTextEntry({ tagName: 'INPUT', type: 'date' })).toBe(true);
    expect(isTextEntry({ tagName: 'INPUT' })).toBe(true);
    expect(isTextEntry({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTextEntry({ tagName: 'INPUT', type: 'radio' })).toBe(false);
    expect(isTextEntry({ tagName: 'INPUT', type: 'text', readOnly: true })).toBe(false);
    expect(isTextEntry({ tagName: 'INPUT', type: 'text', disabled: true })).toBe(false);
    expect(isTextEntry({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTextEntry({ tagName: 'select' })).toBe(true);
  });
});
