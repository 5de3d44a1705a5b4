// Log-to-span correlation, the pure part. Exact correlation (ids) is a join in the store
// (store/logs.ts); what needs an algorithm is the *inferred* kind, for lines that carry no id:
// a line belongs to the innermost span of its service whose window holds the line's time.
//
//   service "checkout"      time ──────────────────────────────────────────▶
//   span A  (root)          [==================================]
//   span B  (child of A)          [==============]
//   span C  (child of B)              [====]
//   log lines                  1        2     3          4           5
//   innermost              →  A        B     C          A          none
//
// "Innermost" is the shortest span holding the time, which for well-formed traces is the deepest;
// when spans of different traces of the same service overlap (concurrent requests), the shortest
// one wins too, which is why these matches are always labelled "inferred" and never mixed up
// with exact ones.
//
// Sweep: spans sorted by start and lines sorted by time; a min-heap of open spans keyed by
// duration. For each line, spans starting at or before it are pushed; the heap's top is popped
// while it ended before the line (it can never hold a later line either). The top is then the
// shortest span still open. O((spans + lines) log spans), no recursion.

/** A span window as offsets (ns) from any common base; `key` identifies the span to the caller. */
export interface WindowSpan {
  start: number;
  end: number;
  key: number;
}

/** A line's time as an offset (ns) from the same base. */
export interface TimedLine {
  time: number;
  key: number;
}

export interface InferredMatch {
  lineKey: number;
  spanKey: number;
}

/** Heap order: shorter first; for equal lengths the later start (deeper), then the larger key. */
function before(a: WindowSpan, b: WindowSpan): boolean {
  const da = a.end - a.start;
  const db = b.end - b.start;
  if (da !== db) return da < db;
  if (a.start !== b.start) return a.start > b.start;
  return a.key > b.key;
}

class SpanHeap {
  private readonly items: WindowSpan[] = [];
  get size(): number {
    return this.items.length;
  }
  top(): WindowSpan {
    return this.items[0];
  }
  push(s: WindowSpan): void {
    const a = this.items;
    a.push(s);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): void {
    const a = this.items;
    const last = a.pop()!;
    if (a.length === 0) return;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && before(a[l], a[m])) m = l;
      if (r < a.length && before(a[r], a[m])) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m], a[i]];
      i = m;
    }
  }
}

/**
 * For each line, the innermost span (of one service) whose window [start, end] holds its time.
 * Inputs are not modified. Lines outside every span get no match.
 */
export function inferInnermostSpans(spans: readonly WindowSpan[], lines: readonly TimedLine[]): InferredMatch[] {
  const bySt = [...spans].sort((a, b) => a.start - b.start);
  const byTime = [...lines].sort((a, b) => a.time - b.time);
  const heap = new SpanHeap();
  const out: InferredMatch[] = [];
  let next = 0;
  for (const line of byTime) {
    while (next < bySt.length && bySt[next].start <= line.time) heap.push(bySt[next++]);
    while (heap.size > 0 && heap.top().end < line.time) heap.pop();
    if (heap.size > 0) out.push({ lineKey: line.key, spanKey: heap.top().key });
  }
  return out;
}

/** Match kinds as the log view labels them. */
export type LogMatch = 'exact' | 'partial' | 'inferred';
