import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every printout with a date column (`col-date`) sizes it with the one hook, useDateColumnWidth
 * (renderer/src/features/print/date-columns.ts), its width set on the document: otherwise a
 * locale's 13-character date ("2026. 12. 31.") runs over the next cell (the stock expiry list's
 * did). The widths themselves are measured on the page by the e2e tests (print-date-columns*,
 * print-due-date-column, print-stock-expiry-date-column).
 */

const PRINT = path.resolve('renderer/src/features/print');

describe('the print views with a date column', () => {
  it('each measures its dates with useDateColumnWidth and sets the width on its PrintFrame', () => {
    const views = readdirSync(PRINT).filter((f) => f.endsWith('.tsx'));
    const withDates = views.filter((f) => /\bcol-date\b/.test(readFileSync(path.join(PRINT, f), 'utf8')));
    // The due list, the compliance report, the failures report and the stock expiry list at least.
    expect(withDates.length).toBeGreaterThanOrEqual(4);
    const missing = withDates.filter((f) => {
      const source = readFileSync(path.join(PRINT, f), 'utf8');
      return !/useDateColumnWidth<\w+>\(document\)/.test(source) || !/<PrintFrame [^>]*style=\{dates\.style\}/.test(source) || !/ref=\{dates\.ref\}/.test(source);
    });
    expect(missing).toEqual([]);
  });
});
