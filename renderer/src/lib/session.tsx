import { createContext, useContext } from 'react';
import type { Role } from '../../../shared/domain/common';
import type { SignedInUser } from '../../../shared/domain/user';
import { ROLE_RANK } from '../../../shared/contract/access';

export interface SessionContextValue {
  user: SignedInUser;
  /** Locks the screen now (the same as walking away): Ctrl+L. */
  lock: () => void;
  signOut: () => void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession is used outside a signed-in screen.');
  return value;
}


/** For showing or hiding controls only; main enforces the same rule on every call. */
export function can(user: { role: Role }, needed: Role): boolean {
  return ROLE_RANK[user.role] >= ROLE_RANK[needed];
}
