import type { BrowserWindow } from 'electron';
import { app, BrowserWindow as Windows, Notification } from 'electron';
import type { DueRow } from '../../shared/domain/plan';
import { appendAudit } from '../core/audit';
import type { Backend } from '../core/backend';
import { isoInstant, localDate } from '../core/clock';
import type { Core } from '../core/context';
import { systemActor } from '../core/context';
import { inTransaction } from '../core/dispatcher/transaction';
import { dueCounts, overdueSince } from '../core/due/service';
import { getSettings } from '../core/settings/service';
import { command, scalar } from '../core/sql/query';
import type { SettingRow } from '../core/sql/rows';

/** Writes come in bursts (an import, a form): the badge is worked out once they settle. */
export const REFRESH_DELAY_MS = 500;

/** The settings key holding the day this PC last showed the overdue summary. */
export const noticeKey = (pcId: string) => `pc:${pcId}:overdue_notice_on`;

const storedNotice = scalar<string, { key: string }>('SELECT value FROM settings WHERE key = @key');
const upsertNotice = command<SettingRow>(
  `INSERT INTO settings (key, value, updated_at, pc_id) VALUES (@key, @value, @updated_at, @pc_id)
   ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, pc_id = excluded.pc_id`,
);

export function lastNoticeDay(core: Core): string | null {
  const value = storedNotice.get(core, { key: noticeKey(core.pcId) });
  return value === undefined ? null : (JSON.parse(value) as string);
}

function rememberNotice(core: Core, day: string, count: number): void {
  inTransaction(core, (core) => {
    const before = lastNoticeDay(core);
    upsertNotice.run(core, { key: noticeKey(core.pcId), value: JSON.stringify(day), updated_at: isoInstant(core.clock.now()), pc_id: core.pcId });
    appendAudit(core, systemActor, { action: 'notify', entity: 'setting', entityId: noticeKey(core.pcId), old: before, new: { day, newlyOverdue: count } });
  });
}

/** "3 plans became overdue" and the first few of them, one a line. */
export function noticeText(rows: readonly DueRow[], overdue: number): { title: string; body: string } {
  const n = rows.length;
  const title = `${n} plan${n === 1 ? '' : 's'} became overdue`;
  const lines = rows.slice(0, 4).map((r) => `${r.doNotUse ? 'DO NOT USE: ' : ''}${r.taskLabel}: ${r.assetTag ? `${r.assetTag} ` : ''}${r.name} (${r.wardPath})`);
  if (n > lines.length) lines.push(`…and ${n - lines.length} more.`);
  lines.push(`${overdue} overdue in all. Open Wardkeep's Today screen.`);
  return { title, body: lines.join('\n') };
}

export const windowTitle = (overdue: number) => (overdue > 0 ? `Wardkeep — ${overdue} overdue` : 'Wardkeep');

/**
 * Electron notices fire 'click' only while their object is alive: a notice that is no longer
 * referenced is garbage-collected and its click is lost. Each is held here until it is closed.
 */
const held = new Set<Notification>();

/** How many notices are held for their click (for the tests). */
export const heldNotices = () => held.size;

export interface OverdueNoticeOptions {
  /** What a click on the notice does: bring Wardkeep forward on its Today screen. */
  openToday?: () => void;
}

function bringFirstWindowForward(): void {
  const win = Windows.getAllWindows()[0];
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

/**
 * The overdue count as a badge (app.setBadgeCount where the platform has one) and in every window's
 * title, for this PC's ward (Settings) or the whole hospital, kept current after every write and
 * every change of day; and a desktop notification summarising plans newly overdue since the last
 * one, at most once a day per PC (the day is remembered in the settings table under a per-PC key).
 * Clicking it opens Today.
 */
export function startOverdueNotices(backend: Backend, options: OverdueNoticeOptions = {}): () => void {
  const core = backend.core;
  const titled = new WeakSet<BrowserWindow>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const openToday = options.openToday ?? bringFirstWindowForward;

  const refresh = () => {
    timer = null;
    if (stopped) return;
    if (!core.db.open) return stop();
    // From a timer: a throw here would be an uncaught exception in main (Electron's stack-trace box
    // on the ward PC). The database held by another writer for longer than the busy timeout (the
    // command line importing while the app is open, a restore) is the likely one: the day is not
    // remembered, so the next write or change of day tries again.
    try {
      update();
    } catch (err) {
      console.error('[notices]', err);
    }
  };
  const update = () => {
    const today = localDate(core.clock.now());
    const ward = getSettings(core).defaultLocationId;
    const locationIds = ward ? [ward] : undefined;
    const overdue = dueCounts(core, { asOf: today, locationIds }).reduce((n, c) => n + c.overdue, 0);
    app.setBadgeCount(overdue);
    for (const win of Windows.getAllWindows()) {
      if (!titled.has(win)) {
        // Keep our title when the page sets its own.
        win.on('page-title-updated', (event) => event.preventDefault());
        titled.add(win);
      }
      win.setTitle(windowTitle(overdue));
    }
    const since = lastNoticeDay(core);
    if (overdue === 0 || since === today || !Notification.isSupported()) return;
    const fresh = overdueSince(core, { asOf: today, since, locationIds });
    if (fresh.newlyOverdue.length === 0) return;
    rememberNotice(core, today, fresh.newlyOverdue.length);
    const notice = new Notification(noticeText(fresh.newlyOverdue, fresh.overdue));
    held.add(notice);
    const release = () => held.delete(notice);
    notice.on('click', () => {
      release();
      openToday();
    });
    notice.on('close', release);
    notice.on('failed', release);
    notice.show();
  };
  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(refresh, REFRESH_DELAY_MS);
    timer.unref?.();
  };
  const unsubscribe = backend.onEvent((event) => {
    if (event === 'data.changed') schedule();
  });
  schedule();

  function stop() {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    if (timer) clearTimeout(timer);
  }
  return stop;
}
