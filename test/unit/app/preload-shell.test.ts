import { describe, expect, it } from 'vitest';
import { SHELL_CHANNEL as MAIN_SIDE } from '../../../main/app/shell-commands';
import type { ShellPage } from '../../../main/preload/shell';
import { EQUIPMENT_SEARCH, FIND_WAIT_MS, runShellCommand, SHELL_CHANNEL } from '../../../main/preload/shell';

/** A page whose equipment search box appears after `appearsAfter` frames (the route renders). */
function page(hash: string, options: { appearsAfter?: number; inert?: boolean } = {}) {
  let frames = 0;
  let clock = 0;
  const box = { focused: 0, selected: 0, focus() { box.focused++; }, select() { box.selected++; }, closest: (s: string) => (options.inert && s === '[inert]' ? {} : null) };
  const queue: (() => void)[] = [];
  const p: ShellPage & { runFrames(n: number): void } = {
    location: { hash },
    querySelector: (selector) => (selector === EQUIPMENT_SEARCH && p.location.hash === '#/equipment' && frames >= (options.appearsAfter ?? 0) ? box : null),
    nextFrame: (cb) => queue.push(cb),
    now: () => clock,
    runFrames(n) {
      for (let i = 0; i < n && queue.length > 0; i++) {
        frames++;
        clock += 16;
        queue.shift()!();
      }
    },
  };
  return { p, box, queue };
}

describe("the shell's commands on the page (main/preload/shell.ts)", () => {
  it('uses the same channel as the main side', () => {
    expect(SHELL_CHANNEL).toBe(MAIN_SIDE);
  });

  it('"Find device…": to the equipment list, then the cursor in its search box once it is on screen', () => {
    const { p, box } = page('#/reports/due-list', { appearsAfter: 3 });
    expect(runShellCommand(p, { command: 'find' })).toBe(true);
    expect(p.location.hash).toBe('/equipment');
    p.location.hash = '#/equipment'; // what the browser makes of it
    p.runFrames(5);
    expect([box.focused, box.selected]).toEqual([1, 1]);
  });

  it('already on the list: focuses at once, without changing the route', () => {
    const { p, box } = page('#/equipment');
    runShellCommand(p, { command: 'find' });
    expect(p.location.hash).toBe('#/equipment');
    expect(box.focused).toBe(1);
  });

  it('gives up quietly when the list never shows (the screen is locked, nobody signed in)', () => {
    const { p, box, queue } = page('#/equipment', { inert: true });
    runShellCommand(p, { command: 'find' });
    p.runFrames(Math.ceil(FIND_WAIT_MS / 16) + 5);
    expect(box.focused).toBe(0);
    expect(queue).toEqual([]);
  });

  it('opens a screen by its route (a click on the overdue notice opens Today), and refuses anything else', () => {
    const { p } = page('#/equipment/42');
    expect(runShellCommand(p, { command: 'open', path: '/' })).toBe(true);
    expect(p.location.hash).toBe('/');
    for (const bad of [{ command: 'open', path: 'javascript:alert(1)' }, { command: 'open', path: '//evil.example/' }, { command: 'open', path: '/x?y=<script>' }, { command: 'eval' }, null, 'find']) {
      expect(runShellCommand(p, bad)).toBe(false);
    }
    expect(p.location.hash).toBe('/');
  });
});
