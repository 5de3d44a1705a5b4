// The merged log view (all sources by time), its severity histogram and full-text search.
//
// Paging: the view is materialised as a temporary table of positions (log_view: pos -> log_row),
// rebuilt when the filter changes, and pages are read by position range. Why not keyset or
// OFFSET: a virtual list of 1,000,000 lines needs the exact total (scrollbar size) and random
// access (dragging the scrollbar to 73%). OFFSET walks every skipped row (O(offset) per page);
// keyset paging is O(page) but only moves from a known row to its neighbours. Positions give
// both: one ordered scan to build (on the time index), then O(page) reads anywhere, and search
// hits map to positions for next/previous navigation.
//
// Full-text search: FTS4 over messages (external content: the text is stored once, in logs),
// built in batches after import (buildFtsBatch) so the worker can interleave it with queries.
// Until it is complete, rows past the indexed ones are matched with LIKE, so results are right
// while it builds, only slower.

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';
import { SEVERITY_CODES } from './schema.ts';
import type { Severity } from '../core/model/log.ts';

export interface LogFilter {
  /** Inclusive time range, epoch ns (BigInt or decimal string). */
  fromNs?: bigint | string | null;
  toNs?: bigint | string | null;
  /** Severities to show; 'unknown' selects lines without a level. Empty or absent: all. */
  severities?: Array<Severity | 'unknown'>;
  services?: string[];
  fileIds?: number[];
  /** true: only lines with a trace id; false: only lines without. */
  hasTraceId?: boolean | null;
  /** Full-text match over messages (words; a trailing * is a prefix). */
  text?: string | null;
}

/** Columns of a page row, in order (rows are arrays: faster to read and to post to the UI). */
export const LOG_VIEW_COLUMNS = [
  'pos', 'logRow', 'timeNs', 'severity', 'service', 'message', 'traceId', 'spanId', 'fileId', 'line', 'partial', 'inferredSpanRow',
] as const;
export type LogViewRow = [
  pos: number, logRow: number, timeNs: string | null, severity: number | null, service: string | null, message: string, traceId: string | null,
  spanId: string | null, fileId: number, line: number, partial: number, inferredSpanRow: number | null,
];

/** Longest message text a page row carries; the full record comes from the side panel query. */
const PAGE_MESSAGE_CHARS = 2000;

/** FTS4 query for user text: each word quoted (no operator injection), a trailing * kept as prefix. */
export function toFtsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => {
      const prefix = w.endsWith('*');
      const core = w.replace(/["*]/g, '').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      return core ? `"${core}${prefix ? '*' : ''}"` : '';
    })
    .filter((w) => w);
  return words.length > 0 ? words.join(' ') : null;
}

