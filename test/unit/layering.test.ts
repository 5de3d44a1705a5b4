// The layers, checked on every import of every source file (TypeScript's own parser reads them,
// so `import type` is told from an import that loads code): data flows one way (core → store →
// engine → state → views), core stays pure, views only render state, the UI thread loads no store
// code, SQL stays in store/, and Electron stays in src-main. Each check is also run on a small
// made-up source that breaks it, so a check that cannot fail fails here.

import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import ts from 'typescript';

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

/** The code of a source: a Svelte component's <script> blocks, or the whole file. */
function scriptOf(file: string, text: string): string {
  if (!file.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file.replace(/\.svelte$/, '.svelte.ts'), scriptOf(file, text), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

interface Import {
  /** A project path from the root (src-renderer/…), or the package name as written. */
  target: string;
  /** `import type …`, or every name imported is `type …`: nothing is loaded at run time. */
  typeOnly: boolean;
}

/** Every module a source imports or re-exports, and whether it is for types only. */
function importsOf(file: string, text: string): Import[] {
  const out: Import[] = [];
  const add = (spec: string, typeOnly: boolean) =>
    out.push({ target: spec.startsWith('.') ? relative(ROOT, resolve(dirname(file), spec.split('?')[0])) : spec, typeOnly });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : null;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : null;
      add(node.moduleSpecifier.text, node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      add(node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file, text));
  return out;
}

/**
 * The text of every string in a source: quoted strings and template literals (their ${…} parts
 * read as "?"), with a chain of `+` joined into one text.
 */
function stringsOf(file: string, text: string): string[] {
  const out: string[] = [];
  const literal = (n: ts.Node): string | null => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
    if (ts.isTemplateExpression(n)) return n.head.text + n.templateSpans.map((s) => `?${s.literal.text}`).join('');
    return null;
  };
  /** The parts of a `+` chain, strings as text and anything else as "?"; null when no part is a string. */
  const chain = (n: ts.Node): string | null => {
    if (ts.isParenthesizedExpression(n)) return chain(n.expression);
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const a = chain(n.left);
      const b = chain(n.right);
      return a === null && b === null ? null : `${a ?? '?'}${b ?? '?'}`;
    }
    return literal(n);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const joined = chain(node);
      if (joined !== null) out.push(joined);
    }
    const own = literal(node);
    if (own !== null) out.push(own);
    ts.forEachChild(node, visit);
  };
  visit(parse(file, text));
  return out;
}

