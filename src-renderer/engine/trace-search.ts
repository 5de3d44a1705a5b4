// Trace search: a query's text → its terms (core/analysis/trace-query.ts) → one SQL question
// (store/trace-search.ts) → the rows of the traces it matched → those rows in the order asked.
//
// The traces table is read once per data version into columns (store/trace-table.ts), and each
// order of the list made once from them for all traces (core/analysis/trace-order.ts): a search
// then costs its SQL match, and its result in any order a pass over that order's rows keeping the
// matched ones. The empty query matches every trace without asking SQL. The last match (per query)
// and the last result (per query and order) are kept, so sorting again does not search again,
// paging through a result (the virtual list scrolling) reads only the rows of each page, and the
// scatter's points are the same match in order of start.

import type { Store } from '../store/store.ts';
import { parseTraceQuery, isSpanTerm, resolveTime, isTraceSortKey, defaultSortDir, type Term, type TraceSortKey, type SortDir, type QueryError } from '../core/analysis/trace-query.ts';
import { matchWhere, matchTraceNos, traceRowsOf, firstTraceStartNs, type ResolvedTraceTerm } from '../store/trace-search.ts';
import { readTraceTable, rowsInOrder, rowsByStartAndNumber, matchedRows, type TraceTable } from '../store/trace-table.ts';
import { orderRows, scatterRows, rowsIn, flaggedRows, isColumnSortKey } from '../core/analysis/trace-order.ts';
import type { TraceScatterPoints } from '../core/analysis/scatter-series.ts';
import type { TraceSearchRequest, TraceSearchReply } from './wire/trace-search.ts';

/** Most rows one request returns. */
const MAX_PAGE = 5000;

/** What a query matched: one flag per row of the table, or null for every row. */
interface Match {
  key: string;
  member: Uint8Array | null;
  /** How many rows matched. */
  count: number;
  errors: QueryError[];
}

interface Result {
  key: string;
  rows: Int32Array;
  errors: QueryError[];
}

/** A match of at most this share of the traces is sorted alone, when the order of all is not made yet. */
const FEW = 1 / 8;

/**
 * The traces table in columns for the current data version, with the orders of all its rows made
 * so far: read once after the data changes, shared by every search of the store.
 */
export class TraceTables {
  private version = -1;
  private current: TraceTable | null = null;
  readonly orders = new Map<string, Int32Array>();

  constructor(private readonly store: Store) {}

  get table(): TraceTable {
    if (this.current === null || this.version !== this.store.dataVersion) {
      this.orders.clear();
      this.current = readTraceTable(this.store);
      this.version = this.store.dataVersion;
    }
    return this.current;
  }

  /** The order `name` of every row, made by `make` once per data version. */
  order(name: string, make: (table: TraceTable) => Int32Array): Int32Array {
    const table = this.table;
    let order = this.orders.get(name);
    if (!order) this.orders.set(name, (order = make(table)));
    return order;
  }
}

/** The trace terms of a query with their times resolved; a time of day falls on the day the data begins. */
function resolveTraceTerms(store: Store, terms: Term[], errors: QueryError[]): ResolvedTraceTerm[] {
  const out: ResolvedTraceTerm[] = [];
  let dayOf: string | null | undefined;
  for (const t of terms) {
    if (t.kind === 'duration' && t.of === 'trace') out.push({ kind: 'duration', op: t.op, ns: t.ns, negate: t.negate });
    else if (t.kind === 'trace-id') out.push({ kind: 'trace-id', ...t.id, negate: t.negate });
    else if (t.kind === 'time') {
      dayOf ??= firstTraceStartNs(store);
      const ns = resolveTime(t.at, dayOf);
      if (ns === null) errors.push({ start: t.start, end: t.end, message: `${t.text}: no data to take the day from` });
      else out.push({ kind: 'time', bound: t.bound, ns });
    }
  }
  return out;
}

export class TraceSearch {
  private lastMatch: Match | null = null;
  private last: Result | null = null;

  constructor(
    private readonly store: Store,
    private readonly tables = new TraceTables(store),
  ) {}

