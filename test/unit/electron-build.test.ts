// The Electron bundles, the app:// protocol, the OS file hand-over and the packaging config,
// all checked in plain Node: the bundles are built for real with esbuild into a temp folder.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMain, requiredModules } from '../../src-main/build.mjs';
import { appProtocolResponse } from '../../src-main/app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../src-main/security.ts';
import { filePathsFromArgv, PendingOpens } from '../../src-main/files.ts';
import { RENDERER_JS_FLAGS } from '../../src-main/v8-flags.ts';
import config from '../../electron.config.ts';

describe('main and preload bundles', () => {
  it('bundle into one preload that requires only electron, and a main that requires only electron and Node', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'tracedeck-build-'));
    const { main, preload } = await buildMain({ outDir: out });
    expect(path.dirname(main)).toBe(out);
    const preloadSrc = readFileSync(preload, 'utf8');
    expect(requiredModules(preloadSrc)).toEqual(['electron']);
    // One thing is exposed, and it is the api object built around ipcRenderer, not ipcRenderer.
    expect(preloadSrc.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preloadSrc).toContain('exposeInMainWorld("tracedeck", buildTracedeckApi(');
    // Every channel string made it into the preload; ipcRenderer is never handed to the page.
    for (const ch of ['files:open-dialog', 'files:read', 'files:close', 'workspace:save-dialog', 'shell:open-external', 'menu:command', 'files:opened-by-os']) {
      expect(preloadSrc).toContain(`"${ch}"`);
    }

    const mainSrc = readFileSync(main, 'utf8');
    // The renderer's V8 flags are set before Chromium starts (v8-flags.ts).
    expect(mainSrc).toMatch(/appendSwitch\("js-flags", (RENDERER_JS_FLAGS|"--max-semi-space-size=\d+")\)/);
    expect(mainSrc).toContain(JSON.stringify(RENDERER_JS_FLAGS));
    const mainRequires = requiredModules(mainSrc);
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    expect(mainRequires).toContain('electron');
    expect(mainRequires.filter((m) => m !== 'electron' && !builtins.has(m))).toEqual([]);
  });

  it('finds require calls in CommonJS text', () => {
    expect(requiredModules('const a = require("electron"); require(\'fs\'); x.require2("no")')).toEqual(['electron', 'fs']);
  });
});

describe('imports of src-main', () => {
  const dir = path.resolve(__dirname, '../../src-main');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|mjs)$/.test(f));
  const importsOf = (f: string) =>
    [...readFileSync(path.join(dir, f), 'utf8').matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)].map((m) => ({
      typeOnly: m[2] !== undefined,
      from: m[3],
    }));

  it('loads Electron at run time only in main.ts and preload.ts, so everything else runs in Node', () => {
    const withElectron = files.filter((f) => importsOf(f).some((i) => i.from === 'electron' && !i.typeOnly)).sort();
    expect(withElectron).toEqual(['main.ts', 'preload.ts']);
  });

  it('never imports the renderer', () => {
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      for (const i of importsOf(f)) expect(i.from, f).not.toMatch(/src-renderer/);
    }
  });
});

describe('app:// protocol', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'tracedeck-app-'));
  mkdirSync(path.join(root, 'renderer', 'assets'), { recursive: true });
  const rendererRoot = path.join(root, 'renderer');
  writeFileSync(path.join(rendererRoot, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(rendererRoot, 'assets', 'engine.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(path.join(root, 'secret.txt'), 'secret');

  it('serves the build with the CSP and the right types', async () => {
    const index = await appProtocolResponse(rendererRoot, { url: 'app://tracedeck/', method: 'GET' });
    expect(index.status).toBe(200);
    expect(await index.text()).toBe('<!doctype html>');
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const wasm = await appProtocolResponse(rendererRoot, { url: 'app://tracedeck/assets/engine.wasm', method: 'GET' });
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect([...new Uint8Array(await wasm.arrayBuffer())]).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  });

  it('refuses other hosts, traversal and writes', async () => {
    for (const url of [
      'app://other/index.html',
      'app://tracedeck/%2e%2e/secret.txt',
      'app://tracedeck/assets/..%2f..%2fsecret.txt',
      'app://tracedeck/../secret.txt', // URL parsing folds this to /secret.txt, which is not in the build
      'app://tracedeck/assets',
      'https://tracedeck/index.html',
    ]) {
      const r = await appProtocolResponse(rendererRoot, { url, method: 'GET' });
      expect(r.status, url).toBe(404);
      expect(await r.text()).not.toContain('secret');
    }
    expect((await appProtocolResponse(rendererRoot, { url: 'app://tracedeck/', method: 'POST' })).status).toBe(405);
  });
});

describe('files handed over by the OS', () => {
  it('takes file arguments from a packaged and from a development argv', () => {
    const cwd = path.resolve('/home/u');
    expect(filePathsFromArgv(['/opt/Tracedeck/tracedeck', 'a.json', '--enable-logging', '/tmp/b.log'], { isDefaultApp: false, cwd })).toEqual([
      path.join(cwd, 'a.json'),
      path.resolve('/tmp/b.log'),
    ]);
    expect(filePathsFromArgv(['electron', 'dist/main/main.cjs', 'c.jsonl.gz'], { isDefaultApp: true, cwd })).toEqual([path.join(cwd, 'c.jsonl.gz')]);
    expect(filePathsFromArgv(['/Applications/Tracedeck.app/x', '-psn_0_12345', 'file:///tmp/t%20x.json'], { isDefaultApp: false, cwd })).toEqual([
      path.resolve('/tmp/t x.json'),
    ]);
    expect(filePathsFromArgv(['exe', '--', '-dash.log'], { isDefaultApp: false, cwd })).toEqual([path.join(cwd, '-dash.log')]);
  });

  it('queues until the page is ready, then delivers at once', () => {
    const q = new PendingOpens();
    const got: string[][] = [];
    q.add(['/a']);
    q.add([]);
    q.add(['/b', '/c']);
    expect(q.waiting).toBe(3);
    q.ready((p) => got.push(p));
    expect(got).toEqual([['/a', '/b', '/c']]);
    q.add(['/d']);
    q.notReady();
    q.add(['/e']);
    expect(got).toEqual([['/a', '/b', '/c'], ['/d']]);
    expect(q.waiting).toBe(1);
  });
});

describe('packaging config', () => {
  it('names the app, targets and fuses', () => {
    expect(config.appId).toBe('dev.tracedeck.app');
    expect(config.productName).toBe('Tracedeck');
    expect(config.asar).toBe(true);
    expect(config.files).toContain('dist/**/*');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg', 'zip']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('associates the trace and log file kinds as a viewer that does not take them over, and owns .tracedeck', () => {
    const assoc = Array.isArray(config.fileAssociations) ? config.fileAssociations : [];
    expect(assoc.map((a) => a.ext).sort()).toEqual(['gz', 'json', 'jsonl', 'log', 'ndjson', 'pb', 'tracedeck', 'zip']);
    for (const a of assoc) {
      expect(a.role).toBe(a.ext === 'tracedeck' ? 'Editor' : 'Viewer');
      expect(a.rank).toBe(a.ext === 'tracedeck' ? 'Owner' : 'Alternate');
    }
    expect(assoc.find((a) => a.ext === 'tracedeck')).toMatchObject({ name: 'Tracedeck workspace', mimeType: 'application/vnd.tracedeck.workspace+sqlite' });
  });
});
