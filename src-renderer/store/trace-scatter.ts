// The latency scatter's points: every trace a search finds, as columns of typed arrays.

import type { Store } from './store.ts';
import { firstTraceStartNs, type Where } from './trace-search.ts';

/**
 * Every trace meeting `where` as a point of the latency scatter, in order of start: its start
 * (ns after `baseNs`, the first trace's start: exact in a double for 104 days), its duration (ns),
 * whether it has an error, and its number (to open it). Columns of typed arrays: a million points
 * cross to the renderer as four buffers, not a million objects.
 */
export interface TraceScatterPoints {
  baseNs: string;
  startNs: Float64Array;
  durationNs: Float64Array;
  error: Uint8Array;
  traceNo: Int32Array;
}

export function traceScatterPoints(store: Store, where: Where): TraceScatterPoints {
  const baseNs = firstTraceStartNs(store) ?? '0';
  const st = store.db.prepare(
    `SELECT t.trace_no, t.start_ns - CAST(? AS INTEGER), t.duration_ns, t.error_count > 0 FROM traces t WHERE ${where.sql} ORDER BY t.start_ns, t.trace_no`,
  );
  let cap = 1024;
  let startNs = new Float64Array(cap);
  let durationNs = new Float64Array(cap);
  let error = new Uint8Array(cap);
  let traceNo = new Int32Array(cap);
  let n = 0;
  try {
    st.bind([baseNs, ...where.params]);
    while (st.step()) {
      if (n === cap) {
        cap *= 2;
        const grow = <A extends Float64Array | Uint8Array | Int32Array>(a: A, make: (k: number) => A): A => {
          const b = make(cap);
          b.set(a);
          return b;
        };
        startNs = grow(startNs, (k) => new Float64Array(k));
        durationNs = grow(durationNs, (k) => new Float64Array(k));
        error = grow(error, (k) => new Uint8Array(k));
        traceNo = grow(traceNo, (k) => new Int32Array(k));
      }
      const r = st.get();
      traceNo[n] = r[0] as number;
      startNs[n] = r[1] as number;
      durationNs[n] = r[2] as number;
      error[n] = r[3] as number;
      n++;
    }
  } finally {
    st.free();
  }
  return { baseNs, startNs: startNs.slice(0, n), durationNs: durationNs.slice(0, n), error: error.slice(0, n), traceNo: traceNo.slice(0, n) };
}
