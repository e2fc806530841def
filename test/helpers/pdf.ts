import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, MultiFormatReader, RGBLuminanceSource } from '@zxing/library';
import type { BrowserContext } from 'playwright-core';
import type { PrintJob, PrintOutcome } from '../../shared/domain/report';
import { AppError } from '../../main/core/errors';
import type { PrintPort } from '../../main/core/ports';

/**
 * Reading PDFs back in tests with poppler-utils (pdfinfo, pdftotext, pdftoppm) and zxing: the
 * text of each page, the page size, and the barcodes on a page rendered to grey pixels.
 */

export function pdfInfo(file: string): { pages: number; widthPt: number; heightPt: number; title: string } {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(out);
  return { pages, widthPt: Number(size?.[1]), heightPt: Number(size?.[2]), title: /^Title:\s+(.*)$/m.exec(out)?.[1]?.trim() ?? '' };
}

/** The text of every page (pdftotext separates pages with form feeds). */
export function pdfPagesText(file: string, options: { layout?: boolean } = {}): string[] {
  const out = execFileSync('pdftotext', [...(options.layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const pages = out.split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel, 0 black … 255 white, row by row. */
  data: Uint8ClampedArray;
}

/** A binary PGM (P5, maxval 255), as `pdftoppm -gray` writes it. */
export function parsePgm(buf: Buffer): GrayImage {
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < buf.length && /\s/.test(String.fromCharCode(buf[pos]!))) pos++;
      if (buf[pos] === 0x23) {
        while (pos < buf.length && buf[pos] !== 0x0a) pos++;
        continue;
      }
      break;
    }
    const start = pos;
    while (pos < buf.length && !/\s/.test(String.fromCharCode(buf[pos]!))) pos++;
    return buf.toString('latin1', start, pos);
  };
  if (token() !== 'P5') throw new Error('Not a binary PGM');
  const width = Number(token());
  const height = Number(token());
  const max = Number(token());
  if (max !== 255) throw new Error(`PGM maxval ${max} is not 255`);
  pos += 1; // the single whitespace after maxval
  return { width, height, data: new Uint8ClampedArray(buf.subarray(pos, pos + width * height)) };
}

/** Page `page` (1-based) of a PDF as grey pixels at `dpi`. */
export function renderPageGray(file: string, page: number, dpi = 300): GrayImage {
  const buf = execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-f', String(page), '-l', String(page), file], {
    maxBuffer: 256 << 20,
  });
  return parsePgm(buf);
}

/** Page `page` of a PDF as a PNG to look at. */
export function renderPagePng(file: string, page: number, outBase: string, dpi = 60): string {
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, outBase]);
  return `${outBase}.png`;
}

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The text of the one barcode (Code 128 or QR) in a region of the image, or null. */
export function decodeBarcode(
  image: GrayImage,
  region: Region = { left: 0, top: 0, width: image.width, height: image.height },
): string | null {
  const left = Math.max(0, Math.floor(region.left));
  const top = Math.max(0, Math.floor(region.top));
  const width = Math.min(image.width - left, Math.floor(region.width));
  const height = Math.min(image.height - top, Math.floor(region.height));
  const source = new RGBLuminanceSource(image.data, width, height, image.width, image.height, left, top);
  const reader = new MultiFormatReader();
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128, BarcodeFormat.QR_CODE]],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  try {
    return reader.decode(new BinaryBitmap(new HybridBinarizer(source)), hints).getText();
  } catch {
    return null;
  }
}

/** Millimetres to pixels at `dpi`. */
export const mmToPx = (mm: number, dpi: number) => (mm / 25.4) * dpi;

/**
 * The desktop app's print port, played by the test browser: it opens the job's route in a new page
 * of the app's browser context (as main opens a hidden window), waits for the print view's signal,
 * and "saves" the PDF with page.pdf, the engine printToPDF uses. Jobs are recorded.
 */
export function browserPrintPort(options: {
  context: () => BrowserContext;
  baseUrl: () => string;
  outDir: string;
}): PrintPort & { jobs: PrintJob[] } {
  const jobs: PrintJob[] = [];
  return {
    jobs,
    async run(job): Promise<PrintOutcome> {
      jobs.push(job);
      const page = await options.context().newPage();
      try {
        await page.goto(`${options.baseUrl()}#${job.route}`);
        await page.waitForSelector('html[data-print-state="ready"], html[data-print-state="failed"]', {
          state: 'attached',
          timeout: 60_000,
        });
        if ((await page.getAttribute('html', 'data-print-state')) === 'failed') throw new AppError('internal', await page.title());
        if (job.action === 'print') return { status: 'printed' };
        mkdirSync(options.outDir, { recursive: true });
        const file = path.join(options.outDir, job.fileName);
        writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
        return { status: 'saved', path: file };
      } finally {
        await page.close();
      }
    },
  };
}
