import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { PrintHeader } from '../../../shared/domain/report';
import { DocumentHeader } from '../../../renderer/src/features/print/layout';
import { fixedClock, testBackend } from '../../helpers/core';
import { item, level, stock, stockLocation } from '../stock/fixtures';
import { device, place, plan } from '../plans/fixtures';

/**
 * A printout's header lines as the print window lays them out (DocumentHeader), from each document
 * main makes: a name that holds a `YYYY-MM-DD` (a ward named for the day it opened, a cart, a
 * device) is printed exactly as written, and only the header's own days are written the Settings
 * way (here dd.MM.yyyy).
 */

const WARD = 'General Hospital > Ward 2026-01-05 surge';

/** The filter lines of `header` as the print window shows them. */
function printedLines(header: PrintHeader): string[] {
  const html = renderToStaticMarkup(createElement(DocumentHeader, { header }));
  const list = /<ul class="print-filter"[^>]*>(.*?)<\/ul>/s.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li>(.*?)<\/li>/gs)].map((m) =>
    m[1]!.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&'),
  );
}

function setup() {
  const { core, backend, session } = testBackend('admin', { clock: fixedClock('2026-01-10T12:00:00Z') });
  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const res = await backend.invoke(session, channel as never, input as never);
    if (!res.ok) throw new Error(`${channel}: ${res.error.message}`);
    return res.value as T;
  };
  return { core, call };
}

describe("a printout's header prints names as written and its own days the Settings way", () => {
  it('the due list, compliance, failures, downtime, open work orders and history', async () => {
    const { core, call } = setup();
    await call('settings.update', { dateFormat: 'dd.MM.yyyy', hospitalName: 'General Hospital' });
    const ward = place(core, WARD);
    const monitor = device(core, 'IP-0001', { name: 'Monitor 2025-12-01', location: `${WARD} > Bay 1` });
    plan(core, monitor, 'calibration', '1y', '2026-01-08');

    const header = async (channel: string, params: unknown) => printedLines((await call<{ header: PrintHeader }>(channel, params)).header);

    const due = await header('reports.dueList', { locationIds: [ward], dueOnOrAfter: '2025-12-01', dueOnOrBefore: '2026-01-31' });
    expect(due).toContain(`Locations: ${WARD}`);
    expect(due).toContain('Due between 01.12.2025 and 31.01.2026');
    expect(due).toContain('As of 10.01.2026');

    const compliance = await header('reports.compliance', { from: '2025-12-01', to: '2025-12-31', locationIds: [ward] });
    expect(compliance).toContain('Period: 01.12.2025 to 31.12.2025');
    expect(compliance).toContain(`Locations: ${WARD}`);
    expect(compliance.some((l) => l.startsWith('Equipment and stock counted where they are on 10.01.2026: '))).toBe(true);

    for (const channel of ['reports.failures', 'reports.downtimeDocument'])
      expect(await header(channel, { from: '2025-12-01', to: '2025-12-31', locationIds: [ward] }), channel).toEqual([
        'Period: 01.12.2025 to 31.12.2025',
        `Locations: ${WARD}`,
      ]);

    expect(await header('reports.openWorkOrders', { locationId: ward })).toContain(
      `Location: ${WARD} (where the device is, or where the fault was reported)`,
    );

    const history = await header('reports.history', { equipmentId: monitor });
    expect(history).toContain('Device: IP-0001, Monitor 2025-12-01');
    expect(history).toContain(`Location: ${WARD} > Bay 1`);
  });

  it('the stock reorder and expiry lists, for a stock location and for a place', async () => {
    const { core, call } = setup();
    await call('settings.update', { dateFormat: 'dd.MM.yyyy', hospitalName: 'General Hospital' });
    const ward = place(core, WARD);
    const cart = stockLocation(core, 'Cart 2025-12-01', { location: WARD });
    const gauze = item(core, 'GZ-1', 'Gauze 2026-02-03');
    level(core, cart, gauze, 10, 5);
    stock(core, cart, gauze, 2, 'L1', '2026-01-20');

    for (const channel of ['stock.reorderDocument', 'stock.expiryDocument']) {
      const one = printedLines((await call<{ header: PrintHeader }>(channel, { stockLocationId: cart })).header);
      expect(one, channel).toContain(`Stock: Cart 2025-12-01, ${WARD}`);
      expect(one, channel).toContain('As of 10.01.2026');
      const inWard = printedLines((await call<{ header: PrintHeader }>(channel, { locationId: ward })).header);
      expect(inWard, channel).toContain(`Stock: stock locations in ${WARD}`);
    }
  });
});
