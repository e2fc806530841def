import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { resolveAppFile } from '../../../main/app/protocol';
import {
  CONTENT_SECURITY_POLICY,
  hardenSession,
  hardenWebContents,
  installAppGuards,
  isAllowedRequest,
  isTrustedUrl,
  refusedSwitch,
  refusedSwitchMessage,
  secureWebPreferences,
} from '../../../main/app/security';

vi.mock('electron', () => ({}));

type Handler = (...args: unknown[]) => void;

function fakeContents() {
  const handlers = new Map<string, Handler>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  return {
    handlers,
    on: (event: string, h: Handler) => handlers.set(event, h),
    setWindowOpenHandler: (h: (details: { url: string }) => { action: string }) => (openHandler = h),
    open: (url: string) => openHandler!({ url }),
    fire(event: string, ...args: unknown[]) {
      const e = { preventDefault: vi.fn() };
      handlers.get(event)!(e, ...args);
      return e.preventDefault;
    },
  };
}

function directives(csp: string): Map<string, string> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name!, values.join(' ')];
      }),
  );
}

describe('window settings (Electron security checklist)', () => {
  it('isolate the page: context isolation, sandbox, no Node, web security, no webview', () => {
    const prefs = secureWebPreferences('/app/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it("take no developer tools unless asked for (the development runtime's main window alone asks)", () => {
    expect(secureWebPreferences('/app/preload/index.cjs').devTools).toBe(false);
    expect(secureWebPreferences('/app/preload/index.cjs', { devTools: true }).devTools).toBe(true);
  });
});

describe('command-line switches that open the signed-in window (docs/security.md)', () => {
  /** Chromium's parse of a command line that has these switches. */
  const chromium = (...names: string[]) => ({ hasSwitch: (name: string) => names.includes(name) });

  it('refuses remote debugging and developer tools opened by a switch, each with its own sentence', () => {
    expect(refusedSwitch(chromium('remote-debugging-port'))).toBe('remote-debugging-port');
    expect(refusedSwitch(chromium('remote-debugging-pipe'))).toBe('remote-debugging-pipe');
    expect(refusedSwitch(chromium('lang', 'auto-open-devtools-for-tabs'))).toBe('auto-open-devtools-for-tabs');
    expect(refusedSwitchMessage('auto-open-devtools-for-tabs')).toBe(
      'Wardkeep was started with --auto-open-devtools-for-tabs, which would open the developer tools on its window, with which anyone at this PC could act as whoever is signed in, so it did not start: start it from its own shortcut, without that switch, and tell your IT support if the shortcut has it.',
    );
  });

  it('lets the switches that open the window to no one start: the fuses ignore --inspect, the rest open nothing', () => {
    const fused = ['inspect', 'inspect-brk', 'inspect-port'];
    const openingNothing = ['remote-allow-origins', 'js-flags', 'enable-logging', 'v', 'proxy-server', 'lang'];
    for (const name of [...fused, ...openingNothing]) expect(refusedSwitch(chromium(name))).toBeNull();
  });
});

