import { formatDate } from '../date-format';
import { z } from 'zod';
import type { IsoDate } from './common';
import type { DateFormatSetting } from './settings';

/**
 * What every printed document shares: paper, the header, and the print job protocol between main
 * and the hidden print window. The documents themselves are in report-*.ts.
 */

export const PAPERS = ['a4', 'letter'] as const;
export type Paper = (typeof PAPERS)[number];
export const PAPER_LABELS: Record<Paper, string> = { a4: 'A4', letter: 'Letter' };
/** Portrait sizes in millimetres. */
export const PAPER_SIZES_MM: Record<Paper, { width: number; height: number }> = {
  a4: { width: 210, height: 297 },
  letter: { width: 215.9, height: 279.4 },
};

export const PRINT_ACTIONS = ['print', 'pdf'] as const;
export type PrintAction = (typeof PRINT_ACTIONS)[number];

/**
 * The printable documents, each an ordinary route of the renderer: `#/print/<view>`. A view's
 * document comes from its own channel (its access is that channel's); see main/core/print/handlers.ts.
 */
export const PRINT_VIEWS = [
  'due-list',
  'history',
  'compliance',
  'stickers',
  'stock-reorder',
  'stock-expiry',
  'open-work-orders',
  'downtime',
  'failures',
] as const;
export type PrintView = (typeof PRINT_VIEWS)[number];

/**
 * A part of a line of a printout's header: words, printed exactly as written (the names of
 * locations, tasks, devices, stock locations among them, whatever they hold: "Ward 2026-01-05
 * surge" is a name, not a day), or a calendar day, which the print window writes the Settings way
 * in its own locale, as it writes the rows. The header is made in main and laid out in the print
 * window, whose locales need not agree (setting "locale"): a day is marked as one where it is
 * written, never found again by its look (docs/architecture.md, "Printing").
 */
export type HeaderPart = { text: string } | { day: IsoDate };
/** One line of a printout's filter in words ("Period: ", a day, " to ", a day). */
export type HeaderLine = readonly HeaderPart[];

/** A day of a header line: `YYYY-MM-DD`, or the day of an ISO instant. */
export function headerDay(iso: string): { day: IsoDate } {
  return { day: iso.slice(0, 10) };
}

/**
 * A header line from a template: each `${…}` is a headerDay or words (a name) kept as written.
 * For example headerLine`Period: ${headerDay(from)} to ${headerDay(to)}` or headerLine`Locations: ${paths}`.
 */
export function headerLine(strings: TemplateStringsArray, ...values: readonly (string | number | { day: IsoDate })[]): HeaderLine {
  const parts: HeaderPart[] = [];
  const words = (text: string) => {
    if (text === '') return;
    const last = parts.at(-1);
    if (last && 'text' in last) parts[parts.length - 1] = { text: last.text + text };
    else parts.push({ text });
  };
  strings.forEach((s, i) => {
    words(s);
    if (i >= values.length) return;
    const v = values[i]!;
    if (typeof v === 'object') parts.push({ day: v.day });
    else words(String(v));
  });
  return parts;
}

/** A header line as printed: its words as written, its days in the date format `setting` (formatDate, in this process's locale). */
export function headerLineText(line: HeaderLine, setting: DateFormatSetting): string {
  return line.map((p) => ('day' in p ? formatDate(p.day, setting) : p.text)).join('');
}

/** The top of every printed document (who printed it, when, and what it holds: an auditor reads the paper alone). */
export interface PrintHeader {
  /** From Settings; blank when not set. */
  hospitalName: string;
  /** "Due list", "Equipment history: IP-0001 Infusion pump". */
  title: string;
  /**
   * The filter in words, one line per criterion ("Locations: …", "Status: …", "As of …"): its
   * names as written, its days marked (HeaderLine), written the Settings way where it is laid out.
   */
  filter: HeaderLine[];
  printedBy: string;
  /** ISO-8601 instant. */
  printedAt: string;
  /** How dates are written on this PC (Settings). */
  dateFormat: DateFormatSetting;
  /** A file name without extension for a saved PDF or export, e.g. `due-list-2025-11-25`. */
  fileName: string;
  /**
   * The audit trail's head when the document was printed, `4521:9f3a61c2d07e5b18`, and its chain's
   * first 8 characters: paper kept in a binder is an anchor (`wardkeep verify --head`). Null before the first entry.
   */
  auditHead: { head: string; chain: string } | null;
}

/** The page size a printer is told to use (the CSS @page rule says the same). */
export type PageSize = { paper: Paper } | { widthMm: number; heightMm: number };

/** What the hidden print window loads and whether it is printed or saved. */
export interface PrintJob {
  /** The renderer route, e.g. `/print/due-list?job=…&paper=a4`. */
  route: string;
  pageSize: PageSize;
  action: PrintAction;
  /** Suggested file name of the PDF, with `.pdf`. */
  fileName: string;
}

export type PrintOutcome = { status: 'printed' } | { status: 'saved'; path: string } | { status: 'cancelled' };

/**
 * The print window tells main it is ready (or not) through its document title: the title of the
 * document when everything is laid out (barcodes decoded, fonts loaded), or this prefix and the
 * reason when it could not be built. No script runs from main and the window needs no channel.
 */
export const PRINT_FAILED_TITLE_PREFIX = 'Print failed: ';
/** The title of index.html, before the print view sets its own. */
export const INITIAL_TITLE = 'Wardkeep';

export const PrintRequest = z
  .object({
    view: z.enum(PRINT_VIEWS, { message: `must be one of ${PRINT_VIEWS.join(', ')}` }),
    /** The view's own parameters, checked by its document channel. */
    params: z.record(z.string(), z.unknown()),
    paper: z
      .enum(PAPERS, { message: 'must be A4 or Letter' })
      .optional()
      .transform((p) => p ?? 'a4'),
    action: z.enum(PRINT_ACTIONS, { message: 'must be print or pdf' }),
  })
  .strict();
export type PrintRequestValue = z.output<typeof PrintRequest>;

/** A file made in main and saved by the renderer (Blob and a download link). */
export interface ExportFile {
  fileName: string;
  content: string;
  mimeType: string;
}

/** Initials of a name as written on a sticker: "Ada Lovelace" → "AL", "jean-paul sartre" → "JPS". */
export function initialsOf(name: string): string {
  const parts = name
    .normalize('NFC')
    .split(/[\s\-.]+/u)
    .map((p) => p.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter((p) => p.length > 0);
  return parts
    .map((p) => [...p][0]!.toLocaleUpperCase())
    .join('')
    .slice(0, 4);
}

/** A file name part from free text: letters, digits and dashes only. */
export function fileNamePart(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 60) || 'document'
  );
}

/**
 * A calendar date as the PC writes dates (Settings): the same rule as the renderer's formatDate,
 * so words built in main ("Due between …") read like the dates beside them.
 */
/** A calendar date in the chosen format (the one date format of shared/date-format.ts). */
export function formatDay(iso: string, setting: DateFormatSetting): string {
  return formatDate(iso.slice(0, 10), setting);
}
