/**
 * Saves text as a file the way a browser does: a Blob and a link with `download`. Electron shows
 * its save dialog; the test browser hands the file to Playwright. Nothing leaves the PC.
 */
export function saveTextFile(fileName: string, content: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
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
