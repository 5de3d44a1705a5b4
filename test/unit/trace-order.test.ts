// The trace list's orders made from columns in memory (core/analysis/trace-order.ts) and the
// search's match asked the cheap way (store/trace-search.ts matchTraceNos): the same traces in the
// same order as SQLite's own WHERE and ORDER BY, for every query, column and direction, on the
// recorded incident; and again on workspaces edited by hand where the columns cannot be trusted
// (a start 56 years before the rest, trace numbers shared or far apart), which SQLite then orders.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { TraceSearch } from '../../src-renderer/engine/trace-search.ts';
import { matchWhere, matchingTraceNos, firstTraceStartNs, type ResolvedTraceTerm } from '../../src-renderer/store/trace-search.ts';
import { readTraceTable } from '../../src-renderer/store/trace-table.ts';
import { orderRows, scatterRows, rowsIn, type TraceColumns } from '../../src-renderer/core/analysis/trace-order.ts';
import { parseTraceQuery, isSpanTerm, resolveTime, TRACE_SORT_KEYS, type SortDir } from '../../src-renderer/core/analysis/trace-query.ts';

//   row (id order)   0     1     2     3     4
//   start            30    10    10    20    10
//   duration          5     7     5     7     5
//   spans             1     2     1     2     1
const COLUMNS: TraceColumns = {
  count: 5,
  traceNo: Int32Array.of(4, 9, 2, 7, 1),
  startNs: Float64Array.of(30, 10, 10, 20, 10),
  durationNs: Float64Array.of(5, 7, 5, 7, 5),
  spans: Int32Array.of(1, 2, 1, 2, 1),
  errors: Int32Array.of(0, 0, 0, 0, 0),
  services: Int32Array.of(1, 1, 1, 1, 1),
};

describe('trace orders from columns', () => {
  it('orders by start then id, or by a key then start then id ascending', () => {
    expect(Array.from(orderRows(COLUMNS, 'start', 'asc'))).toEqual([1, 2, 4, 3, 0]);
    expect(Array.from(orderRows(COLUMNS, 'start', 'desc'))).toEqual([0, 3, 4, 2, 1]);
    expect(Array.from(orderRows(COLUMNS, 'duration', 'desc'))).toEqual([1, 3, 2, 4, 0]);
    expect(Array.from(orderRows(COLUMNS, 'duration', 'asc'))).toEqual([2, 4, 0, 1, 3]);
    expect(Array.from(orderRows(COLUMNS, 'spans', 'desc', Int32Array.of(0, 3, 4)))).toEqual([3, 4, 0]);
  });

  it('orders the scatter by start, ties by trace number; keeps an order to the rows flagged', () => {
    expect(Array.from(scatterRows(COLUMNS))).toEqual([4, 2, 1, 3, 0]);
    expect(Array.from(rowsIn(orderRows(COLUMNS, 'duration', 'desc'), Uint8Array.of(1, 0, 1, 1, 0)))).toEqual([3, 2, 0]);
  });
});

const FILE = new URL('../fixtures/otel-incident/traces.otlp.jsonl.gz', import.meta.url).pathname;
let bytes: Uint8Array;

beforeAll(async () => {
  bytes = (await loadInputs([FILE])).store.export();
}, 120_000);

async function storeEditedBy(sql: string): Promise<Store> {
  const store = Store.create(await loadSqlJs(), bytes.slice(), 'incident.tracedeck');
  if (sql) store.db.exec(sql);
  return store;
}

/** SQLite's own answer: the traces meeting the query's condition, by its ORDER BY. */
function bySql(store: Store, query: string, sort: string, dir: SortDir): string[] {
  const q = parseTraceQuery(query);
  const w = matchWhere(store, q.terms.filter(isSpanTerm), timeTerms(store, query));
  const by: Record<string, string> = {
    start: 't.start_ns', duration: 't.duration_ns', spans: 't.span_count', errors: 't.error_count', services: 't.service_count',
    service: 't.root_service COLLATE NOCASE', operation: 't.root_name COLLATE NOCASE',
  };
  const d = dir.toUpperCase();
  const order = sort === 'start' ? `t.start_ns ${d}, t.trace_id ${d}` : `${by[sort]} ${d}, t.start_ns, t.trace_id`;
  return (store.db.exec(`SELECT t.trace_id FROM traces t WHERE ${w.sql} ORDER BY ${order}`, w.params)[0]?.values ?? []).map((r) => r[0] as string);
}

