// Links found in trace and log data. The app opens only web links, and only after the user says yes.

/**
 * The link a text may become, or null: http(s) only (never javascript:, data:, file:, vbscript:,
 * or schemes that start other programs), no user name or password in it (a classic disguise of
 * the real host), a host, and a sane length; as the browser will open it (IDN as punycode). The
 * Electron main process checks the same again (src-main/security.ts isSafeExternalUrl).
 */
export function webUrl(text: string): string | null {
  if (text.length === 0 || text.length > 2048) return null;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.username !== '' || u.password !== '' || u.hostname === '') return null;
  return u.href;
}
