import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { formatDate } from '../../../shared/date-format';
import type { PrintHeader } from '../../../shared/domain/report';
import { headerDay, headerLine, headerLineText } from '../../../shared/domain/report';
import { describeDueFilter, DueListParams } from '../../../shared/domain/report-due';
import { DocumentHeader } from '../../../renderer/src/features/print/layout';

/**
 * A printout's header lines: made in main, laid out in the print window. Their days are marked as
 * days and written there the Settings way; everything else (names among it) is printed as written,
 * whatever it holds (integration/reports/print-header-names.test.ts: every document main makes).
 */

const WARD = 'General Hospital > Ward 2026-01-05 surge';
const WARD_ID = '0f6c3b1e-2a4d-4e8f-9b7a-1c2d3e4f5a6b';

describe("a printout's header lines", () => {
  it('mark the days they were given and nothing else', () => {
    expect(headerLine`Period: ${headerDay('2026-11-01')} to ${headerDay('2026-12-31T23:59:59.999Z')}`).toEqual([
      { text: 'Period: ' },
      { day: '2026-11-01' },
      { text: ' to ' },
      { day: '2026-12-31' },
    ]);
    // A name holding a day is words; the words around it are one part.
    expect(headerLine`Locations: ${WARD}, ${'Cart 2025-12-01'}`).toEqual([{ text: `Locations: ${WARD}, Cart 2025-12-01` }]);
    expect(headerLine`Open work orders: ${3}`).toEqual([{ text: 'Open work orders: 3' }]);
    expect(headerLine`${headerDay('2027-01-08')}`).toEqual([{ day: '2027-01-08' }]);
  });

  it('are written with their days the Settings way and their names as written', () => {
    const line = headerLine`Stock: ${'Cart 2025-12-01'}, ${WARD}; as of ${headerDay('2027-01-08')}`;
    expect(headerLineText(line, 'dd.MM.yyyy')).toBe(`Stock: Cart 2025-12-01, ${WARD}; as of 08.01.2027`);
    expect(headerLineText(line, 'MM/dd/yyyy')).toBe(`Stock: Cart 2025-12-01, ${WARD}; as of 01/08/2027`);
    expect(headerLineText(line, 'yyyy-MM-dd')).toBe(`Stock: Cart 2025-12-01, ${WARD}; as of 2027-01-08`);
    expect(headerLineText(line, 'locale')).toBe(`Stock: Cart 2025-12-01, ${WARD}; as of ${formatDate('2027-01-08', 'locale')}`);
  });

  it("the due list's filter in words, in the print window: a ward or a task named with a day printed as written", () => {
    const filter = describeDueFilter(DueListParams.parse({ locationIds: [WARD_ID], tasks: ['audit'], dueOnOrAfter: '2026-12-01', dueOnOrBefore: '2026-12-31' }), {
      asOf: '2027-01-08',
      locationPath: () => WARD,
      taskLabel: () => 'Audit 2026-06-30',
    });
    const header: PrintHeader = {
      hospitalName: 'General Hospital',
      title: 'Due list',
      filter,
      printedBy: 'Ada Admin',
      printedAt: '2027-01-08T12:00:00Z',
      dateFormat: 'dd.MM.yyyy',
      fileName: 'due-list-2027-01-08',
      auditHead: null,
    };
    const html = renderToStaticMarkup(createElement(DocumentHeader, { header }));
    const items = [...html.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]!.replace(/&gt;/g, '>'));
    expect(items).toEqual([
      `Locations: ${WARD}`,
      'Tasks: Audit 2026-06-30',
      'Status: overdue, due, scheduled',
      'Due between 01.12.2026 and 31.12.2026',
      'As of 08.01.2027',
    ]);
  });
});
