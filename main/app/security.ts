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

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
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
 * Chromium's switches that open the window to another program (Chrome DevTools Protocol): with one,
 * a browser or a script on the PC (any account's) could drive the signed-in window and sign
 * records as whoever is signed in. Electron's fuses cover Node's --inspect, not these.
 */
export const REFUSED_SWITCHES = ['remote-debugging-port', 'remote-debugging-pipe'] as const;

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
export function refusedSwitch(commandLine: Pick<CommandLine, 'hasSwitch'>): string | null {
  return REFUSED_SWITCHES.find((name) => commandLine.hasSwitch(name)) ?? null;
}

/** What the person who started Wardkeep is told, in one sentence. */
export function refusedSwitchMessage(name: string): string {
  return `Wardkeep was started with --${name}, which would let another program take over its window and sign records as whoever is signed in, so it did not start: start it from its own shortcut, without that switch, and tell your IT support if the shortcut has it.`;
}
