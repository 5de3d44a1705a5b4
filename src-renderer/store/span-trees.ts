// Each trace's spans as numbers, one row per trace (table span_trees), written at import: what the
// service map and the aggregates read instead of a million span rows. sql.js hands a cell over
// for ~1 µs and a string for several, so reading every span's ids, service and name to rebuild
// parents costs seconds at 1M spans; one blob per trace costs a step and a copy.
//
// A trace's spans are in span_row order (the order stored). Per span:
//   start     Float64  ns from the trace's first start (span_trees.start_ns)
//   duration  Float64  ns
//   spanRow   Int32    spans.span_row
//   parent    Int32    index (in this trace) of the first span whose id is its parent id;
//                      NO_PARENT_ID when it names none, MISSING_PARENT when no span has that id
//   opId      Int32    spans.op_id (-1 when NULL)
//   flags     Uint8    kind, status, error, parent reference (core/model/span-codes.ts)
// `unique_ids` says whether every span id of the trace is distinct: only then are these parents
// the tree's (core/model/tree.ts also pairs Zipkin's shared client/server ids).

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';
import { FLAGS_SQL } from './trace-spans.ts';
import { eachRowC } from './c-rows.ts';
import { NO_PARENT } from '../core/model/span-columns.ts';
import { NO_PARENT_ID, MISSING_PARENT, type IdParents } from '../core/analysis/structure.ts';

export { NO_PARENT_ID, MISSING_PARENT } from '../core/analysis/structure.ts';

/** One trace's columns (see the header). */
export interface SpanTree {
  traceNo: number;
  /** Epoch ns of the trace's first start, as decimal text. */
  startNs: string;
  uniqueIds: boolean;
  start: Float64Array;
  duration: Float64Array;
  spanRow: Int32Array;
  parent: Int32Array;
  opId: Int32Array;
  flags: Uint8Array;
}

/** Bytes per span: two Float64, three Int32, one Uint8. */
const SPAN_BYTES = 8 + 8 + 4 + 4 + 4 + 1;

type Columns = Omit<SpanTree, 'traceNo' | 'startNs' | 'uniqueIds'> & { bytes: Uint8Array };

/** The columns of n spans over one buffer (the layout in the header). */
function columnsIn(buf: ArrayBuffer, n: number): Columns {
  return {
    bytes: new Uint8Array(buf, 0, n * SPAN_BYTES),
    start: new Float64Array(buf, 0, n),
    duration: new Float64Array(buf, 8 * n, n),
    spanRow: new Int32Array(buf, 16 * n, n),
    parent: new Int32Array(buf, 20 * n, n),
    opId: new Int32Array(buf, 24 * n, n),
    flags: new Uint8Array(buf, 28 * n, n),
  };
}

/** Columns for a trace of n spans, laid out in one blob (`bytes`), for the caller to fill. */
export function newSpanTree(n: number): Columns {
  return columnsIn(new ArrayBuffer(n * SPAN_BYTES), n);
}

/** Each span's parent as the ids name it (the first span with its parent id), for spans read from the store. */
export function idParents(spanId: readonly string[], parentSpanId: readonly (string | null)[]): IdParents {
  const n = spanId.length;
  const first = new Map<string, number>();
  for (let i = 0; i < n; i++) if (!first.has(spanId[i])) first.set(spanId[i], i);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = parentSpanId[i];
    parent[i] = p === null ? NO_PARENT_ID : (first.get(p) ?? MISSING_PARENT);
  }
  return { parent, uniqueIds: first.size === n };
}

function decode(traceNo: number, startNs: string, uniqueIds: boolean, bytes: Uint8Array): SpanTree {
  // Each blob comes as a fresh copy (c-rows.ts): its buffer starts at 0, aligned for every view.
  const buf = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length ? bytes.buffer : bytes.slice().buffer;
  return { traceNo, startNs, uniqueIds, ...columnsIn(buf as ArrayBuffer, bytes.length / SPAN_BYTES) };
}

const PUT = 'INSERT OR REPLACE INTO span_trees (trace_no, start_ns, spans, unique_ids, columns) VALUES (?, ?, ?, ?, ?)';

/** Store one trace's columns (newSpanTree, filled), replacing what it had. */
export function putSpanTree(store: Store, traceNo: number, startNs: bigint, uniqueIds: boolean, cols: { bytes: Uint8Array; start: Float64Array }): void {
  store.stmt(PUT).run([traceNo, startNs as unknown as SqlValue, cols.start.length, uniqueIds ? 1 : 0, cols.bytes]);
}

