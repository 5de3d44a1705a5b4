// Trace search and the service map over the generated incident (npm run bench -- --only search):
// each query as the trace list first asks it (the matching set, ordered, and its first page), with
// a new searcher each run, so no match, result or order is reused from the run before; the traces
// table, read once per data version, is timed on its own (the list as first shown after import).
// Searches run with the span search index complete (benchSpanIndex builds it first), as in the app
// once it is built.

import { createReadStream, statSync } from 'node:fs';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { ImportJob } from '../../src-renderer/engine/import-job.ts';
import { TraceSearch, TraceTables } from '../../src-renderer/engine/trace-search.ts';
import { ServiceMapCache } from '../../src-renderer/engine/service-map.ts';
import { spanIndexBytes } from '../../src-renderer/store/span-index.ts';
import { spanIndexStep } from '../../src-renderer/engine/span-index-step.ts';

type Report = (what: string, figure: string) => void;

/** The store of one imported file, for the benchmarks that query it. */
export async function importedStore(file: string): Promise<Store> {
  const store = Store.create(await loadSqlJs());
  const job = new ImportJob(store, 'traces.otlp.jsonl', statSync(file).size);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) job.push(chunk as Uint8Array);
  job.end();
  return store;
}

/**
 * The span search index, built after the import as the app builds it (in steps between requests),
 * here all at once: how long it takes, how long its steps take against their 40 ms (wall time, and
 * the CPU time that leaves out waiting on other processes), and the memory it holds. The workspace
 * file does not hold it.
 */
export function benchSpanIndex(store: Store, spans: number, report: Report): void {
  const t0 = performance.now();
  const steps: number[] = [];
  let slowestCpu = 0;
  for (;;) {
    const s0 = performance.now();
    const c0 = process.cpuUsage();
    const p = spanIndexStep(store, 40);
    const c = process.cpuUsage(c0);
    steps.push(performance.now() - s0);
    slowestCpu = Math.max(slowestCpu, (c.user + c.system) / 1000);
    if (p.done) break;
  }
  const s = (performance.now() - t0) / 1000;
  steps.sort((a, b) => a - b);
  const at = (q: number) => steps[Math.min(steps.length - 1, Math.floor(q * steps.length))].toFixed(0);
  report(
    `span search index, built after import (${new Intl.NumberFormat('en-US').format(spans)} spans)`,
    `${s.toFixed(1)} s in ${steps.length} steps of 40 ms (median ${at(0.5)} ms, 95% ${at(0.95)} ms, slowest ${at(1)} ms; the most CPU one step took ${slowestCpu.toFixed(0)} ms), ${(spanIndexBytes(store) / 2 ** 20).toFixed(0)} MB in memory`,
  );
}

/**
 * `best` times a function: the best of a few runs. First the trace list as it first shows after an
 * import (every trace, slowest first): the traces table read into columns and its order by duration
 * made, once per data version. Then each search with a new searcher per run (no match, result or
 * order kept from the run before) over that table, as the app's later searches run.
 */
export function benchSearch(store: Store, spans: number, report: Report, best: (fn: () => unknown, runs?: number) => number): void {
  const n = new Intl.NumberFormat('en-US').format(spans);
  const someId = store.db.exec('SELECT trace_id FROM traces ORDER BY duration_ns DESC LIMIT 1')[0].values[0][0] as string;
  const first = { query: '', sort: 'duration' as const, offset: 0, limit: 100 };
  report(`trace list as first shown after import: traces table read, ordered by duration (${n} spans)`, `${best(() => new TraceSearch(store).search(first)).toFixed(0)} ms`);
  const tables = new TraceTables(store);
  const t0 = performance.now();
  void tables.table;
  report('  of which the traces table read into columns (once per data version)', `${(performance.now() - t0).toFixed(0)} ms`);
  const queries: Array<[string, string]> = [
    ['every trace, slowest first', ''],
    ['service and error', 'service=checkout error=true'],
    ['trace duration', 'trace.duration>2s'],
    ['numeric attribute', 'http.response.status_code>=500'],
    ['attribute on a span of one service', 'service=postgres db.system=postgresql'],
    ['free text', 'timeout'],
    ['time range and span duration', 'from=10:10 to=10:20 duration>500ms'],
    ['trace id prefix', `trace.id=${someId.slice(0, 8)}`],
  ];
  for (const [what, query] of queries) {
    let total = 0;
    const ms = best(() => {
      tables.orders.clear(); // each run sorts as a new query does (the table stays: it is read once per data version)
      total = new TraceSearch(store, tables).search({ query, sort: 'duration', offset: 0, limit: 100 }).total;
    });
    report(`trace search, ${what} (${n} spans)`, `${ms.toFixed(0)} ms, ${total} traces  [${query || 'empty query'}]`);
  }
  const search = new TraceSearch(store, tables);
  search.search({ query: 'service=checkout', sort: 'duration', offset: 0, limit: 100 });
  report('  the next page of the same search', `${best(() => search.search({ query: 'service=checkout', sort: 'duration', offset: 5000, limit: 100 }), 5).toFixed(1)} ms`);
  // After a search, what the list and the scatter ask of the same match: another order, the points.
  const after = (query: string, then: (s: TraceSearch) => unknown) =>
    Math.min(...[0, 1, 2].map(() => {
      const s = new TraceSearch(store, tables);
      s.search({ query, sort: 'duration', offset: 0, limit: 100 });
      const t = performance.now();
      then(s);
      return performance.now() - t;
    }));
  const pg = 'service=postgres db.system=postgresql';
  report(`  [${pg}] sorted again, by start`, `${after(pg, (s) => s.search({ query: pg, sort: 'start', offset: 0, limit: 100 })).toFixed(1)} ms`);
  report(`  [${pg}] as the scatter's points`, `${after(pg, (s) => s.scatter(pg)).toFixed(1)} ms`);
}

/** The service map and per-operation p50/p99: the summary built once after the import, then each request from it. */
export function benchServiceMap(store: Store, spans: number, report: Report, best: (fn: () => unknown, runs?: number) => number): void {
  const n = new Intl.NumberFormat('en-US').format(spans);
  const cache = new ServiceMapCache(store);
  const t0 = performance.now();
  cache.summary();
  report(`service map summary, built once after import (${n} spans)`, `${(performance.now() - t0).toFixed(0)} ms`);
  let edges = 0;
  report(`service map from the summary (${n} spans)`, `${best(() => (edges = cache.map().edges.length), 5).toFixed(1)} ms, ${edges} edges`);
  let ops = 0;
  report(`p50/p99 per service and operation from the summary (${n} spans)`, `${best(() => (ops = cache.operations().length), 5).toFixed(1)} ms, ${ops} operations`);
}
