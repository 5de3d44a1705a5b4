// Data-quality findings of one trace's structure (REFERENCE.md "Structure problems"): orphans,
// several roots, duplicate span ids, parent cycles, children outside their parent. Nothing here
// changes the data; it only reports. Iterative throughout (a 100,000-deep chain must work).

import type { Finding, SpanKind } from '../model/trace.ts';

/** The least a structural check needs of a span. Times are offsets in ns from any common base. */
export interface StructSpan {
  spanId: string;
  parentSpanId: string | null;
  start: number;
  duration: number;
  service: string;
  kind: SpanKind;
}

export function findStructureProblems(traceId: string, spans: readonly StructSpan[]): Finding[] {
  const out: Finding[] = [];
  const byId = new Map<string, number>();
  const dupReported = new Set<string>();
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    const prev = byId.get(s.spanId);
    if (prev === undefined) byId.set(s.spanId, i);
    else if (!isSharedZipkinId(spans[prev], s) && !dupReported.has(s.spanId)) {
      dupReported.add(s.spanId);
      out.push({ kind: 'duplicate_span_id', traceId, spanId: s.spanId, message: `span id ${s.spanId} appears more than once` });
    }
  }
  let roots = 0;
  for (const s of spans) {
    if (s.parentSpanId === null) roots++;
    else if (!byId.has(s.parentSpanId))
      out.push({ kind: 'orphan', traceId, spanId: s.spanId, message: `missing parent ${s.parentSpanId}`, data: { parentSpanId: s.parentSpanId } });
  }
  if (roots > 1) out.push({ kind: 'multiple_roots', traceId, spanId: null, message: `${roots} root spans`, data: { roots } });
  return out;
}

/** Zipkin's client and server halves of one RPC legitimately share a span id (B3). */
function isSharedZipkinId(a: StructSpan, b: StructSpan): boolean {
  return (a.kind === 'client' && b.kind === 'server') || (a.kind === 'server' && b.kind === 'client');
}
