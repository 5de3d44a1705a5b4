// Window options, navigation guards, the CSP, external links and the menu, all without the
// Electron binary: the modules take Electron's objects as arguments and only import its types.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardWebContents, webPreferences, windowOptions } from '../../src-main/window.ts';
import type { GuardableContents } from '../../src-main/window.ts';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  isPermissionAllowed,
  hardenSession,
  isSafeExternalUrl,
  openExternalConfirmed,
  withSecurityHeaders,
} from '../../src-main/security.ts';
import { FILE_ITEMS, FIND_ITEM, VIEW_ITEMS, menuTemplate } from '../../src-main/menu.ts';
import type { MenuCommand } from '../../src-main/ipc/contract.ts';
import type { MenuItemConstructorOptions, Session } from 'electron';

function directives(csp: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) m.set(name, values);
  }
  return m;
}

describe('window options', () => {
  it('turns on every isolation flag and off every risky one', () => {
    const opts = windowOptions('/app/dist/main/preload.cjs');
    const wp = opts.webPreferences!;
    expect(wp.preload).toBe('/app/dist/main/preload.cjs');
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.experimentalFeatures).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.navigateOnDragDrop).toBe(false);
    expect(wp.enableBlinkFeatures).toBeUndefined();
    expect(opts.show).toBe(false);
  });

  it('builds the same preferences every time (one factory, no drift)', () => {
    expect(webPreferences('x')).toEqual(windowOptions('x').webPreferences);
  });
});

/** A stand-in WebContents: a real event emitter plus the window-open hook. */
class FakeContents extends EventEmitter implements GuardableContents {
  openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: 'deny' }): void {
    this.openHandler = h;
  }
  /** Emits like Chromium does and reports whether the default was prevented. */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