describe('the Content-Security-Policy', () => {
  const csp = directives(CONTENT_SECURITY_POLICY);

  it('allows only our own files: no remote origins, no inline or eval scripts', () => {
    expect(csp.get('default-src')).toBe("'none'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('base-uri')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('is the same in the page\'s meta tag (which cannot carry frame-ancestors)', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const fromMeta = directives(meta!);
    for (const [name, value] of csp) {
      if (name === 'frame-ancestors') continue;
      expect(fromMeta.get(name), name).toBe(value);
    }
  });
});

describe('navigation, redirects, new windows and webviews', () => {
  it('are denied unless they stay on app://wardkeep', () => {
    const c = fakeContents();
    hardenWebContents(c as never);
    expect(c.fire('will-navigate', 'https://example.com/')).toHaveBeenCalled();
    expect(c.fire('will-navigate', 'file:///etc/passwd')).toHaveBeenCalled();
    expect(c.fire('will-navigate', 'app://wardkeep/index.html')).not.toHaveBeenCalled();
    expect(c.fire('will-redirect', 'https://example.com/')).toHaveBeenCalled();
    expect(c.fire('will-attach-webview', {}, {})).toHaveBeenCalled();
    expect(c.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(c.open('app://wardkeep/index.html')).toEqual({ action: 'deny' });
  });

  it("cannot be held off by the page: a beforeunload veto is ignored, so closing and quitting always go on", () => {
    // Electron's 'will-prevent-unload': preventDefault() ignores the page's beforeunload handler. Without
    // it, a page returning false from onbeforeunload cancelled the window's close and app.quit(), after
    // the shutdown had closed the database: a window left open on a closed database.
    const c = fakeContents();
    hardenWebContents(c as never);
    expect(c.fire('will-prevent-unload')).toHaveBeenCalled();
  });

  it('are guarded on every web contents the app creates', () => {
    const app = { on: vi.fn() };
    installAppGuards(app as never);
    expect(app.on).toHaveBeenCalledWith('web-contents-created', expect.any(Function));
    const c = fakeContents();
    (app.on.mock.calls[0]![1] as Handler)({}, c);
    expect(c.handlers.has('will-navigate')).toBe(true);
  });

  it('trust only our scheme and host (and the local dev server when named)', () => {
    expect(isTrustedUrl('app://wardkeep/index.html')).toBe(true);
    expect(isTrustedUrl('app://evil/index.html')).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/')).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedUrl('http://example.com:5173/', 'http://example.com:5173')).toBe(false);
    expect(isTrustedUrl('not a url')).toBe(false);
  });
});

describe('the session', () => {
  function fakeSession() {
    const s = {
      permissionRequest: null as null | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
      permissionCheck: null as null | (() => boolean),
      beforeRequest: null as null | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
      headers: null as null | ((d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
    };
    return {
      s,
      setPermissionRequestHandler: (h: typeof s.permissionRequest) => (s.permissionRequest = h),
      setPermissionCheckHandler: (h: typeof s.permissionCheck) => (s.permissionCheck = h),
      webRequest: {
        onBeforeRequest: (h: typeof s.beforeRequest) => (s.beforeRequest = h),
        onHeadersReceived: (h: typeof s.headers) => (s.headers = h),
      },
    };
  }

  it('denies every permission request and check', () => {
    const f = fakeSession();
    hardenSession(f as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      const cb = vi.fn();
      f.s.permissionRequest!({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    expect(f.s.permissionCheck!()).toBe(false);
  });

  it('cancels every request that leaves the app (the app works unplugged)', () => {
    const f = fakeSession();
    hardenSession(f as never);
    const verdict = (url: string) => {
      let cancel: boolean | undefined;
      f.s.beforeRequest!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(verdict('https://fonts.googleapis.com/css')).toBe(true);
    expect(verdict('http://127.0.0.1:8080/')).toBe(true);
    expect(verdict('app://wardkeep/assets/index.js')).toBe(false);
    expect(isAllowedRequest('devtools://devtools/bundled/x')).toBe(true);
  });

  it('adds the CSP header to every response', () => {
    const f = fakeSession();
    hardenSession(f as never);
    let headers: Record<string, string[]> = {};
    f.s.headers!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['X-Other']).toEqual(['1']);
  });
});

describe('the app:// protocol', () => {
  const root = '/opt/wardkeep/out/renderer';
  it.each([
    ['app://wardkeep/', `${root}/index.html`],
    ['app://wardkeep/index.html', `${root}/index.html`],
    ['app://wardkeep/assets/index-abc.js', `${root}/assets/index-abc.js`],
    ['app://wardkeep/../../etc/passwd', `${root}/etc/passwd`], // the URL parser resolves the dots inside the root
    ['app://wardkeep/%2e%2e/%2e%2e/etc/passwd', `${root}/etc/passwd`], // encoded dots are dot segments too: still inside
    ['app://wardkeep/..%2f..%2fsecret', null],
    ['app://other/index.html', null],
    ['https://wardkeep/index.html', null],
    ['app://wardkeep/%00', null],
  ])('%s → %s', (url, expected) => {
    expect(resolveAppFile(url, root)).toBe(expected);
  });
});
