// The trace search's request and reply as they cross to the UI thread (plain data; see
// trace-view.ts beside this for why wire/ imports only core/).

import type { QueryError, TraceSortKey, SortDir } from '../../core/analysis/trace-query.ts';
import type { TraceRow } from '../../store/queries.ts';

export interface TraceSearchRequest {
  /** The query as typed (core/analysis/trace-query.ts); empty for every trace. */
  query: string;
  sort?: TraceSortKey;
  dir?: SortDir;
  offset: number;
  limit: number;
}

/** A trace as the list shows it (absolute times are decimal strings of epoch ns: exact). */
export type TraceListRow = TraceRow;

export interface TraceSearchReply {
  /** Traces meeting the query (all of them, not just this page). */
  total: number;
  rows: TraceListRow[];
  /** Terms that could not be read, and were left out of the search. */
  errors: QueryError[];
}
