import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { downtimeCsv, downtimeReport } from '../../../main/core/reports/downtime';
import { changeServiceStatus } from '../../../main/core/status/history';
import { DowntimeParams } from '../../../shared/domain/report-downtime';
import { fixedClock, testActor, testCore } from '../../helpers/core';
import { device } from '../plans/fixtures';

function setup(now = '2025-06-01T12:00:00Z') {
  const clock = fixedClock('2024-11-01T12:00:00Z');
  const core = testCore({ clock });
  const status = (id: string, at: string, status: 'in_service' | 'out_of_service' | 'retired' | 'missing') => {
    clock.set(at);
    inTransaction(core, (c) => changeServiceStatus(c, testActor, id, { status, reason: `to ${status}` }, { cause: 'person' }));
    clock.set(now);
  };
  return { core, clock, status };
}
const P = (from: string, to: string) => DowntimeParams.parse({ from, to });

describe('downtime by hand, to the minute', () => {
  it('across the spring DST change (New York): 47 real hours', () => {
    const { core, status } = setup();
    const d = device(core, 'DT-1');
    status(d, '2025-03-08T17:00:00Z', 'out_of_service'); // 12:00 EST
    status(d, '2025-03-10T16:00:00Z', 'in_service'); // 12:00 EDT
    const r = downtimeReport(core, P('2025-03-01', '2025-03-31'));
    expect(r.devices.map((x) => [x.assetTag, x.minutes])).toEqual([['DT-1', 47 * 60]]);
  });

  it('a period boundary cuts an outage', () => {
    const { core, status } = setup();
    const d = device(core, 'DT-2');
    status(d, '2025-02-25T10:00:00Z', 'out_of_service');
    status(d, '2025-03-02T10:00:00Z', 'in_service');
    const mar = downtimeReport(core, P('2025-03-01', '2025-03-31'));
    expect(mar.devices.map((x) => x.minutes)).toEqual([29 * 60]); // from 05:00Z 1 Mar
    const feb = downtimeReport(core, P('2025-02-01', '2025-02-28'));
    expect(feb.devices.map((x) => x.minutes)).toEqual([(14 + 3 * 24 + 5) * 60]); // 10:00Z 25 Feb to 05:00Z 1 Mar
  });

  it('still down at the period end', () => {
    const { core, status } = setup();
    const d = device(core, 'DT-3');
    status(d, '2025-03-30T05:00:00Z', 'out_of_service');
    const r = downtimeReport(core, P('2025-03-01', '2025-03-31'));
    expect(r.devices.map((x) => [x.minutes, x.spells[0]!.end])).toEqual([[47 * 60, null]]);
  });

  it('still down, period not over: up to now', () => {
    const { core, status, clock } = setup('2025-03-15T05:00:00Z');
    const d = device(core, 'DT-3b');
    status(d, '2025-03-14T05:00:00Z', 'out_of_service');
    clock.set('2025-03-15T05:00:00Z');
    const r = downtimeReport(core, P('2025-03-01', '2025-03-31'));
    expect(r.devices.map((x) => x.minutes)).toEqual([24 * 60]);
  });

  it('out of service then retired; categories and CSV agree with the screen', () => {
    const { core, status } = setup();
    const a = device(core, 'DT-4');
    const b = device(core, 'DT-5');
    status(a, '2025-03-03T05:00:00Z', 'out_of_service');
    status(a, '2025-03-05T05:00:00Z', 'retired');
    status(b, '2025-03-03T05:00:00Z', 'out_of_service');
    status(b, '2025-03-03T05:00:30Z', 'in_service');
    status(b, '2025-03-04T05:00:00Z', 'out_of_service');
    status(b, '2025-03-04T05:00:30Z', 'in_service');
    const r = downtimeReport(core, P('2025-03-01', '2025-03-31'));
    const byTag = Object.fromEntries(r.devices.map((x) => [x.assetTag, [x.minutes, x.spells.map((s) => s.minutes)]]));
    expect(byTag['DT-4']).toEqual([2880, [2880]]);
    // Two spells of 30 s each print as 1 min each: the total is what is printed, 2 min.
    expect(byTag['DT-5']).toEqual([2, [1, 1]]);
    expect(r.categories).toEqual([{ category: null, devices: 2, minutes: 2882 }]);
    const csv = Papa.parse<Record<string, string>>(downtimeCsv(core, P('2025-03-01', '2025-03-31')).content, { header: true, skipEmptyLines: true }).data;
    expect(csv.map((x) => [x.asset_tag, x.minutes])).toEqual(r.devices.map((x) => [x.assetTag, String(x.minutes)]));
  });
});
