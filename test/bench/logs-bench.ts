// Log import speed: generates N lines of JSON lines (bunyan records with trace and span ids), of a
// text log ("timestamp level [service] message", no ids) and of plain text in no layout (build
// output: a stamp on few lines, levels, stack traces, blank lines, some trace ids) into temporary
// files, imports each through format detection and the streaming reader into a Store (with its
// trace-id and time indexes), and reports lines/s end to end. Also times building the FTS4 index,
// opening the merged view and reading a deep page, and, where lnav is installed, lnav indexing the
// same files headless. Then, without the store: format detection over each file's first 64 KiB
// (lines looked at per second, every format scoring them) and the readers alone (lines/s).
//
//   tsx test/bench/logs-bench.ts [LINES=200000]

import { openSync, readSync, closeSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, statSync, readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { detectFormat, DETECT_BYTES } from '../../src-renderer/core/import/detect.ts';
import type { LogRecord } from '../../src-renderer/core/model/log.ts';
import { buildFtsBatch } from '../../src-renderer/store/log-view-fts.ts';
import { LogViewCache } from '../../src-renderer/store/log-view.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';

export type LogKind = 'jsonl' | 'text' | 'plain';

export interface LogsBenchResult {
  kind: LogKind;
  lines: number;
  bytes: number;
  format: string;
  seconds: number;
  linesPerSecond: number;
  ftsSeconds: number;
  /** Milliseconds of each of LOG_QUERIES, after the index is built. */
  searchMs: number[];
  viewSeconds: number;
  deepPageMs: number;
  lnavSeconds: number | null;
  lnavCount: number | null;
}

const SERVICES = ['frontend', 'checkout', 'payment', 'cart', 'inventory', 'pricing'];
const LEVELS = ['debug', 'info', 'info', 'info', 'info', 'warn', 'error'];
const PATHS = ['/api/cart', '/api/checkout', '/api/items', '/health', '/api/pay'];

/** Deterministic pseudo-random numbers (xorshift32), so runs are comparable. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function hex(r: () => number, n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(r() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, n);
}

const PLAIN = [
  (i: number) => `Step ${i % 12}/12 : RUN npm ci --no-audit`,
  (i: number) => `added ${800 + (i % 97)} packages in ${(i % 40) + 3}s`,
  (i: number) => `WARNING: package ${PATHS[i % PATHS.length].slice(5)}-${i % 31} is deprecated`,
  (i: number) => `ERROR: test ${i} failed: expected 200, got 503`,
  (i: number) => `    at Object.<anonymous> (/src/test/order-${i % 50}.test.js:${i % 300}:17)`,
  (i: number) => `compiling module ${i % 1000} of 1000`,
  (i: number) => `info: cache hit for layer sha256:${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}`,
];

/** Write `n` lines of the given kind to `file`, 10,000 at a time. */
export function generateLogFile(file: string, n: number, kind: LogKind): void {
  const r = rng(kind === 'jsonl' ? 42 : kind === 'text' ? 7 : 11);
  const base = Date.UTC(2024, 2, 1, 10, 0, 0);
  writeFileSync(file, '');
  let buf: string[] = [];
  let trace = hex(r, 32);
  for (let i = 0; i < n; i++) {
    if (i % 8 === 0) trace = hex(r, 32);
    const t = new Date(base + Math.floor(i * 3.6)).toISOString().replace('Z', `${String(i % 1000).padStart(3, '0')}Z`);
    const svc = SERVICES[Math.floor(r() * SERVICES.length)];
    const lvl = LEVELS[Math.floor(r() * LEVELS.length)];
    const path = PATHS[Math.floor(r() * PATHS.length)];
    const status = lvl === 'error' ? 503 : 200;
    const ms = (r() * 500).toFixed(1);
    if (kind === 'plain') {
      const x = r();
      if (x < 0.05) buf.push(`${t} ${lvl} request ${i} handled by ${svc}`);
      else if (x < 0.07) buf.push('');
      else if (x < 0.1) buf.push(`retrying request ${i} trace_id=${trace}`);
      else buf.push(PLAIN[Math.floor(r() * PLAIN.length)](i));
    } else if (kind === 'jsonl') {
      // bunyan's shape (lnav has a bunyan format, so both tools read the same records) plus OTel ids
      const level = { debug: 20, info: 30, warn: 40, error: 50 }[lvl];
      buf.push(`{"name":"${svc}","hostname":"h1","pid":1,"level":${level},"msg":"request handled path=${path}/${i} status=${status} took=${ms}ms","time":"${t}","v":0,"trace_id":"${trace}","span_id":"${hex(r, 16)}","user":"u${i % 977}"}`);
    } else {
      buf.push(`${t.replace('T', ' ').slice(0, 23)} ${lvl.toUpperCase()} ${svc}: request handled path=${path}/${i} status=${status} took=${ms}ms`);
    }
    if (buf.length === 10_000) {
      appendFileSync(file, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length > 0) appendFileSync(file, buf.join('\n') + '\n');
}

/** Import one file as the app does (detect, stream 1 MiB chunks, batches into the store). */
async function importFile(file: string): Promise<{ store: Store; format: string; lines: number; seconds: number }> {
  const SQL = await loadSqlJs();
  const store = Store.create(SQL);
  const t0 = performance.now();
  const fd = openSync(file, 'r');
  const buf = new Uint8Array(1 << 20);
  let n = readSync(fd, buf, 0, buf.length, null);
  const det = detectFormat(buf.subarray(0, Math.min(n, DETECT_BYTES)), file);
  if (!det.ok) throw new Error(det.message);
  let lines = 0;
  store.beginFile(file, statSync(file).size);
  const reader = det.format.create({
    fileName: file,
    sink: {
      spans() {},
      logs(b: LogRecord[]) {
        store.addLogs(b);
        lines += b.length;
      },
      reject(where, message) {
        throw new Error(`line ${where.line}: ${message}`);
      },
      finding() {},
      catalog() {},
      tally() {},
    },
  });
  try {
    while (n > 0) {
      reader.push(buf.slice(0, n));
      n = readSync(fd, buf, 0, buf.length, null);
    }
    reader.end();
  } finally {
    closeSync(fd);
  }
  store.finishFile({ format: det.format.id, kind: 'logs', rejected: 0, errors: [] });
  return { store, format: det.format.id, lines, seconds: (performance.now() - t0) / 1000 };
}

/**
 * lnav headless: load and index the file, report the lines it indexed (lnav_file.lines: all_logs
 * counts only lines of a format lnav knows, and Debian's lnav 0.11 has no format for bunyan JSON,
 * so it indexes those as plain text), quit. Null when lnav is absent.
 */
export function timeLnav(file: string): { seconds: number; count: number | null } | null {
  if (!existsSync('/usr/bin/lnav')) return null;
  const home = mkdtempSync(join(tmpdir(), 'lnav-home-'));
  try {
    const t0 = performance.now();
    const res = spawnSync('/usr/bin/lnav', ['-N', '-n', '-c', ';SELECT sum(lines) AS n FROM lnav_file', file], {
      env: { ...process.env, HOME: home, TERM: 'dumb' }, encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 26,
    });
    const seconds = (performance.now() - t0) / 1000;
    const m = /(\d[\d,]*)\s*$/.exec((res.stdout ?? '').trim());
    return { seconds, count: m ? Number(m[1].replace(/,/g, '')) : null };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Generate, import and time `lines` lines of each kind. Keep `lines` at 200,000 or less during development. */
export async function benchLogs(lines = 200_000): Promise<LogsBenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tracedeck-logs-bench-'));
  const out: LogsBenchResult[] = [];
  try {
    for (const kind of ['jsonl', 'text', 'plain'] as const) {
      const file = join(dir, kind === 'jsonl' ? 'app.jsonl' : kind === 'text' ? 'app.log' : 'build.txt');
      generateLogFile(file, lines, kind);
      const bytes = statSync(file).size;
      const imp = await importFile(file);
      let t = performance.now();
      while (buildFtsBatch(imp.store, 50_000));
      const ftsSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      const view = new LogViewCache(imp.store);
      const total = view.orderOf({}).length;
      const viewSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      view.page({}, Math.floor(total * 0.73), 100);
      const deepPageMs = performance.now() - t;
      const core = new EngineCore(imp.store);
      const searchMs = LOG_QUERIES.map((q) => {
        const t0 = performance.now();
        core.logSearch({}, q);
        return performance.now() - t0;
      });
      imp.store.close();
      const lnav = timeLnav(file);
      out.push({
        kind, lines: imp.lines, bytes, format: imp.format, seconds: imp.seconds, linesPerSecond: imp.lines / imp.seconds, ftsSeconds, viewSeconds,
        deepPageMs, searchMs, lnavSeconds: lnav?.seconds ?? null, lnavCount: lnav?.count ?? null,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export interface TextReadingResult {
  kind: LogKind;
  format: string;
  /** Lines of the 64 KiB head scored by every format, per second. */
  detectLinesPerSecond: number;
  /** Lines through detection and the format's reader, no store, per second. */
  readLinesPerSecond: number;
  lines: number;
}

/**
 * Detection and the reader alone, without the store: detection runs every format over the first
 * 64 KiB as an import does (repeated until 0.5 s have passed), the reader reads the whole file in
 * 1 MiB chunks into a sink that only counts.
 */
export function benchTextReading(lines = 200_000): TextReadingResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'tracedeck-text-bench-'));
  const out: TextReadingResult[] = [];
  try {
    for (const kind of ['plain', 'text', 'jsonl'] as const) {
      const file = join(dir, `${kind}.log`);
      generateLogFile(file, lines, kind);
      const bytes = new Uint8Array(readFileSync(file));
      const head = bytes.subarray(0, DETECT_BYTES);
      const headLines = head.reduce((n, b) => n + (b === 10 ? 1 : 0), 0);
      let det = detectFormat(head.slice(), file);
      let reps = 0;
      let t0 = performance.now();
      // A fresh copy each time: detection caches a head's decoded lines by its buffer.
      while (performance.now() - t0 < 500) {
        det = detectFormat(head.slice(), file);
        reps++;
      }
      const detectLinesPerSecond = (headLines * reps) / ((performance.now() - t0) / 1000);
      if (!det.ok) throw new Error(det.message);
      let records = 0;
      let tallied = 0;
      t0 = performance.now();
      const reader = det.format.create({
        fileName: file,
        sink: {
          spans() {},
          logs(b) {
            records += b.length;
          },
          reject() {},
          finding() {},
          catalog() {},
          tally(c) {
            tallied += c.lines ?? 0;
          },
        },
      });
      for (let i = 0; i < bytes.length; i += 1 << 20) reader.push(bytes.subarray(i, Math.min(bytes.length, i + (1 << 20))));
      reader.end();
      const seconds = (performance.now() - t0) / 1000;
      if (records === 0 || tallied !== lines) throw new Error(`${kind}: ${records} records, ${tallied} of ${lines} lines tallied`);
      out.push({ kind, format: det.format.id, detectLinesPerSecond, readLinesPerSecond: lines / seconds, lines });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** Searches a user types: a rare word, a phrase OR a word, a negated level word, a field, a trace id. */
const LOG_QUERIES = ['retrying', '"request handled" OR checkout', '-info', 'status=503', 'level>=warn service=checkout', '4bf92f3577b34da6a3ce929d0e0e4736'];

const LABELS: Record<LogKind, string> = { jsonl: 'JSON lines', text: 'text log', plain: 'plain text' };

/** For `npm run bench`: one line per measured figure. */
export async function runLogsBench(lines: number, report: (what: string, figure: string) => void): Promise<void> {
  for (const r of await benchLogs(lines)) {
    const label = LABELS[r.kind];
    report(`log import, Node, ${label} (${(r.bytes / 2 ** 20).toFixed(0)} MB, ${r.format})`, `${r.lines.toLocaleString('en-US')} lines in ${r.seconds.toFixed(1)} s = ${Math.round(r.linesPerSecond).toLocaleString('en-US')} lines/s`);
    report(`  lnav on the same file`, r.lnavSeconds === null ? 'lnav not installed' : `${r.lnavSeconds.toFixed(1)} s (${r.lnavCount?.toLocaleString('en-US')} lines indexed)`);
    report(`  full-text index (background) / view order / deep page`, `${r.ftsSeconds.toFixed(1)} s / ${(r.viewSeconds * 1000).toFixed(0)} ms / ${r.deepPageMs.toFixed(1)} ms`);
    report(`  log search: ${LOG_QUERIES.join(' | ')}`, r.searchMs.map((ms) => `${ms.toFixed(0)} ms`).join(' | '));
  }
  for (const r of benchTextReading(Math.min(lines, 200_000))) {
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    report(`log detection, Node, ${LABELS[r.kind]} (64 KiB head, every format)`, `${fmt(r.detectLinesPerSecond)} lines/s`);
    report(`log reader without the store, Node, ${LABELS[r.kind]} (${r.format})`, `${fmt(r.readLinesPerSecond)} lines/s`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 200_000);
  for (const r of await benchLogs(n)) {
    console.log(
      `${r.kind.padEnd(6)} ${r.lines} lines (${(r.bytes / 2 ** 20).toFixed(1)} MB, ${r.format}): ${r.seconds.toFixed(2)} s = ${Math.round(r.linesPerSecond)} lines/s;` +
        ` FTS ${r.ftsSeconds.toFixed(2)} s; view ${r.viewSeconds.toFixed(2)} s; deep page ${r.deepPageMs.toFixed(1)} ms; search ${r.searchMs.map((ms) => ms.toFixed(0)).join('/')} ms;` +
        ` lnav ${r.lnavSeconds === null ? 'n/a' : `${r.lnavSeconds.toFixed(2)} s (${r.lnavCount} lines)`}`,
    );
  }
  for (const r of benchTextReading(Math.min(n, 200_000))) {
    console.log(`${r.kind.padEnd(6)} (${r.format}): detection ${Math.round(r.detectLinesPerSecond)} lines/s; reader alone ${Math.round(r.readLinesPerSecond)} lines/s`);
  }
}
