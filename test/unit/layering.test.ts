// The layers of GUIDE.md, checked on every import statement: data flows one way
// (core → store → engine → state → views), core stays pure, and Electron stays in src-main.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const R = join(ROOT, 'src-renderer');

function files(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) stack.push(p);
      else if (/\.(ts|mts|mjs|svelte)$/.test(name)) out.push(p);
    }
  }
  return out;
}

/** Every module a file imports: package names as written, project files as paths from the root. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2] ?? m[3]);
  return specs.map((s) => (s.startsWith('.') ? relative(ROOT, resolve(dirname(file), s.split('?')[0])) : s));
}

/** The layer of a project path, or null for packages. */
function layer(path: string): string | null {
  if (path.startsWith('src-main/')) return 'main';
  if (path.startsWith('assets/')) return 'assets';
  const m = /^src-renderer\/([^/]+)\//.exec(path);
  if (m) return m[1];
  if (/^src-renderer\/[^/]+$/.test(path)) return 'app';
  return path.startsWith('test/') ? 'test' : null;
}

// What each layer may import from the project (besides itself).
const ALLOWED: Record<string, string[]> = {
  core: [],
  store: ['core'],
  engine: ['core', 'store'],
  cli: ['core', 'store', 'engine'],
  host: ['engine', 'main-contract'],
  state: ['core', 'store', 'engine', 'host', 'assets', 'main-contract'],
  widgets: [],
  views: ['core', 'store', 'engine', 'state', 'widgets', 'host', 'main-contract'],
  app: ['core', 'store', 'engine', 'state', 'views', 'widgets', 'host'],
};

describe('layering (GUIDE.md)', () => {
  const all = files(R);

  it('finds the source files', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it('each layer imports only the layers below it', () => {
    const bad: string[] = [];
    for (const f of all) {
      const from = layer(relative(ROOT, f))!;
      for (const imp of imports(f)) {
        let to = layer(imp);
        if (to === null) continue; // a package: checked below
        if (imp === 'src-main/ipc/contract.ts') to = 'main-contract';
        if (to === from) continue;
        if (!(ALLOWED[from] ?? []).includes(to)) bad.push(`${relative(ROOT, f)} imports ${imp}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('core is pure: no Svelte, no Electron, no Node built-ins, no DOM globals', () => {
    const bad: string[] = [];
    for (const f of all.filter((f) => relative(R, f).startsWith('core/'))) {
      for (const imp of imports(f)) if (/^(svelte|electron|node:|fs$|path$)/.test(imp)) bad.push(`${relative(ROOT, f)} imports ${imp}`);
      const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      if (/\b(document|window|localStorage)\./.test(text)) bad.push(`${relative(ROOT, f)} touches the DOM`);
    }
    expect(bad).toEqual([]);
  });

  it('nothing in the renderer imports Electron; src-main never imports the renderer', () => {
    const bad: string[] = [];
    for (const f of all) for (const imp of imports(f)) if (imp === 'electron' || imp.startsWith('electron/')) bad.push(`${relative(ROOT, f)} imports ${imp}`);
    for (const f of files(join(ROOT, 'src-main'))) for (const imp of imports(f)) if (imp.startsWith('src-renderer/')) bad.push(`${relative(ROOT, f)} imports ${imp}`);
    expect(bad).toEqual([]);
  });

  it('SQL lives in store/ only', () => {
    const bad = all
      .filter((f) => !relative(R, f).startsWith('store/'))
      .filter((f) => /\.(exec|prepare|run)\(\s*[`'"]\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA)/i.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(bad).toEqual([]);
  });

  it('no file data reaches the DOM as HTML', () => {
    const bad = all.filter((f) => /\{@html|\.innerHTML\s*=|insertAdjacentHTML|outerHTML\s*=/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(bad).toEqual([]);
  });
});