  search(req: TraceSearchRequest): TraceSearchReply {
    const r = this.result(req.query, isTraceSortKey(req.sort) ? req.sort : 'start', req.dir);
    const offset = Math.max(0, Math.floor(req.offset));
    const limit = Math.min(Math.max(0, Math.floor(req.limit)), MAX_PAGE);
    const ids = this.tables.table.ids;
    const page = Array.from(r.rows.subarray(Math.min(offset, r.rows.length), Math.min(offset + limit, r.rows.length)), (row) => ids[row]);
    return { total: r.rows.length, rows: traceRowsOf(this.store, page), errors: r.errors };
  }

  /**
   * The numbers of the traces a query finds (a cohort of the aggregates), ascending; a query that
   * cannot be read throws its first error.
   */
  traceNos(query: string): number[] {
    const m = this.match(query);
    if (m.errors.length > 0) throw new Error(`search "${query}": ${m.errors[0].message}`);
    const { traceNo, count } = this.tables.table;
    const out: number[] = [];
    for (let row = 0; row < count; row++) if (m.member === null || m.member[row] === 1) out.push(traceNo[row]);
    return out.sort((a, b) => a - b);
  }

  /** The traces a query finds as points of the latency scatter (terms it cannot read are left out, as in search). */
  scatter(query: string): TraceScatterPoints {
    const m = this.match(query);
    const table = this.tables.table;
    const rows = this.inOrder(m, 'scatter', (only) => scatterRows(table, only), () => rowsByStartAndNumber(this.store));
    const n = rows.length;
    const p: TraceScatterPoints = { baseNs: table.baseNs, startNs: new Float64Array(n), durationNs: new Float64Array(n), error: new Uint8Array(n), traceNo: new Int32Array(n) };
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      p.startNs[i] = table.startNs[row];
      p.durationNs[i] = table.durationNs[row];
      p.error[i] = table.errors[row] > 0 ? 1 : 0;
      p.traceNo[i] = table.traceNo[row];
    }
    return p;
  }

  private match(query: string): Match {
    const table = this.tables.table;
    const key = JSON.stringify([this.store.dataVersion, query]);
    if (this.lastMatch?.key === key) return this.lastMatch;
    const q = parseTraceQuery(query);
    const errors = [...q.errors];
    const traceTerms = resolveTraceTerms(this.store, q.terms, errors);
    const spanTerms = q.terms.filter(isSpanTerm);
    const select = matchTraceNos(this.store, spanTerms, traceTerms);
    const member = select && matchedRows(this.store, table, select, () => matchWhere(this.store, spanTerms, traceTerms));
    this.lastMatch = { key, member, count: member ? member.reduce((n, f) => n + f, 0) : table.count, errors };
    return this.lastMatch;
  }

  /**
   * The matched rows in an order: the order of all rows (made once per data version) kept to the
   * matched ones; or, while that order is not made, a match of few rows sorted alone. `sort` sorts
   * the rows given (all without), from the columns; `bySql` has SQLite sort all, for a table whose
   * columns do not hold every value exactly.
   */
  private inOrder(m: Match, name: string, sort: ((only?: Int32Array) => Int32Array) | null, bySql: () => Int32Array): Int32Array {
    const { table, orders } = this.tables;
    if (sort && table.exact && m.member !== null && !orders.has(name) && m.count <= FEW * table.count) return sort(flaggedRows(m.member));
    const order = this.tables.order(name, () => (sort && table.exact ? sort() : bySql()));
    return m.member === null ? order : rowsIn(order, m.member);
  }

  private result(query: string, sort: TraceSortKey, dirAsked: SortDir | undefined): Result {
    const dir = dirAsked === 'asc' || dirAsked === 'desc' ? dirAsked : defaultSortDir(sort);
    const m = this.match(query);
    const key = JSON.stringify([m.key, sort, dir]);
    if (this.last?.key === key) return this.last;
    const table = this.tables.table;
    const byColumns = isColumnSortKey(sort) ? (only?: Int32Array) => orderRows(table, sort, dir, only) : null;
    const rows = this.inOrder(m, `${sort} ${dir}`, byColumns, () => rowsInOrder(this.store, sort, dir));
    this.last = { key, rows, errors: m.errors };
    return this.last;
  }
}