function timeTerms(store: Store, query: string): ResolvedTraceTerm[] {
  return parseTraceQuery(query).terms.flatMap((t): ResolvedTraceTerm[] => {
    if (t.kind === 'time') return [{ kind: 'time' as const, bound: t.bound, ns: resolveTime(t.at, firstTraceStartNs(store))! }];
    if (t.kind === 'duration' && t.of === 'trace') return [{ kind: 'duration' as const, op: t.op, ns: t.ns, negate: t.negate }];
    return [];
  });
}

const QUERIES = [
  '', 'error=true', '-error=true', 'service=payment', 'service=frontend -error=true', 'trace.duration>1s', 'trace.duration<200ms error=true',
  'kind=client', 'duration>500ms', 'timeout', 'nothing-matches-this', 'trace.duration>1s duration>900ms', 'trace.duration<50ms -kind=server',
];

function expectSameAsSql(store: Store, queries: string[]): void {
  for (const query of queries) {
    const search = new TraceSearch(store);
    for (const sort of TRACE_SORT_KEYS) {
      for (const dir of ['asc', 'desc'] as const) {
        const r = search.search({ query, sort, dir, offset: 0, limit: 5000 });
        expect(r.rows.map((t) => t.traceId), `${query} by ${sort} ${dir}`).toEqual(bySql(store, query, sort, dir));
      }
    }
    const q = parseTraceQuery(query);
    const w = matchWhere(store, q.terms.filter(isSpanTerm), timeTerms(store, query));
    const points = search.scatter(query);
    const expected = (store.db.exec(`SELECT t.trace_no FROM traces t WHERE ${w.sql} ORDER BY t.start_ns, t.trace_no`, w.params)[0]?.values ?? []).map((r) => r[0]);
    expect(Array.from(points.traceNo), query).toEqual(expected);
    expect(search.traceNos(query), query).toEqual(matchingTraceNos(store, w));
  }
}

describe('trace search, ordered from the traces table', () => {
  it('finds and orders what SQLite finds and orders, for every query, column and direction', async () => {
    const store = await storeEditedBy('');
    expect(readTraceTable(store)).toMatchObject({ exact: true });
    expect(readTraceTable(store).rowOfNo).not.toBeNull();
    expectSameAsSql(store, QUERIES);
  });

  it('reads the spans of each trace the trace terms leave, or all spans, with the same result', async () => {
    const store = await storeEditedBy('');
    const first = BigInt(firstTraceStartNs(store)!);
    for (const query of QUERIES) {
      for (const more of ['', `from=${first + 60_000_000_000n}`, 'trace.duration>1s']) {
        const q = parseTraceQuery(`${query} ${more}`);
        const args = [store, q.terms.filter(isSpanTerm), timeTerms(store, `${query} ${more}`)] as const;
        expect(matchingTraceNos(store, matchWhere(...args, true)), `${query} ${more}`).toEqual(matchingTraceNos(store, matchWhere(...args, false)));
      }
    }
  });

  it('has SQLite order a table edited so that its columns cannot hold it exactly', async () => {
    // One trace moved to 1970: the others start more than 2^53 ns after it.
    const early = await storeEditedBy('UPDATE traces SET start_ns = 1000 WHERE trace_id = (SELECT min(trace_id) FROM traces)');
    expect(readTraceTable(early).exact).toBe(false);
    expectSameAsSql(early, QUERIES.slice(0, 6));
    // Two traces with one number, and numbers far apart: the match is read by row instead.
    const shared = await storeEditedBy('UPDATE traces SET trace_no = (SELECT min(trace_no) FROM traces) WHERE trace_id = (SELECT max(trace_id) FROM traces)');
    expect(readTraceTable(shared).rowOfNo).toBeNull();
    expectSameAsSql(shared, QUERIES.slice(0, 6));
    const sparse = await storeEditedBy('UPDATE traces SET trace_no = trace_no + 1000000000 WHERE trace_id = (SELECT max(trace_id) FROM traces)');
    expect(readTraceTable(sparse).rowOfNo).toBeNull();
  });
});
