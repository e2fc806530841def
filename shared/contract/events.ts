/** Messages main pushes to the renderer. */
export interface EventMap {
  /** Something was written: screens showing data refetch. */
  'data.changed': { channel: string };
  /** The session ended from main's side (idle limit, admin action). */
  'session.locked': { reason: string };
  /** A menu command, e.g. "switch user", "open settings". */
  'menu.command': { command: string };
}
export type EventName = keyof EventMap;
export const EVENT_NAMES: readonly EventName[] = ['data.changed', 'session.locked', 'menu.command'];
