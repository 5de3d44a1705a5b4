// Data-quality findings of one trace's structure: orphans,
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
//
// Rounding is not skew: a child outside its parent by no more than the precision of the two
// spans' timestamps (core/analysis/precision.ts; whole milliseconds for the OpenTelemetry JS SDK)
// is inside it as far as the data can tell, and is neither reported nor counted for skew.

import type { Finding, ParentRef, SpanKind } from '../model/trace.ts';
import { resolveParents, resolveUniqueParents, SpanIdIndex, type TreeColumns } from '../model/tree.ts';
import { spanPrecisions } from './precision.ts';

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

/**
 * Each span's parent as the ids name it: the index of the first span with its parent id, or
 * NO_PARENT_ID / MISSING_PARENT (what the store keeps per trace, store/span-trees.ts). Unlike the
 * tree's, self-parents and cycles are left as they are and shared Zipkin ids are not paired.
 */
export interface IdParents {
  parent: Int32Array;
  /** Every span id of the trace is distinct. */
  uniqueIds: boolean;
}

export const NO_PARENT_ID = -1;
export const MISSING_PARENT = -2;

/**
 * `baseNs`: the epoch ns the spans' offsets are from (the precision of their timestamps is read
 * from it). With `parents`, also each span's parent as the ids name it (IdParents), from the
 * index of ids the check makes anyway.
 */
export function findStructureProblems(traceId: string, spans: readonly StructSpan[], baseNs: bigint = 0n, parents?: IdParents): Finding[] {
  // Most traces have nothing to report: the set and map of duplicates and skew are made only when needed.
  const out: Finding[] = [];
  let counts = null as Map<string, number> | null; // made by the first finding (most traces have none)
  const add = (f: Finding) => {
    counts ??= new Map();
    const n = (counts.get(f.kind) ?? 0) + 1;
    counts.set(f.kind, n);
    if (n <= MAX_FINDINGS_PER_KIND) out.push(f);
  };

  const n = spans.length;
  const byId = firstIndex(spans);
  let dupReported: Set<string> | null = null;
  for (let i = 0; i < n; i++) {
    const s = spans[i];
    const first = byId.first[i];
    if (first !== i && !isSharedZipkinId(spans[first], s) && !dupReported?.has(s.spanId)) {
      (dupReported ??= new Set()).add(s.spanId);
      add({ kind: 'duplicate_span_id', traceId, spanId: s.spanId, message: `span id ${s.spanId} appears more than once` });
    }
  }
  // The parent edges only (not the whole tree): this runs for every trace of every import.
  const parentSpanId = new Array<string | null>(n);
  let roots = 0;
  for (let i = 0; i < n; i++) if ((parentSpanId[i] = spans[i].parentSpanId) === null) roots++;
  const tree = byId.distinct === n ? resolveUniqueParents(parentSpanId, byId) : resolveParents(columnsOf(spans, parentSpanId));
  if (parents) {
    parents.uniqueIds = byId.distinct === n;
    const unique = parents.uniqueIds;
    for (let i = 0; i < n; i++) {
      const pid = parentSpanId[i];
      // With distinct ids the tree's parent is the named one unless a cycle was cut there.
      parents.parent[i] = pid === null ? NO_PARENT_ID : unique && tree.parent[i] >= 0 ? tree.parent[i] : (byId.get(pid) ?? MISSING_PARENT);
    }
  }
  for (const i of tree.orphans) {
    const s = spans[i];
    add({ kind: 'orphan', traceId, spanId: s.spanId, message: `missing parent ${s.parentSpanId}`, data: { parentSpanId: s.parentSpanId } });
  }
  if (roots > 1) add({ kind: 'multiple_roots', traceId, spanId: null, message: `${roots} root spans`, data: { roots } });
  for (const i of tree.cycleCuts) {
    add({
      kind: 'cycle', traceId, spanId: spans[i].spanId,
      message: `parent cycle: span ${spans[i].spanId} leads back to itself through its parents; shown as a root`,
      data: { parentSpanId: spans[i].parentSpanId },
    });
  }

  let skew: Map<string, { parent: string; child: string; offsets: number[]; first: string }> | null = null;
  let precision: Float64Array | null = null; // made when a child is first seen outside its parent
  for (let i = 0; i < tree.size; i++) {
    const p = tree.parent[i];
    if (p < 0) continue;
    const c = spans[i];
    const par = spans[p];
    let early = par.start - c.start;
    let late = c.start + c.duration - (par.start + par.duration);
    if (early <= 0 && late <= 0) continue;
    precision ??= precisionsOf(spans, baseNs);
    const tolerance = Math.max(precision[i], precision[p]);
    if (early < tolerance) early = 0;
    if (late < tolerance) late = 0;
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

  for (const [kind, n] of counts ?? []) {
    if (n > MAX_FINDINGS_PER_KIND)
      out.push({ kind: kind as Finding['kind'], traceId, spanId: null, message: `and ${n - MAX_FINDINGS_PER_KIND} more ${kind} findings in this trace`, data: { more: n - MAX_FINDINGS_PER_KIND } });
  }
  return out;
}

function precisionsOf(spans: readonly StructSpan[], baseNs: bigint): Float64Array {
  return spanPrecisions(baseNs, spans.map((s) => s.start), spans.map((s) => s.duration), spans.map((s) => s.service));
}

/** Span id → the index of the first span with it; `distinct` ids in all. */
interface FirstIndex {
  get(id: string): number | undefined;
  /** The first span with span i's id (i itself unless it repeats an earlier one). */
  first: Int32Array;
  distinct: number;
}

/** Traces up to this many spans find ids by scanning their keys (firstIndex). */
const SCAN_UP_TO = 64;

/**
 * This runs for every trace imported, and it must not hash the ids as strings: in Chromium a Map
 * or Set spends ~0.4 µs on each string it has not hashed before (measured), and every id here is
 * a fresh slice of a batch's text. Most traces have a few spans: up to SCAN_UP_TO, each id gets a
 * number computed from its characters (keyOf), ids are matched by that number, and a match is
 * confirmed by comparing the strings (~50 ns each, too slow to compare them all). Bigger traces use
 * the tree's SpanIdIndex, which reads hex ids as numbers (its tables cost more than a small trace's
 * scan).
 */
function firstIndex(spans: readonly StructSpan[]): FirstIndex {
  const n = spans.length;
  const first = new Int32Array(n);
  let distinct = 0;
  if (n > SCAN_UP_TO) {
    const index = new SpanIdIndex(n);
    for (let i = 0; i < n; i++) if ((first[i] = index.putIfAbsent(spans[i].spanId, i) ?? i) === i) distinct++;
    return { get: (id) => index.get(id), first, distinct };
  }
  const keys = new Array<number>(n);
  for (let i = 0; i < n; i++) keys[i] = keyOf(spans[i].spanId);
  const find = (key: number, id: string): number | undefined => {
    for (let k = 0; k < n; k++) if (keys[k] === key && spans[k].spanId === id) return k;
    return undefined;
  };
  for (let i = 0; i < n; i++) if ((first[i] = find(keys[i], spans[i].spanId)!) === i) distinct++;
  return { get: (id) => find(keyOf(id), id), first, distinct };
}

/** A number from a string's characters (FNV-1a, 30 bits: a small integer to V8). Equal strings, equal keys. */
function keyOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h & 0x3fffffff;
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
