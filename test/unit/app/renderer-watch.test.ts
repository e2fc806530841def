import { EventEmitter } from 'node:events';
import type { BrowserWindow, Dialog } from 'electron';
import { describe, expect, it } from 'vitest';
import { CRASH_WINDOW_MS, watchRenderer } from '../../../main/app/renderer-watch';

/** A window whose page the test crashes, hangs and revives; a dialog that answers as told. */
function setup(answer: () => number | Promise<number> = () => 0) {
  const contents = Object.assign(new EventEmitter(), { reloads: 0, killed: 0, reload() { contents.reloads++; }, forcefullyCrashRenderer() { contents.killed++; } });
  const win = Object.assign(new EventEmitter(), { webContents: contents, isDestroyed: () => false });
  const boxes: { type?: string; message: string; detail?: string; buttons?: string[]; signal?: AbortSignal }[] = [];
  let signedOut = 0;
  let quits = 0;
  let clock = 1_000_000;
  let quitting = false;
  const dialog = {
    showMessageBox: async (_parent: unknown, options: (typeof boxes)[number]) => {
      boxes.push(options);
      const response = await answer();
      return { response: options.signal?.aborted ? 0 : response, checkboxChecked: false };
    },
  } as unknown as Pick<Dialog, 'showMessageBox'>;
  watchRenderer(win as unknown as BrowserWindow, {
    dialog,
    signOutAll: () => signedOut++,
    isQuitting: () => quitting,
    quit: () => quits++,
    now: () => clock,
  });
  return {
    win,
    contents,
    boxes,
    signedOut: () => signedOut,
    quits: () => quits,
    advance: (ms: number) => (clock += ms),
    setQuitting: () => (quitting = true),
  };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('a crashed or hung page (main/app/renderer-watch.ts)', () => {
  it('a crash: everyone signed out, the page reloaded, and a sentence saying saved work is safe', () => {
    const t = setup();
    t.contents.emit('render-process-gone', {}, { reason: 'oom', exitCode: -536870904 });
    expect(t.signedOut()).toBe(1);
    expect(t.contents.reloads).toBe(1);
    expect(t.boxes).toEqual([
      expect.objectContaining({
        type: 'warning',
        message: "Wardkeep's window stopped unexpectedly and has been reopened.",
        detail: 'Everything that was saved is safe. Anything typed but not yet saved must be entered again. Everyone has been signed out, so sign in again to carry on.\n\n(oom, exit code -536870904)',
      }),
    ]);
  });

  it('ignores a page that ended cleanly, or one ending because Wardkeep quits', () => {
    const t = setup();
    t.contents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    t.setQuitting();
    t.contents.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
    expect([t.contents.reloads, t.signedOut(), t.boxes.length]).toEqual([0, 0, 0]);
  });

  it('does not reload in a loop: the fourth crash within a minute asks, and "Quit" quits', async () => {
    const t = setup(() => 1);
    for (let i = 0; i < 3; i++) t.contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    expect(t.contents.reloads).toBe(3);
    t.contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    await settle();
    expect(t.contents.reloads).toBe(3);
    expect(t.boxes.at(-1)).toMatchObject({ type: 'error', message: "Wardkeep's window keeps stopping.", buttons: ['Reload the window', 'Quit Wardkeep'] });
    expect(t.quits()).toBe(1);
    // A minute later the count starts again.
    t.advance(CRASH_WINDOW_MS + 1);
    t.contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    expect(t.contents.reloads).toBe(4);
  });

  it('a hang: asks; "Reload the window" ends the hung process, reloads once, and signs everyone out', async () => {
    const t = setup(() => 1);
    t.win.emit('unresponsive');
    t.win.emit('unresponsive'); // Electron repeats it; one question at a time
    await settle();
    expect(t.boxes).toHaveLength(1);
    expect(t.boxes[0]).toMatchObject({ message: "Wardkeep's window is not responding.", buttons: ['Wait', 'Reload the window'] });
    expect([t.contents.killed, t.contents.reloads, t.signedOut()]).toEqual([1, 1, 1]);
    // The process we ended reports itself gone: already handled, not a second reload.
    t.contents.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
    expect(t.contents.reloads).toBe(1);
    expect(t.boxes).toHaveLength(1);
  });

  it('"Wait" waits, and a page that recovers by itself closes the question as if Wait was chosen', async () => {
    let release: (n: number) => void = () => undefined;
    const t = setup(() => new Promise<number>((r) => (release = r)));
    t.win.emit('unresponsive');
    t.win.emit('responsive');
    expect(t.boxes[0]!.signal!.aborted).toBe(true);
    release(1);
    await settle();
    expect([t.contents.killed, t.contents.reloads, t.signedOut()]).toEqual([0, 0, 0]);
  });
});
