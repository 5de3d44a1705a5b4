// The one place a trace's parent/child structure is resolved. Every view and analysis walks the
// arrays built here instead of following ids, so rules live in one spot:
//  - a parent id not in the trace makes an orphan, kept as a root (shown under "missing parent");
//  - Zipkin's shared client/server span id (B3): the server half is the child of the client half,
//    and spans naming that id as parent hang under the server half;
//  - other duplicate ids: the first occurrence is the parent of spans that name it;
//  - a parent cycle is cut at the span where the walk closes it, which becomes a root;
//  - children are ordered by start time (then by input order), roots likewise.
// Everything is iterative: a 100,000-deep chain must not overflow the stack.
//
//   input:  A(root) ─ B ─ C        order (pre-order): A B C D
//                 └── D            depth:             0 1 2 1

import type { SpanKind } from './trace.ts';

export interface TreeSpan {
  spanId: string;
  parentSpanId: string | null;
  kind?: SpanKind;
  /** Start as an offset in ns (any common base). */
  start: number;
}

export interface TraceTree {
  /** Number of spans. */
  size: number;
  /** Index of each span's parent, -1 for roots (true roots, orphans and cut cycles). */
  parent: Int32Array;
  /** Children of span i are childList[childStart[i] .. childStart[i+1]), sorted by start. */
  childStart: Int32Array;
  childList: Int32Array;
  /** Roots sorted by start. */
  roots: number[];
  /** Depth-first pre-order of all spans (every span appears exactly once). */
  order: Int32Array;
  depth: Int32Array;
  /** Spans whose parent id is not in the trace. */
  orphans: number[];
  /** Spans whose parent edge was cut to break a cycle. */
  cycleCuts: number[];
}

/** The same spans in columns (one array per field), which big traces come in without an object per span. */
export interface TreeColumns {
  spanId: readonly string[];
  parentSpanId: readonly (string | null)[];
  kind?: readonly (SpanKind | undefined)[];
  start: ArrayLike<number>;
  /**
   * The same ids concatenated, 16 hex characters each ('-' x 16 for no parent), when the store read
   * them so. With them, spanId and parentSpanId are read only for shared or duplicate ids.
   */
  packedIds?: { spanIds: string; parentIds: string };
}

export function buildTraceTree(spans: readonly TreeSpan[]): TraceTree {
  return buildTraceTreeFromColumns({
    spanId: spans.map((s) => s.spanId), parentSpanId: spans.map((s) => s.parentSpanId), kind: spans.map((s) => s.kind), start: spans.map((s) => s.start),
  });
}

/** The parent edges of a trace: the first half of building its tree, all a structural check needs. */
export interface TraceParents {
  size: number;
  /** Index of each span's parent, -1 for roots (true roots, orphans and cut cycles). */
  parent: Int32Array;
  orphans: number[];
  cycleCuts: number[];
}

export function buildTraceTreeFromColumns(cols: TreeColumns): TraceTree {
  return treeFromParents(resolveParents(cols), cols.start);
}

/**
 * Many traces in one set of columns, trace k being rows first[k] .. first[k + 1] (first has one
 * more entry than there are traces): each trace's ids are resolved within it (resolveParents), and
 * the result is one tree whose roots are every trace's roots. Aggregates over thousands of small
 * traces walk one such forest per batch instead of allocating a tree per trace.
 */
export function buildForestFromColumns(cols: TreeColumns, first: ArrayLike<number>): TraceTree {
  const n = cols.start.length;
  const parent = new Int32Array(n).fill(-1);
  const orphans: number[] = [];
  const cycleCuts: number[] = [];
  const kind = cols.kind;
  for (let k = 0; k + 1 < first.length; k++) {
    const a = first[k];
    const b = first[k + 1];
    const p = resolveParents({
      spanId: cols.spanId.slice(a, b), parentSpanId: cols.parentSpanId.slice(a, b), kind: kind?.slice(a, b), start: Array.prototype.slice.call(cols.start, a, b) as number[],
    });
    for (let i = 0; i < b - a; i++) if (p.parent[i] !== -1) parent[a + i] = p.parent[i] + a;
    for (const i of p.orphans) orphans.push(i + a);
    for (const i of p.cycleCuts) cycleCuts.push(i + a);
  }
  return treeFromParents({ size: n, parent, orphans, cycleCuts }, cols.start);
}

