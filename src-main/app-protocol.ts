// Serves the renderer build on app://tracedeck/ (registered as a standard, secure scheme in
// main.ts). A real origin, unlike file://, lets the page run module workers and fetch its wasm
// under same-origin rules, and lets every response carry the CSP header. Written against the
// standard Request/Response types, so it runs in plain Node under the unit tests.
import { promises as fsp } from 'node:fs';
import { APP_HOST, APP_SCHEME, SECURITY_HEADERS } from './security.ts';
import { mimeTypeFor, resolveStaticPath } from './static-files.mjs';

function notFound(): Response {
  return new Response('Not found\n', { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Answers one app:// request from the files under root (dist/renderer, possibly inside the asar). */
export async function appProtocolResponse(root: string, request: { url: string; method: string }): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Method not allowed\n', { status: 405, headers: { ...SECURITY_HEADERS, Allow: 'GET, HEAD' } });
  }
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return notFound();
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
  // URL has already normalised "/a/../b"; resolveStaticPath still refuses encoded dot segments.
  const file = resolveStaticPath(root, url.pathname);
  if (file === null) return notFound();
  let body: Uint8Array;
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) return notFound();
    body = request.method === 'HEAD' ? new Uint8Array(0) : await fsp.readFile(file);
  } catch {
    return notFound();
  }
  return new Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), {
    status: 200,
    headers: { ...SECURITY_HEADERS, 'Content-Type': mimeTypeFor(file) },
  });
}
