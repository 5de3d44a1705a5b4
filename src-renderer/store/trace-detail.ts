// Read queries of the trace view (issue 5): one span in full (attributes, resource, scope, events,
// links), a trace's findings with their structured data, and search inside one trace. Attribute
// maps are JSON text whose 64-bit integers parseExact keeps exact; absolute times leave as decimal
// strings of nanoseconds.
//
// span_events and span_links have no index on span_row (schema.ts); reads of them are guarded by
// the span's event_count / link_count so spans without any never scan those tables.

import type { Store } from './store.ts';
import { KIND_CODES, STATUS_CODES } from './schema.ts';
import type { SpanKind, StatusCode } from '../core/model/trace.ts';
import type { SqlValue } from 'sql.js';
import { parseExact } from '../core/base/json.ts';
import type { TraceSpans } from './queries.ts';

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
    spanIdRaw: r[4] as string | null, name: r[5] as string, service: r[6] as string, kind: KIND_CODES[r[7] as number] ?? 'unspecified',
    status: STATUS_CODES[r[8] as number] ?? 'unset', statusMessage: (r[9] as string | null) ?? '', isError: r[10] === 1,
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

/** A trace's data-quality findings with their data (queries.ts traceFindings leaves the data out). */
export function traceFindingsWithData(store: Store, traceId: string): TraceFinding[] {
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
  // One pass over the events (no index on span_row): the trace's rows go into a temporary index.
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

/**
 * A trace's spans in columns (the shape of queries.ts traceSpans), read leaner for big traces:
 * kind, status, error flag and parent reference packed into one integer, arrays sized up front,
 * rows in span_row order straight from the trace index (no sort; the tree orders by start).
 *
 * Handing over strings is what sql.js is slow at (a decoder call per cell, ~1 µs), so the strings
 * come as three aggregates for the whole trace: all span ids (16 characters each), all parent
 * ids, and "service U+001F name" rows joined by U+001E; the numbers come in a second read of the
 * same index. Both scan the trace's index in its order (span_row), which the aggregates keep.
 * A trace with a service holding U+001F, a name or service holding U+001E (one row too many),
 * or ids of another length, is read row by row instead (~100 ms slower at 100,000 spans).
 */
/** Marks "no parent" in the packed ids; span ids are hex, so it cannot be one. */
export const NO_PARENT = '----------------';

/**
 * TraceSpans with what span-packing.ts would otherwise work out again: the ids packed as read (16
 * characters each), names and services as indexes into `strings`, and the flags integer.
 */
export type TraceColumns = TraceSpans & {
  packedIds?: { spanIds: string; parentIds: string };
  codes?: { strings: string[]; name: Int32Array; service: Int32Array; flags: Uint8Array };
};

export function traceColumns(store: Store, traceId: string): TraceColumns | null {
  // The trace's summary row has its start and size: no pass over the spans for them.
  const head = store.stmt('SELECT CAST(start_ns AS TEXT), span_count FROM traces WHERE trace_id = ?');
  head.bind([traceId]);
  const h = head.step() ? head.get() : null;
  head.reset();
  const base = h?.[0] as string | null | undefined;
  if (base == null) return null;
  const n = h![1] as number;

  const agg = store.stmt(
    `SELECT group_concat(span_id, ''), group_concat(coalesce(parent_span_id, '${NO_PARENT}'), ''), group_concat(service || char(31) || name, char(30)),
            max(instr(service, char(31))), count(*)
     FROM spans WHERE trace_no = (SELECT trace_no FROM traces WHERE trace_id = ?)`,
  );
  agg.bind([traceId]);
  const g = agg.step() ? agg.get() : null;
  agg.reset();
  const ids = (g?.[0] as string | null) ?? '';
  const parents = (g?.[1] as string | null) ?? '';
  const names = (g?.[2] as string | null) ?? '';
  if (g?.[3] !== 0 || g?.[4] !== n || ids.length !== n * 16 || parents.length !== n * 16) return traceColumnsByRow(store, traceId, base, n);
  // A U+001E inside a name or service makes one row more: the count tells.
  const pairs = n === 0 ? [] : names.split('\u001e');
  if (pairs.length !== n) return traceColumnsByRow(store, traceId, base, n);

  const out = {
    traceId, startNs: base, spanRow: new Array(n), name: new Array(n), service: new Array(n), start: new Array(n), duration: new Array(n),
    packedIds: { spanIds: ids, parentIds: parents },
  } as TraceColumns;
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (v: string): number => {
    let k = stringIndex.get(v);
    if (k === undefined) stringIndex.set(v, (k = strings.push(v) - 1));
    return k;
  };
  const codes = { strings, name: new Int32Array(n), service: new Int32Array(n), flags: new Uint8Array(n) };
  // Names and services repeat: each distinct pair is split once and its strings shared.
  const dict = new Map<string, { service: string; name: string; s: number; n: number }>();
  for (let i = 0; i < n; i++) {
    const pair = pairs[i];
    let d = dict.get(pair);
    if (d === undefined) {
      const cut = pair.indexOf('\u001f');
      const service = pair.slice(0, cut);
      const name = pair.slice(cut + 1);
      dict.set(pair, (d = { service, name, s: intern(service), n: intern(name) }));
    }
    out.service[i] = d.service;
    out.name[i] = d.name;
    codes.service[i] = d.s;
    codes.name[i] = d.n;
  }
  const st = store.stmt(
    `SELECT span_row, kind | (status << 3) | (is_error << 5) | (parent_ref << 6), start_ns - ?, duration_ns FROM spans WHERE trace_no = (SELECT trace_no FROM traces WHERE trace_id = ?) ORDER BY span_row`,
  );
  st.bind([BigInt(base) as unknown as SqlValue, traceId]);
  let i = 0;
  while (i < n && st.step()) {
    const r = st.get();
    const f = r[1] as number;
    codes.flags[i] = f;
    out.spanRow[i] = r[0] as number;
    out.start[i] = r[2] as number;
    out.duration[i] = r[3] as number;
    i++;
  }
  st.reset();
  // The tree reads the packed ids and the packing sends them as they are: the id strings and the
  // decoded flags are made when something first reads them (the analyses, the row fallback).
  const { flags } = codes;
  lazyColumn(out, 'spanId', () => {
    const a = new Array<string>(n);
    for (let i = 0; i < n; i++) a[i] = ids.slice(i * 16, i * 16 + 16);
    return a;
  });
  lazyColumn(out, 'parentSpanId', () => {
    const a = new Array<string | null>(n);
    for (let i = 0; i < n; i++) a[i] = parents.charCodeAt(i * 16) === 45 /* '-': NO_PARENT */ ? null : parents.slice(i * 16, i * 16 + 16);
    return a;
  });
  lazyColumn(out, 'kind', () => mapFlags(flags, (f) => KIND_CODES[f & 7] ?? 'unspecified'));
  lazyColumn(out, 'status', () => mapFlags(flags, (f) => STATUS_CODES[(f >> 3) & 3] ?? 'unset'));
  lazyColumn(out, 'isError', () => mapFlags(flags, (f) => ((f >> 5) & 1) === 1));
  lazyColumn(out, 'parentRef', () => mapFlags(flags, (f) => (((f >> 6) & 1) === 1 ? 'follows_from' : 'child_of')));
  // The flags only stand for the columns when every value is known (they always are from the store).
  if (codes.flags.every((f) => (f & 7) < KIND_CODES.length && ((f >> 3) & 3) < STATUS_CODES.length)) out.codes = codes;
  return out;
}

/** flags.map into a plain array, without Array.from's iterator over a typed array (several times slower). */
export function mapFlags<T>(flags: Uint8Array, f: (bits: number) => T): T[] {
  const out = new Array<T>(flags.length);
  for (let i = 0; i < flags.length; i++) out[i] = f(flags[i]);
  return out;
}

/** A property made by `make` on first read, then a plain value (columns not every reader needs). */
export function lazyColumn<T>(o: object, key: string, make: () => T): void {
  Object.defineProperty(o, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = make();
      Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
      return value;
    },
  });
}

