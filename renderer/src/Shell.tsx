import { Suspense, useEffect } from 'react';
import { ROLE_LABELS } from '../../shared/domain/user';
import { Banner } from './components/Banner';
import { ScanListener } from './components/ScanListener';
import { SyncIndicator } from './features/sync/SyncIndicator';
import { useChannelQuery } from './lib/query';
import { Link, matchRoute, usePath } from './lib/router';
import { can, useSession } from './lib/session';
import { SettingsProvider } from './lib/settings';
import { useSyncStatus } from './lib/sync-status';
import { routes } from './routes';

/** Supervisors are told when the start-up check finds the audit trail edited behind the app's back. */
function AuditWarning() {
  const health = useChannelQuery('app.health', {});
  const chain = health.data?.auditChain;
  const anchors = health.data?.anchors;
  const integrity = health.data?.integrity;
  if (integrity?.state === 'damaged') {
    return (
      <Banner kind="error">
        <strong>The database fails its background check:</strong> {integrity.message} Keep working only on what is urgent, make no backup over the good ones,
        and ask your IT support to run <code>wardkeep verify</code> and restore the newest good backup.
      </Banner>
    );
  }
  if (anchors?.state === 'disagree' && chain?.state !== 'broken') {
    return (
      <Banner kind="error">
        <strong>The audit trail disagrees with its anchors:</strong> {anchors.message} Run <code>wardkeep verify</code>, keep the current
        backups, and report it.
      </Banner>
    );
  }
  if (!chain || chain.state !== 'broken') return null;
  return (
    <Banner kind="error">
      <strong>The audit trail fails its check:</strong> {chain.message}. Records may have been changed outside Wardkeep. Run{' '}
      <code>wardkeep verify</code>, keep the current backups, and report it.
    </Banner>
  );
}

/** The signed-in frame: top bar, side navigation and the current screen. */
export function Shell({ hidden }: { hidden: boolean }) {
  const { user, lock, signOut } = useSession();
  const path = usePath();
  const sync = useSyncStatus();
  const inHub = sync.data !== undefined && sync.data.state !== 'not_enrolled';
  const visible = routes.filter((r) => can(user, r.role) && (!r.hubOnly || inHub));
  let content = null;
  for (const r of routes) {
    const params = matchRoute(r.pattern, path);
    if (!params) continue;
    content = can(user, r.role) ? (
      r.render(params)
    ) : (
      <Banner kind="error">Your role ({ROLE_LABELS[user.role]}) does not open this screen.</Banner>
    );
    break;
  }
  // Once the first screen is up, the navigation's screens are read while the app is idle, one
  // at a time (all at once, their reading and compiling held up the screen the person opened), so
  // opening one shows it in the frame of the click instead of after reading its chunk.
  const preloads = hidden ? '' : visible.filter((r) => r.preload).map((r) => r.pattern).join(' ');
  useEffect(() => {
    if (!preloads) return;
    const wanted = routes.filter((r) => r.preload && preloads.split(' ').includes(r.pattern));
    let stopped = false;
    let idle = 0;
    const next = (i: number) => {
      if (stopped || i >= wanted.length) return;
      idle = requestIdleCallback(() => {
        void wanted[i]!.preload!()
          .catch(() => undefined)
          .then(() => next(i + 1));
      });
    };
    next(0);
    return () => {
      stopped = true;
      cancelIdleCallback(idle);
    };
  }, [preloads]);
  const currentNav = visible.filter((r) => r.nav).find((r) => (r.pattern === '/' ? path === '/' : path.startsWith(r.pattern)));

  return (
    <SettingsProvider>
      <div className="shell" hidden={hidden} inert={hidden} aria-hidden={hidden}>
        <a className="skip-link" href="#main-content">
          Skip to content
        </a>
        <header className="topbar">
          <Link to="/" className="brand">
            <img src="./icon.svg" alt="" /> Wardkeep
          </Link>
          <span className="spacer" />
          <SyncIndicator />
          <span className="who" data-testid="signed-in-user">
            {user.name} · {ROLE_LABELS[user.role]}
          </span>
          <button type="button" onClick={lock} title="Lock the screen and let someone else sign in (Ctrl+L)">
            Switch user <span className="kbd">Ctrl+L</span>
          </button>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </header>
        <nav className="sidenav" aria-label="Main">
          <ul>
            {visible
              .filter((r) => r.nav)
              .map((r) => (
                <li key={r.pattern}>
                  <Link to={r.pattern} aria-current={currentNav === r ? 'page' : undefined}>
                    {r.nav}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
        <ScanListener enabled={!hidden} />
        <main className="content" id="main-content" tabIndex={-1}>
          {can(user, 'supervisor') ? <AuditWarning /> : null}
          {/* Each screen is its own chunk, shows "Loading…" itself until it is in (LazyScreen); the
              boundary is for anything else that suspends. */}
          <Suspense fallback={<p className="muted">Loading…</p>}>
            {content ?? <Banner kind="warn">There is no such screen.</Banner>}
          </Suspense>
        </main>
      </div>
    </SettingsProvider>
  );
}
