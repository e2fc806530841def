/**
 * Commands from the shell (main/app/shell-commands.ts) carried out on the page the preload serves:
 * the menu's "Find device…" and a click on the overdue notice. They use only what any visitor of
 * the page could do: change the route in the address (#/equipment) and put the cursor in a box.
 * The page never sees this channel, and a command that is not one of these does nothing.
 */
export const SHELL_CHANNEL = 'wardkeep:shell';

/** The equipment list's search box (EquipmentList.tsx): the one box "Find device…" means. */
export const EQUIPMENT_SEARCH = '.equipment-list [role="search"] input[type="search"]';
export const EQUIPMENT_PATH = '/equipment';
/** How long to wait for the equipment list to appear after the route changes. */
export const FIND_WAIT_MS = 3000;

const ROUTE = /^\/[A-Za-z0-9/_-]*$/;

export interface ShellPage {
  location: { hash: string };
  querySelector(selector: string): { focus(): void; select(): void; closest(selector: string): unknown } | null;
  /** The next frame (requestAnimationFrame), or a timer in tests. */
  nextFrame(callback: () => void): void;
  now(): number;
}

const currentPath = (page: ShellPage) => {
  const hash = page.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash.split('?')[0]! : '/';
};

function open(page: ShellPage, path: string): void {
  if (currentPath(page) !== path) page.location.hash = path;
}

/** Focuses the equipment search once the list is on screen (not behind the lock screen); gives up after FIND_WAIT_MS. */
function focusSearch(page: ShellPage, until: number): void {
  const box = page.querySelector(EQUIPMENT_SEARCH);
  if (box && !box.closest('[inert]') && !box.closest('[hidden]')) {
    box.focus();
    box.select();
    return;
  }
  if (page.now() < until) page.nextFrame(() => focusSearch(page, until));
}

export function runShellCommand(page: ShellPage, command: unknown): boolean {
  if (typeof command !== 'object' || command === null) return false;
  const c = command as { command?: unknown; path?: unknown };
  if (c.command === 'open' && typeof c.path === 'string' && ROUTE.test(c.path)) {
    open(page, c.path);
    return true;
  }
  if (c.command === 'find') {
    open(page, EQUIPMENT_PATH);
    focusSearch(page, page.now() + FIND_WAIT_MS);
    return true;
  }
  return false;
}
