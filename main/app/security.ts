import type { App, CommandLine, Session, WebContents, WebPreferences } from 'electron';

/**
 * Every security setting of the window in one place (Electron's security checklist), with its
 * own tests. The renderer is served from app://wardkeep, a privileged standard scheme, so
 * 'self' in the CSP means our bundled files and nothing else.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'wardkeep';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "child-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * `devTools`: only the development runtime's main window takes the developer tools (its View
 * menu offers them). The installed app's windows never do, whatever opens them (a switch such as
 * --auto-open-devtools-for-tabs, a shortcut key): their console would act as whoever is signed in.
 */
export function secureWebPreferences(preload: string, options: { devTools?: boolean } = {}): WebPreferences {
  return {
    preload,
    devTools: options.devTools ?? false,
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
    safeDialogs: true,
    spellcheck: false,
  };
}

/** True for our own pages (app://wardkeep/…), and for the Vite dev server when one is named. */
export function isTrustedUrl(url: string, devServerUrl?: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST) return true;
    if (devServerUrl) {
      const dev = new URL(devServerUrl);
      return u.origin === dev.origin && (dev.hostname === 'localhost' || dev.hostname === '127.0.0.1');
    }
    return false;
  } catch {
    return false;
  }
}

/** Requests the renderer may make: its own files, and devtools in development. Nothing from the network. */
export function isAllowedRequest(url: string, devServerUrl?: string): boolean {
  if (isTrustedUrl(url, devServerUrl)) return true;
  if (url.startsWith('devtools://') || url.startsWith('data:') || url.startsWith('blob:')) return true;
  if (devServerUrl && url.startsWith(devServerUrl.replace(/^http/, 'ws'))) return true;
  return false;
}

/** Denies every permission, blocks every request that is not ours, and sets the CSP header. */
export function hardenSession(ses: Session, devServerUrl?: string): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, devServerUrl) });
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}

/** No navigation away, no redirects, no new windows, no <webview>, no page holding off its unload. */
export function hardenWebContents(contents: WebContents, devServerUrl?: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // A page's beforeunload veto is ignored: Wardkeep's pages never ask, and a vetoed unload would
  // cancel the window's close and the quit after the shutdown closed the database.
  contents.on('will-prevent-unload', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Applies hardenWebContents to every web contents the app ever creates. */
export function installAppGuards(app: App, devServerUrl?: string): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, devServerUrl));
}

/**
 * Chromium's switches that open the signed-in window to another program or to the developer tools,
 * and what each would do, for the sentence the person who started Wardkeep is told. With the first
 * two (Chrome DevTools Protocol) a browser or a script on the PC, any account's, could drive the
 * window and sign records as whoever is signed in; the third opens the developer tools on every
 * window, whose console acts as whoever is signed in. Electron's fuses cover Node's own --inspect,
 * --inspect-brk and --inspect-port (electron-builder.yml, enableNodeCliInspectArguments), not these.
 * Switches that open nothing to anyone are left alone (docs/security.md): --remote-allow-origins
 * (only with remote debugging), --js-flags, --enable-logging and --v, --proxy-server (the app's
 * pages are its own files, and sync talks to its hub through Node, pinned to the hub's certificate).
 */
export const REFUSED_SWITCHES = {
  'remote-debugging-port': 'let another program take over its window and sign records as whoever is signed in',
  'remote-debugging-pipe': 'let another program take over its window and sign records as whoever is signed in',
  'auto-open-devtools-for-tabs': 'open the developer tools on its window, with which anyone at this PC could act as whoever is signed in',
} as const;

export type RefusedSwitch = keyof typeof REFUSED_SWITCHES;

/**
 * A run of the development runtime on a source folder (`electron .`, electron-vite, Playwright's
 * test of the real app): not the installed Wardkeep, even renamed electron.exe (which makes
 * `app.isPackaged` false but never runs Electron's default app). Only such a run takes a dev
 * server's renderer, offers the developer tools and lets a debugger attach.
 */
export function isDevelopmentRun(app: Pick<App, 'isPackaged'>, defaultApp: boolean | undefined = process.defaultApp): boolean {
  return !app.isPackaged && defaultApp === true;
}

/** The first refused switch Chromium found on the command line (as Chromium parses it), or null. */
export function refusedSwitch(commandLine: Pick<CommandLine, 'hasSwitch'>): RefusedSwitch | null {
  return (Object.keys(REFUSED_SWITCHES) as RefusedSwitch[]).find((name) => commandLine.hasSwitch(name)) ?? null;
}

/** What the person who started Wardkeep is told, in one sentence. */
export function refusedSwitchMessage(name: RefusedSwitch): string {
  return `Wardkeep was started with --${name}, which would ${REFUSED_SWITCHES[name]}, so it did not start: start it from its own shortcut, without that switch, and tell your IT support if the shortcut has it.`;
}
