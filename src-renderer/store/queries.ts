// Named, typed read queries over the workspace. Every query binds its parameters; rows are read
// as arrays (faster than objects in sql.js) and shaped here. Absolute times leave as decimal
// strings of nanoseconds (exact); durations and offsets as numbers of nanoseconds.

import type { Store } from './store.ts';
import type { SqlValue } from 'sql.js';
import { parseExact } from '../core/base/json.ts';
import { exceptionOfEvent, type ErrException } from '../core/model/span-error.ts';

export interface FileRow {
  fileId: number;
  name: string;
  format: string | null;
  /** What the source held: 'traces', 'logs' or 'traces+logs'. */
  kind: string | null;
  sizeBytes: number | null;
  traces: number;
  spans: number;
  logs: number;
  rejected: number;
  errors: string[];
  status: string;
  /** Log files: the service set for lines that name none, and lines joined to spans. */
  service: string | null;
  joinedExact: number;
  joinedInferred: number;
  /** Line counts of line sources (null where the reader counted none): lines = records + continuations + rejected + blank. */
  lines: number | null;
  continuations: number | null;
  blank: number | null;
  /** Items left out on purpose (metric data points), with `notes` saying what they were. */
  skipped: number;
  /** Spans an earlier source had stored already. */
  duplicates: number;
  notes: string[];
}

export function listFiles(store: Store): FileRow[] {
  const st = store.stmt(
    `SELECT file_id, name, format, kind, size_bytes, traces, spans, logs, rejected, errors, status, service, joined_exact, joined_inferred, lines,
       continuations, blank, skipped, duplicates, notes FROM files ORDER BY file_id`,
  );
  const out: FileRow[] = [];
  while (st.step()) {
    const r = st.get();
    out.push({
      fileId: r[0] as number, name: r[1] as string, format: r[2] as string | null, kind: r[3] as string | null, sizeBytes: r[4] as number | null,
      traces: r[5] as number, spans: r[6] as number, logs: r[7] as number, rejected: r[8] as number, errors: JSON.parse(r[9] as string) as string[],
      status: r[10] as string, service: r[11] as string | null, joinedExact: r[12] as number, joinedInferred: r[13] as number,
      lines: r[14] as number | null, continuations: r[15] as number | null, blank: r[16] as number | null, skipped: r[17] as number,
      duplicates: r[18] as number, notes: JSON.parse(r[19] as string) as string[],
    });
  }
  st.reset();
  return out;
}

export interface Totals {
  traces: number;
  spans: number;
  logs: number;
  files: number;
}

export function totals(store: Store): Totals {
  // Spans and logs are counted per file as they are stored: summing those is instant, where
  // count(*) walks a million rows after every import.
  const r = store.db.exec(
    'SELECT (SELECT count(*) FROM traces), (SELECT coalesce(sum(spans), 0) FROM files), (SELECT coalesce(sum(logs), 0) FROM files), (SELECT count(*) FROM files)',
  )[0].values[0];
  return { traces: r[0] as number, spans: r[1] as number, logs: r[2] as number, files: r[3] as number };
}

export type TraceSort = 'start' | 'duration' | 'spans' | 'errors';
const TRACE_ORDER: Record<TraceSort, string> = {
  start: 'start_ns ASC, trace_id',
  duration: 'duration_ns DESC, trace_id',
  spans: 'span_count DESC, trace_id',
  errors: 'error_count DESC, start_ns',
};

export interface TraceRow {
  traceId: string;
  /** Epoch ns as a decimal string. */
  startNs: string;
  durationNs: number;
  spanCount: number;
  errorCount: number;
  serviceCount: number;
  rootService: string;
  rootName: string;
  findingCount: number;
}

/** The columns of traces (alias t) that traceRowOf reads, in its order. */
export const TRACE_ROW_COLUMNS =
  't.trace_id, CAST(t.start_ns AS TEXT), t.duration_ns, t.span_count, t.error_count, t.service_count, t.root_service, t.root_name, t.finding_count';

