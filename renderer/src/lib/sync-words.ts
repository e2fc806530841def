import type { JoinProgressView, SyncStatusView } from '../../../shared/contract/sync';
import { plural } from '../../../shared/labels';
import type { DateWriter } from './settings';

/**
 * The sync status in words, for the header and its details: pure functions of the status, the
 * time now and the date format, so what a person reads is tested without a browser.
 */

/** A sync counts as under way this long after it started without finishing (the background sync runs every few seconds). */
const ATTEMPT_MS = 2 * 60_000;

export type SyncTone = 'ok' | 'busy' | 'warn' | 'error';

function when(iso: string, now: Date, dates: DateWriter): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  const time = dates.dateTime(iso).split(' ').at(-1) ?? '';
  return sameDay ? time : dates.dateTime(iso);
}

export function ago(iso: string, now: Date, dates: DateWriter): string {
  const ms = now.getTime() - new Date(iso).getTime();
  if (ms < 2 * 60_000) return 'a moment ago';
  if (ms < 60 * 60_000) return `${Math.floor(ms / 60_000)} minutes ago`;
  return `at ${when(iso, now, dates)}`;
}

/** True while a sync started and has not finished (nor failed) yet. */
export function syncing(s: SyncStatusView, now: Date): boolean {
  if (s.state === 'syncing') return true;
  if (s.state !== 'synced' && s.state !== 'never_synced') return false;
  if (!s.lastAttemptAt) return false;
  const attempt = new Date(s.lastAttemptAt).getTime();
  return (!s.lastSyncAt || attempt > new Date(s.lastSyncAt).getTime()) && now.getTime() - attempt < ATTEMPT_MS;
}

export function joinPercent(j: JoinProgressView): number {
  if (j.phase !== 'download') return 100;
  return j.total > 0 ? Math.min(100, Math.floor((100 * j.done) / j.total)) : 0;
}

export function joinLine(j: JoinProgressView | null): string {
  if (!j) return 'Joining the hub: starting the download of the hospital…';
  if (j.phase === 'recompute') return 'Downloaded the hospital; working out due dates and service status…';
  if (j.phase === 'done') return 'This PC now holds the whole hospital.';
  return `Downloading the hospital: ${j.done.toLocaleString('en')} of ${j.total.toLocaleString('en')} rows (${joinPercent(j)}%)`;
}

/** The header's one line, and how it is shown; null on a PC in no hub (it works as it always did). */
export function statusLine(s: SyncStatusView, now: Date, dates: DateWriter): { text: string; tone: SyncTone } | null {
  const waiting = s.pendingOut > 0 ? ` with ${plural(s.pendingOut, 'change')} waiting to send` : '';
  let line: { text: string; tone: SyncTone };
  switch (s.state) {
    case 'not_enrolled':
      return null;
    case 'revoked':
      return { text: 'Removed from the hub: not syncing', tone: 'error' };
    case 'joining':
      return { text: s.join ? `Joining the hub: ${joinPercent(s.join)}%` : 'Joining the hub…', tone: 'busy' };
    case 'offline':
      line = { text: `Offline since ${when(s.offlineSince ?? s.lastAttemptAt ?? now.toISOString(), now, dates)}${waiting}`, tone: 'warn' };
      break;
    case 'error':
      line = { text: `Sync failed${s.lastAttemptAt ? ` at ${when(s.lastAttemptAt, now, dates)}` : ''}${waiting}`, tone: 'error' };
      break;
    default:
      if (syncing(s, now)) line = { text: 'Syncing…', tone: 'busy' };
      else if (!s.lastSyncAt) line = { text: `Not synced yet${waiting}`, tone: 'warn' };
      else line = { text: `Synced ${ago(s.lastSyncAt, now, dates)}${waiting}`, tone: 'ok' };
  }
  // A change made here the hub refused (or one not sent, made outside Wardkeep) never reaches another PC: never a plain "Synced".
  if (s.quarantined > 0)
    line = {
      text: `${line.text} · ${plural(s.quarantined, 'change')} refused or not sent`,
      tone: line.tone === 'error' ? 'error' : 'warn',
    };
  if (s.clockWarning)
    line = { text: `${line.text} · clock ${clockOff(s.clockOffsetMs ?? 0)}`, tone: line.tone === 'error' ? 'error' : 'warn' };
  return line;
}

/** "3 hours slow" / "12 minutes fast": the hub's time minus this PC's. */
export function clockOff(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const amount =
    minutes >= 48 * 60
      ? plural(Math.round(minutes / 1440), 'day')
      : minutes >= 120
        ? plural(Math.round(minutes / 60), 'hour')
        : plural(minutes, 'minute');
  return `${amount} ${offsetMs > 0 ? 'slow' : 'fast'}`;
}