/**
 * The same forest when each span comes with its parent as the ids name it (`idParent`: the index,
 * within its trace, of the first span with its parent id; -1 for none, -2 when no span has it), as
 * the store keeps it (store/span-trees.ts). For a trace whose ids are all distinct those are the
 * tree's parents once cycles are cut, so none of its ids is read; `idsOf(k)` gives the columns of
 * trace k when its ids repeat (null otherwise), and those are resolved by their ids.
 */
export function buildForestFromIdParents(idParent: ArrayLike<number>, first: ArrayLike<number>, start: ArrayLike<number>, idsOf: (k: number) => TreeColumns | null): TraceTree {
  const n = start.length;
  const parent = new Int32Array(n).fill(-1);
  const orphans: number[] = [];
  const resolvedCuts: number[] = [];
  const selfParents: number[] = [];
  for (let k = 0; k + 1 < first.length; k++) {
    const a = first[k];
    const b = first[k + 1];
    const cols = idsOf(k);
    if (cols) {
      const p = resolveParents(cols);
      for (let i = 0; i < b - a; i++) if (p.parent[i] !== -1) parent[a + i] = p.parent[i] + a;
      for (const i of p.orphans) orphans.push(i + a);
      for (const i of p.cycleCuts) resolvedCuts.push(i + a);
      continue;
    }
    for (let i = a; i < b; i++) {
      const q = idParent[i];
      if (q === -1) continue;
      if (q < 0) orphans.push(i);
      else if (q === i - a) selfParents.push(i);
      else parent[i] = a + q;
    }
  }
  const cuts = cutCycles(parent, selfParents);
  return treeFromParents({ size: n, parent, orphans, cycleCuts: [...resolvedCuts, ...cuts] }, start);
}

/** The tree's children lists, roots, pre-order and depths from resolved parent edges. */
function treeFromParents(p: TraceParents, start: ArrayLike<number>): TraceTree {
  const { size: n, parent, orphans, cycleCuts } = p;
  const byStart = (a: number, b: number) => start[a] - start[b] || a - b;
  const counts = new Int32Array(n + 1);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    if (parent[i] === -1) roots.push(i);
    else counts[parent[i] + 1]++;
  }
  for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
  const childStart = counts;
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(n - roots.length);
  for (let i = 0; i < n; i++) if (parent[i] !== -1) childList[fill[parent[i]]++] = i;
  // Children were filled in input order; the store hands spans over sorted by start, so most
  // lists are sorted already: check each in O(k) and sort only the ones that are not.
  for (let i = 0; i < n; i++) {
    const a = childStart[i];
    const b = childStart[i + 1];
    if (b - a > 1 && !isSortedByStart(start, childList, a, b)) {
      childList.subarray(a, b).sort(byStart); // in place
    }
  }
  roots.sort(byStart);

  const order = new Int32Array(n);
  const depth = new Int32Array(n);
  let k = 0;
  const stack: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) stack.push(roots[r]);
  while (stack.length > 0) {
    const i = stack.pop()!;
    order[k++] = i;
    const d = parent[i] === -1 ? 0 : depth[parent[i]] + 1;
    depth[i] = d;
    for (let c = childStart[i + 1] - 1; c >= childStart[i]; c--) stack.push(childList[c]);
  }
  return { size: n, parent, childStart, childList, roots, order, depth, orphans, cycleCuts };
}

