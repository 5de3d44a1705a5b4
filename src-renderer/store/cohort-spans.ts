// Reads for aggregates over many traces: the requests of an entry operation (one per trace), and
// the spans of chosen traces in one pass over the spans table in trace order, a chunk of trace
// numbers per query, so a caller can stop between chunks (bounded steps) and no query per trace is
// paid (~20 µs each in sql.js). Rows are read as trace-spans.ts reads a big trace: numbers, the
// flags byte, and ids, service and name as ONE string per row (a cell's string costs more than
// its numbers). Times leave as ns offsets from a base epoch.

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';
import { eachSpanTree, spanNames, type SpanTree } from './span-trees.ts';
import type { OperationCatalog } from '../core/analysis/operations.ts';
import { dataTimeRange } from './slo-queries.ts';
import { operationCondition, operationIds } from './operations.ts';

/**
 * An entry operation: spans of `service` (or of a node its spans call, such as a database) whose
 * grouped operation (store/operations.ts) is `operation`, or with a null operation every span of
 * the service.
 */
export interface EntryFilter {
  service: string;
  operation: string | null;
}

/** One request per trace holding an entry span, by trace number. */
export interface EntryRequests {
  traceNo: Int32Array;
  /** The request's entry span (its spans.span_row): the trace's earliest entry span (the longest of those starting together). */
  entrySpanRow: Int32Array;
  start: Float64Array;
  duration: Float64Array;
  isError: Uint8Array;
  /** Epoch ns (decimal text) the starts are offsets from: the workspace's earliest trace start. */
  baseNs: string;
  /** For each search a cohort names, the trace numbers it finds (engine/aggregate.ts fills it). */
  found?: ReadonlyMap<string, ReadonlySet<number>>;
}

export function entryRequests(store: Store, entry: EntryFilter): EntryRequests {
  const range = dataTimeRange(store);
  const baseNs = range ? range.startNs.toString() : '0';
  const params: SqlValue[] = [BigInt(baseNs) as unknown as SqlValue];
  // A span's operation row is made from its own service: the service's spans are found by op_id
  // through spans_by_op (a span without an operation row, none once imported, by its column).
  let where = '(s.op_id IN (SELECT op_id FROM operations WHERE service = ?) OR (s.op_id IS NULL AND s.service = ?))';
  if (entry.operation === null) params.push(entry.service, entry.service);
  else {
    const op = operationCondition(operationIds(store, entry.service, entry.operation), entry.operation);
    where = op.sql;
    params.push(...op.params);
  }
  // Prepared anew: the op_id lists are part of the text.
  const st = store.db.prepare(`SELECT s.trace_no, s.span_row, s.start_ns - ?, s.duration_ns, s.is_error FROM spans s WHERE ${where}`);
  st.bind(params);
  const byTrace = new Map<number, { row: number; start: number; duration: number; error: number }>();
  while (st.step()) {
    const r = st.get();
    const no = r[0] as number;
    const start = r[2] as number;
    const duration = r[3] as number;
    const had = byTrace.get(no);
    if (had && (had.start < start || (had.start === start && had.duration >= duration))) continue;
    byTrace.set(no, { row: r[1] as number, start, duration, error: r[4] as number });
  }
  st.free();
  const nos = Array.from(byTrace.keys()).sort((a, b) => a - b);
  const n = nos.length;
  const out: EntryRequests = {
    traceNo: Int32Array.from(nos), entrySpanRow: new Int32Array(n), start: new Float64Array(n), duration: new Float64Array(n), isError: new Uint8Array(n), baseNs,
  };
  for (let k = 0; k < n; k++) {
    const e = byTrace.get(nos[k])!;
    out.entrySpanRow[k] = e.row;
    out.start[k] = e.start;
    out.duration[k] = e.duration;
    out.isError[k] = e.error;
  }
  return out;
}

/**
 * The spans of several traces in one set of columns: trace k (numbered traceNo[k]) is rows
 * first[k] .. first[k + 1]. Starts are offsets from the base the reader was given.
 */
export interface TraceChunk {
  traceNo: number[];
  first: number[];
  spanRow: Int32Array;
  /** Each span's parent as the ids name it, within its trace (store/span-trees.ts). */
  idParent: Int32Array;
  /** Span ids and parent ids of the traces whose ids repeat (by index k), which only they resolve. */
  ids: Map<number, { spanId: string[]; parentSpanId: (string | null)[] }>;
  /** The operation row's service; the span's own for a span without one. */
  service: string[];
  /** The raw name where the operation does not name the span (no operation row, or its grouping undone); '' elsewhere. */
  name: string[];
  /** kind, status, error and parent reference, as core/model/span-codes.ts packs them. */
  flags: Uint8Array;
  start: Float64Array;
  duration: Float64Array;
  /** operations row (store/operations.ts), -1 when unknown. */
  opId: Int32Array;
}

/**
 * The spans of the traces numbered `traceNos` (ascending), in trace order and within a trace in
 * the order stored, starts as offsets from `baseNs`, from each trace's columns kept at import
 * (one row per trace, no span id read unless a trace repeats one). Traces with no spans are left out.
 */
