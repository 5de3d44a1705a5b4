// The one reader of a trace's spans: every analysis and view reads a trace through traceSpans,
// in columns (core/model/span-columns.ts), rows in span_row order straight from the trace index
// (no sort; the tree orders by start).
//
// Handing over strings is what sql.js is slow at (a decoder call per cell, ~1 µs), so the strings
// come as three aggregates for the whole trace: all span ids (16 characters each), all parent
// ids, and "service U+001F name" rows joined by U+001E; the numbers come in a second read of the
// same index, with kind, status, error flag and parent reference packed into one byte
// (core/model/span-codes.ts). Both scan the trace's index in its order (span_row), which the
// aggregates keep. A trace with a service holding U+001F, a name or service holding U+001E (one
// row too many), or ids of another length, has its strings read with the numbers, row by row
// (~100 ms slower at 100,000 spans).

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';
import { FLAG_SHIFT, isKnownFlags } from '../core/model/span-codes.ts';
import { NO_PARENT, defineFlagColumns, lazyColumn, unpackIds, type TraceColumns } from '../core/model/span-columns.ts';

/** The flags byte of span-codes.ts, from the four columns. */
export const FLAGS_SQL = `kind << ${FLAG_SHIFT.kind} | (status << ${FLAG_SHIFT.status}) | (is_error << ${FLAG_SHIFT.isError}) | (parent_ref << ${FLAG_SHIFT.parentRef})`;
const OF_TRACE = 'trace_no = (SELECT trace_no FROM traces WHERE trace_id = ?1)';
/** The strings of a row, when the aggregates cannot carry them (see traceSpans). */
export const ROW_STRINGS = `, span_id || coalesce(parent_span_id, '${NO_PARENT}') || service || char(31) || name, CASE WHEN instr(service, char(31)) THEN service END`;

/** One trace's spans, or null when the workspace holds none of it. */
export function traceSpans(store: Store, traceId: string): TraceColumns | null {
  const agg = store.stmt(
    `SELECT count(*), CAST(min(start_ns) AS TEXT), group_concat(span_id, ''), group_concat(coalesce(parent_span_id, '${NO_PARENT}'), ''),
            group_concat(service || char(31) || name, char(30)), max(instr(service, char(31)))
     FROM spans WHERE ${OF_TRACE}`,
  );
  agg.bind([traceId]);
  const g = agg.step() ? agg.get() : null;
  agg.reset();
  const n = (g?.[0] as number | undefined) ?? 0;
  if (n === 0) return null;
  const base = g![1] as string;
  const ids = (g![2] as string | null) ?? '';
  const parents = (g![3] as string | null) ?? '';
  // A U+001E inside a name or service makes one row more: the count tells.
  const pairs = g![5] === 0 && ids.length === n * 16 && parents.length === n * 16 ? ((g![4] as string | null) ?? '').split('\u001e') : [];
  const byRow = pairs.length !== n;

  const spanRow = new Array<number>(n);
  const start = new Array<number>(n);
  const duration = new Array<number>(n);
  const name = new Array<string>(n);
  const service = new Array<string>(n);
  const flags = new Uint8Array(n);
  const opId = new Int32Array(n);
  const out = { traceId, startNs: base, spanRow, name, service, start, duration, opId } as unknown as TraceColumns;

  // Row by row, ids, service and name come as ONE string per row: 16 + 16 characters of ids, then
  // the service, U+001F, the name. A service that itself holds U+001F comes separately (the last
  // column, NULL otherwise). Ids are 16 characters: the store refuses any other (rows.ts).
  const st = store.stmt(`SELECT span_row, ${FLAGS_SQL}, start_ns - ?2, duration_ns, coalesce(op_id, -1)${byRow ? ROW_STRINGS : ''} FROM spans WHERE ${OF_TRACE} ORDER BY span_row`);
  st.bind([traceId, BigInt(base) as unknown as SqlValue]);
  const spanId = byRow ? new Array<string>(n) : null;
  const parentSpanId = byRow ? new Array<string | null>(n) : null;
  let i = 0;
  while (i < n && st.step()) {
    const r = st.get();
    spanRow[i] = r[0] as number;
    flags[i] = r[1] as number;
    start[i] = r[2] as number;
    duration[i] = r[3] as number;
    opId[i] = r[4] as number;
    if (byRow) {
      const text = r[5] as string;
      const parent = text.slice(16, 32);
      const svc = (r[6] as string | null) ?? text.slice(32, text.indexOf('\u001f', 32));
      spanId![i] = text.slice(0, 16);
      parentSpanId![i] = parent === NO_PARENT ? null : parent;
      service[i] = svc;
      name[i] = text.slice(32 + svc.length + 1);
    }
    i++;
  }
  st.reset();
  defineFlagColumns(out, flags);
  if (byRow) {
    Object.assign(out, { spanId, parentSpanId });
    return out;
  }

  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (v: string): number => {
    let k = stringIndex.get(v);
    if (k === undefined) stringIndex.set(v, (k = strings.push(v) - 1));
    return k;
  };
  const codes = { strings, name: new Int32Array(n), service: new Int32Array(n), flags };
  // Names and services repeat: each distinct pair is split once and its strings shared.
  const dict = new Map<string, { service: string; name: string; s: number; n: number }>();
  for (let k = 0; k < n; k++) {
    const pair = pairs[k];
    let d = dict.get(pair);
    if (d === undefined) {
      const cut = pair.indexOf('\u001f');
      const svc = pair.slice(0, cut);
      const nm = pair.slice(cut + 1);
      dict.set(pair, (d = { service: svc, name: nm, s: intern(svc), n: intern(nm) }));
    }
    service[k] = d.service;
    name[k] = d.name;
    codes.service[k] = d.s;
    codes.name[k] = d.n;
  }
  // The tree reads the packed ids and the packing sends them as they are: the id strings are made
  // when something first reads them (the analyses).
  out.packedIds = { spanIds: ids, parentIds: parents };
  lazyColumn(out, 'spanId', () => unpackIds(ids, n, false));
  lazyColumn(out, 'parentSpanId', () => unpackIds(parents, n, true));
  // The flags only stand for the columns when every value is known (they always are from the store).
  if (flags.every(isKnownFlags)) out.codes = codes;
  return out;
}
