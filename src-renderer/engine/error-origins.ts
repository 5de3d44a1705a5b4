// The error origins of traces, with their words: one trace for the waterfall (trace-view.ts),
// many for `tracedeck error-origins` and the root causes across traces (root-causes.ts). The
// algorithm is core/analysis/error-origins.ts; this adds what the store keeps apart (status
// messages, exception events, attributes) for the spans on the origins' paths only.

import type { Store } from '../store/store.ts';
import { spanErrorDetails } from '../store/queries.ts';
import type { TraceColumns, SpanNodes } from '../core/model/span-columns.ts';
import type { TraceTree } from '../core/model/tree.ts';
import type { Attributes } from '../core/model/trace.ts';
import { errorOrigins, type TraceErrorOrigins } from '../core/analysis/error-origins.ts';
import { errorMessage, type ErrException, type ErrSpan } from '../core/analysis/error-path.ts';
import { errSpansFromColumns } from '../core/analysis/span-input.ts';

export interface OriginWithWords {
  span: number;
  /** Span indexes from its root (or orphan subtree top) down to it. */
  path: number[];
  reachedRoot: boolean;
  /** Its own words for what went wrong (status message, exception, signal). */
  message: string;
  exceptions: ErrException[];
}

export interface TraceOrigins {
  origins: OriginWithWords[];
  /** Index into origins of the one whose failure reached the root, or -1. */
  primary: number;
  /** Span objects (node as service, grouped operation as name) with their words, for the spans on the paths; holes elsewhere. */
  errSpans: ErrSpan[];
  /** The origins as core found them. */
  found: TraceErrorOrigins;
}

/** `also`: spans to give words to besides those on the origins' paths. */
export function traceOrigins(store: Store, spans: TraceColumns & SpanNodes, tree: TraceTree, also: readonly number[] = []): TraceOrigins {
  const found = errorOrigins(spans, tree);
  const onPaths = new Set<number>(also);
  for (const o of found.origins) for (const i of o.path) onPaths.add(i);
  const indexes = [...onPaths];
  const errSpans = errSpansFromColumns({ ...pick(spans), service: spans.node, name: spans.operation }, indexes);
  const details = spanErrorDetails(store, indexes.map((i) => spans.spanRow[i]));
  for (const i of indexes) {
    const d = details.get(spans.spanRow[i]);
    if (d) errSpans[i] = { ...errSpans[i], statusMessage: d.statusMessage, exceptions: d.exceptions, attributes: d.attributes as Attributes };
  }
  const origins = found.origins.map((o) => ({
    span: o.span, path: o.path, reachedRoot: o.reachedRoot, message: errorMessage(errSpans[o.span]), exceptions: [...(errSpans[o.span].exceptions ?? [])],
  }));
  return { origins, primary: found.primary, errSpans, found };
}

/** The columns errSpansFromColumns reads, without spreading the lazy ones it does not. */
function pick(c: TraceColumns) {
  return { spanId: c.spanId, parentSpanId: c.parentSpanId, parentRef: c.parentRef, kind: c.kind, status: c.status, isError: c.isError, start: c.start, duration: c.duration };
}
