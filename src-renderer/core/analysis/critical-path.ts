// The critical path of a trace: the chain of work the end of each root waited on. Semantics follow
// jaeger-ui's TracePage/CriticalPath
// (https://github.com/jaegertracing/jaeger-ui/tree/main/packages/jaeger-ui/src/components/TracePage/CriticalPath),
// with its known weaknesses fixed: a start time of 0 is a time like
// any other, touching siblings are both on the path, siblings overlapping by a sliver (clock
// jitter, at most 1% of the parent's duration, or rounding: at most the precision of the child's
// timestamps, core/analysis/precision.ts) count as sequential, and the walk is iterative and
// near-linear instead of recursive and quadratic.
//
//   A ├──────────────────────────────────────┤   root, 0..100
//   B     ├────────┤                             child of A, 10..30
//   C                ├───────────┤               child of A, 30..55 (touches B: both count)
//   D                    ├────┤                  child of C, 35..45
//
//   sections, from the end backwards: A 55..100, C 45..55, D 35..45, C 30..35, B 10..30, A 0..10
//
// Rules, per root, walking back from the root's end with a cursor:
//  - children are clipped to their parent's (clipped) window; a child wholly outside it is dropped
//    from the path with its whole subtree (never from the data: the input is not touched);
//  - a child that does not block its parent is dropped likewise: FOLLOWS_FROM, or a consumer under
//    a producer (the message was handed off, the producer did not wait for it);
//  - the child that finishes last among those ending at or before the cursor (plus the tolerance:
//    1% of the parent's duration, or the child's timestamp precision when that is more)
//    and starting before it is on the path; the parent's own time fills the gap up to the cursor;
//    its section is cut at the cursor, so an earlier sibling that overlaps by a sliver keeps its time;
//  - having walked a child back to its start, the cursor moves to that start in the parent.
//
// Cost: when the walk first enters a span, its live children are sorted by clipped end once; a
// per-span pointer then moves down that list as the cursor moves back (the cursor only ever
// decreases within a span), so each child is looked at once: O(n log n) overall, even for 10,000
// sequential children, with no rescanning.

import type { SpanKind, ParentRef } from '../model/trace.ts';
import { buildTraceTree, type TraceTree } from '../model/tree.ts';

/** The minimal span the critical path needs. Times are ns offsets from any common base. */
export interface CpSpan {
  spanId: string;
  parentSpanId: string | null;
  parentRef?: ParentRef;
  kind?: SpanKind;
  start: number;
  duration: number;
  service?: string;
  name?: string;
}

/** One stretch of the critical path: span `span` (index into the input) was the work from start to end. */
export interface CpSection {
  span: number;
  spanId: string;
  start: number;
  end: number;
}

/** Siblings overlapping by at most this share of their parent's duration count as sequential (CRISP). */
export const OVERLAP_TOLERANCE = 0.01;


/**
 * The critical path of every root of the trace, each listed from the root's end backwards. With
 * several roots (orphans, cut cycles, a trace stitched from several files), the root that ends last
 * comes first, then the others by end, latest first (ties in start order), so the list as a whole
 * still reads from the end of the trace backwards. Zero-length sections are not emitted.
 * `tree` must have been built from the same `spans` (it is built here when not given).
 */
export function computeCriticalPath(spans: readonly CpSpan[], tree?: TraceTree, precision?: ArrayLike<number>): CpSection[] {
  const t = tree ?? buildTraceTree(spans);
  const s = criticalPathOfColumns({ ...cpColumns(spans), precision }, t);
  const out: CpSection[] = new Array(s.span.length);
  for (let k = 0; k < out.length; k++) out[k] = { span: s.span[k], spanId: spans[s.span[k]].spanId, start: s.start[k], end: s.end[k] };
  return out;
}

/** The fields of CpSpan in columns: big traces come this way, without an object per span. */
export interface CpColumns {
  start: ArrayLike<number>;
  duration: ArrayLike<number>;
  kind?: readonly (SpanKind | undefined)[];
  parentRef?: readonly (ParentRef | undefined)[];
  service?: readonly (string | undefined)[];
  name?: readonly (string | undefined)[];
  /** Each span's timestamp precision in ns (precision.ts spanPrecisions): overlaps up to it are rounding. */
  precision?: ArrayLike<number>;
}

/** Critical-path sections in columns: section k is span[k] from start[k] to end[k]. */
export interface CpSections {
  span: Int32Array;
  start: Float64Array;
  end: Float64Array;
}

function cpColumns(spans: readonly CpSpan[]): CpColumns {
  return {
    start: spans.map((s) => s.start), duration: spans.map((s) => s.duration), kind: spans.map((s) => s.kind),
    parentRef: spans.map((s) => s.parentRef), service: spans.map((s) => s.service), name: spans.map((s) => s.name),
  };
}

