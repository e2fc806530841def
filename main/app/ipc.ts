import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL_NAMES } from '../../shared/contract';
import type { Result } from '../../shared/result';
import type { Backend } from '../core/backend';
import type { Session } from '../core/session';
import { newSession } from '../core/session';
import { isTrustedUrl } from './security';
import type { WorkTracker } from './work';

export { EVENT_CHANNEL } from '../../shared/contract/events';

/** One session per window: signing in in one window does not sign in another. */
export class SessionRegistry {
  private readonly sessions = new Map<number, Session>();

  get(contents: WebContents): Session {
    let session = this.sessions.get(contents.id);
    if (!session) {
      session = newSession();
      this.sessions.set(contents.id, session);
      contents.once('destroyed', () => this.sessions.delete(contents.id));
    }
    return session;
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  /** Everyone out, in every window: after a restore, or when a page crashed and is reloaded. */
  signOutAll(): void {
    for (const s of this.sessions.values()) Object.assign(s, { user: null, lockedUserId: null });
  }
}

/** A call is served only when it comes from our own page's top frame. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, devServerUrl?: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent) return false;
  return isTrustedUrl(frame.url, devServerUrl);
}

/**
 * One ipcMain handler per contract channel, each passing straight to the backend, which
 * checks access and parses the input with the channel's schema. There is no generic channel.
 */
export function registerIpc(ipcMain: IpcMain, backend: Backend, sessions: SessionRegistry, devServerUrl?: string, work?: WorkTracker): void {
  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(name, (event, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, devServerUrl)) {
        return Promise.resolve({ ok: false, error: { code: 'forbidden', message: 'This page may not call Wardkeep.' } });
      }
      const call = backend.invoke(sessions.get(event.sender), name, input);
      // A quit waits for calls under way (a backup, a restore, a save) before closing the database.
      return work ? work.track(call) : call;
    });
  }
}
