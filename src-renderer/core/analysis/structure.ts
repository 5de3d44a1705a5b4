// Data-quality findings of one trace's structure (REFERENCE.md "Structure problems"): orphans,
// several roots, duplicate span ids, parent cycles, children outside their parent, and suspected
// clock skew between services. Nothing here changes the data; it only reports. Parent/child edges
// come from resolveParents (model/tree.ts, the one place they are resolved). Iterative throughout.
//
// Clock skew, Jaeger-style but per service pair: a child of another service that starts before
// its parent or ends after it suggests the two clocks disagree. Assuming the request and the
// response take equally long on the wire, the child should sit in the middle of its parent:
//
//   parent (A)   |------------------------|          offset = parent.start
//   child  (B)  |----------------|                           + (parent.dur - child.dur) / 2
//   expected           |----------------|                    - child.start
//
// A child longer than its parent cannot be centred; if it starts early its start is aligned with
// the parent's. One finding per (parent service, child service) pair with the median offset: the
// amount to add to the child service's times. Follows-from and messaging children are left out:
// they may legitimately run after their parent.

import type { Finding, ParentRef, SpanKind } from '../model/trace.ts';
import { resolveParents, resolveUniqueParents, type TreeColumns } from '../model/tree.ts';

/** The least a structural check needs of a span. Times are offsets in ns from any common base. */
export interface StructSpan {
  spanId: string;
  parentSpanId: string | null;
  start: number;
  duration: number;
  service: string;
  kind: SpanKind;
  /** Jaeger FOLLOWS_FROM: the child may run after its parent ends. Absent means child_of. */
  parentRef?: ParentRef;
}

/** Findings of one kind beyond this many per trace are summed up in one more finding. */
export const MAX_FINDINGS_PER_KIND = 200;

export function findStructureProblems(traceId: string, spans: readonly StructSpan[]): Finding[] {
  // Most traces have nothing to report: the set and map of duplicates and skew are made only when needed.
  const out: Finding[] = [];
  const counts = new Map<string, number>();
  const add = (f: Finding) => {
    const n = (counts.get(f.kind) ?? 0) + 1;
    counts.set(f.kind, n);
    if (n <= MAX_FINDINGS_PER_KIND) out.push(f);
  };

  const byId = new Map<string, number>();
  let dupReported: Set<string> | null = null;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    const prev = byId.get(s.spanId);
    if (prev === undefined) byId.set(s.spanId, i);
    else if (!isSharedZipkinId(spans[prev], s) && !dupReported?.has(s.spanId)) {
      (dupReported ??= new Set()).add(s.spanId);
      add({ kind: 'duplicate_span_id', traceId, spanId: s.spanId, message: `span id ${s.spanId} appears more than once` });
    }
  }
  let roots = 0;
  for (const s of spans) {
    if (s.parentSpanId === null) roots++;
    else if (!byId.has(s.parentSpanId))
      add({ kind: 'orphan', traceId, spanId: s.spanId, message: `missing parent ${s.parentSpanId}`, data: { parentSpanId: s.parentSpanId } });
  }
  if (roots > 1) add({ kind: 'multiple_roots', traceId, spanId: null, message: `${roots} root spans`, data: { roots } });

  // The parent edges only (not the whole tree): this runs for every trace of every import.
  const n = spans.length;
  const parentSpanId = new Array<string | null>(n);
  for (let i = 0; i < n; i++) parentSpanId[i] = spans[i].parentSpanId;
  const tree = byId.size === n ? resolveUniqueParents(parentSpanId, byId) : resolveParents(columnsOf(spans, parentSpanId));
  for (const i of tree.cycleCuts) {
    add({
      kind: 'cycle', traceId, spanId: spans[i].spanId,
      message: `parent cycle: span ${spans[i].spanId} leads back to itself through its parents; shown as a root`,
      data: { parentSpanId: spans[i].parentSpanId },
    });
  }

  let skew: Map<string, { parent: string; child: string; offsets: number[]; first: string }> | null = null;
  for (let i = 0; i < tree.size; i++) {
    const p = tree.parent[i];
    if (p < 0) continue;
    const c = spans[i];
    const par = spans[p];
    const early = par.start - c.start;
    const late = c.start + c.duration - (par.start + par.duration);
    if (early <= 0 && late <= 0) continue;
    const async = c.parentRef === 'follows_from' || c.kind === 'consumer' || par.kind === 'producer';
    if (early > 0)
      add({
        kind: 'child_starts_before_parent', traceId, spanId: c.spanId,
        message: `starts ${early} ns before its parent ${par.spanId}`, data: { parentSpanId: par.spanId, byNs: early },
      });
    if (late > 0 && !async)
      add({
        kind: 'child_ends_after_parent', traceId, spanId: c.spanId,
        message: `ends ${late} ns after its parent ${par.spanId}`, data: { parentSpanId: par.spanId, byNs: late },
      });
    if (c.service === par.service || async) continue;
    let offset: number;
    if (c.duration > par.duration) {
      if (early <= 0) continue; // a long child that starts in time: nothing to estimate
      offset = early;
    } else offset = par.start + (par.duration - c.duration) / 2 - c.start;
    const key = `${par.service}\u0000${c.service}`;
    skew ??= new Map();
    let e = skew.get(key);
    if (!e) skew.set(key, (e = { parent: par.service, child: c.service, offsets: [], first: c.spanId }));
    e.offsets.push(offset);
  }
  for (const e of skew?.values() ?? []) {
    const sorted = e.offsets.slice().sort((a, b) => a - b);
    const offsetNs = Math.round(sorted[(sorted.length - 1) >> 1]);
    const dir = offsetNs > 0 ? 'behind' : 'ahead of';
    add({
      kind: 'clock_skew', traceId, spanId: e.first,
      message: `clock skew suspected: ${e.child}'s clock looks ${formatNs(Math.abs(offsetNs))} ${dir} ${e.parent}'s (${e.offsets.length} span${e.offsets.length === 1 ? '' : 's'} outside their parent)`,
      data: { parentService: e.parent, childService: e.child, offsetNs, spans: e.offsets.length },
    });
  }

  for (const [kind, n] of counts) {
    if (n > MAX_FINDINGS_PER_KIND)
      out.push({ kind: kind as Finding['kind'], traceId, spanId: null, message: `and ${n - MAX_FINDINGS_PER_KIND} more ${kind} findings in this trace`, data: { more: n - MAX_FINDINGS_PER_KIND } });
  }
  return out;
}

function columnsOf(spans: readonly StructSpan[], parentSpanId: (string | null)[]): TreeColumns {
  return { spanId: spans.map((s) => s.spanId), parentSpanId, kind: spans.map((s) => s.kind), start: spans.map((s) => s.start) };
}

/** Zipkin's client and server halves of one RPC legitimately share a span id (B3). */
function isSharedZipkinId(a: StructSpan, b: StructSpan): boolean {
  return (a.kind === 'client' && b.kind === 'server') || (a.kind === 'server' && b.kind === 'client');
}

function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(3)} µs`;
  return `${ns} ns`;
}
