/**
 * The shell's commands to the page: the menu's "Find device…" and a click on the overdue notice
 * (main/app/shell-commands.ts). The preload (main/preload/shell.ts) checks each and hands it to the
 * page's own code as a window message of this shape; the page (renderer/src/components/ShellCommands.tsx)
 * carries it out, asking first when leaving the screen would throw away something typed, as a
 * scanned tag does.
 */
export type ShellCommand = { command: 'open'; path: string } | { command: 'find' };

/** The key a window message carrying a shell command has its command under. */
export const SHELL_MESSAGE_KEY = 'wardkeepShellCommand';

/** The equipment list's search box (EquipmentList.tsx): the one box "Find device…" means. */
export const EQUIPMENT_SEARCH = '.equipment-list [role="search"] input[type="search"]';
export const EQUIPMENT_PATH = '/equipment';
/** How long to wait for the equipment list to appear after the route changes. */
export const FIND_WAIT_MS = 3000;

const ROUTE = /^\/[A-Za-z0-9/_-]*$/;

/** The command `value` is, or null when it is not one of the shell's (a route of the app's own, or "find"). */
export function shellCommandOf(value: unknown): ShellCommand | null {
  if (typeof value !== 'object' || value === null) return null;
  const c = value as { command?: unknown; path?: unknown };
  if (c.command === 'open' && typeof c.path === 'string' && ROUTE.test(c.path)) return { command: 'open', path: c.path };
  if (c.command === 'find') return { command: 'find' };
  return null;
}
