// The app opens files from strangers, so the window is treated like a browser tab showing hostile
// content: one CSP on every app response, web links only through openExternalConfirmed, and a
// sender check on every IPC call. Only `import type` from electron here: the unit tests run this
// file in plain Node, where loading the electron package would try to download its binary.
import type { Session } from 'electron';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './static-files.mjs';

export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS };

/** The privileged scheme the renderer build is served from (registered in main.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'tracedeck';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True for a URL served by the app itself (the only origin allowed to call IPC). */
export function isAppUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/**
 * Links the renderer may hand to the OS: http(s) only (never file:, javascript:, custom schemes
 * that launch other programs), no credentials in the URL (a classic way to disguise the real host),
 * and a sane length.
 */
export function isSafeExternalUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length === 0 || url.length > 2048) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (u.username !== '' || u.password !== '') return false;
  return u.hostname.length > 0;
}

/**
 * Response headers with the app's security headers set, replacing any same-named header whatever
 * its case (a duplicate CSP would be combined, not replaced, by the browser).
 */
export function withSecurityHeaders(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const wanted = new Set(Object.keys(SECURITY_HEADERS).map((k) => k.toLowerCase()));
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (!wanted.has(k.toLowerCase())) out[k] = v;
  }
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) out[k] = [v];
  return out;
}

/**
 * The one permission the app grants: writing text to the clipboard (copy a trace id, a query).
 * Reading the clipboard, the camera, notifications, geolocation, … are all refused: a trace viewer
 * needs none of them, and a page compromised by a hostile file must not get them either.
 */
export function isPermissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}

/**
 * Applies the CSP to every app:// (and file://, should anything be loaded that way) response of the
 * session, and refuses every permission but clipboard writes.
 */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (isAppUrl(details.url) || details.url.startsWith('file:')) {
      callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) });
    } else {
      callback({});
    }
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(isPermissionAllowed(permission)));
  session.setPermissionCheckHandler((_contents, permission) => isPermissionAllowed(permission));
}

/** What openExternalConfirmed needs from the OS, passed in so it is testable without Electron. */
export interface ExternalOpener {
  /** Asks the user; resolves true only on an explicit yes. */
  confirm(url: string): Promise<boolean>;
  open(url: string): Promise<void>;
}

/** The one way a link leaves the app: a safe URL, confirmed by the user, then the OS browser. */
export async function openExternalConfirmed(url: unknown, opener: ExternalOpener): Promise<{ opened: boolean }> {
  if (!isSafeExternalUrl(url)) return { opened: false };
  const normalized = new URL(url).href;
  if (!(await opener.confirm(normalized))) return { opened: false };
  await opener.open(normalized);
  return { opened: true };
}
