// From a trace's spans in columns (core/model/span-columns.ts) to the span objects of the error
// path's summary, which reads a few spans' words: only the spans asked for are made.

import type { SpanColumns } from '../model/span-columns.ts';
import type { ErrSpan } from './error-path.ts';

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
