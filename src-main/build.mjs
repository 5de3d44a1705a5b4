#!/usr/bin/env node
// Bundles the Electron side: main.ts → dist/main/main.cjs and preload.ts → dist/main/preload.cjs.
// CommonJS because Electron loads the main entry and a sandboxed preload that way; the preload must
// be one self-contained file whose only require is 'electron' (a sandboxed preload has no module
// loader for anything else), which checkPreloadRequires enforces after every build.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @param {{ outDir?: string, minify?: boolean }} [options]
 * @returns {Promise<{ main: string, preload: string }>}
 */
export async function buildMain({ outDir = path.join(projectRoot, 'dist/main'), minify = false } = {}) {
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    sourcemap: 'linked',
    minify,
    logLevel: 'warning',
    legalComments: 'none',
  };
  const main = path.join(outDir, 'main.cjs');
  const preload = path.join(outDir, 'preload.cjs');
  await Promise.all([
    build({ ...common, entryPoints: [path.join(projectRoot, 'src-main/main.ts')], outfile: main }),
    build({ ...common, entryPoints: [path.join(projectRoot, 'src-main/preload.ts')], outfile: preload }),
  ]);
  const extra = requiredModules(readFileSync(preload, 'utf8')).filter((m) => m !== 'electron');
  if (extra.length > 0) throw new Error(`preload.cjs requires ${extra.join(', ')}; a sandboxed preload may only require 'electron'`);
  return { main, preload };
}

/**
 * Module names a CommonJS bundle requires at run time.
 * @param {string} source
 * @returns {string[]}
 */
export function requiredModules(source) {
  const found = new Set();
  for (const m of source.matchAll(/\brequire\(\s*(["'`])([^"'`]+)\1\s*\)/g)) found.add(m[2]);
  return [...found];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  buildMain().then(
    (out) => console.log(`built ${path.relative(projectRoot, out.main)} and ${path.relative(projectRoot, out.preload)}`),
    (err) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
