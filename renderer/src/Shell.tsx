import type { RefObject } from 'react';
import { Suspense, useEffect, useRef } from 'react';
import { ROLE_LABELS } from '../../shared/domain/user';
import { Banner } from './components/Banner';
import { ScanListener } from './components/ScanListener';
import { ChangePin } from './features/auth/ChangePin';
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

/** How many of the deep check's stock sentences the warning lists before "N more". */
const STOCK_SENTENCES_SHOWN = 3;

/** Supervisors are told when the deep check finds stock figures that differ from their movements. */
function StockWarning() {
  const health = useChannelQuery('app.health', {});
  const stock = health.data?.stock;
  if (stock?.state !== 'changed') return null;
  const shown = stock.findings.slice(0, STOCK_SENTENCES_SHOWN);
  const more = stock.findings.length - shown.length + stock.more;
  return (
    <Banner kind="error">
      <strong>Stock figures were changed outside Wardkeep:</strong>
      <ul>
        {shown.map((f, i) => (
          <li key={i}>{f}</li>
        ))}
        {more > 0 ? <li>{more === 1 ? '1 more figure like these.' : `${more} more figures like these.`}</li> : null}
      </ul>
    </Banner>
  );
}

/** The window's title: the screen's heading, then the app's name (what the taskbar and a screen reader say). */
function titleOf(main: HTMLElement): string {
  const heading = main.querySelector('h1')?.textContent?.replace(/\s+/g, ' ').trim();
  return heading ? `${heading} – Wardkeep` : 'Wardkeep';
}

/**
 * On every change of screen the window's title names it; when the change came from the side
 * navigation (the focus on its link), the focus moves to the new screen's heading once it is
 * drawn, so a screen reader says where the person now is. A screen or the scanner that put the
 * focus somewhere on purpose (a device's "Log work") keeps it: only a focus still in the
 * navigation, or lost with the old screen, is moved.
 */
function useScreenChange(path: string, hidden: boolean, mainRef: RefObject<HTMLElement | null>, navRef: RefObject<HTMLElement | null>) {
  const lastPath = useRef<string | null>(null);
  useEffect(() => {
    const main = mainRef.current;
    if (hidden || !main) return undefined;
    const changed = lastPath.current !== null && lastPath.current !== path;
    lastPath.current = path;
    const active = document.activeElement;
    let focusHeading = changed && Boolean(active && navRef.current?.contains(active));
    const update = () => {
      const title = titleOf(main);
      if (document.title !== title) document.title = title;
      if (!focusHeading) return;
      const h1 = main.querySelector<HTMLElement>('h1');
      if (!h1) return;
      focusHeading = false;
      const now = document.activeElement;
      if (now && now !== document.body && !navRef.current?.contains(now)) return;
      if (!h1.hasAttribute('tabindex')) h1.tabIndex = -1;
      h1.focus({ preventScroll: true });
    };
    update();
    // A screen in a chunk of its own, or waiting for its data, draws its heading later.
    const observer = new MutationObserver(update);
    observer.observe(main, { childList: true, subtree: true, characterData: true });
    // Nothing drawn in a while: whatever the person does next is theirs.
    const giveUp = window.setTimeout(() => (focusHeading = false), 5000);
    return () => {
      observer.disconnect();
      window.clearTimeout(giveUp);
    };
  }, [path, hidden, mainRef, navRef]);
}

/**
 * The focus where it was when the screen locked, back when the same person signs in again (a
 * dialog open then puts it back in itself).
 */
function useFocusKeptOverLock(hidden: boolean, frameRef: RefObject<HTMLElement | null>) {
  const last = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const frame = frameRef.current;
    if (!frame) return undefined;
    const onFocus = (e: FocusEvent) => {
      if (e.target instanceof HTMLElement) last.current = e.target;
    };
    frame.addEventListener('focusin', onFocus);
    return () => frame.removeEventListener('focusin', onFocus);
  }, [frameRef]);
  useEffect(() => {
    const el = last.current;
    const active = document.activeElement;
    if (hidden || !el || !el.isConnected || el.closest('dialog')) return;
    if (active && active !== document.body) return;
    el.focus({ preventScroll: true });
  }, [hidden]);
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
      <>
        <h1>Not available</h1>
        <Banner kind="error">Your role ({ROLE_LABELS[user.role]}) does not open this screen.</Banner>
      </>
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
  const frameRef = useRef<HTMLDivElement>(null);
  const mainRef = useRef<HTMLElement>(null);
  const navRef = useRef<HTMLElement>(null);
  useScreenChange(path, hidden, mainRef, navRef);
  useFocusKeptOverLock(hidden, frameRef);
  const currentNav = visible.filter((r) => r.nav).find((r) => (r.pattern === '/' ? path === '/' : path.startsWith(r.pattern)));

  return (
    <SettingsProvider>
      <div className="shell" ref={frameRef} hidden={hidden} inert={hidden} aria-hidden={hidden}>
        {/* The address is the route (#/…): following the link would leave the screen, and its work. */}
        <a
          className="skip-link"
          href="#main-content"
          onClick={(e) => {
            e.preventDefault();
            mainRef.current?.focus();
          }}
        >
          Skip to content
        </a>
        <header className="topbar">
          <Link to="/" className="brand">
            <img src="./icon.svg" alt="" /> Wardkeep
          </Link>
          <span className="spacer" />
          <SyncIndicator />
          {/* Name over role, the name cut short with "…" when the bar is full (a hub PC's sync line at
              1366 px): the buttons stay whole, and the whole name is in the title. */}
          <span className="who" data-testid="signed-in-user" title={`${user.name} · ${ROLE_LABELS[user.role]}`}>
            <span className="who-name">{user.name}</span>
            <span className="who-sep"> · </span>
            <span className="who-role">{ROLE_LABELS[user.role]}</span>
          </span>
          <ChangePin />
          <button type="button" onClick={lock} title="Lock the screen and let someone else sign in (Ctrl+L)">
            Switch user <span className="kbd">Ctrl+L</span>
          </button>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </header>
        <nav className="sidenav" aria-label="Main" ref={navRef}>
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
        <main className="content" id="main-content" tabIndex={-1} ref={mainRef}>
          {can(user, 'supervisor') ? (
            <>
              <AuditWarning />
              <StockWarning />
            </>
          ) : null}
          {/* Each screen is its own chunk, shows "Loading…" itself until it is in (LazyScreen); the
              boundary is for anything else that suspends. */}
          <Suspense fallback={<p className="muted">Loading…</p>}>
            {content ?? (
              <>
                <h1>No such screen</h1>
                <Banner kind="warn">There is no such screen.</Banner>
              </>
            )}
          </Suspense>
        </main>
      </div>
    </SettingsProvider>
  );
}
