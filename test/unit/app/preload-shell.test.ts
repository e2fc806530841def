import { describe, expect, it } from 'vitest';
import { SHELL_CHANNEL as MAIN_SIDE } from '../../../main/app/shell-commands';
import { runShellCommand, SHELL_CHANNEL } from '../../../main/preload/shell';
import { SHELL_MESSAGE_KEY } from '../../../shared/shell-command';

/** A page that records what the preload posts to it. */
function page() {
  const posted: unknown[] = [];
  return { p: { post: (m: unknown) => posted.push(m) }, posted };
}

describe("the shell's commands on the page (main/preload/shell.ts)", () => {
  it('uses the same channel as the main side', () => {
    expect(SHELL_CHANNEL).toBe(MAIN_SIDE);
  });

  it('hands "Find device…" and a route of the app (a click on the overdue notice opens Today) to the page, as they are', () => {
    const { p, posted } = page();
    expect(runShellCommand(p, { command: 'find' })).toBe(true);
    expect(runShellCommand(p, { command: 'open', path: '/' })).toBe(true);
    expect(runShellCommand(p, { command: 'open', path: '/equipment/42', extra: 'dropped' })).toBe(true);
    expect(posted).toEqual([
      { [SHELL_MESSAGE_KEY]: { command: 'find' } },
      { [SHELL_MESSAGE_KEY]: { command: 'open', path: '/' } },
      { [SHELL_MESSAGE_KEY]: { command: 'open', path: '/equipment/42' } },
    ]);
  });

  it('passes on nothing else', () => {
    const { p, posted } = page();
    for (const bad of [{ command: 'open', path: 'javascript:alert(1)' }, { command: 'open', path: '//evil.example/' }, { command: 'open', path: '/x?y=<script>' }, { command: 'eval' }, null, 'find']) {
      expect(runShellCommand(p, bad)).toBe(false);
    }
    expect(posted).toEqual([]);
  });
});
