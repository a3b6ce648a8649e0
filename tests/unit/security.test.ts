import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppErrorShape } from '../../shared/contract';
import {
  APP_PAGE_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  PAGE_CONTENT_SECURITY_POLICY,
  UNTRUSTED_SENDER_ANSWER,
  allowsPermission,
  appFileFor,
  contentTypeFor,
  isAppUrl,
  isSafeExternalUrl,
  isTrustedSender,
  navigationDecision,
  newWindowDecision,
  secureWebPreferences,
} from '../../electron/main/security';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
}

describe('window security settings (as electron/main uses them)', () => {
  it('isolates the page: context isolation, sandbox, no Node, no webview, web security on', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toEqual({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
  });

  it('allows no inline script and no remote origin', () => {
    const header = directives(CONTENT_SECURITY_POLICY);
    expect(header.get('default-src')).toEqual(["'none'"]);
    expect(header.get('script-src')).toEqual(["'self'"]);
    expect(header.get('connect-src')).toEqual(["'self'"]);
    expect(header.get('object-src')).toEqual(["'none'"]);
    expect(header.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it("gives the page's meta tag the header's policy, less only what a meta tag cannot carry", () => {
    const header = directives(CONTENT_SECURITY_POLICY);
    header.delete('frame-ancestors');
    expect(directives(PAGE_CONTENT_SECURITY_POLICY)).toEqual(header);
  });
});

describe('the app:// scheme serves the renderer folder and nothing else', () => {
  const root = resolve('/opt/bulk-cancel/out/renderer');

  it('is a standard, secure scheme whose page is index.html', () => {
    expect(APP_PAGE_URL).toBe(`${APP_SCHEME}://bulk-cancel/index.html`);
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true });
    expect(appFileFor(APP_PAGE_URL, root)).toBe(join(root, 'index.html'));
    expect(appFileFor('app://bulk-cancel/', root)).toBe(join(root, 'index.html'));
    expect(appFileFor('app://bulk-cancel/assets/index-abc.js?v=1#x', root)).toBe(join(root, 'assets', 'index-abc.js'));
    expect(appFileFor('app://bulk-cancel/assets/a%20b.css', root)).toBe(join(root, 'assets', 'a b.css'));
  });

  it('keeps dot-dot paths inside the folder (the URL itself resolves them)', () => {
    expect(appFileFor('app://bulk-cancel/../../etc/passwd', root)).toBe(join(root, 'etc', 'passwd'));
    expect(appFileFor('app://bulk-cancel/%2e%2e/%2e%2e/etc/passwd', root)).toBe(join(root, 'etc', 'passwd'));
  });

  it('serves scripts as JavaScript (module scripts load only so) and anything unknown as bytes', () => {
    expect(contentTypeFor(join(root, 'assets', 'index-abc.js'))).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor(join(root, 'index.html'))).toBe('text/html; charset=utf-8');
    expect(contentTypeFor(join(root, 'assets', 'index.CSS'))).toBe('text/css; charset=utf-8');
    expect(contentTypeFor(join(root, 'assets', 'data.bin'))).toBe('application/octet-stream');
  });

  it.each([
    ['an encoded slash and dot-dot', 'app://bulk-cancel/assets%2f..%2f..%2f..%2fetc%2fpasswd'],
    ['a broken escape', 'app://bulk-cancel/%E0%A4%A'],
    ['a NUL byte', 'app://bulk-cancel/index.html%00.png'],
    ['another host', 'app://elsewhere/index.html'],
    ['another scheme', 'file:///opt/bulk-cancel/out/renderer/index.html'],
    ['the https web', 'https://bulk-cancel/index.html'],
    ['not a URL', 'index.html'],
  ])('refuses %s', (_label, url) => {
    expect(appFileFor(url, root)).toBeNull();
  });
});

describe('navigation, new windows and permissions', () => {
  it('treats only the app page itself as the app', () => {
    expect(isAppUrl('app://bulk-cancel/index.html#/results', APP_PAGE_URL)).toBe(true);
    expect(isAppUrl('app://elsewhere/index.html', APP_PAGE_URL)).toBe(false);
    expect(isAppUrl('evil://bulk-cancel/index.html', APP_PAGE_URL)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/x', 'http://127.0.0.1:5173/')).toBe(true);
    expect(isAppUrl('http://127.0.0.1:5174/', 'http://127.0.0.1:5173/')).toBe(false);
    expect(isAppUrl('https://evil.example/', APP_PAGE_URL)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', 'file:///opt/app/index.html')).toBe(false);
    expect(isAppUrl('not a url', APP_PAGE_URL)).toBe(false);
  });

  it('opens only https links, and only outside the app', () => {
    expect(isSafeExternalUrl('https://docs.sorted.com/')).toBe(true);
    expect(isSafeExternalUrl('http://example.com/')).toBe(false);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
  });

  it('keeps the page on the app: other pages are refused, https ones open in the system browser', () => {
    expect(navigationDecision('app://bulk-cancel/index.html', APP_PAGE_URL)).toEqual({ allow: true, openInBrowser: null });
    expect(navigationDecision('https://www.sendcloud.com/', APP_PAGE_URL)).toEqual({
      allow: false,
      openInBrowser: 'https://www.sendcloud.com/',
    });
    expect(navigationDecision('http://127.0.0.1:8080/', APP_PAGE_URL)).toEqual({ allow: false, openInBrowser: null });
    expect(navigationDecision('file:///etc/passwd', APP_PAGE_URL)).toEqual({ allow: false, openInBrowser: null });
  });

  it('never opens a second window, not even for the app page', () => {
    expect(newWindowDecision(APP_PAGE_URL)).toEqual({ allow: false, openInBrowser: null });
    expect(newWindowDecision('https://docs.sorted.com/')).toEqual({ allow: false, openInBrowser: 'https://docs.sorted.com/' });
    expect(newWindowDecision('javascript:alert(1)')).toEqual({ allow: false, openInBrowser: null });
  });

  it.each([
    'notifications',
    'geolocation',
    'media',
    'clipboard-read',
    'clipboard-sanitized-write',
    'fullscreen',
    'openExternal',
    'hid',
  ])('denies the %s permission', (permission) => {
    expect(allowsPermission(permission)).toBe(false);
  });
});

describe('IPC sender check', () => {
  function appWindow() {
    const mainFrame = { url: APP_PAGE_URL };
    return { webContents: { mainFrame }, mainFrame };
  }

  it("accepts the app window's top frame on the app page", () => {
    const window = appWindow();
    expect(isTrustedSender({ sender: window.webContents, senderFrame: window.mainFrame }, window, APP_PAGE_URL)).toBe(true);
  });

  it('refuses any other sender', () => {
    const window = appWindow();
    const other = appWindow();
    const subframe = { url: APP_PAGE_URL };
    expect(isTrustedSender({ sender: other.webContents, senderFrame: other.mainFrame }, window, APP_PAGE_URL)).toBe(false);
    expect(isTrustedSender({ sender: window.webContents, senderFrame: subframe }, window, APP_PAGE_URL)).toBe(false);
    expect(isTrustedSender({ sender: window.webContents, senderFrame: null }, window, APP_PAGE_URL)).toBe(false);
    expect(isTrustedSender({ sender: window.webContents, senderFrame: window.mainFrame }, null, APP_PAGE_URL)).toBe(false);
    window.mainFrame.url = 'https://evil.example/';
    expect(isTrustedSender({ sender: window.webContents, senderFrame: window.mainFrame }, window, APP_PAGE_URL)).toBe(false);
  });

  it('answers a refused sender with a well-formed invalid_request error', () => {
    expect(UNTRUSTED_SENDER_ANSWER.ok).toBe(false);
    if (!UNTRUSTED_SENDER_ANSWER.ok) {
      expect(AppErrorShape.parse(UNTRUSTED_SENDER_ANSWER.error).code).toBe('invalid_request');
    }
  });
});