/** SQL statements as this project writes them (keywords in capitals), anywhere in a text. */
const SQL =
  /\bSELECT\b[\s\S]*?\bFROM\b|\bINSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b|\bCREATE\s+(?:TEMP\s+|VIRTUAL\s+|UNIQUE\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\b|\bDROP\s+(?:TABLE|INDEX|VIEW|TRIGGER)\b|\bALTER\s+TABLE\b|\bPRAGMA\s+\w|\bSAVEPOINT\s+\w|\bVACUUM\b/;

function sqlIn(file: string, text: string): string[] {
  return stringsOf(file, text).filter((s) => SQL.test(s));
}

/** The layer of a project path, or null for packages. */
function layerOf(path: string): string | null {
  if (path === 'src-main/ipc/contract.ts') return 'main-contract';
  if (path.startsWith('src-main/')) return 'main';
  if (path.startsWith('assets/')) return 'assets';
  if (path.startsWith('src-renderer/engine/wire/')) return 'wire';
  // The UI thread's ends of the workers: the engine's requests, and the SQL console's (which
  // starts its own worker so that a query can be stopped by ending it).
  if (path === 'src-renderer/engine/client.ts' || path === 'src-renderer/engine/protocol.ts' || path === 'src-renderer/engine/sql-console.ts') return 'client';
  const m = /^src-renderer\/([^/]+)\//.exec(path);
  if (m) return m[1];
  if (/^src-renderer\/[^/]+$/.test(path)) return 'app';
  return path.startsWith('test/') ? 'test' : null;
}

// What each layer may load at run time (besides itself). `wire` is the engine's replies as the UI
// thread unpacks them, `client` the requests it sends: both load only core.
const VALUES: Record<string, string[]> = {
  core: [],
  store: ['core'],
  wire: ['core'],
  client: ['core'],
  engine: ['core', 'store', 'wire', 'client'],
  cli: ['core', 'engine', 'wire', 'client'],
  host: ['core', 'main-contract'],
  state: ['core', 'wire', 'client', 'host', 'assets'],
  widgets: [],
  views: ['core', 'state', 'widgets'],
  app: ['core', 'state', 'views', 'widgets', 'host', 'client'],
};
// What each layer may name as types besides: types are erased, so they cross no thread and load nothing.
const TYPES: Record<string, string[]> = {
  wire: ['store'],
  client: ['engine', 'store'],
  cli: ['store'],
  host: ['client'],
  state: ['store', 'engine', 'main-contract'],
  app: ['engine'],
};
// The command line's loader opens the store its in-process engine answers over, as engine/worker.ts
// does for the app.
const EXCEPTIONS = new Set(['src-renderer/cli/load.ts imports src-renderer/store/sqljs.ts', 'src-renderer/cli/load.ts imports src-renderer/store/store.ts']);

/** The imports of one source that its layer may not make. */
function layerViolations(path: string, text: string): string[] {
  const from = layerOf(path)!;
  const bad: string[] = [];
  for (const imp of importsOf(join(ROOT, path), text)) {
    const to = layerOf(imp.target);
    if (to === null || to === from) continue; // packages: checked below
    const allowed = [...(VALUES[from] ?? []), ...(imp.typeOnly ? (TYPES[from] ?? []) : [])];
    const what = `${path} imports ${imp.target}`;
    if (!allowed.includes(to) && !EXCEPTIONS.has(what)) bad.push(`${what}${imp.typeOnly ? ' (types)' : ''}`);
  }
  return bad;
}

/** A view that reaches past the state classes to the engine or the host. */
function viewReachesOut(path: string, text: string): boolean {
  if (layerOf(path) !== 'views') return false;
  const code = text.replace(/<!--[\s\S]*?-->/g, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return /\.\s*(engine|host)\b/.test(code);
}

/** Project files a file loads at run time, directly or through others. */
function valueClosure(start: string[], text: (path: string) => string): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    for (const imp of importsOf(join(ROOT, p), text(p))) {
      if (!imp.typeOnly && imp.target.startsWith('src-renderer/') && /\.(ts|svelte)$/.test(imp.target)) stack.push(imp.target);
    }
  }
  return seen;
}

const UI_LAYERS = new Set(['state', 'views', 'widgets', 'host', 'app']);
/** What the UI thread may load: no store, and of the engine only its requests and replies. */
const uiMayLoad = (p: string) => !p.startsWith('src-renderer/store/') && !(p.startsWith('src-renderer/engine/') && !['client', 'wire'].includes(layerOf(p)!));

