import { useEffect, useState } from 'react';
import type { ShellCommand } from '../../../shared/shell-command';
import { EQUIPMENT_PATH, EQUIPMENT_SEARCH, FIND_WAIT_MS, SHELL_MESSAGE_KEY, shellCommandOf } from '../../../shared/shell-command';
import { currentPath, navigate } from '../lib/router';
import { unsavedInput } from '../lib/unsaved-input';
import { LeaveDialog } from './LeaveDialog';

const pathOf = (c: ShellCommand) => (c.command === 'find' ? EQUIPMENT_PATH : c.path);
/** The screen shown, without its query ("/equipment?q=…" is the equipment list). */
const screenShown = () => currentPath().split('?')[0]!;

/** What the question calls the screen a command opens. */
function screenName(c: ShellCommand): string {
  const path = pathOf(c);
  if (path === '/') return 'Today';
  if (path === EQUIPMENT_PATH) return 'the equipment list';
  return 'another screen';
}

/** Puts the cursor in the equipment list's search box once the list is on screen (not behind the lock screen); gives up after FIND_WAIT_MS. */
function focusSearch(until: number): void {
  const box = document.querySelector<HTMLInputElement>(EQUIPMENT_SEARCH);
  if (box && !box.closest('[inert]') && !box.closest('[hidden]')) {
    box.focus();
    box.select();
    return;
  }
  if (performance.now() < until) window.requestAnimationFrame(() => focusSearch(until));
}

function carryOut(c: ShellCommand): void {
  const path = pathOf(c);
  if (screenShown() !== path) navigate(path);
  if (c.command === 'find') focusSearch(performance.now() + FIND_WAIT_MS);
}

/**
 * The shell's commands (the menu's "Find device…", Ctrl+F, and a click on the daily overdue notice),
 * handed over by the preload as a message to this window (main/preload/shell.ts). Leaving a screen
 * that holds something typed and not saved asks first, Stay first, as a scanned tag does
 * (ScanListener); while the screen is locked the question waits behind the lock (Dialog).
 */
export function ShellCommands() {
  const [leaving, setLeaving] = useState<{ command: ShellCommand; unsaved: string } | null>(null);

  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      if (e.source !== window) return;
      const data: unknown = e.data;
      const command = shellCommandOf(typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[SHELL_MESSAGE_KEY] : undefined);
      if (!command) return;
      const unsaved = screenShown() === pathOf(command) ? null : unsavedInput();
      if (unsaved) setLeaving({ command, unsaved });
      else {
        setLeaving(null);
        carryOut(command);
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);

  if (!leaving) return null;
  const where = screenName(leaving.command);
  return (
    <LeaveDialog unsaved={leaving.unsaved} where={where} onStay={() => setLeaving(null)} onLeave={() => carryOut(leaving.command)}>
      Opening {where} now throws away what you typed and have not saved.
    </LeaveDialog>
  );
}