export function readTraceChunk(store: Store, traceNos: readonly number[], baseNs: string, catalog: OperationCatalog): TraceChunk {
  const trees: SpanTree[] = [];
  let n = 0;
  if (traceNos.length > 0) eachSpanTree(store, traceNos, (t) => ((n += t.opId.length), trees.push(t)));
  const out: TraceChunk = {
    traceNo: [], first: [], spanRow: new Int32Array(n), idParent: new Int32Array(n), ids: new Map(), service: new Array<string>(n), name: new Array<string>(n).fill(''),
    flags: new Uint8Array(n), start: new Float64Array(n), duration: new Float64Array(n), opId: new Int32Array(n),
  };
  const base = BigInt(baseNs);
  const named: number[] = [];
  const repeats: number[] = [];
  let at = 0;
  for (const t of trees) {
    const k = out.traceNo.push(t.traceNo) - 1;
    out.first.push(at);
    if (!t.uniqueIds) repeats.push(k);
    const shift = Number(BigInt(t.startNs) - base);
    const m = t.opId.length;
    out.spanRow.set(t.spanRow, at);
    out.idParent.set(t.parent, at);
    out.flags.set(t.flags, at);
    out.duration.set(t.duration, at);
    out.opId.set(t.opId, at);
    for (let i = 0; i < m; i++) {
      out.start[at + i] = t.start[i] + shift;
      const op = t.opId[i];
      if (op < 0 || catalog.operation[op] === undefined) named.push(at + i);
      else {
        out.service[at + i] = catalog.service[op];
        if (catalog.ungrouped.has(op)) named.push(at + i);
      }
    }
    at += m;
  }
  out.first.push(at);
  if (named.length > 0) {
    const raw = spanNames(store, named.map((i) => out.spanRow[i]));
    for (const i of named) {
      const r = raw.get(out.spanRow[i])!;
      out.name[i] = r.name;
      out.service[i] = r.service;
    }
  }
  if (repeats.length > 0) {
    const ids = spanIdsOf(store, repeats.map((k) => out.traceNo[k]));
    for (const k of repeats) out.ids.set(k, ids.get(out.traceNo[k])!);
  }
  return out;
}

/** Span ids and parent ids of the traces numbered `traceNos`, each in span_row order. */
function spanIdsOf(store: Store, traceNos: readonly number[]): Map<number, { spanId: string[]; parentSpanId: (string | null)[] }> {
  const out = new Map<number, { spanId: string[]; parentSpanId: (string | null)[] }>();
  const st = store.stmt('SELECT trace_no, span_id, parent_span_id FROM spans WHERE trace_no IN (SELECT value FROM json_each(?)) ORDER BY trace_no, span_row');
  st.bind([JSON.stringify(traceNos)]);
  try {
    while (st.step()) {
      const r = st.get();
      const no = r[0] as number;
      let t = out.get(no);
      if (!t) out.set(no, (t = { spanId: [], parentSpanId: [] }));
      t.spanId.push(r[1] as string);
      t.parentSpanId.push(r[2] as string | null);
    }
  } finally {
    st.reset();
  }
  return out;
}

/**
 * The operations traces start with (their root spans' grouped operations, or the raw names where
 * the user undid a grouping), most traces first; at most `limit`.
 */
export function entryChoices(store: Store, limit = 500): { service: string; operation: string; traces: number }[] {
  const st = store.stmt(
    `SELECT o.service, CASE WHEN coalesce(g.ungrouped, 0) = 1 THEN s.name ELSE o.operation END AS op, count(*) AS n
     FROM traces t JOIN spans s ON s.trace_no = t.trace_no AND s.span_id = t.root_span_id JOIN operations o ON o.op_id = s.op_id
       LEFT JOIN operation_settings g ON g.service = o.service AND g.operation = o.operation
     GROUP BY o.service, op ORDER BY n DESC, o.service, op LIMIT ?`,
  );
  st.bind([limit]);
  const out: { service: string; operation: string; traces: number }[] = [];
  while (st.step()) {
    const r = st.get();
    out.push({ service: r[0] as string, operation: r[1] as string, traces: r[2] as number });
  }
  st.reset();
  return out;
}

/** Each span's attributes (JSON text, or null) and resource, for the traces numbered `traceNos`, trace by trace. */
export function eachTraceAttributes(store: Store, traceNos: readonly number[], visit: (traceNo: number, attributes: (string | null)[], resources: (number | null)[]) => void): void {
  if (traceNos.length === 0) return;
  const st = store.stmt('SELECT trace_no, attributes, resource_id FROM spans WHERE trace_no IN (SELECT value FROM json_each(?1)) ORDER BY trace_no');
  st.bind([JSON.stringify(traceNos)]);
  let current = -1;
  let attrs: (string | null)[] = [];
  let res: (number | null)[] = [];
  try {
    while (st.step()) {
      const r = st.get();
      const no = r[0] as number;
      if (no !== current) {
        if (current !== -1) visit(current, attrs, res);
        current = no;
        attrs = [];
        res = [];
      }
      attrs.push(r[1] as string | null);
      res.push(r[2] as number | null);
    }
    if (current !== -1) visit(current, attrs, res);
  } finally {
    st.reset();
  }
}

/** Every resource's attributes (JSON text) by resource id. */
export function resourceAttributes(store: Store): Map<number, string> {
  const out = new Map<number, string>();
  const st = store.stmt('SELECT resource_id, attributes FROM resources');
  while (st.step()) {
    const r = st.get();
    out.set(r[0] as number, r[1] as string);
  }
  st.reset();
  return out;
}
