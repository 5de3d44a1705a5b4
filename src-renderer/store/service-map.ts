// The rows the service map is built from: every span's trace number, id, parent, service, name,
// operation row (op_id: its grouped operation and peer, store/operations.ts), duration and error
// flag, in trace order (spans_by_trace_no), so the builder holds one trace at a time.

import type { Store } from './store.ts';

export interface MapSpanSink {
  add(traceNo: number, spanId: string, parentSpanId: string | null, service: string, name: string, durationNs: number, isError: boolean, opId: number): void;
}

/** Hand every span to `sink`, trace by trace. */
export function scanSpansByTrace(store: Store, sink: MapSpanSink): void {
  const st = store.db.prepare('SELECT trace_no, span_id, parent_span_id, service, name, duration_ns, is_error, op_id FROM spans ORDER BY trace_no');
  try {
    while (st.step()) {
      const r = st.get();
      sink.add(r[0] as number, r[1] as string, r[2] as string | null, r[3] as string, r[4] as string, r[5] as number, r[6] === 1, (r[7] as number | null) ?? -1);
    }
  } finally {
    st.free();
  }
}
