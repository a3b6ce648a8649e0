/**
 * The window's security settings and decisions as plain constants and functions, so Node tests can
 * check them without the Electron binary; `electron/main/index.ts` only wires them up.
 */
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Envelope } from '../../shared/contract';

/** No inline script, no remote origin: the page loads only the app's own files. */
const CSP_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
];

/** Sent as the `Content-Security-Policy` header with every page main serves. */
export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.join('; ');

/**
 * The same policy for the page's own `<meta>` tag (the build writes it, see electron.vite.config.ts).
 * A meta tag cannot carry `frame-ancestors`: browsers ignore it there with a console error.
 */
export const PAGE_CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors ')).join('; ');

export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  } as const;
}

/**
 * The built page is served from this custom scheme rather than file://, so the page is one origin
 * that can read nothing but the renderer's own files (see `appFileFor`).
 */
export const APP_SCHEME = 'app';
const APP_HOST = 'bulk-cancel';
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
/** Registered before the app is ready: a standard, secure scheme behaves like https for the page. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true } as const;

/** The file an app:// request may read: one under the renderer folder, or nothing. */
export function appFileFor(url: string, rendererDir: string): string | null {
  let parsed: URL;
  let path: string;
  try {
    parsed = new URL(url);
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || path.includes('\0')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${sep}${path === '/' ? 'index.html' : path}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The Content-Type a renderer file is served with (module scripts load only as JavaScript). */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Is this URL one of the app's own pages (the app:// page, or the dev server's origin)? */
export function isAppUrl(url: string, appUrl: string): boolean {
  let candidate: URL;
  let app: URL;
  try {
    candidate = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  // Compared by scheme and host: Node gives custom schemes an opaque origin ("null"), equal for all.
  return app.protocol !== 'file:' && candidate.protocol === app.protocol && candidate.host === app.host;
}

/** Only https links leave the app, and only to the system browser. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** What to do with a navigation or a new window: whether the page may go there, and what opens in the browser. */
export interface LinkDecision {
  allow: boolean;
  openInBrowser: string | null;
}

/** The page stays on the app; an https link it follows opens in the system browser instead. */
export function navigationDecision(url: string, appUrl: string): LinkDecision {
  if (isAppUrl(url, appUrl)) return { allow: true, openInBrowser: null };
  return { allow: false, openInBrowser: isSafeExternalUrl(url) ? url : null };
}

/** The app never opens a second window; an https link opens in the system browser instead. */
export function newWindowDecision(url: string): LinkDecision {
  return { allow: false, openInBrowser: isSafeExternalUrl(url) ? url : null };
}

/** Camera, microphone, notifications from the page, geolocation, …: the page needs none, so none is granted. */
export function allowsPermission(_permission: string): boolean {
  return false;
}

/** What an IPC event says about its sender, as Electron hands it over. */
export interface IpcSenderView {
  sender: unknown;
  senderFrame: { url: string } | null;
}
export interface AppWindowView {
  webContents: { mainFrame: unknown };
}

/** Only the app's own window, from its top frame, showing the app's own page, may call main. */
export function isTrustedSender(event: IpcSenderView, window: AppWindowView | null, appUrl: string): boolean {
  const frame = event.senderFrame;
  return (
    window !== null &&
    event.sender === window.webContents &&
    frame !== null &&
    frame === window.webContents.mainFrame &&
    isAppUrl(frame.url, appUrl)
  );
}

export const UNTRUSTED_SENDER_ANSWER: Envelope<never> = {
  ok: false,
  error: { code: 'invalid_request', message: 'Requests are accepted only from the Bulk Cancel window.' },
};