export function resolveParents(cols: TreeColumns): TraceParents {
  // spanId, parentSpanId and kind are read through `cols` where needed: with packed ids they may be made on first read.
  const { start } = cols;
  const n = start.length;
  // Ids read from one flat string parse faster than from 100,000 small ones.
  const packed = cols.packedIds && cols.packedIds.spanIds.length === n * 16 && cols.packedIds.parentIds.length === n * 16 ? cols.packedIds : null;
  const firstById: IdIndex = n < SMALL_TRACE ? new MapIdIndex() : new SpanIdIndex(n);
  const serverHalf = new Map<string, number>(); // span id → server span that shares it with a client
  for (let i = 0; i < n; i++) {
    const prev = packed ? firstById.putIfAbsentAt(packed.spanIds, i * 16, i) : firstById.putIfAbsent(cols.spanId[i], i);
    if (prev === undefined) continue;
    const id = cols.spanId[i];
    const kind = cols.kind ?? [];
    if (kind[i] === 'server' && kind[prev] === 'client') serverHalf.set(id, i);
    else if (kind[i] === 'client' && kind[prev] === 'server') {
      firstById.set(id, i);
      serverHalf.set(id, prev);
    }
  }

  const parent = new Int32Array(n).fill(-1);
  const orphans: number[] = [];
  const selfParents: number[] = [];
  const hasShared = serverHalf.size > 0;
  for (let i = 0; i < n; i++) {
    let p: number | undefined;
    if (packed && !hasShared) {
      if (packed.parentIds.charCodeAt(i * 16) === 45) continue; // '-': no parent
      p = firstById.getAt(packed.parentIds, i * 16);
    } else {
      const id = cols.spanId[i];
      if (hasShared && serverHalf.get(id) === i) {
        parent[i] = firstById.get(id)!; // server half under its client half
        continue;
      }
      const pid = cols.parentSpanId[i];
      if (pid === null) continue;
      // Children of a shared id belong to the server half (the calls the server made).
      p = (hasShared ? serverHalf.get(pid) : undefined) ?? firstById.get(pid);
    }
    if (p === undefined) orphans.push(i);
    else if (p !== i) parent[i] = p;
    else selfParents.push(i); // a span naming itself as parent: a one-span cycle
  }

  return { size: n, parent, orphans, cycleCuts: cutCycles(parent, selfParents) };
}

/**
 * resolveParents for a trace whose span ids are all distinct (so no shared Zipkin ids and no
 * duplicates): the rules come down to "the parent is the span with that id". `byId` maps each
 * id to its span's index. The structural check of every imported trace takes this way.
 */
export function resolveUniqueParents(parentSpanId: readonly (string | null)[], byId: { get(id: string): number | undefined }): TraceParents {
  const n = parentSpanId.length;
  const parent = new Int32Array(n).fill(-1);
  const orphans: number[] = [];
  const selfParents: number[] = [];
  for (let i = 0; i < n; i++) {
    const pid = parentSpanId[i];
    if (pid === null) continue;
    const p = byId.get(pid);
    if (p === undefined) orphans.push(i);
    else if (p !== i) parent[i] = p;
    else selfParents.push(i);
  }
  return { size: n, parent, orphans, cycleCuts: cutCycles(parent, selfParents) };
}

/** Cut parent cycles (after the one-span cycles in `cuts`): walk up from each unvisited span; a span met again on the current walk closes a cycle. */
function cutCycles(parent: Int32Array, cuts: number[]): number[] {
  const n = parent.length;
  const state = new Uint8Array(n); // 0 new, 1 on current walk, 2 done
  const walk: number[] = [];
  for (let i = 0; i < n; i++) {
    if (state[i] !== 0) continue;
    let j = i;
    while (j !== -1 && state[j] === 0) {
      state[j] = 1;
      walk.push(j);
      j = parent[j];
    }
    if (j !== -1 && state[j] === 1) {
      // j is on the current walk: the cycle closes at j. Cut j's parent edge.
      parent[j] = -1;
      cuts.push(j);
    }
    for (const w of walk) state[w] = 2;
    walk.length = 0;
  }
  return cuts;

}

/** Is list[a..b) in (start, index) order already? */
function isSortedByStart(start: ArrayLike<number>, list: Int32Array, a: number, b: number): boolean {
  for (let k = a + 1; k < b; k++) {
    const d = start[list[k - 1]] - start[list[k]];
    if (d > 0 || (d === 0 && list[k - 1] > list[k])) return false;
  }
  return true;
}

/**
 * Span id → index. Canonical ids are 16 hex digits: they are kept as two 32-bit numbers in an
 * open-addressing table, which is several times faster than a Map of strings at 100,000 spans
 * (no string hashing). Any other id goes to a Map.
 */
