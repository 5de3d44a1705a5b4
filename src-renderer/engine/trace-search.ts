// Trace search: a query's text → its terms (core/analysis/trace-query.ts) → one SQL condition on
// traces (store/trace-search.ts) → the matching traces in the order asked. The ordered ids of the
// last search are kept (per query, order and data version), so paging through a result, as the
// virtual list does while scrolling, reads only the rows of each page.

import type { Store } from '../store/store.ts';
import { parseTraceQuery, isSpanTerm, resolveTime, isTraceSortKey, defaultSortDir, type Term, type TraceSortKey, type SortDir, type QueryError } from '../core/analysis/trace-query.ts';
import { matchWhere, matchingTraceNos, orderedTraceIds, traceRowsOf, firstTraceStartNs, type ResolvedTraceTerm, type Where } from '../store/trace-search.ts';
import { traceScatterPoints, type TraceScatterPoints } from '../store/trace-scatter.ts';
import type { TraceSearchRequest, TraceSearchReply } from './wire/trace-search.ts';

export type { TraceScatterPoints };

/** Most rows one request returns. */
const MAX_PAGE = 5000;

interface Result {
  key: string;
  ids: string[];
  errors: QueryError[];
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
  private last: Result | null = null;

  constructor(private readonly store: Store) {}

  search(req: TraceSearchRequest): TraceSearchReply {
    const r = this.result(req.query, isTraceSortKey(req.sort) ? req.sort : 'start', req.dir);
    const offset = Math.max(0, Math.floor(req.offset));
    const limit = Math.min(Math.max(0, Math.floor(req.limit)), MAX_PAGE);
    return { total: r.ids.length, rows: traceRowsOf(this.store, r.ids.slice(offset, offset + limit)), errors: r.errors };
  }

  /**
   * The numbers of the traces a query finds (a cohort of the aggregates), ascending; a query that
   * cannot be read throws its first error.
   */
  traceNos(query: string): number[] {
    const { where, errors } = this.compile(query);
    if (errors.length > 0) throw new Error(`search "${query}": ${errors[0].message}`);
    return matchingTraceNos(this.store, where);
  }

  /** The traces a query finds as points of the latency scatter (terms it cannot read are left out, as in search). */
  scatter(query: string): TraceScatterPoints {
    return traceScatterPoints(this.store, this.compile(query).where);
  }

  private compile(query: string): { where: Where; errors: QueryError[] } {
    const q = parseTraceQuery(query);
    const errors = [...q.errors];
    const traceTerms = resolveTraceTerms(this.store, q.terms, errors);
    return { where: matchWhere(this.store, q.terms.filter(isSpanTerm), traceTerms), errors };
  }

  private result(query: string, sort: TraceSortKey, dirAsked: SortDir | undefined): Result {
    const dir = dirAsked === 'asc' || dirAsked === 'desc' ? dirAsked : defaultSortDir(sort);
    const key = JSON.stringify([this.store.dataVersion, query, sort, dir]);
    if (this.last?.key === key) return this.last;
    const { where, errors } = this.compile(query);
    this.last = { key, ids: orderedTraceIds(this.store, where, sort, dir), errors };
    return this.last;
  }
}
