// What the desktop app's app:// protocol and the browser fallback server share: the one CSP, the
// MIME table and the path check that keeps every request inside the renderer's build folder.
// Plain ESM JavaScript (typed by JSDoc) so `node src-main/launch.mjs` runs it without a build step;
// security.ts re-exports the CSP and main.ts bundles this file through esbuild.
import path from 'node:path';

/**
 * The app's Content-Security-Policy, sent as a header by both hosts (a <meta> CSP cannot carry
 * frame-ancestors, and a header covers workers too).
 * - script-src: no 'unsafe-inline', no 'unsafe-eval'; 'wasm-unsafe-eval' only lets sql.js compile
 *   its WebAssembly module.
 * - style-src 'self' with no 'unsafe-inline': Vite extracts component CSS to files, and Svelte's
 *   style: directives write through the CSSOM (element.style), which CSP does not restrict. A
 *   static style="" attribute in a template would be blocked: use a class or a style: directive.
 * - worker-src/connect-src blob: and data: let the engine worker start and fetch its bundled wasm.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Headers every response of the app carries, on the desktop and in the browser alike.
 * COOP/COEP make the page cross-origin isolated, which SharedArrayBuffer (a parse/insert pipeline
 * across two workers) needs; the app loads nothing cross-origin, so they cost nothing.
 * @type {Readonly<Record<string, string>>}
 */
export const SECURITY_HEADERS = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
});

/** @type {Readonly<Record<string, string>>} */
const MIME_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.gz': 'application/gzip',
  '.zip': 'application/zip',
});

/**
 * The Content-Type for a file name; unknown kinds are sent as opaque bytes (with nosniff the
 * browser will not guess them into something executable).
 * @param {string} fileName
 * @returns {string}
 */
export function mimeTypeFor(fileName) {
  return MIME_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path ("/assets/x.js", percent-encoded, maybe with a query) to a file path inside root,
 * or null when it would leave root, is malformed, or names a hidden file. "/" means index.html.
 * The check is lexical; the server also compares real paths so a symlink cannot lead out.
 * @param {string} root absolute folder being served
 * @param {string} urlPath the request's path, as sent
 * @returns {string | null}
 */
export function resolveStaticPath(root, urlPath) {
  const noQuery = urlPath.split(/[?#]/, 1)[0] ?? '';
  let decoded;
  try {
    decoded = decodeURIComponent(noQuery);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  for (const s of segments) {
    // '..' would climb out; dot-files (.git, .env) are never part of a build.
    if (s.startsWith('.')) return null;
  }
  const rel = segments.length === 0 ? 'index.html' : segments.join(path.sep);
  const absRoot = path.resolve(root);
  const full = path.resolve(absRoot, rel);
  if (full !== absRoot && !full.startsWith(absRoot + path.sep)) return null;
  return full;
}
