// What an OTLP/JSON export of the traces reads (core/analysis/otlp-json-export.ts writes it): the
// resources, then the spans trace by trace with their scope, events and links, in chunks of
// traces so that a large workspace is never one string.

import type { Store } from './store.ts';
import type { ExportSpan } from '../core/analysis/otlp-json-export.ts';
import { parseExact } from '../core/base/json.ts';

function attrs(text: unknown): Record<string, unknown> | null {
  if (typeof text !== 'string' || text === '') return null;
  const v = parseExact(text);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** Each resource's attributes, with service.name set to the service the store gave it. */
export function exportResources(store: Store): Map<number, Record<string, unknown>> {
  const out = new Map<number, Record<string, unknown>>();
  const st = store.db.prepare('SELECT resource_id, service, attributes FROM resources');
  try {
    while (st.step()) {
      const r = st.get();
      out.set(r[0] as number, { ...(attrs(r[2]) ?? {}), 'service.name': r[1] as string });
    }
  } finally {
    st.free();
  }
  return out;
}

/** The spans of `perChunk` traces at a time, in trace order, each span with its events and links. */
export function eachExportChunk(store: Store, perChunk: number, visit: (spans: ExportSpan[]) => void): void {
  const events = new Map<number, ExportSpan['events']>();
  const ev = store.db.prepare('SELECT span_row, CAST(time_ns AS TEXT), name, attributes FROM span_events ORDER BY rowid');
  try {
    while (ev.step()) {
      const r = ev.get();
      let list = events.get(r[0] as number);
      if (!list) events.set(r[0] as number, (list = []));
      list.push({ timeNs: r[1] as string, name: r[2] as string, attributes: attrs(r[3]) });
    }
  } finally {
    ev.free();
  }
  const links = new Map<number, ExportSpan['links']>();
  const ln = store.db.prepare('SELECT span_row, trace_id, span_id, attributes FROM span_links ORDER BY rowid');
  try {
    while (ln.step()) {
      const r = ln.get();
      let list = links.get(r[0] as number);
      if (!list) links.set(r[0] as number, (list = []));
      list.push({ traceId: r[1] as string, spanId: r[2] as string, attributes: attrs(r[3]) });
    }
  } finally {
    ln.free();
  }
  const st = store.db.prepare(
    `SELECT s.span_row, s.trace_no, s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.status, s.status_message, CAST(s.start_ns AS TEXT),
            s.duration_ns, s.attributes, s.resource_id, sc.name, sc.version, s.service
     FROM spans s LEFT JOIN scopes sc ON sc.scope_id = s.scope_id ORDER BY s.trace_no, s.span_row`,
  );
  try {
    let chunk: ExportSpan[] = [];
    let traces = 0;
    let last = -1;
    while (st.step()) {
      const r = st.get();
      const traceNo = r[1] as number;
      if (traceNo !== last) {
        if (traces === perChunk) {
          visit(chunk);
          chunk = [];
          traces = 0;
        }
        traces++;
        last = traceNo;
      }
      const row = r[0] as number;
      chunk.push({
        traceId: r[2] as string, spanId: r[3] as string, parentSpanId: (r[4] as string | null) ?? null, name: r[5] as string, kind: r[6] as number,
        status: r[7] as number, statusMessage: (r[8] as string | null) ?? null, startNs: r[9] as string, durationNs: r[10] as number, attributes: attrs(r[11]),
        resourceId: (r[12] as number | null) ?? -1, scope: r[13] === null || r[13] === undefined ? null : { name: r[13] as string, version: (r[14] as string) ?? '' },
        service: r[15] as string, events: events.get(row) ?? [], links: links.get(row) ?? [],
      });
    }
    if (chunk.length > 0) visit(chunk);
  } finally {
    st.free();
  }
}
