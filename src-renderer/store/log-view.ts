// Queries of the log view: every source merged by time, filtered, paged, bucketed and
// searched. The view is virtualised over up to millions of lines and asks for arbitrary pages
// (a dragged scrollbar lands anywhere), so OFFSET paging on the time index would walk the index
// from the start for every deep page. Instead the filtered order is computed once per filter into
// an Int32Array of log_row ids (one index scan, no sort: logs_by_time is (time_ns, rowid)) and a
// page is a lookup of up to `limit` rows by primary key. Search hits are mapped to positions in
// that order through the inverse array, so next/previous is a binary search.

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';
import { SEVERITY_CODES } from './schema.ts';
import { logQueryRows } from './log-search.ts';
import { parseLogQuery, type LogQuery } from '../core/analysis/log-query.ts';
import { numberColumn } from './number-column.ts';
import { lowerBound } from '../core/base/sorted.ts';

/** What the user filters on. Empty or absent lists mean "all". Times are epoch ns as decimal strings. */
export interface LogFilter {
  /** Inclusive. */
  fromNs?: string | null;
  /** Exclusive. */
  toNs?: string | null;
  /** Severity names, plus 'unknown' for lines without a readable level. */
  severities?: string[];
  /** Service names; '' selects lines without a service. */
  services?: string[];
  fileIds?: number[];
  hasTrace?: boolean;
  /** A log search (core/analysis/log-query.ts): only the lines it matches. */
  query?: string | null;
}

/** What every read of one log line gives (the log view's pages, the record panel). */
export interface LogLineFields {
  row: number;
  fileId: number;
  /** Epoch ns as a decimal string, or null when the line had no timestamp. */
  timeNs: string | null;
  severity: string | null;
  severityText: string | null;
  service: string | null;
  message: string;
  traceId: string | null;
  spanId: string | null;
  /** The trace id has 64 bits only (Datadog, 64-bit B3): it matches the low half of a 128-bit id. */
  partial: boolean;
}

/** A line of the log view; its message is cut to MESSAGE_CUT characters (a row shows one line of it). */
export interface LogLine extends LogLineFields {
  /** The trace id is in the workspace (exact ids only; partial ids are resolved on demand). */
  traceKnown: boolean;
}

const MESSAGE_CUT = 400;

interface Where {
  sql: string;
  params: SqlValue[];
}

