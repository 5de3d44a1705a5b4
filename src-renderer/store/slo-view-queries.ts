// Reads the SLO screen's form needs: every service with the operations it holds (span names with
// their ids grouped: core/model/operation.ts) and their counts, so an SLO is defined on what is
// really in the data. Each service keeps its most frequent operations and says how many it left out.

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
  // Operations as aggregates see them (store/operations.ts): grouped, or the raw names where the
  // user undid a grouping.
  const st = store.stmt(
    `SELECT service, op, c, n, total FROM (
       SELECT service, op, sum(c) AS c,
         row_number() OVER (PARTITION BY service ORDER BY sum(c) DESC, op) AS rn,
         count(*) OVER (PARTITION BY service) AS n,
         sum(sum(c)) OVER (PARTITION BY service) AS total
       FROM (
         SELECT o.service AS service, CASE WHEN coalesce(st.ungrouped, 0) = 1 THEN s.name ELSE o.operation END AS op, count(*) AS c
         FROM spans s JOIN operations o USING (op_id)
           LEFT JOIN operation_settings st ON st.service = o.service AND st.operation = o.operation
         GROUP BY s.op_id, CASE WHEN coalesce(st.ungrouped, 0) = 1 THEN s.name END)
       GROUP BY service, op)
     WHERE rn <= ? ORDER BY service, c DESC, op`,
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