/** computeCriticalPath over columns, sections in typed arrays. `tree` must be built from the same spans. */
export function criticalPathOfColumns(cols: CpColumns, t: TraceTree): CpSections {
  const { start: startOf, duration: durationOf } = cols;
  const kind = cols.kind ?? [];
  const parentRef = cols.parentRef ?? [];
  const precision = cols.precision;
  const n = startOf.length;
  if (t.size !== n) throw new RangeError(`trace tree has ${t.size} spans, input has ${n}`);

  // Clipped windows, top-down (pre-order visits parents first). live = may be on the path.
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  const live = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = t.order[k];
    const start = startOf[i];
    const d = durationOf[i];
    const end = start + (d > 0 ? d : 0);
    if (!Number.isFinite(end)) continue;
    const p = t.parent[i];
    if (p === -1) {
      lo[i] = start;
      hi[i] = end;
      live[i] = 1;
      continue;
    }
    // A child that does not block its parent: FOLLOWS_FROM, or a consumer under a producer.
    if (live[p] === 0 || parentRef[i] === 'follows_from' || (kind[p] === 'producer' && kind[i] === 'consumer')) continue;
    const a = start > lo[p] ? start : lo[p];
    const b = end < hi[p] ? end : hi[p];
    // Wholly outside the parent, or clipped to nothing: it cannot add time to the path.
    if (b > a) {
      lo[i] = a;
      hi[i] = b;
      live[i] = 1;
    }
  }

  // Live children per span, sorted by clipped end when the walk first enters the span, in span i's
  // segment of `sorted`; ptr[i] walks down it (-2: not sorted yet).
  const sorted = new Int32Array(t.childList.length);
  const ptr = new Int32Array(n).fill(-2);
  // Ties in end go to the earliest start (sorted last, taken first): the longest child covers the most.
  const order = (a: number, b: number) => hi[a] - hi[b] || lo[b] - lo[a] || b - a;
  const nextChild = (s: number, cursor: number): number => {
    const base = t.childStart[s];
    let p = ptr[s];
    if (p === -2) {
      let m = base;
      for (let c = base; c < t.childStart[s + 1]; c++) {
        const child = t.childList[c];
        if (live[child] === 1) sorted[m++] = child;
      }
      sortRange(sorted, base, m, order);
      p = m - 1;
    }
    const limit = cursor + (hi[s] - lo[s]) * OVERLAP_TOLERANCE;
    let found = -1;
    // Children passed here are passed for good: the cursor in this span only moves back.
    while (p >= base) {
      const c = sorted[p--];
      if ((hi[c] <= limit || (precision !== undefined && hi[c] < cursor + precision[c])) && lo[c] < cursor) {
        found = c;
        break;
      }
    }
    ptr[s] = p;
    return found;
  };

  const roots = t.roots.filter((r) => live[r] === 1);
  const rank = new Map<number, number>(roots.map((r, k) => [r, k]));
  roots.sort((a, b) => hi[b] - hi[a] || rank.get(a)! - rank.get(b)!);

  // Sections are at most 2n - 1 (one per entry into a span and one per return to it).
  let cap = Math.max(16, Math.min(2 * n, 1024));
  let outSpan = new Int32Array(cap);
  let outStart = new Float64Array(cap);
  let outEnd = new Float64Array(cap);
  let m = 0;
  const emit = (i: number, start: number, end: number) => {
    if (end <= start) return;
    if (m === cap) {
      cap *= 2;
      const a = new Int32Array(cap);
      a.set(outSpan);
      outSpan = a;
      const b = new Float64Array(cap);
      b.set(outStart);
      outStart = b;
      const c = new Float64Array(cap);
      c.set(outEnd);
      outEnd = c;
    }
    outSpan[m] = i;
    outStart[m] = start;
    outEnd[m] = end;
    m++;
  };
  for (const root of roots) {
    let cur = root;
    let cursor = hi[root];
    for (;;) {
      const c = nextChild(cur, cursor);
      if (c !== -1) {
        const childEnd = hi[c] < cursor ? hi[c] : cursor;
        emit(cur, childEnd, cursor);
        cur = c;
        cursor = childEnd;
        continue;
      }
      emit(cur, lo[cur], cursor);
      if (cur === root) break;
      cursor = lo[cur];
      cur = t.parent[cur];
    }
  }
  return { span: outSpan.slice(0, m), start: outStart.slice(0, m), end: outEnd.slice(0, m) };
}

export interface CpSummaryRow {
  /** Stable identity of the row: the service, or the service and the operation. */
  key: string;
  service: string;
  operation?: string;
  /** Time on the critical path spent in the spans of this row themselves, ns. */
  selfNs: number;
  /** selfNs over the trace's duration. */
  share: number;
}