/** The WHERE clause of a filter: fixed fragments, every value bound. */
export function logWhere(f: LogFilter, alias = ''): Where {
  const a = alias ? `${alias}.` : '';
  const parts: string[] = [];
  const params: SqlValue[] = [];
  if (f.fromNs) {
    parts.push(`${a}time_ns >= CAST(? AS INTEGER)`);
    params.push(BigInt(f.fromNs).toString());
  }
  if (f.toNs) {
    parts.push(`${a}time_ns < CAST(? AS INTEGER)`);
    params.push(BigInt(f.toNs).toString());
  }
  if (f.severities && f.severities.length > 0) {
    const codes = f.severities.map((s) => (SEVERITY_CODES as readonly string[]).indexOf(s)).filter((c) => c >= 0);
    const or: string[] = [];
    if (codes.length > 0) {
      or.push(`${a}severity IN (${codes.map(() => '?').join(',')})`);
      params.push(...codes);
    }
    if (f.severities.includes('unknown')) or.push(`${a}severity IS NULL`);
    parts.push(or.length > 0 ? `(${or.join(' OR ')})` : '0');
  }
  if (f.services && f.services.length > 0) {
    const named = f.services.filter((s) => s !== '');
    const or: string[] = [];
    if (named.length > 0) {
      or.push(`${a}service IN (${named.map(() => '?').join(',')})`);
      params.push(...named);
    }
    if (f.services.includes('')) or.push(`${a}service IS NULL`);
    parts.push(`(${or.join(' OR ')})`);
  }
  if (f.fileIds && f.fileIds.length > 0) {
    parts.push(`${a}file_id IN (${f.fileIds.map(() => '?').join(',')})`);
    params.push(...f.fileIds);
  }
  if (f.hasTrace) parts.push(`${a}trace_id IS NOT NULL`);
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** A filter's identity, for caches (same filter, same data → same order). */
export function filterKey(f: LogFilter): string {
  const sorted = (xs?: Array<string | number>) => (xs && xs.length > 0 ? [...xs].map(String).sort() : []);
  return JSON.stringify([f.fromNs ?? '', f.toNs ?? '', sorted(f.severities), sorted(f.services), sorted(f.fileIds), !!f.hasTrace, f.query?.trim() ?? '']);
}

/**
 * The log_row ids of the lines a filter keeps, in time order (lines without a time first).
 * Measured on 1M lines: walking the time index costs ~0.2 s when every line is kept (or a time
 * range bounds the walk), but with a filter on other columns it visits rows in time order, not
 * storage order, and takes ~2.7 s; scanning the table and sorting the survivors takes ~0.4 s.
 */
export function logOrder(store: Store, f: LogFilter): Int32Array {
  const w = logWhere(f);
  const onlyTime = !(f.severities?.length || f.services?.length || f.fileIds?.length || f.hasTrace);
  const access = onlyTime || f.fromNs || f.toNs ? 'INDEXED BY logs_by_time' : 'NOT INDEXED';
  return numberColumn(store, `SELECT log_row FROM logs ${access} ${w.sql} ORDER BY time_ns, log_row`, w.params, (n) => new Int32Array(n));
}

/** The largest log_row: changes whenever lines are added (or an import is rolled back). */
export function logVersion(store: Store): string {
  const r = store.db.exec('SELECT coalesce(max(log_row), 0), (SELECT count(*) FROM files) FROM logs')[0].values[0];
  return `${r[0]}:${r[1]}`;
}

const PAGE_COLUMNS = `log_row, CAST(time_ns AS TEXT), severity, severity_text, service, substr(message, 1, ${MESSAGE_CUT}), trace_id, span_id,
  trace_id_partial, file_id, (trace_id_partial = 0 AND EXISTS (SELECT 1 FROM traces t WHERE t.trace_id = logs.trace_id))`;

/** The lines with these log_row ids, in the order given. */
export function logLines(store: Store, rows: ArrayLike<number>): LogLine[] {
  if (rows.length === 0) return [];
  const byRow = new Map<number, LogLine>();
  const CHUNK = 500;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const ids = Array.from({ length: Math.min(CHUNK, rows.length - i) }, (_, k) => rows[i + k]);
    const st = store.db.prepare(`SELECT ${PAGE_COLUMNS} FROM logs WHERE log_row IN (${ids.map(() => '?').join(',')})`);
    try {
      st.bind(ids);
      while (st.step()) {
        const r = st.get();
        byRow.set(r[0] as number, {
          row: r[0] as number, timeNs: r[1] as string | null, severity: r[2] == null ? null : (SEVERITY_CODES[r[2] as number] ?? null),
          severityText: r[3] as string | null, service: r[4] as string | null, message: r[5] as string, traceId: r[6] as string | null,
          spanId: r[7] as string | null, partial: r[8] === 1, fileId: r[9] as number, traceKnown: r[10] === 1,
        });
      }
    } finally {
      st.free();
    }
  }
  const out: LogLine[] = [];
  for (let i = 0; i < rows.length; i++) {
    const l = byRow.get(rows[i]);
    if (l) out.push(l);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Facets and histogram

export interface LogFacets {
  total: number;
  withTrace: number;
  /** Epoch ns strings of the earliest and latest timed line, or null when none has a time. */
  minNs: string | null;
  maxNs: string | null;
  severities: Array<{ severity: string; count: number }>;
  services: Array<{ service: string; count: number }>;
  sources: Array<{ fileId: number; name: string; count: number }>;
}

/**
 * One pass over the lines, counted in JavaScript: on 1M lines three GROUP BYs take ~2 s and one
 * GROUP BY of all four keys ~5 s (both sort), the pass ~0.5 s.
 */
export function logFacets(store: Store): LogFacets {
  const head = store.db.exec('SELECT CAST(min(time_ns) AS TEXT), CAST(max(time_ns) AS TEXT) FROM logs')[0].values[0];
  const sev = new Array<number>(SEVERITY_CODES.length + 1).fill(0);
  const services = new Map<string, number>();
  const files = new Map<number, number>();
  let total = 0;
  let withTrace = 0;
  const st = store.db.prepare('SELECT severity, service, file_id, trace_id IS NOT NULL FROM logs');
  try {
    while (st.step()) {
      const r = st.get();
      total++;
      sev[r[0] == null ? SEVERITY_CODES.length : (r[0] as number)]++;
      const svc = (r[1] as string | null) ?? '';
      services.set(svc, (services.get(svc) ?? 0) + 1);
      files.set(r[2] as number, (files.get(r[2] as number) ?? 0) + 1);
      if (r[3] === 1) withTrace++;
    }
  } finally {
    st.free();
  }
  const names = new Map<number, string>((store.db.exec('SELECT file_id, name FROM files')[0]?.values ?? []).map((r) => [r[0] as number, r[1] as string]));
  const order = [SEVERITY_CODES.length, ...SEVERITY_CODES.map((_, i) => i)];
  return {
    total,
    withTrace,
    minNs: head[0] as string | null,
    maxNs: head[1] as string | null,
    severities: order.filter((i) => sev[i] > 0).map((i) => ({ severity: SEVERITY_CODES[i] ?? 'unknown', count: sev[i] })),
    services: [...services].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([service, count]) => ({ service, count })),
    sources: [...files].sort((a, b) => a[0] - b[0]).map(([fileId, count]) => ({ fileId, name: names.get(fileId) ?? '', count })),
  };
}

export interface LogHistogram {
  /** Epoch ns of bucket 0's start, as a decimal string; empty when no line has a time. */
  startNs: string;
  bucketNs: number;
  /** Bucket start times in seconds since the epoch (uPlot's time axis). */
  xs: number[];
  /** One series per severity name (SEVERITY_CODES order, then 'unknown'): counts per bucket. */
  series: Array<{ severity: string; counts: number[] }>;
}

/** Bucket widths the histogram picks from: round numbers a reader can name. */
const NICE_BUCKETS_NS = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 2e9, 5e9, 1e10, 15e9, 3e10, 6e10, 12e10, 3e11, 6e11, 9e11, 18e11, 36e11, 108e11, 216e11, 432e11, 864e11]
  .map((x) => Math.round(x));

