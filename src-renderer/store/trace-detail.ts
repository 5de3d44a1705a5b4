// Read queries of the trace view: one span in full (attributes, resource, scope, events,
// links), a trace's findings with their structured data, and search inside one trace. Attribute
// maps are JSON text whose 64-bit integers parseExact keeps exact; absolute times leave as decimal
// strings of nanoseconds.
//
// Reads of span_events and span_links are guarded by the span's event_count / link_count, so spans
// without any never touch those tables.

import type { Store } from './store.ts';
import { kindOfCode, statusOfCode } from '../core/model/span-codes.ts';
import type { SpanKind, StatusCode } from '../core/model/trace.ts';
import type { SqlValue } from 'sql.js';
import { parseExact } from '../core/base/json.ts';

export type AttrMap = Record<string, unknown>;

export interface SpanEventRow {
  /** Epoch ns, decimal string. */
  timeNs: string;
  name: string;
  attributes: AttrMap;
}

export interface SpanLinkRow {
  traceId: string;
  spanId: string;
  attributes: AttrMap;
  /** The linked span is in the workspace (so the UI can open it). */
  loaded: boolean;
}

export interface SpanDetail {
  spanRow: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  traceIdRaw: string | null;
  spanIdRaw: string | null;
  name: string;
  service: string;
  kind: SpanKind;
  status: StatusCode;
  statusMessage: string;
  isError: boolean;
  /** Epoch ns, decimal string. */
  startNs: string;
  durationNs: number;
  attributes: AttrMap;
  resource: AttrMap;
  scopeName: string;
  scopeVersion: string;
  events: SpanEventRow[];
  links: SpanLinkRow[];
  fileName: string;
}

function json(text: unknown): AttrMap {
  return text == null || text === '' ? {} : parseExact<AttrMap>(text as string);
}

export function spanDetail(store: Store, spanRow: number): SpanDetail | null {
  const st = store.stmt(
    `SELECT s.trace_id, s.span_id, s.parent_span_id, s.trace_id_raw, s.span_id_raw, s.name, s.service, s.kind, s.status,
            s.status_message, s.is_error, CAST(s.start_ns AS TEXT), s.duration_ns, s.attributes, r.attributes, sc.name,
            sc.version, s.event_count, s.link_count, coalesce(f.name, '')
     FROM spans s LEFT JOIN resources r USING (resource_id) LEFT JOIN scopes sc USING (scope_id) LEFT JOIN files f USING (file_id)
     WHERE s.span_row = ?`,
  );
  st.bind([spanRow]);
  const found = st.step() ? st.get() : null;
  st.reset();
  if (!found) return null;
  const r = found;
  const out: SpanDetail = {
    spanRow, traceId: r[0] as string, spanId: r[1] as string, parentSpanId: r[2] as string | null, traceIdRaw: r[3] as string | null,
    spanIdRaw: r[4] as string | null, name: r[5] as string, service: r[6] as string, kind: kindOfCode(r[7] as number),
    status: statusOfCode(r[8] as number), statusMessage: (r[9] as string | null) ?? '', isError: r[10] === 1,
    startNs: r[11] as string, durationNs: r[12] as number, attributes: json(r[13]), resource: json(r[14]),
    scopeName: (r[15] as string | null) ?? '', scopeVersion: (r[16] as string | null) ?? '', events: [], links: [], fileName: r[19] as string,
  };
  if ((r[17] as number) > 0) {
    const ev = store.stmt('SELECT CAST(time_ns AS TEXT), name, attributes FROM span_events WHERE span_row = ? ORDER BY time_ns, rowid');
    ev.bind([spanRow]);
    while (ev.step()) {
      const e = ev.get();
      out.events.push({ timeNs: e[0] as string, name: e[1] as string, attributes: json(e[2]) });
    }
    ev.reset();
  }
  if ((r[18] as number) > 0) {
    const ln = store.stmt(
      `SELECT l.trace_id, l.span_id, l.attributes,
              EXISTS (SELECT 1 FROM spans s WHERE s.trace_no = (SELECT t.trace_no FROM traces t WHERE t.trace_id = l.trace_id) AND s.span_id = l.span_id)
       FROM span_links l WHERE l.span_row = ? ORDER BY l.rowid`,
    );
    ln.bind([spanRow]);
    while (ln.step()) {
      const l = ln.get();
      out.links.push({ traceId: l[0] as string, spanId: l[1] as string, attributes: json(l[2]), loaded: l[3] === 1 });
    }
    ln.reset();
  }
  return out;
}

export interface TraceFinding {
  kind: string;
  spanId: string | null;
  message: string;
  file: string;
  /** The finding's structured detail (e.g. clock_skew: parentService, childService, offsetNs). */
  data: Record<string, unknown>;
}

/** A trace's data-quality findings, in the order they were made. */
export function traceFindings(store: Store, traceId: string): TraceFinding[] {
  const st = store.stmt(
    `SELECT f.kind, f.span_id, f.message, coalesce(files.name, ''), f.data FROM import_findings f LEFT JOIN files USING (file_id)
     WHERE f.trace_id = ? ORDER BY f.finding_id`,
  );
  st.bind([traceId]);
  const out: TraceFinding[] = [];
  while (st.step()) {
    const r = st.get();
    out.push({ kind: r[0] as string, spanId: r[1] as string | null, message: r[2] as string, file: r[3] as string, data: json(r[4]) });
  }
  st.reset();
  return out;
}

/**
 * The span rows of one trace whose name, service, attribute keys or values, or events (name,
 * attribute keys or values) contain `text`, case-insensitively (ASCII case). Attributes are
 * matched in their JSON text, so a value is found as it is written there.
 */
export function searchTraceSpans(store: Store, traceId: string, text: string): number[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return [];
  const found = new Set<number>();
  const spans = store.stmt(
    `SELECT span_row FROM spans WHERE trace_no = (SELECT trace_no FROM traces WHERE trace_id = ?1)
       AND (instr(lower(name), ?2) > 0 OR instr(lower(service), ?2) > 0 OR instr(lower(coalesce(attributes, '')), ?2) > 0)`,
  );
  spans.bind([traceId, needle] as SqlValue[]);
  while (spans.step()) found.add(spans.get()[0] as number);
  spans.reset();
  // The trace's spans with events, then their events through events_by_span.
  const events = store.stmt(
    `SELECT DISTINCT span_row FROM span_events
     WHERE span_row IN (SELECT span_row FROM spans WHERE trace_no = (SELECT trace_no FROM traces WHERE trace_id = ?1) AND event_count > 0)
       AND (instr(lower(name), ?2) > 0 OR instr(lower(coalesce(attributes, '')), ?2) > 0)`,
  );
  events.bind([traceId, needle] as SqlValue[]);
  while (events.step()) found.add(events.get()[0] as number);
  events.reset();
  return Array.from(found).sort((a, b) => a - b);
}

/** The trace's size and start from its summary row ("" when absent): what tells a kept copy is stale. */
export function traceStamp(store: Store, traceId: string): string {
  const st = store.stmt('SELECT span_count, CAST(start_ns AS TEXT) FROM traces WHERE trace_id = ?');
  st.bind([traceId]);
  const r = st.step() ? st.get() : null;
  st.reset();
  return r ? `${r[0]}@${r[1]}` : '';
}
