// Reads the SLO screen's form needs: every service with the operations (span names) it holds and
// their counts, so an SLO is defined on what is really in the data. High-cardinality span names
// (a cache key in the name, "GET cart:1014") would swamp a picker: each service keeps its most
// frequent operations and says how many it left out.

import type { Store } from './store.ts';

export interface SloServiceOperations {
  service: string;
  /** Spans of the service, all operations. */
  spans: number;
  /** Most frequent first. */
  operations: { operation: string; count: number }[];
  /** Distinct operations left out of `operations`. */
  more: number;
}

export function sloServiceOperations(store: Store, perService = 200): SloServiceOperations[] {
  const st = store.stmt(
    `SELECT service, name, c, n, total FROM (
       SELECT service, name, count(*) AS c,
         row_number() OVER (PARTITION BY service ORDER BY count(*) DESC, name) AS rn,
         count(*) OVER (PARTITION BY service) AS n,
         sum(count(*)) OVER (PARTITION BY service) AS total
       FROM spans GROUP BY service, name)
     WHERE rn <= ? ORDER BY service, c DESC, name`,
  );
  st.bind([perService]);
  const out: SloServiceOperations[] = [];
  while (st.step()) {
    const [service, name, c, n, total] = st.get() as [string, string, number, number, number];
    let cur = out[out.length - 1];
    if (!cur || cur.service !== service) {
      cur = { service, spans: total, operations: [], more: Math.max(0, n - perService) };
      out.push(cur);
    }
    cur.operations.push({ operation: name, count: c });
  }
  st.reset();
  return out;
}
