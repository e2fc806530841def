import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { updateSettings } from '../../../main/core/settings/service';
import { testActor, testBackend } from '../../helpers/core';
import { device, done, place, plan } from '../../integration/plans/fixtures';

/** A stand-in for the parts of Electron the notices use. */
const fake = vi.hoisted(() => {
  const state = {
    badge: [] as number[],
    supported: true,
    shown: [] as { title: string; body: string }[],
    clicks: [] as (() => void)[],
    closes: [] as (() => void)[],
  };
  class FakeWindow {
    title = '';
    focused = 0;
    titleListeners: ((event: { preventDefault(): void }) => void)[] = [];
    setTitle(title: string) {
      this.title = title;
    }
    on(event: string, listener: (event: { preventDefault(): void }) => void) {
      if (event === 'page-title-updated') this.titleListeners.push(listener);
    }
    isMinimized() {
      return false;
    }
    restore() {}
    show() {}
    focus() {
      this.focused++;
    }
  }
  const windows = [new FakeWindow()];
  class Notification {
    constructor(private readonly options: { title: string; body: string }) {}
    static isSupported() {
      return state.supported;
    }
    on(event: string, listener: () => void) {
      if (event === 'click') state.clicks.push(listener);
      if (event === 'close') state.closes.push(listener);
    }
    show() {
      state.shown.push(this.options);
    }
  }
  return { state, windows, Notification };
});
vi.mock('electron', () => ({
  app: { setBadgeCount: (n: number) => fake.state.badge.push(n) },
  BrowserWindow: { getAllWindows: () => fake.windows },
  Notification: fake.Notification,
}));

const { heldNotices, lastNoticeDay, REFRESH_DELAY_MS, startOverdueNotices } = await import('../../../main/app/notifications');

const settle = () => vi.advanceTimersByTime(REFRESH_DELAY_MS + 1);

