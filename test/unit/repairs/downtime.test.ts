import { describe, expect, it } from 'vitest';
import { downtimeIn, formatMinutes, outOfServiceOn, periodBounds, spellsOf } from '../../../shared/repairs/downtime';
import type { StatusPoint } from '../../../shared/repairs/downtime';

const out = (at: string): StatusPoint => ({ at, from: 'in_service', to: 'out_of_service', reason: 'Alarm', workOrderRef: 'WO-0001' });
const back = (at: string): StatusPoint => ({ at, from: 'out_of_service', to: 'in_service' });
const NOW = Date.parse('2026-12-31T12:00:00Z');
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

describe('downtime from the status history (issue 16)', () => {
  it('counts a spell to the minute across midnight, clipped to the period’s local days', () => {
    // 23:50 to 01:35, local time.
    const changes = [out(new Date(2026, 5, 10, 23, 50).toISOString()), back(new Date(2026, 5, 11, 1, 35).toISOString())];
    expect(downtimeIn(changes, periodBounds('2026-06-01', '2026-06-30'), NOW).minutes).toBe(105);
    // Only the part inside one local day counts for that day: the two days add up to the spell.
    const first = downtimeIn(changes, periodBounds('2026-06-10', '2026-06-10'), NOW).minutes;
    const second = downtimeIn(changes, periodBounds('2026-06-11', '2026-06-11'), NOW).minutes;
    expect([first, second]).toEqual([10, 95]);
  });

  it('measures real time across a daylight-saving change: a local day of the change is 23 or 25 hours', () => {
    // Out of service for the whole of 2026-03-29 (Europe/London springs forward that night) and 2026-10-25 (falls back).
    const spring = [out('2026-03-20T00:00:00Z'), back('2026-04-10T00:00:00Z')];
    const autumn = [out('2026-10-20T00:00:00Z'), back('2026-11-01T00:00:00Z')];
    const springDay = downtimeIn(spring, periodBounds('2026-03-29', '2026-03-29'), NOW).minutes;
    const autumnDay = downtimeIn(autumn, periodBounds('2026-10-25', '2026-10-25'), NOW).minutes;
    if (zone === 'Europe/London') {
      expect(springDay).toBe(23 * 60);
      expect(autumnDay).toBe(25 * 60);
    } else {
      // Elsewhere (the unit tests also run in Pacific/Auckland, whose changes fall on other days): plain 24-hour days.
      expect(zone).toBe('Pacific/Auckland');
      expect(springDay).toBe(24 * 60);
      expect(autumnDay).toBe(24 * 60);
      // Auckland's own change: clocks go back on 2026-04-05.
      expect(downtimeIn(spring, periodBounds('2026-04-05', '2026-04-05'), NOW).minutes).toBe(25 * 60);
    }
    // A spell across the change is its real length in minutes, whatever the clocks said.
    expect(downtimeIn([out('2026-03-29T00:30:00Z'), back('2026-03-29T01:30:00Z')], periodBounds('2026-03-01', '2026-03-31'), NOW).minutes).toBe(60);
  });

  it('runs a spell that lasts up to now, joins out of service then missing into one, and ignores time in service', () => {
    const lasting = [out('2026-12-31T10:00:00Z')];
    expect(downtimeIn(lasting, periodBounds('2026-12-01', '2027-01-01'), NOW).minutes).toBe(120);
    const spells = spellsOf(
      [out('2026-01-01T00:00:00Z'), { at: '2026-01-02T00:00:00Z', from: 'out_of_service', to: 'missing' }, { at: '2026-01-03T00:00:00Z', from: 'missing', to: 'in_service' }],
      new Set(['out_of_service', 'missing']),
    );
    expect(spells).toHaveLength(1);
    expect(spells[0]).toMatchObject({ status: 'missing', reason: 'Alarm', workOrderRef: 'WO-0001' });
    expect(downtimeIn([], periodBounds('2026-01-01', '2026-12-31'), NOW)).toEqual({ minutes: 0, spells: [] });
    expect(outOfServiceOn(spellsOf([out('2026-05-05T12:00:00Z'), back('2026-05-06T12:00:00Z')], new Set(['out_of_service'])), '2026-05-07')).toBeNull();
  });

  it('writes lengths as reports print them', () => {
    expect(formatMinutes(0)).toBe('0 min');
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(3 * 1440 + 4 * 60 + 12)).toBe('3 d 4 h 12 min');
  });
});
