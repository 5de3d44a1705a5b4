// The browser fallback: a small static server for dist/renderer on the loopback interface, used by
// `npm run web`, by `npm start` where the Electron binary is missing, and by Playwright. It sends
// the same CSP as the desktop app so the e2e tests walk the app under the policy users get.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { SECURITY_HEADERS, mimeTypeFor, resolveStaticPath } from './static-files.mjs';

/**
 * @typedef {object} WebServerOptions
 * @property {string} root folder to serve (dist/renderer)
 * @property {number} [port] preferred port; 0 means any free one
 * @property {string} [host] interface to bind; loopback unless told otherwise
 * @property {boolean} [fallbackToFreePort] when the port is taken, try the next ones, then any free one
 *
 * @typedef {object} WebServer
 * @property {string} url
 * @property {number} port
 * @property {() => Promise<void>} close
 */

/**
 * Starts serving root. Resolves once listening.
 * @param {WebServerOptions} options
 * @returns {Promise<WebServer>}
 */
export async function startWebServer({ root, port = 0, host = '127.0.0.1', fallbackToFreePort = true }) {
  const realRoot = await fs.promises.realpath(path.resolve(root));
  const server = http.createServer((req, res) => {
    handleRequest(realRoot, req, res).catch(() => {
      if (!res.headersSent) sendStatus(res, 500, 'Internal error');
      else res.destroy();
    });
  });
  // Keep-alive sockets would hold close() open until they time out.
  server.keepAliveTimeout = 1000;

  const candidates = fallbackToFreePort && port !== 0 ? [port, ...range(port + 1, 10), 0] : [port];
  let bound = -1;
  for (const p of candidates) {
    try {
      bound = await listen(server, p, host);
      break;
    } catch (err) {
      if (!isAddressInUse(err) || p === candidates[candidates.length - 1]) throw err;
    }
  }
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}`,
    port: bound,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * @param {http.Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<number>}
 */
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    /** @param {Error} err */
    const onError = (err) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr !== null ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** @param {unknown} err */
function isAddressInUse(err) {
  return typeof err === 'object' && err !== null && /** @type {{code?: string}} */ (err).code === 'EADDRINUSE';
}

/** @param {number} start @param {number} count */
function range(start, count) {
  return Array.from({ length: count }, (_, i) => start + i).filter((p) => p < 65536);
}

/**
 * Only loopback names are answered: a web page elsewhere cannot rebind its DNS name to 127.0.0.1
 * and read the app through the user's browser.
 * @param {string | undefined} hostHeader
 */
export function isLoopbackHostHeader(hostHeader) {
  if (!hostHeader) return false;
  const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0];
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

/**
 * @param {string} realRoot
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
async function handleRequest(realRoot, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendStatus(res, 405, 'Method not allowed');
  }
  if (!isLoopbackHostHeader(req.headers.host)) return sendStatus(res, 403, 'Forbidden host');
  const rawPath = req.url ?? '/';
  if (!rawPath.startsWith('/')) return sendStatus(res, 400, 'Bad request');
  const file = resolveStaticPath(realRoot, rawPath);
  if (file === null) return sendStatus(res, 404, 'Not found');
  let real;
  try {
    real = await fs.promises.realpath(file);
  } catch {
    return sendStatus(res, 404, 'Not found');
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return sendStatus(res, 404, 'Not found');
  const stat = await fs.promises.stat(real);
  if (!stat.isFile()) return sendStatus(res, 404, 'Not found');

  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': mimeTypeFor(real),
    'Content-Length': String(stat.size),
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  await new Promise((resolve, reject) => {
    const stream = fs.createReadStream(real);
    stream.on('error', reject);
    res.on('close', () => resolve(undefined));
    stream.pipe(res);
  });
}

/** @param {http.ServerResponse} res @param {number} status @param {string} text */
function sendStatus(res, status, text) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text + '\n');
}
