// `npm run bench`: the performance targets of the issues, measured on generated data. Prints
// figures; never fails on a slow machine (only on a broken pipeline).
//
//   npm run bench [-- --spans 1000000] [--lines 1000000] [--skip-browser] [--only import,browser,analysis,proto,logs,search,aggregate,failures,workspace,scatter]

import { parseArgs } from 'node:util';
import { existsSync, statSync, createReadStream, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { benchScatterPaint } from './scatter-bench.ts';
import { loadSqlJs, sqliteC } from '../../src-renderer/store/sqljs.ts';
import { streamWorkspace } from '../../src-renderer/store/stream-export.ts';
import { nodeFileSink } from '../../src-renderer/engine/save-targets.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { ImportJob } from '../../src-renderer/engine/import-job.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import { writeDataset } from '../../src-renderer/cli/gen.ts';
import { buildTraceTree } from '../../src-renderer/core/model/tree.ts';
import { computeCriticalPath } from '../../src-renderer/core/analysis/critical-path.ts';
import { randomTrace, fanOut, sequence, chain, writeBigTrace } from './synthetic.ts';
import { benchOtlpProto } from './otlp-proto-bench.ts';
import { generateLogFile, runLogsBench } from './logs-bench.ts';
import { writeJaegerDocument } from './jaeger-doc.ts';
import { writeMixedOtlp } from './mixed-otlp.ts';
import { importedStore, benchSearch, benchServiceMap, benchSpanIndex } from './search-bench.ts';
import { runAggregateBench } from './aggregate-bench.ts';
import { RENDERER_JS_FLAGS } from '../../src-main/v8-flags.ts';

const { values } = parseArgs({
  options: {
    spans: { type: 'string', default: '1000000' },
    lines: { type: 'string', default: '1000000' },
    'skip-browser': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const only = values.only ? new Set(values.only.split(',')) : null;
const want = (k: string) => !only || only.has(k);
const SPANS = Number(values.spans);
const rows: Array<[string, string]> = [];
const report = (what: string, figure: string) => {
  rows.push([what, figure]);
  console.log(`${what.padEnd(64)} ${figure}`);
};
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * CPU time the hypervisor gave to other machines (Linux /proc/stat "steal", in seconds), to read
 * beside a timed figure: on a shared VM a run with steal is slower for reasons outside the code.
 */
function stealSeconds(): number | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    return Number(cpu[8]) / 100; // USER_HZ
  } catch {
    return null;
  }
}
const stealSince = (s0: number | null) => {
  const s1 = stealSeconds();
  return s0 === null || s1 === null ? '' : ` (hypervisor steal meanwhile: ${(s1 - s0).toFixed(1)} s of CPU)`;
};
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;

/** The generated incident at the requested size, made once and reused. */
function dataset(spans: number): string {
  const dir = join(tmpdir(), `tracedeck-bench-${spans}`);
  if (!existsSync(join(dir, 'traces.otlp.jsonl'))) {
    console.log(`generating ${fmt(spans)} spans into ${dir} …`);
    writeDataset(dir, { maxSpans: spans, meanGapMs: Math.max(0.05, (120 * 60_000 * 10) / spans), broken: false });
  }
  return dir;
}

/** The mixed-signal dump made from the generated traces (mixed-otlp.ts), made once and reused. */
async function mixedDataset(tracesJsonl: string): Promise<string> {
  const file = join(tmpdir(), `tracedeck-bench-mixed-${SPANS}.jsonl`);
  if (!existsSync(file)) await writeMixedOtlp(tracesJsonl, file);
  return file;
}

async function benchNodeImport(file: string, mixed = false): Promise<void> {
  const SQL = await loadSqlJs();
  const store = Store.create(SQL);
  const size = statSync(file).size;
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const cpu0 = process.cpuUsage();
  const s0 = stealSeconds();
  const t0 = performance.now();
  const job = new ImportJob(store, mixed ? 'mixed.otlp.jsonl' : 'traces.otlp.jsonl', size);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    job.push(chunk as Uint8Array);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const [r] = job.end();
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  clearInterval(timer);
  const storeBytes = store.sizeBytes();
  if (!mixed) nodeStoreBytes = storeBytes;
  if (mixed) {
    report(
      `trace import, Node, mixed OTLP JSON lines: traces, logs, metrics (${mb(size)})`,
      `${fmt(r.spans)} spans in ${s.toFixed(1)} s = ${fmt(r.spans / s)} spans/s (with ${fmt(r.logs)} log records, ${fmt(r.tally?.skipped ?? 0)} data points skipped)${stealSince(s0)}`,
    );
  } else report(`trace import, Node, OTLP JSON lines (${mb(size)})`, `${fmt(r.spans)} spans in ${s.toFixed(1)} s = ${fmt(r.spans / s)} spans/s${stealSince(s0)}`);
  report('  CPU time (one thread; load from other processes excluded)', `${cpuS.toFixed(1)} s = ${fmt(r.spans / cpuS)} spans per CPU-second`);
  report('  store size / peak RSS growth', `${mb(storeBytes)} / ${mb(peak - rssBefore)} (${((peak - rssBefore) / storeBytes).toFixed(2)}x the store)`);
  store.close();
}

/** The SQLite size of the store the Node import made of the same file (the app's is the same). */
let nodeStoreBytes: number | null = null;

/**
 * Resident memory of Chromium's renderer process: the page's UI thread and both workers (Linux
 * /proc; the process is the one running a dedicated worker). Null where that cannot be read.
 */
function rendererRss(): number | null {
  try {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const threads = readdirSync(`/proc/${pid}/task`);
        if (!threads.some((t) => readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').startsWith('DedicatedWorker'))) continue;
        return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
      } catch {
        // the process ended while being read
      }
    }
  } catch {
    // no /proc
  }
  return null;
}

/**
 * Run V8's garbage collection in every worker (DevTools protocol), so what the renderer still holds
 * afterwards is the store and live state, not garbage V8 had no reason to collect yet.
 */
async function collectWorkerGarbage(browser: import('@playwright/test').Browser): Promise<void> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string }[] };
    for (const t of targetInfos.filter((x) => x.type === 'worker')) {
      const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false })) as { sessionId: string };
      const done = new Promise<void>((resolveDone) => {
        const onMessage = (e: { sessionId: string; message: string }) => {
          if (e.sessionId !== sessionId || (JSON.parse(e.message) as { id?: number }).id !== 1) return;
          cdp.off('Target.receivedMessageFromTarget', onMessage);
          resolveDone();
        };
        cdp.on('Target.receivedMessageFromTarget', onMessage);
      });
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }) });
      await done;
      await cdp.send('Target.detachFromTarget', { sessionId });
    }
    await new Promise((r) => setTimeout(r, 500)); // freed pages go back to the system
  } finally {
    await cdp.detach();
  }
}

