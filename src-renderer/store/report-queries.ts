// What the postmortem report reads of the store (engine/report.ts): the requests of a period (each
// trace's root span: duration and error), each service's first span in error, the first log lines
// at error level or above, and requests per step for the chart. Windows are [from, to) in epoch ns
// (decimal text), bound as parameters.

import type { Store } from './store.ts';

const FROM = 'CAST(? AS INTEGER)';

/** Each request of [fromNs, toNs): its duration (ns) and whether its root span failed. */
export function periodRequests(store: Store, fromNs: string, toNs: string): { duration: number[]; failed: boolean[] } {
  const st = store.stmt(
    `SELECT t.duration_ns, coalesce(s.is_error, 0) FROM traces t LEFT JOIN spans s ON s.trace_no = t.trace_no AND s.span_id = t.root_span_id
     WHERE t.start_ns >= ${FROM} AND t.start_ns < ${FROM}`,
  );
  st.bind([fromNs, toNs]);
  const duration: number[] = [];
  const failed: boolean[] = [];
  while (st.step()) {
    const r = st.get();
    duration.push(r[0] as number);
    failed.push(r[1] === 1);
  }
  st.reset();
  return { duration, failed };
}

/** Each service's first span in error in the window (by start), with how many it had and that span's trace; earliest first. */
export function firstErrors(store: Store, fromNs: string, toNs: string, limit = 50): { service: string; firstNs: string; spans: number; traceId: string; spanId: string }[] {
  const st = store.stmt(
    `WITH e AS (SELECT service, start_ns, trace_id, span_id, row_number() OVER (PARTITION BY service ORDER BY start_ns, span_row) AS k, count(*) OVER (PARTITION BY service) AS n
                FROM spans WHERE is_error = 1 AND start_ns >= ${FROM} AND start_ns < ${FROM})
     SELECT service, CAST(start_ns AS TEXT), n, trace_id, span_id FROM e WHERE k = 1 ORDER BY start_ns, service LIMIT ?`,
  );
  st.bind([fromNs, toNs, limit]);
  const out: { service: string; firstNs: string; spans: number; traceId: string; spanId: string }[] = [];
  while (st.step()) {
    const r = st.get();
    out.push({ service: r[0] as string, firstNs: r[1] as string, spans: r[2] as number, traceId: r[3] as string, spanId: r[4] as string });
  }
  st.reset();
  return out;
}

export interface ErrorLogRow {
  row: number;
  timeNs: string;
  service: string | null;
  severity: number;
  message: string;
  traceId: string | null;
  spanId: string | null;
  /** The trace id is a 64-bit one that matches on the low half (store/logs.ts). */
  partial: boolean;
}

/** The first log lines of the window at severity `minSeverity` or above (severity codes, schema.ts), in time order. */
export function firstErrorLogs(store: Store, fromNs: string, toNs: string, minSeverity: number, limit = 20): ErrorLogRow[] {
  const st = store.stmt(
    `SELECT log_row, CAST(time_ns AS TEXT), service, severity, message, trace_id, span_id, trace_id_partial FROM logs
     WHERE severity >= ? AND time_ns >= ${FROM} AND time_ns < ${FROM} ORDER BY time_ns, log_row LIMIT ?`,
  );
  st.bind([minSeverity, fromNs, toNs, limit]);
  const out: ErrorLogRow[] = [];
  while (st.step()) {
    const r = st.get();
    out.push({
      row: r[0] as number, timeNs: r[1] as string, service: (r[2] as string | null) ?? null, severity: r[3] as number, message: r[4] as string,
      traceId: (r[5] as string | null) ?? null, spanId: (r[6] as string | null) ?? null, partial: r[7] === 1,
    });
  }
  st.reset();
  return out;
}

/** Requests and failed requests of [startNs, endNs) per step (the last step may be cut short). */
export function requestsPerStep(store: Store, startNs: string, endNs: string, stepNs: number): { requests: number[]; failed: number[] } {
  const steps = Math.ceil(Number(BigInt(endNs) - BigInt(startNs)) / stepNs);
  const requests = new Array<number>(steps).fill(0);
  const failed = new Array<number>(steps).fill(0);
  const st = store.stmt(
    `SELECT (t.start_ns - ${FROM}) / ${FROM}, count(*), sum(coalesce(s.is_error, 0)) FROM traces t LEFT JOIN spans s ON s.trace_no = t.trace_no AND s.span_id = t.root_span_id
     WHERE t.start_ns >= ${FROM} AND t.start_ns < ${FROM} GROUP BY 1`,
  );
  // Integers as text: sql.js binds a JS number past 32 bits as a double, and the division must be an integer one.
  const step = String(Math.round(stepNs));
  st.bind([startNs, step, startNs, endNs]);
  while (st.step()) {
    const r = st.get();
    const k = r[0] as number;
    if (k >= 0 && k < steps) {
      requests[k] = r[1] as number;
      failed[k] = r[2] as number;
    }
  }
  st.reset();
  return { requests, failed };
}
