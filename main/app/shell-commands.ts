import type { BrowserWindow } from 'electron';

/**
 * Commands from the shell to its own page that need no back end: open a screen, put the cursor
 * in the equipment search. The preload carries them out on the page it serves (main/preload);
 * the page never sees this channel.
 */
export const SHELL_CHANNEL = 'wardkeep:shell';

export type ShellCommand = { command: 'open'; path: string } | { command: 'find' };

/** The Today screen's route. */
export const TODAY_PATH = '/';

export function bringForward(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

export function sendShellCommand(win: BrowserWindow | null, command: ShellCommand): boolean {
  if (!win || win.isDestroyed()) return false;
  bringForward(win);
  win.webContents.send(SHELL_CHANNEL, command);
  return true;
}
