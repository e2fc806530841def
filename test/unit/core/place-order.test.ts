import { describe, expect, it } from 'vitest';
import { byPlaceName } from '../../../shared/domain/location';

/**
 * byPlaceName compares with one collator made once (issue 17: made again per call it cost Today
 * about half its back end at the tenth size). The order must be exactly what
 * `localeCompare(b, undefined, { numeric: true })` gives, the call it replaced.
 */
const NAMES = [
  'Bay 2', 'Bay 10', 'bay 2', 'Bay 02', 'Bay 1', 'Bay', '', ' ', 'Ward 4B', 'Ward 4b', 'Ward 10A', 'Ward 9',
  'General Hospital > Ward 4B > Bay 1', 'General Hospital > Ward 10 > Bay 1', 'General Hospital', 'Général', 'Generale',
  'Zürich', 'Zurich', 'Ærø', 'Øst', 'Åland', 'ß', 'ss', 'İstanbul', 'istanbul', 'Ωmega', 'Дом', '病房 3', '病房 12',
  'A-1', 'A1', 'A 1', 'A_1', '1', '01', '001', '10', '9', '½', '٣', 'x\u0301', 'x\u00e9', 'e\u0301', '\u00e9', '\ud83d\ude00', '\ud800',
];

describe('byPlaceName', () => {
  it('orders every pair as localeCompare with numeric digits does', () => {
    const legacy = (a: string, b: string) => Math.sign(a.localeCompare(b, undefined, { numeric: true }));
    for (const a of NAMES) for (const b of NAMES) expect([a, b, Math.sign(byPlaceName(a, b))]).toEqual([a, b, legacy(a, b)]);
  });

  it('puts Bay 2 before Bay 10, and sorts a list as before', () => {
    expect(byPlaceName('Bay 2', 'Bay 10')).toBeLessThan(0);
    const before = [...NAMES].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    expect([...NAMES].sort(byPlaceName)).toEqual(before);
  });
});