describe('layering', () => {
  const all = files(R).map((f) => relative(ROOT, f));
  const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

  it('finds the source files', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it('each layer imports only the layers below it (types a little further)', () => {
    expect(all.flatMap((p) => layerViolations(p, read(p)))).toEqual([]);
  });

  it('the UI thread loads no store code, and of the engine only its client and the wire', () => {
    const ui = all.filter((p) => UI_LAYERS.has(layerOf(p)!));
    const loaded = [...valueClosure(ui, read)];
    expect(loaded.length).toBeGreaterThan(ui.length);
    expect(loaded.filter((p) => !uiMayLoad(p))).toEqual([]);
  });

  it('views never call the engine or the host: state classes do', () => {
    expect(all.filter((p) => viewReachesOut(p, read(p)))).toEqual([]);
  });

  it('core is pure: no Svelte, no Electron, no Node built-ins, no DOM globals', () => {
    const bad: string[] = [];
    for (const p of all.filter((p) => layerOf(p) === 'core')) {
      for (const imp of importsOf(join(ROOT, p), read(p))) if (/^(svelte|electron|node:|fs$|path$)/.test(imp.target)) bad.push(`${p} imports ${imp.target}`);
      const text = read(p).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      if (/\b(document|window|localStorage)\./.test(text)) bad.push(`${p} touches the DOM`);
    }
    expect(bad).toEqual([]);
  });

  it('nothing in the renderer imports Electron; src-main never imports the renderer', () => {
    const bad: string[] = [];
    for (const p of all) for (const imp of importsOf(join(ROOT, p), read(p))) if (imp.target === 'electron' || imp.target.startsWith('electron/')) bad.push(`${p} imports ${imp.target}`);
    for (const f of files(join(ROOT, 'src-main'))) {
      const p = relative(ROOT, f);
      for (const imp of importsOf(f, read(p))) if (imp.target.startsWith('src-renderer/')) bad.push(`${p} imports ${imp.target}`);
    }
    expect(bad).toEqual([]);
  });

  it('SQL lives in store/ only, in strings, templates and concatenations alike', () => {
    // The demo incident's spans carry made-up db.statement attributes: data, never run.
    const data = new Set(['src-renderer/core/demo/incident.ts']);
    const outside = [...all.filter((p) => !p.startsWith('src-renderer/store/') && !data.has(p)), ...files(join(ROOT, 'src-main')).map((f) => relative(ROOT, f))];
    expect(outside.filter((p) => sqlIn(p, read(p)).length > 0)).toEqual([]);
    // and it finds the SQL that is there
    expect(sqlIn('src-renderer/store/store.ts', read('src-renderer/store/store.ts')).length).toBeGreaterThan(10);
  });

  it('no file data reaches the DOM as HTML', () => {
    const bad = all.filter((p) => /\{@html|\.innerHTML\s*=|insertAdjacentHTML|outerHTML\s*=/.test(read(p)));
    expect(bad).toEqual([]);
  });
});

describe('the layering checks catch what they are for', () => {
  it('a view importing the store, even for a type, and a state class loading it', () => {
    expect(layerViolations('src-renderer/views/x/X.svelte', `<script lang="ts">\n  import type { LogRow } from '../../store/logs.ts';\n</script>`)).toEqual([
      'src-renderer/views/x/X.svelte imports src-renderer/store/logs.ts (types)',
    ]);
    expect(layerViolations('src-renderer/state/x.svelte.ts', `import { traceSpans } from '../store/trace-spans.ts';`)).toEqual([
      'src-renderer/state/x.svelte.ts imports src-renderer/store/trace-spans.ts',
    ]);
    expect(layerViolations('src-renderer/state/x.svelte.ts', `import { type A, type B } from '../store/queries.ts';\nexport type { C } from '../store/logs.ts';`)).toEqual([]);
    expect(layerViolations('src-renderer/state/x.svelte.ts', `import { type A, b } from '../store/queries.ts';`)).toHaveLength(1);
    expect(layerViolations('src-renderer/core/x.ts', `const m = await import('../store/store.ts');`)).toHaveLength(1);
    expect(layerViolations('src-renderer/engine/wire/x.ts', `import { traceFindings } from '../../store/trace-detail.ts';`)).toHaveLength(1);
  });

  it('a view that calls the engine or the host itself', () => {
    expect(viewReachesOut('src-renderer/views/x/X.svelte', `<script>\n  $effect(() => { ws.engine.call('spanLogs', id) });\n</script>`)).toBe(true);
    expect(viewReachesOut('src-renderer/views/x/X.svelte', `<button onclick={() => ws.host.openExternal(u)}>open</button>`)).toBe(true);
    expect(viewReachesOut('src-renderer/views/x/X.svelte', `<p>Starting the engine…</p>`)).toBe(false);
  });

  it('a store module reached from the UI thread through another module', () => {
    const sources: Record<string, string> = {
      'src-renderer/views/a/A.svelte': `<script>import { helper } from '../../state/b.ts';</script>`,
      'src-renderer/state/b.ts': `import type { X } from '../store/queries.ts';\nexport { helper } from '../engine/wire/c.ts';`,
      'src-renderer/engine/wire/c.ts': `import { spanDetail } from '../../store/trace-detail.ts';`,
      'src-renderer/store/trace-detail.ts': '',
    };
    const loaded = [...valueClosure(['src-renderer/views/a/A.svelte'], (p) => sources[p] ?? '')];
    expect(loaded.filter((p) => !uiMayLoad(p))).toEqual(['src-renderer/store/trace-detail.ts']);
  });

  it('SQL in a quoted string, a multi-line template, or pieces joined with +', () => {
    const f = 'src-renderer/views/x.ts';
    expect(sqlIn(f, `db.exec("PRAGMA query_only = 1");`)).toHaveLength(1);
    expect(sqlIn(f, 'const q = `\n  SELECT a,\n    b\n  FROM ${table}\n  WHERE c = ?`;')).toHaveLength(1);
    expect(sqlIn(f, `const q = 'SELECT a, b ' + cols + ' FROM spans';`).length).toBeGreaterThan(0);
    expect(sqlIn(f, `run(\`INSERT OR FAIL INTO spans (a) VALUES (?)\`)`)).toHaveLength(1);
    expect(sqlIn(f, `const s = 'Select a span (click a row) to see where it came from';\n// SELECT x FROM y in a comment`)).toEqual([]);
  });
});
