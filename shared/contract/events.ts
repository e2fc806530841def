/** The one IPC channel main sends every event on (the preload passes on only the names below). */
export const EVENT_CHANNEL = 'wardkeep:event';

/** Messages main pushes to the renderer. */
export interface EventMap {
  /** Something was written: screens showing data refetch. */
  'data.changed': { channel: string };
  /** The session ended from main's side (idle limit, admin action). */
  'session.locked': { reason: string };
  /** A menu command, e.g. "switch user", "open settings". */
  'menu.command': { command: string };
  /** How far a backup is (the Backups screen's progress bar), or why it failed. */
  'backup.progress': {
    phase: 'copying' | 'verifying' | 'done' | 'failed';
    done: number;
    total: number;
    reason: string;
    message: string | null;
  };
  /** A backup was restored in place of the database: every session is signed out, screens reload. */
  'database.restored': { fileName: string };
}
export type EventName = keyof EventMap;
export const EVENT_NAMES: readonly EventName[] = ['data.changed', 'session.locked', 'menu.command', 'backup.progress', 'database.restored'];
