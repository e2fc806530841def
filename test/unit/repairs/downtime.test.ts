import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EquipmentStatus } from '../../../shared/domain/equipment';
import { chainOrder, downtimeIn, formatMinutes, outOfServiceOn, periodBounds, spellsOf } from '../../../shared/repairs/downtime';
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

  it('adds a device’s total from its spells as printed: two spells of 1.5 minutes are 2 min each and 4 min in all', () => {
    const changes = [out('2026-06-10T10:00:00Z'), back('2026-06-10T10:01:30Z'), out('2026-06-10T11:00:00Z'), back('2026-06-10T11:01:30Z')];
    const spent = downtimeIn(changes, periodBounds('2026-06-01', '2026-06-30'), NOW);
    expect(spent.spells.map((s) => s.minutes)).toEqual([2, 2]);
    expect(spent.minutes).toBe(4);
  });

  it('keeps the real end of a spell that ended after the period; its minutes are those inside it', () => {
    const changes = [out('2026-06-29T12:00:00Z'), back('2026-07-02T12:00:00Z')];
    const june = periodBounds('2026-06-01', '2026-06-30');
    const spent = downtimeIn(changes, june, NOW, 'in_service');
    expect(spent.spells).toHaveLength(1);
    expect(spent.spells[0]).toMatchObject({ end: Date.parse('2026-07-02T12:00:00Z') });
    expect(spent.minutes).toBe(Math.round((june.end - Date.parse('2026-06-29T12:00:00Z')) / 60_000));
  });
});

describe('status changes taken in the order of their chain, not of their clocks', () => {
  it('a tag-out stamped 12:00 by a fast clock and its return stamped 11:00: no spell lasting to now for a device in service', () => {
    const changes = [out('2026-06-10T12:00:00Z'), back('2026-06-10T11:00:00Z')];
    expect(chainOrder(changes, 'in_service').map((c) => c.to)).toEqual(['out_of_service', 'in_service']);
    expect(chainOrder(changes).map((c) => c.to)).toEqual(['out_of_service', 'in_service']);
    const spells = spellsOf(changes, new Set(['out_of_service']), 'in_service');
    expect(spells.every((s) => s.end !== null && s.end >= s.start)).toBe(true);
    expect(downtimeIn(changes, periodBounds('2026-06-01', '2026-06-30'), NOW, 'in_service').spells.filter((s) => s.end === null)).toEqual([]);
  });

  it('a device in service now has no spell to now even when its history lacks the return (made on a PC whose history stayed there)', () => {
    const spells = spellsOf([out('2026-06-10T10:00:00Z')], new Set(['out_of_service']), 'in_service');
    expect(spells).toEqual([expect.objectContaining({ start: Date.parse('2026-06-10T10:00:00Z'), end: Date.parse('2026-06-10T10:00:00Z') })]);
    // Still out now: the spell lasts.
    expect(spellsOf([out('2026-06-10T10:00:00Z')], new Set(['out_of_service']), 'out_of_service')[0]?.end).toBeNull();
  });

  it('a device added out of service starts its chain where it was added', () => {
    const added: StatusPoint = { at: '2026-06-10T12:00:00Z', from: null, to: 'out_of_service' };
    const changes = [back('2026-06-10T11:00:00Z'), added];
    expect(chainOrder(changes).map((c) => c.from)).toEqual([null, 'out_of_service']);
  });

  it('a history whose clocks were right is taken in the order of time, whatever the statuses (what the compliance report reads is unchanged)', () => {
    const STATUSES: EquipmentStatus[] = ['in_service', 'out_of_service', 'missing', 'retired'];
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.constantFrom(...STATUSES), fc.integer({ min: 1, max: 100_000 })), { maxLength: 12 }),
        fc.constantFrom<EquipmentStatus | undefined>(undefined, ...STATUSES),
        (addedOut, steps, current) => {
          let status: EquipmentStatus | null = addedOut ? null : 'in_service';
          let t = Date.parse('2026-01-01T00:00:00Z');
          const changes: StatusPoint[] = [];
          for (const [to, gap] of steps) {
            if (to === status) continue;
            t += gap * 60_000;
            changes.push({ at: new Date(t).toISOString(), from: status, to });
            status = to;
          }
          const last = changes.at(-1)?.to ?? 'in_service';
          // `current` agrees with the history when given (the report reads both up to now).
          expect(chainOrder(changes, current === undefined ? undefined : last)).toEqual(changes);
        },
      ),
    );
  });
});