/** Pick the smallest round width giving at most `maxBuckets` buckets over [from, to). */
export function pickBucketNs(spanNs: bigint, maxBuckets: number): number {
  for (const b of NICE_BUCKETS_NS) if (spanNs <= BigInt(b) * BigInt(maxBuckets)) return b;
  return Number((spanNs + BigInt(maxBuckets) - 1n) / BigInt(maxBuckets));
}

/**
 * Count lines per (bucket, severity) under a filter. The range is the filter's time range when it
 * has one, otherwise the range of the lines it keeps; buckets are aligned to multiples of their
 * width so the edges fall on round times. `only` (ascending log_rows, a search's matches) keeps
 * just those lines.
 *
 *   lines:   |  ..  .   ...|.       |
 *   buckets: [ b0  )[ b1  )[ b2  )
 */
export function logHistogram(store: Store, f: LogFilter, maxBuckets = 120, only: Int32Array | null = null): LogHistogram {
  const w = logWhere(f);
  let from = f.fromNs ? BigInt(f.fromNs) : null;
  let to = f.toNs ? BigInt(f.toNs) : null;
  if (from === null || to === null) {
    const timed = logWhere({ ...f, fromNs: null, toNs: null });
    const cond = timed.sql ? `${timed.sql} AND time_ns IS NOT NULL` : 'WHERE time_ns IS NOT NULL';
    const r = store.db.exec(`SELECT CAST(min(time_ns) AS TEXT), CAST(max(time_ns) AS TEXT) FROM logs ${cond}`, timed.params)[0].values[0];
    if (r[0] == null) return { startNs: '', bucketNs: 0, xs: [], series: [] };
    from ??= BigInt(r[0] as string);
    to ??= BigInt(r[1] as string) + 1n;
  }
  if (to <= from) to = from + 1n;
  const bucketNs = pickBucketNs(to - from, maxBuckets);
  const bucket = BigInt(bucketNs);
  const start = (from / bucket) * bucket;
  const n = Number((to - start + bucket - 1n) / bucket);
  const names = [...SEVERITY_CODES, 'unknown'];
  const counts = names.map(() => new Array<number>(n).fill(0));
  const cond = w.sql ? `${w.sql} AND time_ns IS NOT NULL` : 'WHERE time_ns IS NOT NULL';
  // Counted in JavaScript: GROUP BY sorts every line (~2.9 s on 1M), one pass takes ~0.4 s.
  const access = w.sql.includes('time_ns') ? '' : 'NOT INDEXED';
  const keep = only && only.length > 0 ? new Uint8Array(only[only.length - 1] + 1) : null;
  if (keep && only) for (let i = 0; i < only.length; i++) keep[only[i]] = 1;
  const st = store.db.prepare(`SELECT (time_ns - CAST(? AS INTEGER)) / CAST(? AS INTEGER), coalesce(severity, ${SEVERITY_CODES.length}), log_row FROM logs ${access} ${cond}`);
  try {
    // Both bound as text and cast: a JS number binds as a double, which makes the division fractional.
    st.bind([start.toString(), String(bucketNs), ...w.params]);
    while (st.step()) {
      const r = st.get();
      const b = r[0] as number;
      if (only && !keep?.[r[2] as number]) continue;
      if (b >= 0 && b < n) counts[r[1] as number][b]++;
    }
  } finally {
    st.free();
  }
  const xs = Array.from({ length: n }, (_, i) => Number(start + BigInt(i) * bucket) / 1e9);
  return { startNs: start.toString(), bucketNs, xs, series: names.map((severity, i) => ({ severity, counts: counts[i] })) };
}

