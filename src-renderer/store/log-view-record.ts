// One log line in full, for the record panel, with the span it belongs to. How the span was found
// is part of the answer and is always shown: by its ids ('exact'), by the low 64 bits of a 64-bit
// trace id ('partial'), by the trace id alone when the span id is missing or unknown ('trace'), or,
// for a line without ids, by service and time inside a span's window ('inferred').

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';
import { SEVERITY_CODES } from './schema.ts';
import type { LogLineFields } from './log-view.ts';

export type SpanMatch = 'exact' | 'partial' | 'trace' | 'inferred';

export interface CorrelatedSpan {
  match: SpanMatch;
  traceId: string;
  /** Null when only the trace is known (match 'trace' without a span). */
  spanId: string | null;
  name: string | null;
  service: string | null;
  startNs: string | null;
  durationNs: number | null;
}

export interface LogRecordView extends LogLineFields {
  file: string;
  line: number;
  traceIdRaw: string | null;
  spanIdRaw: string | null;
  /** The attribute map as stored: JSON text with 64-bit integers as bare digits, or null. */
  attributes: string | null;
  /** The instrumentation scope that wrote it (OTLP), or null. */
  scope: { name: string; version: string } | null;
  /** When it was observed (OTLP), epoch ns as a decimal string, or null. */
  observedNs: string | null;
  span: CorrelatedSpan | null;
}

const SPAN_COLUMNS = 'trace_id, span_id, name, service, CAST(start_ns AS TEXT), duration_ns';

function spanFrom(r: SqlValue[] | undefined, match: SpanMatch): CorrelatedSpan | null {
  if (!r) return null;
  return {
    match, traceId: r[0] as string, spanId: r[1] as string, name: r[2] as string, service: r[3] as string, startNs: r[4] as string,
    durationNs: r[5] as number,
  };
}

function first(store: Store, sql: string, params: SqlValue[]): SqlValue[] | undefined {
  return store.db.exec(sql, params)[0]?.values[0];
}

/** The span a line belongs to, by ids when it has them, else inferred from service and time. */
export function correlatedSpan(
  store: Store,
  l: { row?: number; traceId: string | null; spanId: string | null; partial: boolean; service: string | null; timeNs: string | null },
): CorrelatedSpan | null {
  if (l.traceId) {
    let traceId: string | null = l.traceId;
    if (l.partial) {
      // A 64-bit id matches the low half of a 128-bit one; several traces could share it, the
      // earliest is taken (and the label says the match is partial).
      const low = l.traceId.slice(16);
      const t = first(store, 'SELECT trace_id FROM traces WHERE substr(trace_id, 17) = ? ORDER BY start_ns LIMIT 1', [low]);
      traceId = (t?.[0] as string | undefined) ?? null;
      if (traceId === null) return null;
    }
    const match: SpanMatch = l.partial ? 'partial' : 'exact';
    if (l.spanId) {
      const s = spanFrom(first(store, `SELECT ${SPAN_COLUMNS} FROM spans WHERE trace_no = (SELECT trace_no FROM traces WHERE trace_id = ?) AND span_id = ? LIMIT 1`, [traceId, l.spanId]), match);
      if (s) return s;
    }
    const t = first(store, 'SELECT trace_id, root_span_id FROM traces WHERE trace_id = ?', [traceId]);
    if (!t) return null;
    return { match: l.partial ? 'partial' : 'trace', traceId, spanId: null, name: null, service: null, startNs: null, durationNs: null };
  }
  // Inferred: the match correlateLogs (store/logs.ts) recorded after the import, so the panel
  // agrees with a span's logs; computed here the same way when that has not run yet.
  if (l.row !== undefined) {
    const known = first(store, `SELECT ${SPAN_COLUMNS} FROM log_inferred i JOIN spans USING (span_row) WHERE i.log_row = ?`, [l.row]);
    if (known) return spanFrom(known, 'inferred');
  }
  if (!l.service || !l.timeNs) return null;
  // The innermost span of that service open at the line's time.
  const t = BigInt(l.timeNs).toString(); // bound as text: sql.js would bind a BigInt as text anyway
  const r = first(
    store,
    `SELECT ${SPAN_COLUMNS} FROM spans WHERE service = ? AND start_ns <= CAST(? AS INTEGER) AND start_ns + duration_ns >= CAST(? AS INTEGER) ORDER BY duration_ns, start_ns DESC LIMIT 1`,
    [l.service, t, t],
  );
  return spanFrom(r, 'inferred');
}

export function logRecord(store: Store, row: number): LogRecordView | null {
  const r = first(
    store,
    `SELECT l.log_row, l.file_id, coalesce(f.name, ''), l.line, CAST(l.time_ns AS TEXT), l.severity, l.severity_text, coalesce(l.service, f.service),
       l.message, l.trace_id, l.span_id, l.trace_id_raw, l.span_id_raw, l.trace_id_partial, l.attributes, s.name, s.version,
       CAST(l.observed_ns AS TEXT)
     FROM logs l LEFT JOIN files f USING (file_id) LEFT JOIN scopes s USING (scope_id) WHERE l.log_row = ?`,
    [row],
  );
  if (!r) return null;
  const rec: LogRecordView = {
    row: r[0] as number, fileId: r[1] as number, file: r[2] as string, line: r[3] as number, timeNs: r[4] as string | null,
    severity: r[5] == null ? null : (SEVERITY_CODES[r[5] as number] ?? null), severityText: r[6] as string | null, service: r[7] as string | null,
    message: r[8] as string, traceId: r[9] as string | null, spanId: r[10] as string | null, traceIdRaw: r[11] as string | null,
    spanIdRaw: r[12] as string | null, partial: r[13] === 1, attributes: r[14] as string | null,
    scope: r[15] == null ? null : { name: r[15] as string, version: r[16] as string }, observedNs: r[17] as string | null, span: null,
  };
  rec.span = correlatedSpan(store, rec);
  return rec;
}