export function traceRowOf(r: SqlValue[]): TraceRow {
  return {
    traceId: r[0] as string, startNs: r[1] as string, durationNs: r[2] as number, spanCount: r[3] as number, errorCount: r[4] as number,
    serviceCount: r[5] as number, rootService: (r[6] as string) ?? '', rootName: (r[7] as string) ?? '', findingCount: r[8] as number,
  };
}

/** One page of the trace list. The sort is chosen from a fixed map, never spliced from input. */
export function listTraces(store: Store, opts: { offset: number; limit: number; sort?: TraceSort }): TraceRow[] {
  const order = TRACE_ORDER[opts.sort ?? 'start'] ?? TRACE_ORDER.start;
  const st = store.stmt(`SELECT ${TRACE_ROW_COLUMNS} FROM traces t ORDER BY ${order} LIMIT ? OFFSET ?`);
  st.bind([opts.limit, opts.offset]);
  const out: TraceRow[] = [];
  while (st.step()) out.push(traceRowOf(st.get()));
  st.reset();
  return out;
}

export { runReadOnlySql, type SqlResult } from './read-only-sql.ts';

// ------------------------------------------------------------------------------------------------
// Error details of a few spans (the error path's): status message, attributes and exception
// events, read only for the spans on a path because events can be many.

export interface SpanErrorDetail {
  statusMessage: string;
  attributes: Record<string, unknown>;
  exceptions: ErrException[];
}

/**
 * Keyed by span_row. Exceptions are OTel `exception` events, and the error logs of Jaeger and
 * OpenTracing (an event named `error`, message in `message` or `error.object`), in time order.
 */
export function spanErrorDetails(store: Store, spanRows: readonly number[]): Map<number, SpanErrorDetail> {
  const out = new Map<number, SpanErrorDetail>();
  const CHUNK = 500; // well under SQLite's limit on bound parameters
  for (let i = 0; i < spanRows.length; i += CHUNK) {
    const rows = spanRows.slice(i, i + CHUNK);
    const marks = rows.map(() => '?').join(',');
    const spans = store.db.prepare(`SELECT span_row, status_message, attributes FROM spans WHERE span_row IN (${marks})`);
    try {
      spans.bind(rows);
      while (spans.step()) {
        const r = spans.get();
        const attributes = r[2] == null ? {} : parseExact<Record<string, unknown>>(r[2] as string);
        out.set(r[0] as number, { statusMessage: (r[1] as string | null) ?? '', attributes, exceptions: [] });
      }
    } finally {
      spans.free();
    }
    const events = store.db.prepare(`SELECT span_row, name, attributes FROM span_events WHERE span_row IN (${marks}) ORDER BY span_row, time_ns`);
    try {
      events.bind(rows);
      while (events.step()) {
        const r = events.get();
        const a = r[2] == null ? {} : parseExact<Record<string, unknown>>(r[2] as string);
        const ex = exceptionOfEvent(r[1] as string, a);
        if (ex) out.get(r[0] as number)?.exceptions.push(ex);
      }
    } finally {
      events.free();
    }
  }
  return out;
}

/** Traces with at least one span in error, by start; with a window, those starting in [fromNs, toNs] (epoch ns, decimal text). */
export function failingTraceIds(store: Store, window: { fromNs?: string; toNs?: string } = {}): string[] {
  const st = store.stmt(
    `SELECT trace_id FROM traces WHERE error_count > 0 AND start_ns >= CAST(coalesce(?, '-9223372036854775808') AS INTEGER)
       AND start_ns <= CAST(coalesce(?, '9223372036854775807') AS INTEGER) ORDER BY start_ns, trace_id`,
  );
  st.bind([window.fromNs ?? null, window.toNs ?? null]);
  const out: string[] = [];
  while (st.step()) out.push(st.get()[0] as string);
  st.reset();
  return out;
}