/** The web build served and Chromium launched, for the benchmarks that run in the app. */
async function withApp(fn: (browser: import('@playwright/test').Browser, url: string) => Promise<void>): Promise<void> {
  const root = resolve('dist/renderer');
  if (!existsSync(join(root, 'index.html'))) spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
  const { startWebServer } = (await import('../../src-main/web-server.mjs')) as {
    startWebServer(o: { root: string; port?: number }): Promise<{ url: string; close(): Promise<void> }>;
  };
  const { chromium } = await import('@playwright/test');
  const server = await startWebServer({ root, port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
    // The V8 flags the Electron app gives its renderer (src-main/v8-flags.ts).
    args: [`--js-flags=${RENDERER_JS_FLAGS}`, '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    await fn(browser, server.url);
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Open a file in a fresh page of the app; returns the seconds until the import report and the header's totals. */
async function importInApp(
  browser: import('@playwright/test').Browser,
  url: string,
  file: string,
): Promise<{ page: import('@playwright/test').Page; seconds: number; totals: string; rss: { before: number; peak: number; after: number } | null }> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => !document.querySelector('button[disabled]'));
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open files…' }).first().click();
  // The page notes when the report appears (Playwright's waitFor polls up to 0.5 s apart); both
  // ends read the same wall clock.
  await page.evaluate(() => {
    const w = window as unknown as { reportShownAt?: number };
    new MutationObserver((_m, obs) => {
      if (document.querySelector('[data-testid="import-report"]')) {
        w.reportShownAt = Date.now();
        obs.disconnect();
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  const before = rendererRss();
  let peak = before ?? 0;
  const timer = setInterval(() => (peak = Math.max(peak, rendererRss() ?? 0)), 100);
  const t0 = Date.now();
  await (await chooser).setFiles(file);
  await page.getByTestId('import-report').waitFor({ timeout: 600_000 });
  clearInterval(timer);
  const after = rendererRss();
  const shownAt = await page.evaluate(() => (window as unknown as { reportShownAt?: number }).reportShownAt ?? Date.now());
  const seconds = (shownAt - t0) / 1000;
  const rss = before !== null && after !== null ? { before, peak: Math.max(peak, after), after } : null;
  return { page, seconds, totals: (await page.getByTestId('totals').textContent()) ?? '', rss };
}

const count = (totals: string, what: string) => Number(new RegExp(`([\\d,]+) ${what}`).exec(totals)?.[1].replace(/,/g, '') ?? 0);

/** The mixed-signal dump through the app's pipelined import. */
async function benchBrowserMixedImport(browser: import('@playwright/test').Browser, url: string, file: string): Promise<void> {
  const s0 = stealSeconds();
  const { page, seconds, totals } = await importInApp(browser, url, file);
  const spans = count(totals, 'spans');
  report(
    `trace import, app, mixed OTLP JSON lines: traces, logs, metrics (${mb(statSync(file).size)})`,
    `${fmt(spans)} spans in ${seconds.toFixed(1)} s = ${fmt(spans / seconds)} spans/s (with ${fmt(count(totals, 'logs'))} log records)${stealSince(s0)}`,
  );
  await page.close();
}

async function benchBrowserImport(browser: import('@playwright/test').Browser, url: string, file: string): Promise<void> {
  const s0 = stealSeconds();
  const { page, seconds, totals, rss } = await importInApp(browser, url, file);
  const spans = count(totals, 'spans');
  report(`trace import, app workers in Chromium (${mb(statSync(file).size)})`, `${fmt(spans)} spans in ${seconds.toFixed(1)} s = ${fmt(spans / seconds)} spans/s${stealSince(s0)}`);
  if (rss) {
    await collectWorkerGarbage(browser);
    const collected = rendererRss() ?? rss.after;
    const ratio = (b: number) => (nodeStoreBytes ? ` (${(b / nodeStoreBytes).toFixed(2)}x)` : '');
    const grew = (b: number) => `${mb(b - rss.before)}${ratio(b - rss.before)}`;
    report('  renderer RSS growth (UI and both workers), x the store', `peak ${grew(rss.peak)} · after ${grew(rss.after)} · after the workers' GC ${grew(collected)}`);
  }
  const t1 = performance.now();
  await page.getByRole('combobox', { name: 'Sort', exact: true }).selectOption('duration');
  await page.locator('.trace-row').first().waitFor();
  report('  trace list re-sorted by duration (all traces)', `${(performance.now() - t1).toFixed(0)} ms`);
  await page.close();
}

/** A single Jaeger JSON document (300,000 spans of the same data) through the app's import: the streaming scanner's path. */
async function benchBrowserJaegerImport(browser: import('@playwright/test').Browser, url: string, jsonl: string): Promise<void> {
  const file = join(tmpdir(), `tracedeck-bench-jaeger-${SPANS}.json`);
  if (!existsSync(file)) await writeJaegerDocument(jsonl, file, Math.min(SPANS, 300_000));
  const { page, seconds, totals } = await importInApp(browser, url, file);
  const spans = count(totals, 'spans');
  report(`trace import, app, one Jaeger JSON document (${mb(statSync(file).size)})`, `${fmt(spans)} spans in ${seconds.toFixed(1)} s = ${fmt(spans / seconds)} spans/s`);
  await page.close();
}

/** JSON log lines through the app's pipelined import (parse worker → engine worker). */
async function benchBrowserLogImport(browser: import('@playwright/test').Browser, url: string): Promise<void> {
  const lines = Number(values.lines);
  const file = join(tmpdir(), `tracedeck-bench-logs-${lines}.jsonl`);
  if (!existsSync(file)) generateLogFile(file, lines, 'jsonl');
  const { page, seconds, totals } = await importInApp(browser, url, file);
  const n = count(totals, 'logs');
  report(`log import, app workers in Chromium, JSON lines (${mb(statSync(file).size)})`, `${fmt(n)} lines in ${seconds.toFixed(1)} s = ${fmt(n / seconds)} lines/s`);
  await page.close();
}

/** Open a 100,000-span trace in the app three times; the toolbar says how long each open took. */
async function benchTraceOpen(browser: import('@playwright/test').Browser, url: string): Promise<void> {
  const file = join(tmpdir(), 'tracedeck-bench-trace-100k.jsonl');
  if (!existsSync(file)) writeBigTrace(file, 100_000);
  const { page } = await importInApp(browser, url, file);
  const times: number[] = [];
  let detail = '';
  for (let k = 0; k < 3; k++) {
    await page.locator('.trace-row').first().click();
    const stats = page.getByText(/opened in \d+ ms/);
    await stats.waitFor({ timeout: 60_000 });
    times.push(Number(/opened in (\d+) ms/.exec((await stats.textContent()) ?? '')?.[1]));
    // The critical and error paths arrive after the rows: their timings are in the title then.
    await page.getByTestId('analyses-pending').waitFor({ state: 'detached', timeout: 60_000 });
    detail = (await page.getByTestId('trace-stats').getAttribute('title')) ?? '';
    await page.getByRole('button', { name: '← Traces' }).click();
  }
  report('100,000-span trace opened in the app (first, then warm)', `${times.map((t) => `${t} ms`).join(', ')}`);
  if (detail) report('  of which, in the worker (last open)', detail.replace(/^in the engine: /, ''));
  await page.close();
}

/**
 * The workspace file at full size: import the generated spans, then Save (the engine streams the
 * SQLite file into a temporary file beside the target, renamed once whole), first to a new file
 * (Save As), then again to the same one, and reopen it (the file read, checked and opened, then
 * the trace list's first page, as the app asks it). The app does the same in its engine worker.
 * Each save's time is split into SQLite's backup (the engine's CPU) and the file system's part
 * (the sink's writes, truncate and rename); memory is the process's resident set and the wasm
 * heap before and at most during the save.
 */
async function benchWorkspaceFile(file: string): Promise<void> {
  const SQL = await loadSqlJs();
  const core = new EngineCore(await importedStore(file));
  const r = core.totals();
  const out = join(tmpdir(), `tracedeck-bench-${SPANS}.tracedeck`);
  rmSync(out, { force: true });
  const wasm = sqliteC(SQL).memory;
  const sec = (ms: number) => (ms / 1000).toFixed(2);
  const load = () => `load ${loadavg()[0].toFixed(2)}`;
  const save = async (what: string) => {
    const rss0 = process.memoryUsage.rss();
    const wasm0 = wasm.buffer.byteLength;
    let peak = rss0;
    let fsMs = 0;
    const sink = nodeFileSink(out);
    const timed = <A extends unknown[]>(fn: (...a: A) => void) => (...a: A) => {
      const t = performance.now();
      fn(...a);
      fsMs += performance.now() - t;
      peak = Math.max(peak, process.memoryUsage.rss());
    };
    const s0 = stealSeconds();
    const l0 = load();
    const t0 = performance.now();
    const { bytes } = await streamWorkspace(core.store, { write: timed(sink.write), close: timed(sink.close), abort: sink.abort });
    const ms = performance.now() - t0;
    report(
      `save workspace, ${what}, ${fmt(r.spans)} spans (${mb(bytes)})`,
      `${sec(ms)} s (SQLite's backup ${sec(ms - fsMs)} s, file system ${sec(fsMs)} s; ${l0})${stealSince(s0)}`,
    );
    report(
      '  memory during that save',
      `resident ${mb(rss0)} before, at most +${mb(peak - rss0)} during; wasm heap ${mb(wasm0)}, +${mb(wasm.buffer.byteLength - wasm0)}`,
    );
    return bytes;
  };
  await save('Save As to a new file');
  await save('again to the same file');
  // The view state goes in through the engine's own request, as the app's Save sends it.
  const size = await core.saveWorkspace({ kind: 'path', path: out }, { route: '#/traces', kept: {} });
  // The SQL console still takes the workspace as one array: its cost, for comparison.
  const rss0 = process.memoryUsage.rss();
  let t0 = performance.now();
  const bytes = core.exportWorkspace();
  const exportMs = performance.now() - t0;
  report(`  the workspace as one array (the SQL console's copy)`, `${sec(exportMs)} s, resident +${mb(process.memoryUsage.rss() - rss0)} (${load()})`);
  if (bytes.length !== size) throw new Error(`the streamed file has ${size} bytes, the array ${bytes.length}`);
  core.store.close();
  const s1 = stealSeconds();
  t0 = performance.now();
  const reopened = new EngineCore(Store.create(SQL));
  const saved = readFileSync(out);
  const readMs = performance.now() - t0;
  const totals = reopened.openWorkspace(new Uint8Array(saved.buffer, saved.byteOffset, saved.length), out);
  const openedMs = performance.now() - t0;
  const page = reopened.listTraces({ offset: 0, limit: 100, sort: 'start' });
  const openMs = performance.now() - t0;
  if (totals.spans !== r.spans || page.length === 0) throw new Error(`reopened workspace holds ${totals.spans} spans, not ${r.spans}`);
  report(
    `reopen workspace to the trace list, ${fmt(totals.spans)} spans`,
    `${sec(openMs)} s (read ${sec(readMs)} s, checked and opened ${sec(openedMs - readMs)} s, first page of ${fmt(totals.traces)} traces ${sec(openMs - openedMs)} s; ${load()})${stealSince(s1)}`,
  );
  reopened.store.close();
  rmSync(out, { force: true });
}

function best(fn: () => unknown, runs = 5): number {
  fn();
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

function benchAnalysis(): void {
  const random = randomTrace(100_000);
  const tree = buildTraceTree(random);
  report('buildTraceTree, 100,000-span random trace', `${best(() => buildTraceTree(random)).toFixed(1)} ms`);
  report('critical path, 100,000-span random trace (tree built)', `${best(() => computeCriticalPath(random, tree)).toFixed(1)} ms`);
  report('critical path, 100,000-span random trace (incl. tree)', `${best(() => computeCriticalPath(random)).toFixed(1)} ms`);
  const fan = fanOut(100_000);
  const fanTree = buildTraceTree(fan);
  report('critical path, 100,000-child fan-out (tree built)', `${best(() => computeCriticalPath(fan, fanTree)).toFixed(1)} ms`);
  const seq = sequence(10_000);
  report('critical path, 10,000 sequential children (incl. tree)', `${best(() => computeCriticalPath(seq)).toFixed(1)} ms`);
  const deep = chain(100_000);
  report('critical path, 100,000-deep chain (incl. tree)', `${best(() => computeCriticalPath(deep), 2).toFixed(1)} ms`);
}

async function main(): Promise<void> {
  console.log(`Tracedeck benchmarks — Node ${process.version}, ${new Date().toISOString()}`);
  if (want('analysis')) benchAnalysis();
  if (want('proto')) {
    const r = benchOtlpProto(200_000);
    report('OTLP/protobuf decode only, 200,000 spans', `${fmt(r.spansPerSecond)} spans/s (${mb(r.bytes)})`);
  }
  if (want('import') || want('browser')) {
    const file = join(dataset(SPANS), 'traces.otlp.jsonl');
    const mixed = await mixedDataset(file);
    if (want('import')) {
      await benchNodeImport(file);
      await benchNodeImport(mixed, true);
    }
    if (want('browser') && !values['skip-browser']) {
      await withApp(async (browser, url) => {
        await benchBrowserImport(browser, url, file);
        await benchBrowserMixedImport(browser, url, mixed);
        await benchBrowserJaegerImport(browser, url, file);
        await benchTraceOpen(browser, url);
      });
    }
  }
  if (want('search') || want('aggregate')) {
    const store = await importedStore(join(dataset(SPANS), 'traces.otlp.jsonl'));
    if (want('search')) {
      benchSpanIndex(store, SPANS, report);
      benchSearch(store, SPANS, report, (fn, runs) => best(fn, runs ?? 3));
      benchServiceMap(store, SPANS, report, (fn, runs) => best(fn, runs ?? 3));
    }
    if (want('aggregate')) await runAggregateBench(store, report);
    store.close();
  }
  if (want('failures')) {
    // Root causes of every failing request of the generated incident: each failing trace read and
    // its error origins found, then grouped (the Failures screen's and `tracedeck root-causes`' request).
    const store = await importedStore(join(dataset(SPANS), 'traces.otlp.jsonl'));
    const core = new EngineCore(store);
    let failing = 0;
    let groups = 0;
    const ms = best(() => {
      const r = core.rootCauses({});
      failing = r.failing;
      groups = r.groups.length;
    }, 3);
    report(`root causes of the failing requests (${fmt(SPANS)} spans)`, `${ms.toFixed(0)} ms, ${fmt(failing)} failing in ${groups} group${groups === 1 ? '' : 's'}`);
    store.close();
  }
  if (want('scatter') && !values['skip-browser']) await benchScatterPaint(1_000_000, report);
  if (want('workspace')) await benchWorkspaceFile(join(dataset(SPANS), 'traces.otlp.jsonl'));
  if (want('logs')) {
    await runLogsBench(Number(values.lines), report);
    if (!values['skip-browser']) await withApp(benchBrowserLogImport);
  }
  console.log('\nsummary');
  for (const [what, figure] of rows) console.log(`  ${what}: ${figure}`);
}

await main();
