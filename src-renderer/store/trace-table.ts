// The traces table read once into columns (core/analysis/trace-order.ts orders them), and what
// SQL answers of it by row: the orders JavaScript cannot make exactly, and the rows a search
// matches. Rows are the traces in the order of their ids (the table's primary key), numbered from 0.

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';
import type { TraceColumns } from '../core/analysis/trace-order.ts';
import type { TraceSortKey, SortDir } from '../core/analysis/trace-query.ts';
import { eachRowC } from './c-rows.ts';
import { numberColumn } from './number-column.ts';
import { firstTraceStartNs, type Where } from './trace-search.ts';

export interface TraceTable extends TraceColumns {
  /** The first trace's start (epoch ns as text): the columns' starts are offsets from it. */
  baseNs: string;
  ids: string[];
  /**
   * Every number a sort compares is a safe integer here (a stored start past 104 days from the
   * first, or a value that is not an integer, is not): orders made from the columns are exact.
   */
  exact: boolean;
  /** The row of each trace number, or null when the numbers are not distinct small integers. */
  rowOfNo: Int32Array | null;
}

export function readTraceTable(store: Store): TraceTable {
  const baseNs = firstTraceStartNs(store) ?? '0';
  const count = Number(store.db.exec('SELECT count(*) FROM traces')[0].values[0][0]);
  const t: TraceTable = {
    count, baseNs, ids: new Array<string>(count), exact: true, rowOfNo: null,
    traceNo: new Int32Array(count), startNs: new Float64Array(count), durationNs: new Float64Array(count),
    spans: new Int32Array(count), errors: new Int32Array(count), services: new Int32Array(count),
  };
  let row = 0;
  let maxNo = -1;
  let numbered = true;
  eachRowC(
    store,
    'SELECT trace_no, start_ns - CAST(?1 AS INTEGER), duration_ns, span_count, error_count, service_count, trace_id, start_ns FROM traces ORDER BY trace_id',
    [baseNs],
    (r) => {
      if (row >= count) return;
      const no = r.num(0);
      t.traceNo[row] = no;
      if (!(no === t.traceNo[row] && no >= 0)) numbered = false;
      maxNo = Math.max(maxNo, no);
      const start = (t.startNs[row] = r.num(1));
      const duration = (t.durationNs[row] = r.num(2));
      t.spans[row] = r.num(3);
      t.errors[row] = r.num(4);
      t.services[row] = r.num(5);
      t.ids[row] = r.text(6);
      if (t.exact && !(isSafe(start) && isSafe(duration) && INTEGERS.every((i) => r.isInteger(i)) && t.spans[row] === r.num(3) && t.errors[row] === r.num(4) && t.services[row] === r.num(5))) {
        t.exact = false;
      }
      row++;
    },
  );
  if (numbered && maxNo < 4 * count + 16) t.rowOfNo = rowsByNumber(t.traceNo, maxNo);
  return t;
}

/** The columns read above that hold integers in a workspace this build wrote (the raw start last). */
const INTEGERS = [0, 1, 2, 3, 4, 5, 7];

function isSafe(n: number): boolean {
  return Number.isSafeInteger(n);
}

/** The row of each trace number (-1: none), or null when two traces share a number. */
function rowsByNumber(traceNo: Int32Array, maxNo: number): Int32Array | null {
  const rowOf = new Int32Array(maxNo + 1).fill(-1);
  for (let row = 0; row < traceNo.length; row++) {
    if (rowOf[traceNo[row]] !== -1) return null;
    rowOf[traceNo[row]] = row;
  }
  return rowOf;
}

/** Each sort key's ORDER BY: chosen from this fixed map, never spliced from input; ties by start, then id; names ASCII case folded. */
const ORDER: Record<TraceSortKey, string> = {
  start: 't.start_ns',
  duration: 't.duration_ns',
  spans: 't.span_count',
  errors: 't.error_count',
  services: 't.service_count',
  service: 't.root_service COLLATE NOCASE',
  operation: 't.root_name COLLATE NOCASE',
};

/** The traces as rows of the table (alias t, its row number as `row`), for conditions on traces. */
const NUMBERED = '(SELECT row_number() OVER (ORDER BY trace_id) - 1 AS row, * FROM traces) t';

/** Every row in the list's order, sorted by SQLite (names, and columns JavaScript cannot hold exactly). */
export function rowsInOrder(store: Store, sort: TraceSortKey, dir: SortDir): Int32Array {
  const d = dir === 'desc' ? 'DESC' : 'ASC';
  const by = ORDER[sort] ?? ORDER.start;
  const order = sort === 'start' ? `${by} ${d}, t.trace_id ${d}` : `${by} ${d}, t.start_ns, t.trace_id`;
  return Int32Array.from(numbers(store, `SELECT t.row FROM ${NUMBERED} ORDER BY ${order}`, []));
}

/** Every row by start, then trace number: the scatter's order, sorted by SQLite. */
export function rowsByStartAndNumber(store: Store): Int32Array {
  return Int32Array.from(numbers(store, `SELECT t.row FROM ${NUMBERED} ORDER BY t.start_ns, t.trace_no`, []));
}

/**
 * One flag per row: the traces whose number the SELECT returns (each any number of times). With
 * no table of numbers (rowOfNo null), `where` (a condition on traces, alias t) names the rows.
 */
export function matchedRows(store: Store, table: TraceTable, select: Where, where: () => Where): Uint8Array {
  const member = new Uint8Array(table.count);
  const rowOf = table.rowOfNo;
  if (rowOf === null) {
    const w = where();
    for (const row of numbers(store, `SELECT t.row FROM ${NUMBERED} WHERE ${w.sql}`, w.params)) member[row] = 1;
    return member;
  }
  for (const no of numbers(store, select.sql, select.params)) {
    const row = Number.isInteger(no) && no >= 0 && no < rowOf.length ? rowOf[no] : -1;
    if (row >= 0) member[row] = 1;
  }
  return member;
}

function numbers(store: Store, sql: string, params: SqlValue[]): Float64Array {
  return numberColumn(store, sql, params, (n) => new Float64Array(n));
}