/** Span id → index, as resolveParents uses it. */
interface IdIndex {
  getAt(s: string, off: number): number | undefined;
  putIfAbsent(id: string, v: number): number | undefined;
  putIfAbsentAt(s: string, off: number, v: number): number | undefined;
  get(id: string): number | undefined;
  set(id: string, v: number): void;
}

/** Below this many spans a Map is cheaper than SpanIdIndex's tables (every import checks every trace). */
const SMALL_TRACE = 64;

class MapIdIndex implements IdIndex {
  private readonly m = new Map<string, number>();

  getAt(s: string, off: number): number | undefined {
    return this.m.get(s.slice(off, off + 16));
  }

  putIfAbsent(id: string, v: number): number | undefined {
    const prev = this.m.get(id);
    if (prev === undefined) this.m.set(id, v);
    return prev;
  }

  putIfAbsentAt(s: string, off: number, v: number): number | undefined {
    return this.putIfAbsent(s.slice(off, off + 16), v);
  }

  get(id: string): number | undefined {
    return this.m.get(id);
  }

  set(id: string, v: number): void {
    this.m.set(id, v);
  }
}

/** Span id → index for big traces: 16-hex ids parsed into two int32 in open-addressed tables. */
export class SpanIdIndex implements IdIndex {
  private readonly hi: Int32Array;
  private readonly lo: Int32Array;
  private readonly vals: Int32Array;
  private readonly mask: number;
  private readonly other = new Map<string, number>();
  private h = 0;
  private l = 0;

  constructor(expected: number) {
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.hi = new Int32Array(size);
    this.lo = new Int32Array(size);
    this.vals = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** Reads a 16-hex id into this.h / this.l; false when it is not one. */
  private read(id: string): boolean {
    return id.length === 16 && this.parse(id, 0);
  }

  /** Reads the 16 characters of s from `off` as a hex id into this.h / this.l; false when they are not one. */
  private parse(s: string, off: number): boolean {
    let h = 0;
    let l = 0;
    for (let k = 0; k < 16; k++) {
      const c = s.charCodeAt(off + k);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (d < 0) return false;
      if (k < 8) h = (h << 4) | d;
      else l = (l << 4) | d;
    }
    this.h = h;
    this.l = l;
    return true;
  }

  private slot(): number {
    let i = (Math.imul(this.h, 0x9e3779b1) ^ Math.imul(this.l, 0x85ebca6b)) & this.mask;
    while (this.vals[i] !== -1 && (this.hi[i] !== this.h || this.lo[i] !== this.l)) i = (i + 1) & this.mask;
    return i;
  }

  /** The index of the id at s[off..off+16) (ids packed in one string). */
  getAt(s: string, off: number): number | undefined {
    if (!this.parse(s, off)) return this.other.get(s.slice(off, off + 16));
    const v = this.vals[this.slot()];
    return v === -1 ? undefined : v;
  }

  /** The id's index when it has one; else it gets `v` (one parse and one probe for both). */
  putIfAbsent(id: string, v: number): number | undefined {
    if (!this.read(id)) {
      const prev = this.other.get(id);
      if (prev === undefined) this.other.set(id, v);
      return prev;
    }
    return this.claim(v);
  }

  putIfAbsentAt(s: string, off: number, v: number): number | undefined {
    return this.parse(s, off) ? this.claim(v) : this.putIfAbsent(s.slice(off, off + 16), v);
  }

  private claim(v: number): number | undefined {
    const i = this.slot();
    if (this.vals[i] !== -1) return this.vals[i];
    this.hi[i] = this.h;
    this.lo[i] = this.l;
    this.vals[i] = v;
    return undefined;
  }

  get(id: string): number | undefined {
    if (!this.read(id)) return this.other.get(id);
    const v = this.vals[this.slot()];
    return v === -1 ? undefined : v;
  }

  set(id: string, v: number): void {
    if (!this.read(id)) {
      this.other.set(id, v);
      return;
    }
    const i = this.slot();
    this.hi[i] = this.h;
    this.lo[i] = this.l;
    this.vals[i] = v;
  }
}
