// Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security), item by
// item, each checked on the real modules without the Electron binary; electron.spec.ts runs the
// same checks in the built app where the binary exists. Then the one way out to the web,
// openExternalConfirmed, against a table of hostile URLs: only http(s), only after a yes, and
// the dialog shows the URL as the OS browser would open it.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { webPreferences, windowOptions, guardWebContents, type GuardableContents } from '../../src-main/window.ts';
import { APP_ENTRY_URL, APP_SCHEME, CONTENT_SECURITY_POLICY, isPermissionAllowed, isSafeExternalUrl, openExternalConfirmed } from '../../src-main/security.ts';
import { isTrustedSender } from '../../src-main/ipc/handlers.ts';
import { INVOKE_CHANNELS, EVENT_CHANNELS } from '../../src-main/ipc/contract.ts';
import { buildTracedeckApi } from '../../src-main/preload-api.ts';
import config from '../../electron.config.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

function guarded(): { fire(event: string, url?: string): boolean; open(url: string): unknown } {
  const listeners = new Map<string, (e: { preventDefault(): void }, url: string) => void>();
  let openHandler: ((d: { url: string }) => unknown) | null = null;
  const contents = {
    on: (event: string, l: (e: { preventDefault(): void }, url: string) => void) => listeners.set(event, l),
    setWindowOpenHandler: (h: (d: { url: string }) => unknown) => (openHandler = h),
  } as unknown as GuardableContents;
  guardWebContents(contents);
  return {
    fire(event, url = '') {
      let prevented = false;
      listeners.get(event)!({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    },
    open: (url) => openHandler!({ url }),
  };
}

function srcFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? srcFiles(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

const csp = new Map(CONTENT_SECURITY_POLICY.split(';').map((p) => p.trim().split(/\s+/)).filter((p) => p[0]).map(([k, ...v]) => [k, v]));
const prefs = webPreferences('/app/preload.cjs');

/** Each item of the checklist that applies, with the check that proves it. */
const CHECKLIST: Array<[string, () => void]> = [
  ['1. Only load secure content: the app is served from its own privileged scheme; the CSP allows no http: and no remote host', () => {
    expect(APP_ENTRY_URL.startsWith(`${APP_SCHEME}://`)).toBe(true);
    for (const values of csp.values()) for (const v of values) expect(v).not.toMatch(/^(http:|https:|\*)/);
  }],
  ['2. Do not enable Node.js integration for remote content', () => {
    expect([prefs.nodeIntegration, prefs.nodeIntegrationInWorker, prefs.nodeIntegrationInSubFrames]).toEqual([false, false, false]);
  }],
  ['3. Enable context isolation', () => expect(prefs.contextIsolation).toBe(true)],
  ['4. Enable process sandboxing', () => expect(prefs.sandbox).toBe(true)],
  ['5. Handle session permission requests from remote content', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'midi', 'pointerLock', 'fullscreen']) expect(isPermissionAllowed(p)).toBe(false);
  }],
  ['6. Do not disable webSecurity', () => expect(prefs.webSecurity).toBe(true)],
  ['7. Define a Content Security Policy', () => {
    expect(csp.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
  }],
  ['8. Do not enable allowRunningInsecureContent', () => expect(prefs.allowRunningInsecureContent).toBe(false)],
  ['9. Do not enable experimental features', () => expect(prefs.experimentalFeatures).toBe(false)],
  ['10. Do not use enableBlinkFeatures', () => expect(prefs.enableBlinkFeatures).toBeUndefined()],
  ['11. <webview>: none allowed (webviewTag off, and any attach is refused)', () => {
    expect(prefs.webviewTag).toBe(false);
    expect(guarded().fire('will-attach-webview')).toBe(true);
  }],
  ['12. Disable or limit navigation', () => {
    const g = guarded();
    for (const u of ['https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', APP_ENTRY_URL]) expect(g.fire('will-navigate', u)).toBe(true);
  }],
  ['13. Disable or limit creation of new windows', () => {
    expect(guarded().open('https://example.com/')).toEqual({ action: 'deny' });
  }],
  ['14. Do not use shell.openExternal with untrusted content: see the URL table below', () => {
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
  }],
  ['15. Use a current version of Electron', () => {
    const major = Number(/\d+/.exec(pkg.devDependencies.electron)?.[0]);
    expect(major).toBeGreaterThanOrEqual(38); // the three newest majors are supported upstream
  }],
  ['16. Validate the sender of all IPC messages', () => {
    const sender = (url: string) => ({ sender: { id: 1 }, senderFrame: { url } });
    expect(isTrustedSender(sender(APP_ENTRY_URL) as never)).toBe(true);
    for (const u of ['https://evil.example/', 'file:///x.html', 'app://evil/index.html', 'data:text/html,x']) expect(isTrustedSender(sender(u) as never)).toBe(false);
  }],
  ['17. Avoid usage of the file:// protocol and prefer usage of custom protocols', () => {
    expect(APP_ENTRY_URL).toBe('app://tracedeck/index.html');
    const main = readFileSync(path.join(ROOT, 'src-main/main.ts'), 'utf8');
    expect(main).not.toMatch(/loadFile\(|file:\/\//);
  }],
  ['18. Check which fuses you can change', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  }],
  ['19. Do not expose Electron APIs to untrusted web content: the preload exposes one method per channel, never ipcRenderer', () => {
    const api = buildTracedeckApi({ invoke: async () => null, on: () => undefined, removeListener: () => undefined } as never);
    const methods = Object.keys(api);
    expect(methods.length).toBe(INVOKE_CHANNELS.length + EVENT_CHANNELS.length);
    for (const m of methods) expect(m).not.toMatch(/ipc|send|invoke|require|process/i);
  }],
  ['20. Do not process untrusted content in an unsandboxed process: the main process never imports a parser', () => {
    for (const f of srcFiles(path.join(ROOT, 'src-main')).filter((f) => /\.(ts|mjs)$/.test(f))) {
      expect(readFileSync(f, 'utf8'), f).not.toMatch(/from ['"][./]*src-renderer\/(core|store|engine)|from ['"]\.\.\/src-renderer/);
    }
  }],
];

describe("Electron's security checklist", () => {
  for (const [item, check] of CHECKLIST) it(item, check);
  it('windows all come from the one factory', () => {
    expect(windowOptions('/x').webPreferences).toEqual(webPreferences('/x'));
  });
});

/** [url as it appears in a file, what the confirm dialog shows (null: never asked, never opened)]. */
const URLS: Array<[string, string | null]> = [
  ['javascript:alert(1)', null],
  ['JaVaScRiPt:alert(1)', null],
  [' \t javascript:alert(1)', null],
  ['\u0001\u0002javascript:alert(1)', null],
  ['java\nscript:alert(1)', null],
  ['java\tscript:alert(1)', null],
  ['data:text/html,<script>alert(1)</script>', null],
  ['DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', null],
  ['file:///etc/passwd', null],
  ['FILE://localhost/c:/windows/win.ini', null],
  ['vbscript:msgbox(1)', null],
  ['VBScript:msgbox(1)', null],
  ['smb://server/share/x.exe', null],
  ['\\\\server\\share\\x.exe', null],
  ['ms-msdt:/id PCWDiagnostic', null],
  ['search-ms:query=x', null],
  ['vscode://file/etc/passwd', null],
  ['ftp://example.com/x', null],
  ['https://user:pass@example.com/', null],
  ['https://example.com@evil.example/', null],
  ['https://evil.example%2F@example.com/', null],
  ['//example.com/x', null],
  ['example.com', null],
  ['https://', null],
  ['https://' + 'a'.repeat(2100) + '.example/', null],
  ['https://example.com/' + 'x'.repeat(2100), null],
  ['', null],
  // Allowed, and shown as the browser will open them: the real host, IDN as punycode, controls gone.
  ['https://example.com/runbook?id=42', 'https://example.com/runbook?id=42'],
  ['HTTPS://EXAMPLE.COM/A', 'https://example.com/A'],
  ['  https://example.com/x', 'https://example.com/x'],
  ['https://evil.example\\@example.com/', 'https://evil.example/@example.com/'],
  ['https://exаmple.com/', 'https://xn--exmple-4nf.com/'], // Cyrillic а
  ['https://example.com/\u202egnp.exe', 'https://example.com/%E2%80%AEgnp.exe'],
  ['http://127.0.0.1:16686/trace/abc', 'http://127.0.0.1:16686/trace/abc'],
];

describe('shell.openExternal, only through openExternalConfirmed', () => {
  for (const [url, shown] of URLS) {
    it(`${shown === null ? 'refuses' : 'asks, then opens'} ${JSON.stringify(url.slice(0, 60))}`, async () => {
      for (const yes of [true, false]) {
        const asked: string[] = [];
        const opened: string[] = [];
        const r = await openExternalConfirmed(url, { confirm: async (u) => (asked.push(u), yes), open: async (u) => void opened.push(u) });
        if (shown === null) {
          expect(asked).toEqual([]);
          expect(opened).toEqual([]);
          expect(r).toEqual({ opened: false });
        } else {
          expect(asked).toEqual([shown]);
          expect(opened).toEqual(yes ? [shown] : []);
          expect(r).toEqual({ opened: yes });
        }
      }
    });
  }
});