/** Store the columns of a trace read from the store (spans in span_row order, starts from any base: `shift` makes them offsets from the trace's first start). */
export function putSpanTreeOf(
  store: Store,
  traceNo: number,
  startNs: bigint,
  s: { spanId: readonly string[]; parentSpanId: readonly (string | null)[]; start: ArrayLike<number>; duration: ArrayLike<number>; spanRow: ArrayLike<number>; opId: ArrayLike<number>; flags: ArrayLike<number> },
  shift: number,
): Columns {
  const n = s.spanId.length;
  const cols = newSpanTree(n);
  const { parent, uniqueIds } = idParents(s.spanId, s.parentSpanId);
  cols.parent.set(parent);
  for (let i = 0; i < n; i++) {
    cols.start[i] = s.start[i] + shift;
    cols.duration[i] = s.duration[i];
    cols.spanRow[i] = s.spanRow[i];
    cols.opId[i] = s.opId[i];
    cols.flags[i] = s.flags[i];
  }
  putSpanTree(store, traceNo, startNs, uniqueIds, cols);
  return cols;
}

/** Visit every trace's columns (all traces, or the ones numbered `traceNos`, ascending), in trace number order. */
export function eachSpanTree(store: Store, traceNos: readonly number[] | null, visit: (t: SpanTree) => void): void {
  const sql = `SELECT trace_no, CAST(start_ns AS TEXT), unique_ids, columns FROM span_trees${traceNos ? ' WHERE trace_no IN (SELECT value FROM json_each(?1))' : ''} ORDER BY trace_no`;
  eachRowC(store, sql, traceNos ? [JSON.stringify(traceNos)] : [], (r) => visit(decode(r.num(0), r.text(1), r.num(2) === 1, r.blob(3))));
}

/** Each named span's name and service, by span_row. */
export function spanNames(store: Store, spanRows: readonly number[]): Map<number, { name: string; service: string }> {
  const out = new Map<number, { name: string; service: string }>();
  if (spanRows.length === 0) return out;
  const st = store.stmt('SELECT span_row, name, service FROM spans WHERE span_row IN (SELECT value FROM json_each(?))');
  st.bind([JSON.stringify(spanRows)]);
  try {
    while (st.step()) {
      const r = st.get();
      out.set(r[0] as number, { name: r[1] as string, service: r[2] as string });
    }
  } finally {
    st.reset();
  }
  return out;
}

/** The span_rows of spans with no operation row or one of the given op_ids (whose raw names a reader needs). */
export function spanRowsNamed(store: Store, opIds: readonly number[]): number[] {
  const st = store.stmt('SELECT span_row FROM spans WHERE op_id IS NULL OR op_id IN (SELECT value FROM json_each(?))');
  st.bind([JSON.stringify(opIds)]);
  const out: number[] = [];
  try {
    while (st.step()) out.push(st.get()[0] as number);
  } finally {
    st.reset();
  }
  return out;
}

/**
 * Write the columns of every trace that has none (a workspace saved before they existed), in one
 * pass over spans in trace order. Starts are read as offsets from the earliest span's start.
 */
export function fillMissingSpanTrees(store: Store): void {
  const missing = store.db.exec('SELECT 1 FROM traces t WHERE NOT EXISTS (SELECT 1 FROM span_trees m WHERE m.trace_no = t.trace_no) LIMIT 1');
  if (missing.length === 0) return;
  const base = BigInt(String(store.db.exec('SELECT CAST(coalesce(min(start_ns), 0) AS TEXT) FROM spans')[0].values[0][0]));
  const st = store.db.prepare(
    `SELECT trace_no, span_row, ${FLAGS_SQL}, start_ns - ?, duration_ns, coalesce(op_id, -1), span_id, coalesce(parent_span_id, '${NO_PARENT}')
     FROM spans WHERE trace_no IN (SELECT t.trace_no FROM traces t WHERE NOT EXISTS (SELECT 1 FROM span_trees m WHERE m.trace_no = t.trace_no))
     ORDER BY trace_no, span_row`,
  );
  st.bind([base as unknown as SqlValue]);
  type Pending = { no: number; spanId: string[]; parentSpanId: (string | null)[]; start: number[]; duration: number[]; spanRow: number[]; opId: number[]; flags: number[] };
  let cur: Pending | null = null as Pending | null;
  const flush = (t: Pending | null) => {
    if (!t) return;
    let min = Infinity;
    for (const s of t.start) if (s < min) min = s;
    putSpanTreeOf(store, t.no, base + BigInt(min), t, -min);
  };
  store.db.exec('SAVEPOINT span_trees');
  try {
    while (st.step()) {
      const r = st.get();
      const no = r[0] as number;
      if (cur?.no !== no) {
        flush(cur);
        cur = { no, spanId: [], parentSpanId: [], start: [], duration: [], spanRow: [], opId: [], flags: [] };
      }
      cur.spanRow.push(r[1] as number);
      cur.flags.push(r[2] as number);
      cur.start.push(r[3] as number);
      cur.duration.push(r[4] as number);
      cur.opId.push(r[5] as number);
      cur.spanId.push(r[6] as string);
      const p = r[7] as string;
      cur.parentSpanId.push(p === NO_PARENT ? null : p);
    }
    flush(cur);
  } finally {
    st.free();
  }
  store.db.exec('RELEASE span_trees');
}
