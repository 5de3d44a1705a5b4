// The trace list's orders over columns held in memory: every trace once, as a row number, with
// the numbers the list sorts by. Rows are numbered in the order of the trace ids (what SQLite's
// ORDER BY trace_id gives), so a row number breaks ties exactly as the id does.
//
//   rows (by id)   0 00ab…  1 3f1c…  2 9e07…  3 c410…
//   duration ms       120     2500      120      800
//   start            10:02    10:00    10:01    10:03
//   duration desc  → 1 (2500), 3 (800), 2 (120, starts first), 0 (120)
//
// A search keeps the rows it matched as one flag per row; its result in any order is the order's
// rows with the flag set, in one pass: sorting happens once per order for all traces, not per
// search. A search that matched few traces sorts just those instead.

import type { SortDir } from './trace-query.ts';

export interface TraceColumns {
  /** Traces (rows). */
  count: number;
  /** traces.trace_no per row. */
  traceNo: Int32Array;
  /** Start, ns after the first trace's start. */
  startNs: Float64Array;
  durationNs: Float64Array;
  spans: Int32Array;
  errors: Int32Array;
  services: Int32Array;
}

/** The keys ordered here; names (root service and operation) are ordered by SQLite's collation. */
export type ColumnSortKey = 'start' | 'duration' | 'spans' | 'errors' | 'services';

const COLUMN_KEYS: readonly string[] = ['start', 'duration', 'spans', 'errors', 'services'] satisfies ColumnSortKey[];

export function isColumnSortKey(key: string): key is ColumnSortKey {
  return COLUMN_KEYS.includes(key);
}

function keyOf(c: TraceColumns, key: ColumnSortKey): ArrayLike<number> {
  switch (key) {
    case 'start':
      return c.startNs;
    case 'duration':
      return c.durationNs;
    case 'spans':
      return c.spans;
    case 'errors':
      return c.errors;
    case 'services':
      return c.services;
  }
}

/**
 * The rows (all of them, or those given), ordered by a comparison of rows. Sorted as a plain
 * array: V8 sorts one with a comparison function two to three times as fast as a typed array.
 */
function sortRows(count: number, only: Int32Array | undefined, compare: (a: number, b: number) => number): Int32Array {
  const rows = only ? Array.from(only) : new Array<number>(count);
  if (!only) for (let i = 0; i < count; i++) rows[i] = i;
  return Int32Array.from(rows.sort(compare));
}

/**
 * Rows in the list's order: by start (then id) both ways; by another key both ways, ties by
 * start, then id, ascending. Every row, or only those given. Exact when the columns hold the
 * stored integers exactly (safe integers): the caller orders by SQL otherwise.
 */
export function orderRows(c: TraceColumns, key: ColumnSortKey, dir: SortDir, only?: Int32Array): Int32Array {
  const s = dir === 'desc' ? -1 : 1;
  const start = c.startNs;
  if (key === 'start') return sortRows(c.count, only, (a, b) => s * (start[a] - start[b] || a - b));
  const k = keyOf(c, key);
  return sortRows(c.count, only, (a, b) => s * (k[a] - k[b]) || start[a] - start[b] || a - b);
}

/** Rows by start, ties by trace number: the scatter's points in the order they are drawn. */
export function scatterRows(c: TraceColumns, only?: Int32Array): Int32Array {
  const start = c.startNs;
  const no = c.traceNo;
  return sortRows(c.count, only, (a, b) => start[a] - start[b] || no[a] - no[b]);
}

/** The rows of `order` whose flag is set in `member` (one byte per row), in that order. */
export function rowsIn(order: Int32Array, member: Uint8Array): Int32Array {
  const out = new Int32Array(order.length);
  let n = 0;
  for (let i = 0; i < order.length; i++) {
    const r = order[i];
    if (member[r] === 1) out[n++] = r;
  }
  return out.slice(0, n);
}

/** The rows whose flag is set, in row order. */
export function flaggedRows(member: Uint8Array): Int32Array {
  let n = 0;
  for (let r = 0; r < member.length; r++) n += member[r];
  const out = new Int32Array(n);
  n = 0;
  for (let r = 0; r < member.length; r++) if (member[r] === 1) out[n++] = r;
  return out;
}
