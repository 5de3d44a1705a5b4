// The launcher (`npm start` / `npm run web`): its arguments, how it finds the Electron binary
// without loading the electron package, its staleness check, and the browser fallback server,
// which is started for real on a loopback port.
import http from 'node:http';
import net from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PORT, findElectronBinary, isStale, parseLaunchArgs } from '../../src-main/launch.mjs';
import { isLoopbackHostHeader, startWebServer } from '../../src-main/web-server.mjs';
import { CONTENT_SECURITY_POLICY, mimeTypeFor, resolveStaticPath } from '../../src-main/static-files.mjs';

const WASM = path.resolve(__dirname, '../../node_modules/sql.js/dist/sql-wasm.wasm');

describe('launch arguments', () => {
  it('reads --web, --no-build, --port and files', () => {
    expect(parseLaunchArgs([], {})).toEqual({ web: false, build: true, port: DEFAULT_PORT, files: [] });
    expect(parseLaunchArgs(['--web', '--no-build', '--port', '4173'], {})).toEqual({ web: true, build: false, port: 4173, files: [] });
    expect(parseLaunchArgs(['--port=0', 'a.json', 'b.log'], {}).files).toEqual(['a.json', 'b.log']);
    expect(parseLaunchArgs([], { PORT: '8080' }).port).toBe(8080);
    expect(parseLaunchArgs(['--port', '9000'], { PORT: '8080' }).port).toBe(9000);
  });

  it('refuses bad ports and unknown options', () => {
    expect(() => parseLaunchArgs(['--port'], {})).toThrow(/--port/);
    expect(() => parseLaunchArgs(['--port', '70000'], {})).toThrow(/--port/);
    expect(() => parseLaunchArgs(['--port', '12ab'], {})).toThrow(/--port/);
    expect(() => parseLaunchArgs(['--frobnicate'], {})).toThrow(/unknown option --frobnicate/);
  });
});

describe('Electron binary detection', () => {
  it('finds nothing without path.txt, nothing when the binary it names is absent, the binary when present', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracedeck-electron-'));
    expect(findElectronBinary(dir)).toBeNull();
    writeFileSync(path.join(dir, 'path.txt'), 'electron');
    expect(findElectronBinary(dir)).toBeNull();
    mkdirSync(path.join(dir, 'dist'));
    writeFileSync(path.join(dir, 'dist', 'electron'), '#!/bin/sh\n');
    expect(findElectronBinary(dir)).toBe(path.join(dir, 'dist', 'electron'));
    const override = mkdtempSync(path.join(tmpdir(), 'tracedeck-electron-override-'));
    expect(findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: override })).toBeNull();
  });

  it('matches this machine: the electron package is installed without its binary', () => {
    const pkg = path.resolve(__dirname, '../../node_modules/electron');
    expect(readFileSync(path.join(pkg, 'package.json'), 'utf8')).toContain('"name": "electron"');
    // Where a binary was downloaded, the same call must find it; here none can be.
    const found = findElectronBinary(pkg);
    if (found !== null) expect(found.startsWith(path.join(pkg, 'dist'))).toBe(true);
  });
});

describe('staleness', () => {
  it('rebuilds when an output is missing or older than a source', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracedeck-stale-'));
    const src = path.join(dir, 'src');
    mkdirSync(path.join(src, 'deep'), { recursive: true });
    writeFileSync(path.join(src, 'deep', 'a.ts'), 'x');
    const out = path.join(dir, 'out.html');
    expect(isStale([out], [src])).toBe(true);
    writeFileSync(out, 'y');
    const t = Date.now() / 1000;
    utimesSync(path.join(src, 'deep', 'a.ts'), t - 100, t - 100);
    utimesSync(out, t - 50, t - 50);
    expect(isStale([out], [src])).toBe(false);
    utimesSync(path.join(src, 'deep', 'a.ts'), t - 10, t - 10);
    expect(isStale([out], [src])).toBe(true);
  });
});

describe('static paths', () => {
  const root = path.resolve('/srv/app');
  it('maps URL paths inside the root only', () => {
    expect(resolveStaticPath(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/index-abc.js?v=1')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveStaticPath(root, '/a%20b.txt')).toBe(path.join(root, 'a b.txt'));
    for (const bad of ['/../etc/passwd', '/%2e%2e/etc/passwd', '/assets/..%2f..%2fetc', '/.git/config', '/a%00.js', '/%E0%A4%A', '/..\\x', '/a\\..\\..\\x']) {
      expect(resolveStaticPath(root, bad), bad).toBeNull();
    }
  });

  it('names the MIME types the app needs', () => {
    expect(mimeTypeFor('sql-wasm.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('worker-x.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('style.css')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('demo.zip')).toBe('application/zip');
    expect(mimeTypeFor('mystery')).toBe('application/octet-stream');
  });
});

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw GET: the path is sent exactly as written (fetch would normalise "../" away). */
function get(port: number, rawPath: string, host = `127.0.0.1:${port}`, method = 'GET'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method, headers: { host }, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser fallback server', () => {
  let dir: string;
  let root: string;
  let server: Awaited<ReturnType<typeof startWebServer>>;
  const INDEX = '<!doctype html><title>Tracedeck</title>';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tracedeck-web-'));
    root = path.join(dir, 'renderer');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), INDEX);
    writeFileSync(path.join(root, 'assets', 'sql-wasm.wasm'), readFileSync(WASM));
    writeFileSync(path.join(dir, 'secret.txt'), 'do not serve');
    symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'link.txt'));
    server = await startWebServer({ root, port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('listens on the loopback interface only', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves index.html with the CSP and the wasm as application/wasm', async () => {
    const index = await get(server.port, '/');
    expect(index.status).toBe(200);
    expect(index.body.toString()).toBe(INDEX);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['x-content-type-options']).toBe('nosniff');

    const wasm = await get(server.port, '/assets/sql-wasm.wasm');
    expect(wasm.status).toBe(200);
    expect(wasm.headers['content-type']).toBe('application/wasm');
    expect(wasm.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(wasm.body.equals(readFileSync(WASM))).toBe(true);
    // WebAssembly's magic number: the bytes arrived intact.
    expect([...wasm.body.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);

    const head = await get(server.port, '/index.html', undefined, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(INDEX.length));
    expect(head.body.length).toBe(0);
  });

  it('refuses ../ traversal, symlinks out of the root, other methods and foreign Host names', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/link.txt', '/missing.js', '/assets']) {
      const r = await get(server.port, p);
      expect(r.status, p).toBe(404);
      expect(r.body.toString()).not.toContain('do not serve');
    }
    expect((await get(server.port, '/', `127.0.0.1:${server.port}`, 'POST')).status).toBe(405);
    expect((await get(server.port, '/', 'evil.example')).status).toBe(403);
    expect((await get(server.port, '/', `localhost:${server.port}`)).status).toBe(200);
    expect(isLoopbackHostHeader('[::1]:80')).toBe(true);
    expect(isLoopbackHostHeader('127.0.0.1.evil.example')).toBe(false);
    expect(isLoopbackHostHeader(undefined)).toBe(false);
  });

  it('moves to a free port when the asked one is taken, unless told not to', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startWebServer({ root, port: taken, fallbackToFreePort: false })).rejects.toThrow(/EADDRINUSE/);
      const other = await startWebServer({ root, port: taken });
      try {
        expect(other.port).not.toBe(taken);
        expect((await get(other.port, '/')).status).toBe(200);
      } finally {
        await other.close();
      }
    } finally {
      blocker.close();
    }
  });
});