/** A ward with a defibrillator whose calibration was due a week ago. */
function setup() {
  const { backend, core } = testBackend();
  const defib = device(core, 'DF-0001', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 1' });
  const cal = plan(core, defib, 'calibration', '1y', '2025-11-18');
  const stop = startOverdueNotices(backend);
  return { backend, core, defib, cal, stop };
}

beforeEach(() => {
  Object.assign(fake.state, { badge: [], supported: true, shown: [], clicks: [], closes: [] });
  fake.windows[0]!.title = '';
  fake.windows[0]!.titleListeners = [];
  vi.useFakeTimers({ now: new Date(2025, 10, 25, 9, 0, 0) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the overdue badge, title and daily notice', () => {
  it('keeps each notice until it is clicked or closed (a collected notice loses its click), and a click opens Today', () => {
    const { backend, core } = testBackend();
    const defib = device(core, 'DF-0002', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 2' });
    plan(core, defib, 'calibration', '1y', '2025-11-18');
    const opened: string[] = [];
    const stop = startOverdueNotices(backend, { openToday: () => opened.push('today') });
    const before = heldNotices();
    settle();
    expect(fake.state.shown).toHaveLength(1);
    expect(heldNotices()).toBe(before + 1);
    fake.state.clicks.at(-1)!();
    expect(opened).toEqual(['today']);
    expect(heldNotices()).toBe(before);
    stop();
  });

  it('lets a notice go once it is closed unclicked', () => {
    const { backend, core } = testBackend();
    plan(core, device(core, 'DF-0003', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 3' }), 'calibration', '1y', '2025-11-18');
    const stop = startOverdueNotices(backend);
    const before = heldNotices();
    settle();
    expect(heldNotices()).toBe(before + 1);
    fake.state.closes.at(-1)!();
    expect(heldNotices()).toBe(before);
    stop();
  });

  it('shows the count in the badge and the window title, and one notice summarising what became overdue', () => {
    const { core } = setup();
    settle();
    expect(fake.state.badge.at(-1)).toBe(1);
    expect(fake.windows[0]!.title).toBe('Wardkeep — 1 overdue');
    expect(fake.state.shown).toEqual([
      {
        title: '1 plan became overdue',
        body: "DO NOT USE: Calibration: DF-0001 Defibrillator (General Hospital > Ward 4B)\n1 overdue in all. Open Wardkeep's Today screen.",
      },
    ]);
    expect(lastNoticeDay(core)).toBe('2025-11-25');
    expect(core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'notify'").get()).toEqual({ n: 1 });
    // The page may not replace the title with its own.
    const prevented = vi.fn();
    for (const l of fake.windows[0]!.titleListeners) l({ preventDefault: prevented });
    expect(prevented).toHaveBeenCalled();
    // A click brings the window forward.
    fake.state.clicks[0]!();
    expect(fake.windows[0]!.focused).toBeGreaterThan(0);
  });

  it('follows every write, and never shows a second notice the same day', () => {
    const { backend, core, cal, defib } = setup();
    settle();
    done(core, cal.id, new Date(2025, 10, 25, 8, 30).toISOString());
    backend.emit('data.changed', { channel: 'completions.log' });
    settle();
    expect(fake.state.badge.at(-1)).toBe(0);
    expect(fake.windows[0]!.title).toBe('Wardkeep');
    plan(core, defib, 'inspection', '1m', '2025-11-01');
    backend.emit('data.changed', { channel: 'plans.create' });
    settle();
    expect(fake.windows[0]!.title).toBe('Wardkeep — 1 overdue');
    expect(fake.state.shown).toHaveLength(1);
  });

  it('the next day, summarises only the plans that became overdue since the last notice', () => {
    const { backend, core, defib } = setup();
    settle();
    // Due tomorrow, so overdue the day after.
    plan(core, defib, 'electrical_safety', '1y', '2025-11-26');
    vi.setSystemTime(new Date(2025, 10, 27, 7, 0, 0));
    backend.emit('data.changed', { channel: 'day.changed' });
    settle();
    expect(fake.windows[0]!.title).toBe('Wardkeep — 2 overdue');
    expect(fake.state.shown).toHaveLength(2);
    expect(fake.state.shown[1]).toEqual({
      title: '1 plan became overdue',
      body: "DO NOT USE: Electrical safety test: DF-0001 Defibrillator (General Hospital > Ward 4B)\n2 overdue in all. Open Wardkeep's Today screen.",
    });
    expect(lastNoticeDay(core)).toBe('2025-11-27');
  });

  it("counts only this PC's ward when it has one", () => {
    const { backend, core } = setup();
    const other = place(core, 'General Hospital > Ward 9');
    inTransaction(core, (core) => updateSettings(core, testActor, { defaultLocationId: other }));
    settle();
    expect(fake.state.badge.at(-1)).toBe(0);
    expect(fake.state.shown).toEqual([]);
    inTransaction(core, (core) => updateSettings(core, testActor, { defaultLocationId: place(core, 'General Hospital > Ward 4B') }));
    backend.emit('data.changed', { channel: 'settings.update' });
    settle();
    expect(fake.state.badge.at(-1)).toBe(1);
    expect(fake.state.shown).toHaveLength(1);
  });

  it('keeps the badge and title where notifications are not supported, and remembers nothing', () => {
    fake.state.supported = false;
    const { core } = setup();
    settle();
    expect(fake.windows[0]!.title).toBe('Wardkeep — 1 overdue');
    expect(fake.state.shown).toEqual([]);
    expect(lastNoticeDay(core)).toBeNull();
  });

  it('stops once the database is closed', () => {
    const { backend, core } = setup();
    core.close();
    settle();
    backend.emit('data.changed', { channel: 'x' });
    settle();
    expect(fake.state.badge).toEqual([]);
  });

  it('while another program holds the database (the command line importing), throws nothing out of its timer and shows the notice once it is free', () => {
    const { backend, core } = testBackend();
    plan(core, device(core, 'DF-0001', { name: 'Defibrillator', location: 'General Hospital > Ward 4B > Bay 1' }), 'calibration', '1y', '2025-11-18');
    // Only to keep the test short: the app waits 5 s (busy_timeout), then fails the same way.
    core.db.pragma('busy_timeout = 200');
    const other = new BetterSqlite3(core.file);
    other.exec('BEGIN IMMEDIATE'); // `wardkeep import equipment` committing a big file while the app is open
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const stop = startOverdueNotices(backend);
    try {
      // A throw from a timer in main is an uncaught exception: Electron's stack-trace box on the ward PC.
      expect(() => settle()).not.toThrow();
      expect(logged).toHaveBeenCalledWith('[notices]', expect.objectContaining({ code: 'SQLITE_BUSY' }));
    } finally {
      other.exec('COMMIT');
      other.close();
      logged.mockRestore();
    }
    // The badge and title still say how many are overdue; the notice waited, and nothing was remembered.
    expect(fake.state.badge.at(-1)).toBe(1);
    expect(fake.windows[0]!.title).toBe('Wardkeep — 1 overdue');
    expect(fake.state.shown).toEqual([]);
    expect(lastNoticeDay(core)).toBeNull();
    // The next write, with the database free, shows it.
    backend.emit('data.changed', { channel: 'equipment.update' });
    settle();
    expect(fake.state.shown.map((s) => s.title)).toEqual(['1 plan became overdue']);
    stop();
  });
});