/** The same read one row at a time, for traces the aggregates cannot carry (see traceColumns). */
export function traceColumnsByRow(store: Store, traceId: string, base: string, n: number): TraceSpans {
  const out: TraceSpans = {
    traceId, startNs: base, spanRow: new Array(n), spanId: new Array(n), parentSpanId: new Array(n), parentRef: new Array(n), name: new Array(n),
    service: new Array(n), kind: new Array(n), status: new Array(n), isError: new Array(n), start: new Array(n), duration: new Array(n),
  };
  // Ids, service and name come as ONE string per row: 16 + 16 characters of ids, then the
  // service, U+001F, the name. A service that itself holds U+001F comes separately (the last
  // column, NULL otherwise). Ids are 16 characters: the store refuses any other (Store.addSpans).
  const st = store.stmt(
    `SELECT span_row, span_id || coalesce(parent_span_id, '${NO_PARENT}') || service || char(31) || name,
           kind | (status << 3) | (is_error << 5) | (parent_ref << 6), start_ns - ?, duration_ns, CASE WHEN instr(service, char(31)) THEN service END
         FROM spans WHERE trace_no = (SELECT trace_no FROM traces WHERE trace_id = ?) ORDER BY span_row`,
  );
  st.bind([BigInt(base) as unknown as SqlValue, traceId]);
  let i = 0;
  while (st.step() && i < n) {
    const r = st.get();
    const f = r[2] as number;
    out.spanRow[i] = r[0] as number;
    const text = r[1] as string;
    const parent = text.slice(16, 32);
    const service = (r[5] as string | null) ?? text.slice(32, text.indexOf('\u001f', 32));
    out.spanId[i] = text.slice(0, 16);
    out.parentSpanId[i] = parent === NO_PARENT ? null : parent;
    out.service[i] = service;
    out.name[i] = text.slice(32 + service.length + 1);
    out.kind[i] = KIND_CODES[f & 7] ?? 'unspecified';
    out.status[i] = STATUS_CODES[(f >> 3) & 3] ?? 'unset';
    out.isError[i] = ((f >> 5) & 1) === 1;
    out.parentRef[i] = ((f >> 6) & 1) === 1 ? 'follows_from' : 'child_of';
    out.start[i] = r[3] as number;
    out.duration[i] = r[4] as number;
    i++;
  }
  st.reset();
  return out;
}