// ---------------------------------------------------------------------------------------------
// The order of the current filter, kept between pages

/** Holds the order of the last filter asked for (the view asks for many pages of one filter). */
export class LogViewCache {
  private key = '';
  private order: Int32Array = new Int32Array(0);
  private inverse: Int32Array | null = null;
  private matchKey = '';
  private matched: { query: LogQuery; rows: Int32Array } | null = null;

  constructor(private readonly store: Store) {}

  /** log_row ids in view order; recomputed when the filter or the data changed. */
  orderOf(f: LogFilter): Int32Array {
    const key = `${filterKey(f)}|${logVersion(this.store)}`;
    if (key !== this.key) {
      const base = logOrder(this.store, f);
      this.order = f.query?.trim() ? keepRows(base, this.match({ ...f, query: null }, f.query, base).rows) : base;
      this.inverse = null;
      this.key = key;
    }
    return this.order;
  }

  /**
   * The log_rows a search matches among the lines a filter (without a query) keeps, ascending,
   * with the parsed query (its errors are the user's to see). Kept for the last query: the count,
   * the page and the hits of one search all ask for it.
   */
  match(f: LogFilter, text: string, base?: Int32Array): { query: LogQuery; rows: Int32Array } {
    const plain = { ...f, query: null };
    const key = `${filterKey(plain)}|${logVersion(this.store)}|${text.trim()}`;
    if (key !== this.matchKey || !this.matched) {
      const query = parseLogQuery(text);
      const universe = () => Int32Array.from(base ?? this.orderOf(plain)).sort();
      this.matched = { query, rows: logQueryRows(this.store, query.expr, universe) };
      this.matchKey = key;
    }
    return this.matched;
  }

  /** Position in view of each log_row (-1 when filtered out), built on first need. */
  inverseOf(f: LogFilter): Int32Array {
    const order = this.orderOf(f);
    if (!this.inverse) {
      let max = 0;
      for (let i = 0; i < order.length; i++) if (order[i] > max) max = order[i];
      const inv = new Int32Array(max + 1).fill(-1);
      for (let i = 0; i < order.length; i++) inv[order[i]] = i;
      this.inverse = inv;
    }
    return this.inverse;
  }

  page(f: LogFilter, offset: number, limit: number): LogLine[] {
    const order = this.orderOf(f);
    return logLines(this.store, order.subarray(Math.max(0, offset), Math.max(0, offset + limit)));
  }

  /** Positions in view of the given log_rows that the filter keeps, ascending. */
  positionsOf(f: LogFilter, rows: Int32Array): Int32Array {
    const inv = this.inverseOf(f);
    const out = new Int32Array(rows.length);
    let n = 0;
    for (let i = 0; i < rows.length; i++) {
      const p = rows[i] < inv.length ? inv[rows[i]] : -1;
      if (p >= 0) out[n++] = p;
    }
    return out.slice(0, n).sort();
  }
}

/** The ids of `order` that are in `sorted` (ascending), in the order given. */
function keepRows(order: Int32Array, sorted: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  let n = 0;
  for (let i = 0; i < order.length; i++) {
    const x = order[i];
    const lo = lowerBound(sorted, x);
    if (lo < sorted.length && sorted[lo] === x) out[n++] = x;
  }
  return out.slice(0, n);
}
