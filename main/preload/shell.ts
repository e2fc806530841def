import type { ShellCommand } from '../../shared/shell-command';
import { SHELL_MESSAGE_KEY, shellCommandOf } from '../../shared/shell-command';

/**
 * Commands from the shell (main/app/shell-commands.ts) handed to the page the preload serves: the
 * menu's "Find device…" and a click on the overdue notice. Only a command that is one of these
 * (shared/shell-command.ts) is passed on, as a window message to the page itself; the page carries
 * it out (renderer/src/components/ShellCommands.tsx), asking first when leaving the screen would
 * throw away something typed. The page never sees the IPC channel.
 */
export const SHELL_CHANNEL = 'wardkeep:shell';

export { EQUIPMENT_PATH, EQUIPMENT_SEARCH, FIND_WAIT_MS } from '../../shared/shell-command';

export interface ShellPage {
  /** Posts a message to the page's own window (window.postMessage; it is read only from this window). */
  post(message: { [SHELL_MESSAGE_KEY]: ShellCommand }): void;
}

export function runShellCommand(page: ShellPage, value: unknown): boolean {
  const command = shellCommandOf(value);
  if (!command) return false;
  page.post({ [SHELL_MESSAGE_KEY]: command });
  return true;
}
