import type { CSSProperties } from 'react';
import { useLayoutEffect, useRef, useState } from 'react';

/**
 * The width of a printout's widest date as laid out, in CSS pixels, set on the document as
 * --date-text: print.css makes each date column (`col-date`) that wide plus its padding, and never
 * narrower than the column's own width (the due list's and the failures report's 22 mm, the
 * compliance report's and the stock expiry list's 12%). The one date format is the Settings one, and "locale" writes a date the
 * PC's locale's way: some locales write 13 characters where dd/MM/yyyy writes 10 (Korean and
 * Hungarian "2026. 12. 31.", Croatian "31. 12. 2026.", Bulgarian "31.12.2026 г."), wider than those
 * columns hold (in bold on the due list's overdue rows and the expiry list's expired lots). Measured rather than guessed from the
 * pattern, so it holds in the font the PC prints with; on screen the sheet has the paper's width and
 * the printed fonts, so the width measured there is the printed one. A date stays on one line
 * (nowrap) and is never cut; the column beside it that has no set width (the device) gives up the
 * width.
 *
 * What is measured is the text of each `td.col-date` itself, not an element inside it: the
 * compliance report writes a note under a date ("entered 08.01.2027", `.print-sub`), which wraps
 * inside the cell and must not widen the column.
 *
 * `ref` goes on any element inside the document (PrintFrame's article); `style` on PrintFrame.
 * `document` is what the printout shows: the dates are measured again when it changes.
 */
export function useDateColumnWidth<E extends HTMLElement>(document: unknown) {
  const ref = useRef<E>(null);
  const [widest, setWidest] = useState(0);
  useLayoutEffect(() => {
    const doc = ref.current?.closest('.print-doc');
    if (!doc) return;
    const range = doc.ownerDocument.createRange();
    let width = 0;
    for (const cell of doc.querySelectorAll('td.col-date')) {
      for (const node of cell.childNodes) {
        if (node.nodeType !== Node.TEXT_NODE) continue;
        range.selectNode(node);
        width = Math.max(width, range.getBoundingClientRect().width);
      }
    }
    setWidest(Math.ceil(width));
  }, [document]);
  return { ref, style: widest > 0 ? ({ '--date-text': `${widest}px` } as CSSProperties) : undefined };
}
