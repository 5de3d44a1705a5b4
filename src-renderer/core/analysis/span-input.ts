// Adapters from a trace's spans in columns (the shape store/queries.ts traceSpans() returns) to
// the minimal span types of the critical-path and error-path analyses. The columns are described
// structurally here so that core/ does not depend on the store.

import type { ParentRef, SpanKind, StatusCode } from '../model/trace.ts';
import type { CpSpan } from './critical-path.ts';
import type { ErrSpan } from './error-path.ts';

export interface SpanColumns {
  spanId: readonly string[];
  parentSpanId: readonly (string | null)[];
  parentRef: readonly ParentRef[];
  name: readonly string[];
  service: readonly string[];
  kind: readonly SpanKind[];
  status: readonly StatusCode[];
  isError: readonly boolean[];
  /** Offsets in ns from a common base. */
  start: readonly number[];
  duration: readonly number[];
}

export function cpSpansFromColumns(c: SpanColumns): CpSpan[] {
  const out: CpSpan[] = new Array(c.spanId.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = {
      spanId: c.spanId[i], parentSpanId: c.parentSpanId[i], parentRef: c.parentRef[i], kind: c.kind[i],
      start: c.start[i], duration: c.duration[i], service: c.service[i], name: c.name[i],
    };
  }
  return out;
}

/**
 * Error-path spans without messages or exceptions: the store keeps those apart; add them for the
 * spans on the path. With `only`, just those spans are made (the others stay holes).
 */
export function errSpansFromColumns(c: SpanColumns, only?: readonly number[]): ErrSpan[] {
  const out: ErrSpan[] = new Array(c.start.length);
  for (const i of only ?? out.keys()) {
    out[i] = {
      spanId: c.spanId[i], parentSpanId: c.parentSpanId[i], kind: c.kind[i], start: c.start[i], duration: c.duration[i],
      service: c.service[i], name: c.name[i], status: c.status[i], isError: c.isError[i],
    };
  }
  return out;
}