describe('navigation guards', () => {
  it('denies navigation, foreign redirects, webviews and new windows', () => {
    const c = new FakeContents();
    const denied: string[] = [];
    guardWebContents(c, (what, url) => denied.push(`${what} ${url}`));
    expect(c.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    // Even a navigation to the app's own page is refused: the app never navigates itself.
    expect(c.fire('will-navigate', APP_ENTRY_URL)).toBe(true);
    expect(c.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(c.fire('will-redirect', 'app://tracedeck/index.html')).toBe(false);
    expect(c.fire('will-attach-webview')).toBe(true);
    expect(c.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(denied).toEqual([
      'navigation https://evil.example/',
      'navigation file:///etc/passwd',
      `navigation ${APP_ENTRY_URL}`,
      'redirect https://evil.example/',
      'webview ',
      'new window https://example.com/',
    ]);
  });
});

describe('content security policy', () => {
  const d = directives(CONTENT_SECURITY_POLICY);

  it('never allows inline or eval script', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-inline'");
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
  });

  it('locks down plugins, base, framing and forms', () => {
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(d.get('connect-src')).not.toContain('*');
    expect(d.get('connect-src')).not.toContain('http:');
  });

  it('replaces any CSP a response already has, whatever its case', () => {
    const h = withSecurityHeaders({ 'content-security-policy': ["default-src *"], 'Content-Length': ['12'] });
    expect(h['content-security-policy']).toBeUndefined();
    expect(h['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(h['Content-Length']).toEqual(['12']);
    expect(h['X-Content-Type-Options']).toEqual(['nosniff']);
  });
});

describe('permissions', () => {
  it('grants clipboard writes and nothing else', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const p of ['clipboard-read', 'media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb', 'fileSystem', '']) {
      expect(isPermissionAllowed(p), p).toBe(false);
    }
  });
});

describe('session hardening', () => {
  type HeadersListener = (d: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: object) => void) => void;
  type RequestHandler = (wc: unknown, permission: string, cb: (granted: boolean) => void) => void;
  type CheckHandler = (wc: unknown, permission: string) => boolean;

  it('puts the CSP on app responses only and routes permissions through the allow-list', () => {
    const got: { headers?: HeadersListener; request?: RequestHandler; check?: CheckHandler } = {};
    const session = {
      webRequest: { onHeadersReceived: (l: HeadersListener) => (got.headers = l) },
      setPermissionRequestHandler: (h: RequestHandler) => (got.request = h),
      setPermissionCheckHandler: (h: CheckHandler) => (got.check = h),
    };
    hardenSession(session as unknown as Session);

    const answers: object[] = [];
    got.headers!({ url: 'app://tracedeck/index.html', responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => answers.push(r));
    got.headers!({ url: 'https://example.com/', responseHeaders: {} }, (r) => answers.push(r));
    expect(answers[0]).toEqual({ responseHeaders: withSecurityHeaders({ 'Content-Type': ['text/html'] }) });
    expect((answers[0] as { responseHeaders: Record<string, string[]> }).responseHeaders['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(answers[1]).toEqual({});

    const granted: boolean[] = [];
    got.request!(null, 'media', (g) => granted.push(g));
    got.request!(null, 'clipboard-sanitized-write', (g) => granted.push(g));
    expect(granted).toEqual([false, true]);
    expect(got.check!(null, 'notifications')).toBe(false);
  });
});

describe('external links', () => {
  it('allows http and https only', () => {
    expect(isSafeExternalUrl('https://opentelemetry.io/docs/')).toBe(true);
    expect(isSafeExternalUrl('http://localhost:16686/trace/abc')).toBe(true);
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'ftp://example.com/',
      'smb://server/share',
      'data:text/html,<script>alert(1)</script>',
      'vscode://file/etc/passwd',
      'https://user:pass@example.com/',
      'https://example.com@evil.example/',
      '//example.com/',
      'example.com',
      '',
      'https://' + 'a'.repeat(3000) + '.com',
      42,
      null,
      { href: 'https://example.com' },
    ]) {
      expect(isSafeExternalUrl(bad), String(bad).slice(0, 40)).toBe(false);
    }
  });

  it('asks first and opens only on yes', async () => {
    const asked: string[] = [];
    const opened: string[] = [];
    const opener = (answer: boolean) => ({
      confirm: async (u: string) => (asked.push(u), answer),
      open: async (u: string) => void opened.push(u),
    });
    expect(await openExternalConfirmed('https://example.com/a b', opener(false))).toEqual({ opened: false });
    expect(await openExternalConfirmed('https://example.com/x', opener(true))).toEqual({ opened: true });
    expect(await openExternalConfirmed('file:///etc/passwd', opener(true))).toEqual({ opened: false });
    expect(asked).toEqual(['https://example.com/a%20b', 'https://example.com/x']);
    expect(opened).toEqual(['https://example.com/x']);
  });

  it('recognises the app origin and nothing else', () => {
    expect(isAppUrl('app://tracedeck/index.html')).toBe(true);
    expect(isAppUrl('app://tracedeck/assets/worker.js')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('file:///work/dist/renderer/index.html')).toBe(false);
    expect(isAppUrl('https://tracedeck/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('menu', () => {
  /** Walks the template, clicking every command item; returns the labels seen. */
  function clickAll(template: MenuItemConstructorOptions[]): { labels: string[] } {
    const labels: string[] = [];
    const stack = [...template];
    while (stack.length > 0) {
      const item = stack.pop()!;
      if (Array.isArray(item.submenu)) stack.push(...item.submenu);
      if (item.label) labels.push(item.label);
      if (item.click) (item.click as (...a: unknown[]) => void)(undefined, undefined, undefined);
    }
    return { labels };
  }

  it('sends every menu command from the File and View menus', () => {
    const sent: MenuCommand[] = [];
    const template = menuTemplate((c) => sent.push(c), { platform: 'linux', isPackaged: true });
    const { labels } = clickAll(template);
    expect(new Set(sent)).toEqual(
      new Set<MenuCommand>(['open-files', 'open-demo', 'save-workspace', 'save-workspace-as', 'find', 'show-traces', 'show-logs', 'show-slos']),
    );
    expect(sent).toHaveLength(8);
    expect(labels).toEqual(expect.arrayContaining(['&File', '&View', 'Open…', 'Open Demo Incident', 'Save Workspace', 'Save Workspace As…', 'Quit', 'Traces', 'Logs', 'SLOs', 'Find…']));
    expect(FILE_ITEMS.length + VIEW_ITEMS.length + 1).toBe(8);
    expect(FIND_ITEM.accelerator).toBe('CmdOrCtrl+F');
  });

  it('keeps developer tools out of a packaged build', () => {
    const roles = (t: MenuItemConstructorOptions[]) =>
      t.flatMap((i) => [i.role, ...(Array.isArray(i.submenu) ? i.submenu.map((s) => s.role) : [])]).filter(Boolean);
    expect(roles(menuTemplate(() => {}, { platform: 'linux', isPackaged: true }))).not.toContain('toggleDevTools');
    expect(roles(menuTemplate(() => {}, { platform: 'linux', isPackaged: false }))).toContain('toggleDevTools');
    expect(roles(menuTemplate(() => {}, { platform: 'darwin', isPackaged: true }))[0]).toBe('appMenu');
  });
});
