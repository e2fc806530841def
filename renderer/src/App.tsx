import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { SignedInUser } from '../../shared/domain/user';
import { Banner } from './components/Banner';
import { ShellCommands } from './components/ShellCommands';
import { call } from './lib/api';
import { useChannelQuery } from './lib/query';
import { useIdleLock } from './lib/idle';
import { navigate } from './lib/router';
import { ScreenShownContext } from './lib/screen-shown';
import { SessionContext } from './lib/session';
import { FirstRun } from './features/auth/FirstRun';
import { SetPin } from './features/auth/SetPin';
import { SignIn } from './features/auth/SignIn';
import { Shell } from './Shell';

/**
 * The gate of a shared ward PC. The signed-in user's screens stay mounted while the screen is
 * locked (hidden, inert), so their unsaved work survives a lock; they are replaced, and that work
 * discarded, only when a different person signs in.
 */
export function App() {
  const status = useChannelQuery('auth.status', {});
  const queryClient = useQueryClient();
  // Whose screens are mounted: the signed-in user, or the one the screen locked on.
  const [owner, setOwner] = useState<SignedInUser | null>(null);
  const s = status.data;
  const user = s?.user ?? null;

  useEffect(() => {
    if (user && !user.mustSetPin && (user.id !== owner?.id || user.role !== owner.role || user.name !== owner.name)) {
      // Someone signing in starts on their own Today screen, not on the page the last person
      // left open (which their role may not even open). Only the person the screen locked on
      // carries on where they were.
      if (!owner || owner.id !== user.id) {
        navigate('/');
        // Their screens read afresh: nothing of the last person's session is shown to them.
        queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth.status' });
      }
      setOwner(user);
    }
    if (s && !s.user && !s.lockedUser && owner) setOwner(null);
  }, [user, s, owner, queryClient]);

  const refresh = status.refetch;
  const lock = useCallback(() => {
    void call('auth.lock', {}).then(refresh);
  }, [refresh]);
  const signOut = useCallback(() => {
    void call('auth.signOut', {}).then(() => {
      setOwner(null);
      refresh();
    });
  }, [refresh]);

  useEffect(() => window.api.subscribe('session.locked', () => refresh()), [refresh]);
  useEffect(
    () =>
      window.api.subscribe('menu.command', ({ command }) => {
        if (command === 'switch-user') lock();
      }),
    [lock],
  );
  // Ctrl+L switches user from anywhere: lock, and the sign-in list is on screen.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        if (user) lock();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [user, lock]);

  // The first-PIN screen locks too: a temporary PIN typed there and left on the shared PC is cleared, and main locks it anyway.
  useIdleLock(s?.idleTimeoutSeconds ?? 300, lock, Boolean(user));

  if (!s) {
    return status.error ? (
      <div className="gate">
        <div className="gate-card">
          <Banner kind="error">{status.error.message}</Banner>
        </div>
      </div>
    ) : (
      <div className="gate" aria-busy="true" />
    );
  }
  if (s.needsSetup) return <FirstRun onDone={refresh} />;
  if (user?.mustSetPin) return <SetPin name={user.name} onDone={refresh} onCancel={signOut} />;

  const active = Boolean(user && owner && user.id === owner.id);
  const keptForLockedUser = Boolean(!user && owner && s.lockedUser?.id === owner.id);
  return (
    <>
      {owner && (active || keptForLockedUser) ? (
        <SessionContext.Provider value={{ user: owner, lock, signOut }}>
          {/* While locked its dialogs let go of the window (Dialog), so the lock screen can be used. */}
          <ScreenShownContext.Provider value={active}>
            <Shell key={owner.id} hidden={!active} />
            <ShellCommands />
          </ScreenShownContext.Provider>
        </SessionContext.Provider>
      ) : (
        <ShellCommands />
      )}
      {!user ? <SignIn key={s.lockedUser?.id ?? 'none'} lockedUser={s.lockedUser} onSignedIn={refresh} /> : null}
    </>
  );
}
