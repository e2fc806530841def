import type { Role } from '../../shared/domain/common';

export interface SessionUser {
  id: string;
  name: string;
  role: Role;
  /** Signed in with a temporary PIN: nothing but choosing their own PIN is allowed. */
  mustSetPin?: boolean;
}

/**
 * One per window (the app) or per launched page (the e2e harness). Main owns it: the renderer
 * can only change it through the auth channels.
 */
export interface Session {
  user: SessionUser | null;
  /** Who was signed in when the screen locked: their unsaved work may be restored to them. */
  lockedUserId: string | null;
  /** Last time this session did anything (ms), for the idle lock enforced in main. */
  lastActivityMs: number;
}

export function newSession(nowMs = Date.now()): Session {
  return { user: null, lockedUserId: null, lastActivityMs: nowMs };
}