function likePattern(text: string): string {
  return `%${text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function ftsIndexedUpTo(store: Store): number {
  const r = store.db.exec('SELECT last_row FROM logs_fts_state WHERE id = 1');
  return r.length > 0 ? (r[0].values[0][0] as number) : 0;
}

/** WHERE clause and parameters for a filter (over `logs l`). */
function whereOf(store: Store, f: LogFilter, ignoreTime = false): { sql: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  if (!ignoreTime && f.fromNs != null) {
    parts.push('l.time_ns >= ?');
    params.push(BigInt(f.fromNs) as unknown as SqlValue);
  }
  if (!ignoreTime && f.toNs != null) {
    parts.push('l.time_ns <= ?');
    params.push(BigInt(f.toNs) as unknown as SqlValue);
  }
  if (f.severities && f.severities.length > 0) {
    const codes = f.severities.filter((s) => s !== 'unknown').map((s) => SEVERITY_CODES.indexOf(s as Severity));
    const alts: string[] = [];
    if (codes.length > 0) {
      alts.push(`l.severity IN (${codes.map(() => '?').join(',')})`);
      params.push(...codes);
    }
    if (f.severities.includes('unknown')) alts.push('l.severity IS NULL');
    parts.push(`(${alts.join(' OR ')})`);
  }
  if (f.services && f.services.length > 0) {
    parts.push(`l.service IN (${f.services.map(() => '?').join(',')})`);
    params.push(...f.services);
  }
  if (f.fileIds && f.fileIds.length > 0) {
    parts.push(`l.file_id IN (${f.fileIds.map(() => '?').join(',')})`);
    params.push(...f.fileIds);
  }
  if (f.hasTraceId === true) parts.push('l.trace_id IS NOT NULL');
  if (f.hasTraceId === false) parts.push('l.trace_id IS NULL');
  if (f.text && f.text.trim() !== '') {
    const q = toFtsQuery(f.text);
    const upTo = ftsIndexedUpTo(store);
    if (q) {
      parts.push(`(l.log_row IN (SELECT docid FROM logs_fts WHERE logs_fts MATCH ?) OR (l.log_row > ? AND l.message LIKE ? ESCAPE '\\'))`);
      params.push(q, upTo, likePattern(f.text));
    } else {
      parts.push(`l.message LIKE ? ESCAPE '\\'`);
      params.push(likePattern(f.text));
    }
  }
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

const viewFilters = new WeakMap<Store, LogFilter>();

/**
 * Build the merged view for a filter: all sources ordered by time (lines without a time first,
 * then by import order). Returns the number of lines in it.
 */
export function openLogView(store: Store, filter: LogFilter = {}): { total: number } {
  const db = store.db;
  db.exec('CREATE TEMP TABLE IF NOT EXISTS log_view (pos INTEGER PRIMARY KEY, log_row INTEGER NOT NULL); DELETE FROM log_view;');
  const { sql, params } = whereOf(store, filter);
  db.run(`INSERT INTO log_view (log_row) SELECT l.log_row FROM logs l ${sql} ORDER BY l.time_ns, l.log_row`, params);
  viewFilters.set(store, filter);
  return { total: Number(db.exec('SELECT count(*) FROM log_view')[0].values[0][0]) };
}

/** Rows `from` (0-based position) to `from + count - 1` of the open view. */
export function logViewPage(store: Store, from: number, count: number): LogViewRow[] {
  let st;
  try {
    st = store.stmt(
      `SELECT v.pos - 1, l.log_row, CAST(l.time_ns AS TEXT), l.severity, l.service, substr(l.message, 1, ${PAGE_MESSAGE_CHARS}), l.trace_id, l.span_id,
         l.file_id, l.line, l.trace_id_partial, i.span_row
       FROM log_view v JOIN logs l ON l.log_row = v.log_row LEFT JOIN log_inferred i ON i.log_row = l.log_row
       WHERE v.pos > ? AND v.pos <= ? ORDER BY v.pos`,
    );
  } catch {
    // The temp table goes away when the database is exported (sql.js reopens it): rebuild.
    openLogView(store, viewFilters.get(store) ?? {});
    return logViewPage(store, from, count);
  }
  st.bind([from, from + count]);
  const out: LogViewRow[] = [];
  while (st.step()) out.push(st.get() as LogViewRow);
  st.reset();
  return out;
}

/** One line's full record (all fields) for the side panel. */
export function logRecordDetail(store: Store, logRow: number): Record<string, unknown> | null {
  const r = store.db.exec(
    `SELECT l.log_row, l.file_id, f.name, l.line, CAST(l.time_ns AS TEXT), l.severity, l.severity_text, l.service, l.message, l.trace_id, l.span_id,
       l.trace_id_partial, l.trace_id_raw, l.span_id_raw, l.attributes
     FROM logs l LEFT JOIN files f ON f.file_id = l.file_id WHERE l.log_row = ?`,
    [logRow],
  );
  if (r.length === 0) return null;
  const v = r[0].values[0];
  return {
    logRow: v[0], fileId: v[1], file: v[2], line: v[3], timeNs: v[4], severity: v[5] === null ? null : SEVERITY_CODES[v[5] as number],
    severityText: v[6], service: v[7], message: v[8], traceId: v[9], spanId: v[10], traceIdPartial: v[11] === 1, traceIdRaw: v[12], spanIdRaw: v[13],
    attributes: v[14] === null ? {} : (JSON.parse(v[14] as string) as Record<string, unknown>),
  };
}

// ---------------------------------------------------------------- histogram

/**
 * Lines per time bucket and severity, columnar for uPlot: [xs, trace, debug, info, warn, error,
 * fatal, unknown], xs = bucket starts in seconds since the epoch. The filter applies except its
 * time range (the histogram is the overview a range is dragged on); `range` zooms it.
 */
export function severityHistogram(
  store: Store, filter: LogFilter = {}, buckets = 200, range?: { fromNs: bigint | string; toNs: bigint | string },
): { series: number[][]; bucketNs: bigint; fromNs: bigint | null } {
  const { sql, params } = whereOf(store, filter, true);
  const timeCond = `${sql ? `${sql} AND` : 'WHERE'} l.time_ns IS NOT NULL`;
  let from: bigint;
  let to: bigint;
  if (range) {
    from = BigInt(range.fromNs);
    to = BigInt(range.toNs);
  } else {
    const mm = store.db.exec(`SELECT CAST(min(l.time_ns) AS TEXT), CAST(max(l.time_ns) AS TEXT) FROM logs l ${timeCond}`, params)[0].values[0];
    if (mm[0] === null) return { series: [[], [], [], [], [], [], [], []], bucketNs: 0n, fromNs: null };
    from = BigInt(mm[0] as string);
    to = BigInt(mm[1] as string);
  }
  const n = Math.max(1, Math.floor(buckets));
  let width = (to - from + 1n + BigInt(n) - 1n) / BigInt(n);
  if (width < 1n) width = 1n;
  const series: number[][] = Array.from({ length: 8 }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) series[0][i] = Number(from + width * BigInt(i)) / 1e9;
  const st = store.db.prepare(
    `SELECT (l.time_ns - ?) / ?, l.severity, count(*) FROM logs l ${timeCond} AND l.time_ns BETWEEN ? AND ? GROUP BY 1, 2`,
  );
  st.bind([from as unknown as SqlValue, width as unknown as SqlValue, ...params, from as unknown as SqlValue, to as unknown as SqlValue]);
  while (st.step()) {
    const [b, sev, c] = st.get() as [number, number | null, number];
    if (b < 0 || b >= n) continue;
    series[sev === null ? 7 : sev + 1][b] += c;
  }
  st.free();
  return { series, bucketNs: width, fromNs: from };
}

// ---------------------------------------------------------------- full-text search

/**
 * Index up to `maxRows` more log lines in FTS4. Returns true while lines remain to index, so
 * the worker can call it between queries until it returns false.
 */
export function buildFtsBatch(store: Store, maxRows: number): boolean {
  const db = store.db;
  const from = ftsIndexedUpTo(store);
  const last = db.exec('SELECT max(log_row) FROM (SELECT log_row FROM logs WHERE log_row > ? ORDER BY log_row LIMIT ?)', [from, maxRows])[0].values[0][0];
  if (last === null) return false;
  db.exec('SAVEPOINT fts');
  try {
    db.run('INSERT INTO logs_fts (docid, message) SELECT log_row, message FROM logs WHERE log_row > ? AND log_row <= ?', [from, last as number]);
    db.run('INSERT INTO logs_fts_state (id, last_row) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET last_row = excluded.last_row', [last as number]);
    db.exec('RELEASE fts');
  } catch (e) {
    db.exec('ROLLBACK TO fts; RELEASE fts');
    throw e;
  }
  return db.exec('SELECT EXISTS (SELECT 1 FROM logs WHERE log_row > ?)', [last as number])[0].values[0][0] === 1;
}

export interface SearchHit {
  /** 0-based position in the open view. */
  pos: number;
  logRow: number;
}

/**
 * The next (or previous) hits of `text` in the open view, strictly after (before) position
 * `fromPos` (use -1 to start at the top, or the view size to search backwards from the end).
 */
export function searchLogView(store: Store, text: string, fromPos: number, direction: 'next' | 'prev' = 'next', limit = 1): SearchHit[] {
  const q = toFtsQuery(text);
  const upTo = ftsIndexedUpTo(store);
  const match = q
    ? `(v.log_row IN (SELECT docid FROM logs_fts WHERE logs_fts MATCH ?) OR (v.log_row > ? AND l.message LIKE ? ESCAPE '\\'))`
    : `l.message LIKE ? ESCAPE '\\'`;
  const params: SqlValue[] = q ? [q, upTo, likePattern(text)] : [likePattern(text)];
  const cmp = direction === 'next' ? 'v.pos > ?' : 'v.pos < ?';
  const order = direction === 'next' ? 'ASC' : 'DESC';
  const st = store.db.prepare(
    `SELECT v.pos - 1, v.log_row FROM log_view v JOIN logs l ON l.log_row = v.log_row WHERE ${cmp} AND ${match} ORDER BY v.pos ${order} LIMIT ?`,
  );
  st.bind([fromPos + 1, ...params, limit]);
  const out: SearchHit[] = [];
  while (st.step()) {
    const r = st.get();
    out.push({ pos: r[0] as number, logRow: r[1] as number });
  }
  st.free();
  return out;
}

/** How many lines match `text` in the whole store (not just the view). */
export function countMatches(store: Store, text: string): number {
  const q = toFtsQuery(text);
  if (!q) return 0;
  const upTo = ftsIndexedUpTo(store);
  const r = store.db.exec(
    `SELECT (SELECT count(*) FROM logs_fts WHERE logs_fts MATCH ?) + (SELECT count(*) FROM logs WHERE log_row > ? AND message LIKE ? ESCAPE '\\')`,
    [q, upTo, likePattern(text)],
  );
  return r[0].values[0][0] as number;
}

/**
 * Where the words of `text` are in one line's message, as [start, end) character ranges (for
 * highlighting). FTS4's offsets() counts UTF-8 bytes; they are mapped to string indices here.
 */
export function matchRanges(store: Store, logRow: number, text: string): Array<[number, number]> {
  const q = toFtsQuery(text);
  if (!q) return [];
  const r = store.db.exec('SELECT offsets(logs_fts), l.message FROM logs_fts JOIN logs l ON l.log_row = logs_fts.docid WHERE logs_fts MATCH ? AND logs_fts.docid = ?', [
    q, logRow,
  ]);
  if (r.length === 0) return [];
  const nums = String(r[0].values[0][0]).split(' ').map(Number);
  const bytes = new TextEncoder().encode(r[0].values[0][1] as string);
  const dec = new TextDecoder();
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 3 < nums.length; i += 4) {
    const start = dec.decode(bytes.subarray(0, nums[i + 2])).length;
    const end = start + dec.decode(bytes.subarray(nums[i + 2], nums[i + 2] + nums[i + 3])).length;
    out.push([start, end]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}