/** Critical-path time per service and per operation, largest first (ties by key). */
export function summarizeCriticalPath(
  spans: readonly CpSpan[],
  sections: readonly CpSection[],
  traceDurationNs: number,
): { byService: CpSummaryRow[]; byOperation: CpSummaryRow[] } {
  const m = sections.length;
  const cols: CpSections = { span: new Int32Array(m), start: new Float64Array(m), end: new Float64Array(m) };
  for (let k = 0; k < m; k++) {
    cols.span[k] = sections[k].span;
    cols.start[k] = sections[k].start;
    cols.end[k] = sections[k].end;
  }
  return summarizeCriticalPathOfColumns({ service: spans.map((s) => s.service), name: spans.map((s) => s.name) }, cols, traceDurationNs);
}

/** summarizeCriticalPath over columns. */
export function summarizeCriticalPathOfColumns(
  cols: Pick<CpColumns, 'service' | 'name'>,
  sections: CpSections,
  traceDurationNs: number,
): { byService: CpSummaryRow[]; byOperation: CpSummaryRow[] } {
  const serviceOf = cols.service ?? [];
  const nameOf = cols.name ?? [];
  // Operations are kept per service (no concatenated key per section: at 100,000 sections the
  // string building and hashing would be most of the cost).
  const services = new Map<string, { row: CpSummaryRow; ops: Map<string, CpSummaryRow> }>();
  const operations: CpSummaryRow[] = [];
  for (let k = 0; k < sections.span.length; k++) {
    const i = sections.span[k];
    const service = serviceOf[i] ?? '';
    const operation = nameOf[i] ?? '';
    const ns = sections.end[k] - sections.start[k];
    let svc = services.get(service);
    if (!svc) services.set(service, (svc = { row: { key: service, service, selfNs: 0, share: 0 }, ops: new Map() }));
    svc.row.selfNs += ns;
    let op = svc.ops.get(operation);
    if (!op) {
      // U+001F (unit separator) cannot appear by accident in a name shown to people.
      svc.ops.set(operation, (op = { key: `${service}\u001f${operation}`, service, operation, selfNs: 0, share: 0 }));
      operations.push(op);
    }
    op.selfNs += ns;
  }
  const finish = (rows: Iterable<CpSummaryRow>) => {
    const list = Array.from(rows);
    for (const r of list) r.share = traceDurationNs > 0 ? r.selfNs / traceDurationNs : 0;
    return list.sort((a, b) => b.selfNs - a.selfNs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };
  return { byService: finish(Array.from(services.values(), (v) => v.row)), byOperation: finish(operations) };
}

/**
 * Critical-path sections grouped by span without a list per span: section indexes sorted by span
 * (a counting sort into two typed arrays); get(i) makes the pairs of one span, for the rows painted.
 */
export function sectionsBySpan(n: number, c: CpSections | null): { get(i: number): number[] | undefined } {
  if (!c || c.span.length === 0) return { get: () => undefined };
  const first = new Int32Array(n + 1);
  for (let k = 0; k < c.span.length; k++) first[c.span[k] + 1]++;
  for (let i = 0; i < n; i++) first[i + 1] += first[i];
  const fill = first.slice(0, n);
  const list = new Int32Array(c.span.length);
  for (let k = 0; k < c.span.length; k++) list[fill[c.span[k]]++] = k;
  return {
    get(i: number): number[] | undefined {
      if (!(i >= 0 && i < n) || first[i] === first[i + 1]) return undefined;
      const out: number[] = [];
      for (let p = first[i]; p < first[i + 1]; p++) out.push(c.start[list[p]], c.end[list[p]]);
      return out;
    },
  };
}

/**
 * Sort a[from..to) ascending by `cmp` in place: quicksort (median of three, insertion sort for short
 * ranges, an explicit stack). About 3x faster than Array.prototype.sort with a comparator on a
 * 100,000-child fan-out, which matters for the 50 ms budget. `cmp` must be a total order.
 */
function sortRange(a: Int32Array, from: number, to: number, cmp: (x: number, y: number) => number): void {
  const stack: number[] = [from, to];
  while (stack.length > 0) {
    let r = stack.pop()!;
    let l = stack.pop()!;
    while (r - l > 16) {
      const m = (l + r) >> 1;
      // Median of three: afterwards a[l] <= a[m] <= a[r-1], which bound the scans below.
      if (cmp(a[m], a[l]) < 0) swap(a, m, l);
      if (cmp(a[r - 1], a[l]) < 0) swap(a, r - 1, l);
      if (cmp(a[r - 1], a[m]) < 0) swap(a, r - 1, m);
      const pivot = a[m];
      let i = l;
      let j = r - 1;
      while (i <= j) {
        while (cmp(a[i], pivot) < 0) i++;
        while (cmp(a[j], pivot) > 0) j--;
        if (i <= j) swap(a, i++, j--);
      }
      // Go on with the smaller side and stack the larger: the stack stays O(log n) deep.
      if (j + 1 - l < r - i) {
        stack.push(i, r);
        r = j + 1;
      } else {
        stack.push(l, j + 1);
        l = i;
      }
    }
    for (let i = l + 1; i < r; i++) {
      const x = a[i];
      let j = i - 1;
      while (j >= l && cmp(a[j], x) > 0) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = x;
    }
  }
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
