/** UTF-8's byte order mark: Excel on Windows reads a CSV file without it in the PC's ANSI code page ("fÃ¼r"). */
const BOM = '\uFEFF';

/** Whether a file is CSV, by its MIME type or its name. */
const isCsv = (fileName: string, mimeType: string) => mimeType.toLowerCase().startsWith('text/csv') || fileName.toLowerCase().endsWith('.csv');

/**
 * Saves text as a file the way a browser does: a Blob and a link with `download`. Electron shows
 * its save dialog; the test browser hands the file to Playwright. Nothing leaves the PC.
 * A CSV file starts with a byte order mark so Excel opens its accents as written; the text main
 * gives (and `wardkeep`'s output, a published interface) has none: the mark belongs to the file.
 */
export function saveTextFile(fileName: string, content: string, mimeType: string): void {
  const text = isCsv(fileName, mimeType) && !content.startsWith(BOM) ? BOM + content : content;
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its copy once click() returns; the delay is for slow save dialogs.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The MIME type for an export format. */
export function mimeTypeFor(fileName: string): string {
  if (fileName.toLowerCase().endsWith('.json')) return 'application/json;charset=utf-8';
  if (fileName.toLowerCase().endsWith('.csv')) return 'text/csv;charset=utf-8';
  return 'text/plain;charset=utf-8';
}
