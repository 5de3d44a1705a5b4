#!/usr/bin/env node
// `npm start` and `npm run web`. Builds what is missing or stale, then starts the desktop app, or,
// where the Electron binary is not installed (its download is impossible on some machines, and
// `npm install` must still succeed there), serves the same renderer build to a browser.
//
//   node src-main/launch.mjs [--web] [--no-build] [--port N] [files...]
//
// The binary is found by reading node_modules/electron/path.txt ourselves: require('electron')
// from plain Node would try to download it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startWebServer } from './web-server.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_PORT = 5170;

/**
 * @typedef {object} LaunchOptions
 * @property {boolean} web serve to a browser even if Electron is there
 * @property {boolean} build build first when dist/ is missing or stale
 * @property {number} port preferred port for the browser server
 * @property {string[]} files paths handed on to the desktop app
 */

/**
 * @param {string[]} argv arguments after the script name
 * @param {Record<string, string | undefined>} env
 * @returns {LaunchOptions}
 */
export function parseLaunchArgs(argv, env) {
  /** @type {LaunchOptions} */
  const opts = { web: false, build: true, port: DEFAULT_PORT, files: [] };
  const envPort = env.PORT !== undefined && env.PORT !== '' ? parsePort(env.PORT) : null;
  if (envPort !== null) opts.port = envPort;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--web') opts.web = true;
    else if (a === '--no-build') opts.build = false;
    else if (a === '--port' || a.startsWith('--port=')) {
      const value = a === '--port' ? argv[++i] : a.slice('--port='.length);
      const p = value === undefined ? null : parsePort(value);
      if (p === null) throw new Error(`--port needs a number from 0 to 65535, got ${JSON.stringify(value ?? '')}`);
      opts.port = p;
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else opts.files.push(a);
  }
  return opts;
}

/** @param {string} s @returns {number | null} */
function parsePort(s) {
  if (!/^\d{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n <= 65535 ? n : null;
}

/**
 * The Electron executable, or null when this install has none. Mirrors what the electron package's
 * index.js resolves, without its download fallback.
 * @param {string} electronPackageDir node_modules/electron
 * @param {Record<string, string | undefined>} [env]
 * @returns {string | null}
 */
export function findElectronBinary(electronPackageDir, env = {}) {
  let relative;
  try {
    relative = fs.readFileSync(path.join(electronPackageDir, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  if (relative === '') return null;
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(electronPackageDir, 'dist');
  const full = path.join(distDir, relative);
  try {
    return fs.statSync(full).isFile() ? full : null;
  } catch {
    return null;
  }
}

/**
 * Newest modification time (ms) of any file under the given paths; node_modules and dot-folders are
 * skipped. Iterative so a deep tree cannot overflow the stack.
 * @param {string[]} paths
 */
export function newestMtime(paths) {
  let newest = 0;
  const stack = [...paths];
  while (stack.length > 0) {
    const p = /** @type {string} */ (stack.pop());
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) {
        if (name === 'node_modules' || name.startsWith('.')) continue;
        stack.push(path.join(p, name));
      }
    } else if (st.mtimeMs > newest) newest = st.mtimeMs;
  }
  return newest;
}

/**
 * True when any output is missing or older than the newest of its sources.
 * @param {string[]} outputs
 * @param {string[]} sources
 */
export function isStale(outputs, sources) {
  let oldestOutput = Infinity;
  for (const o of outputs) {
    try {
      oldestOutput = Math.min(oldestOutput, fs.statSync(o).mtimeMs);
    } catch {
      return true;
    }
  }
  return newestMtime(sources) > oldestOutput;
}

/** @param {string} root */
export function buildTargets(root) {
  const renderer = {
    outputs: [path.join(root, 'dist/renderer/index.html')],
    sources: ['src-renderer', 'assets', 'vite.config.ts', 'svelte.config.js', 'package.json'].map((p) => path.join(root, p)),
  };
  const main = {
    outputs: [path.join(root, 'dist/main/main.cjs'), path.join(root, 'dist/main/preload.cjs')],
    sources: ['src-main', 'package.json'].map((p) => path.join(root, p)),
  };
  return { renderer, main };
}

/** @param {string} what @param {string[]} args */
function runNode(what, args) {
  console.log(`Building ${what}…`);
  const r = spawnSync(process.execPath, args, { cwd: projectRoot, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`Building ${what} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

async function main() {
  /** @type {LaunchOptions} */
  let opts;
  try {
    opts = parseLaunchArgs(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`launch: ${err instanceof Error ? err.message : String(err)}`);
    console.error('usage: node src-main/launch.mjs [--web] [--no-build] [--port N] [files...]');
    process.exit(2);
  }
  const electron = opts.web ? null : findElectronBinary(path.join(projectRoot, 'node_modules/electron'), process.env);
  const targets = buildTargets(projectRoot);
  if (opts.build && isStale(targets.renderer.outputs, targets.renderer.sources)) {
    runNode('the renderer', [path.join(projectRoot, 'node_modules/vite/bin/vite.js'), 'build']);
  }
  if (electron !== null) {
    if (opts.build && isStale(targets.main.outputs, targets.main.sources)) {
      runNode('the main process', [path.join(projectRoot, 'src-main/build.mjs')]);
    }
    if (process.platform === 'linux' && process.getuid?.() === 0) {
      console.warn('Chromium will not start as root with its sandbox on; run Tracedeck as a normal user.');
    }
    const child = spawn(electron, [path.join(projectRoot, 'dist/main/main.cjs'), ...opts.files], {
      cwd: projectRoot,
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
    for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(sig, () => child.kill(sig));
    return;
  }

  const root = path.join(projectRoot, 'dist/renderer');
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    console.error(`launch: ${path.relative(projectRoot, root)}/index.html is missing; run without --no-build or run "npm run build".`);
    process.exit(1);
  }
  if (opts.files.length > 0) console.log('File arguments are only opened by the desktop app; in the browser, use Open files… or drop them.');
  const server = await startWebServer({ root, port: opts.port });
  if (opts.web) console.log(`Serving Tracedeck at ${server.url} for a browser (Ctrl+C stops it)`);
  else console.log(`Electron is not installed on this machine; serving Tracedeck at ${server.url} for a browser`);
  const stop = () => {
    server.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
