// The critical path of many requests added up: where a cohort's time goes, per node (service,
// database, cache, host), per operation and per operation path (for the flame view), and how two
// cohorts differ.
//
// Each request's critical path is its entry span's (critical-path.ts, with the entry as the root:
// the time the request waited on), cut into sections; a section's length is added to its span's
// key and path. Offsets are whole ns, so every sum is an exact integer: over one request the
// totals are that request's critical path exactly, and the rows of a cohort add up to its total.
//
//   request 1: A ├──────────────┤ 0..100, B (child) 20..60   → A 60, B 40
//   request 2: A ├──────┤         0..50,  no children         → A 50
//   cohort {1, 2}: total 150; A 110 (share 0.733, 55 per request), B 40 (0.267, 20 per request)
//
// The diff of cohort A against cohort B compares time per request (cohorts differ in size):
// delta = A's ns per request − B's; share of delta = delta / (A's total per request − B's).

import { criticalPathOfColumns, type CpColumns, type CpSections, type CpSpan } from './critical-path.ts';
import { buildTraceTree, type TraceTree } from '../model/tree.ts';
import { OperationKeys, OperationPaths, spanPath } from './operation-paths.ts';
import { EMPTY_CATALOG, spanOperations } from './operations.ts';
import { formatDuration } from '../base/time.ts';
import { spanPrecisions } from './precision.ts';

/**
 * The critical paths of requests: each entry span's, walked as if the entry were its trace's only
 * root (its parent and anything beside it are not the request's work). With a trace's root as the
 * entry, this is the trace's critical path. `tree` may be a forest of many traces
 * (buildForestFromColumns), one entry in each; `parent` is the tree's with the entries made roots.
 */
export function entriesCriticalPath(cols: CpColumns, tree: TraceTree, entries: readonly number[]): { sections: CpSections; parent: Int32Array } {
  let parent = tree.parent;
  for (const e of entries) {
    if (parent[e] === -1) continue;
    if (parent === tree.parent) parent = parent.slice();
    parent[e] = -1;
  }
  return { sections: criticalPathOfColumns(cols, { ...tree, parent, roots: entries.slice() }), parent };
}

/** A row of an aggregate: a node, or a node's operation. */
export interface AggregateRow {
  /** The node: a service, or the database, cache or host its spans call. */
  service: string;
  operation?: string;
  /** Critical-path ns over the cohort (an integer). */
  ns: number;
  /** ns over the cohort's total. */
  share: number;
  /** ns over the number of requests. */
  perRequestNs: number;
}

/** A node of the flame view: one operation path; children follow their parent (pre-order). */
export interface FlameNode {
  /** Index of the parent node in the list, -1 for the entry. */
  parent: number;
  depth: number;
  service: string;
  operation: string;
  /** Critical-path ns in spans of this path themselves, and with everything below. */
  selfNs: number;
  totalNs: number;
}

export interface CohortAggregate {
  traces: number;
  /** Critical-path ns of all the cohort's requests. */
  totalNs: number;
  byService: AggregateRow[];
  byOperation: AggregateRow[];
  flame: FlameNode[];
  /** Paths of the cohort's critical path not in `flame` (under the share asked for, or past the most nodes). */
  flameLeftOut: number;
}

/** Sums of one cohort over keys and paths numbered by tables it shares with other cohorts. */
export class CriticalPathTotals {
  traces = 0;
  totalNs = 0;
  private keyNs: number[] = [];
  private pathNs: number[] = [];

  constructor(
    readonly keys: OperationKeys,
    readonly paths: OperationPaths,
  ) {}

  /**
   * Add requests: `requests` of them, whose sections are those in `sections` for which `take`
   * (indexed by span) is 1, or all of them without `take`.
   */
  add(sections: CpSections, keyOf: ArrayLike<number>, pathOf: ArrayLike<number>, requests = 1, take?: Uint8Array): void {
    this.traces += requests;
    for (let k = 0; k < sections.span.length; k++) {
      const i = sections.span[k];
      if (take && take[i] === 0) continue;
      const ns = sections.end[k] - sections.start[k];
      this.totalNs += ns;
      const key = keyOf[i];
      this.keyNs[key] = (this.keyNs[key] ?? 0) + ns;
      const path = pathOf[i];
      this.pathNs[path] = (this.pathNs[path] ?? 0) + ns;
    }
  }

  /** ns per key id (0 where none). */
  nsOfKey(key: number): number {
    return this.keyNs[key] ?? 0;
  }

  /**
   * The cohort's rows, largest first (ties by name), and its flame nodes: paths under `minShare`
   * of the total are left out, and past `maxNodes` the smallest (a 100,000-deep chain is 100,000
   * paths, which no one reads as boxes).
   */
  result(minShare = 0, maxNodes = Infinity): CohortAggregate {
    const { keys } = this;
    const n = this.traces;
    const total = this.totalNs;
    const row = (service: string, ns: number, operation?: string): AggregateRow => ({
      service, ...(operation !== undefined ? { operation } : {}), ns, share: total > 0 ? ns / total : 0, perRequestNs: n > 0 ? ns / n : 0,
    });
    const byNode = new Map<string, number>();
    const byOperation: AggregateRow[] = [];
    for (let key = 0; key < keys.size; key++) {
      const ns = this.keyNs[key];
      if (!ns) continue;
      byNode.set(keys.node[key], (byNode.get(keys.node[key]) ?? 0) + ns);
      byOperation.push(row(keys.node[key], ns, keys.operation[key]));
    }
    const order = (a: AggregateRow, b: AggregateRow) =>
      b.ns - a.ns || compareText(a.service, b.service) || compareText(a.operation ?? '', b.operation ?? '');
    return {
      traces: n,
      totalNs: total,
      byService: Array.from(byNode, ([service, ns]) => row(service, ns)).sort(order),
      byOperation: byOperation.sort(order),
      ...this.flame(minShare, maxNodes),
    };
  }

  /** Paths with their totals (self + below), pre-order, children largest first; see result for what is left out. */
  private flame(minShare: number, maxNodes: number): { flame: FlameNode[]; flameLeftOut: number } {
    const { paths, keys } = this;
    const m = paths.size;
    const total = new Float64Array(m);
    for (let p = 1; p < m; p++) total[p] = this.pathNs[p] ?? 0;
    // Children have higher numbers than their parents: one backward sweep adds them up.
    for (let p = m - 1; p > 0; p--) if (paths.parent[p] > 0) total[paths.parent[p]] += total[p];
    const limit = this.totalNs * minShare;
    let kept: number[] = [];
    let onPath = 0;
    for (let p = 1; p < m; p++) {
      if (total[p] <= 0) continue;
      onPath++;
      if (total[p] >= limit) kept.push(p);
    }
    // The largest first, a parent before its children (its total is at least theirs, its number lower):
    // any head of this order holds the parents of what it holds.
    if (kept.length > maxNodes) kept = kept.sort((a, b) => total[b] - total[a] || a - b).slice(0, maxNodes);
    const kids: number[][] = Array.from({ length: m }, () => []);
    for (const p of kept) kids[paths.parent[p]].push(p);
    for (const k of kids) k.sort((a, b) => total[b] - total[a] || a - b);
    const out: FlameNode[] = [];
    const index = new Int32Array(m).fill(-1);
    const stack = kids[0].slice().reverse();
    while (stack.length > 0) {
      const p = stack.pop()!;
      const par = paths.parent[p];
      index[p] = out.length;
      const key = paths.key[p];
      out.push({
        parent: par > 0 ? index[par] : -1, depth: paths.depth[p] - 1, service: keys.node[key], operation: keys.operation[key],
        selfNs: this.pathNs[p] ?? 0, totalNs: total[p],
      });
      for (let c = kids[p].length - 1; c >= 0; c--) stack.push(kids[p][c]);
    }
    return { flame: out, flameLeftOut: onPath - out.length };
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Requests' spans as the aggregate reads them: one trace or a forest of many (the reader in store/ builds these). */
export interface AggregateTraces {
  cols: CpColumns;
  tree: TraceTree;
  /** Each request's entry span, one per trace. */
  entries: number[];
  /** Key id (OperationKeys) of each span. */
  key: Int32Array;
}

/**
 * The critical paths of requests and the path of each span on them, ready to add to the cohorts
 * each request belongs to (computed once when a request is in both cohorts of a diff). Sections of
 * request r are those whose span is in r's trace.
 */
export function requestSections(paths: OperationPaths, t: AggregateTraces): { sections: CpSections; path: Int32Array } {
  const { sections, parent } = entriesCriticalPath(t.cols, t.tree, t.entries);
  const memo = new Int32Array(t.key.length).fill(-1);
  for (let k = 0; k < sections.span.length; k++) spanPath(paths, sections.span[k], parent, t.key, memo);
  return { sections, path: memo };
}

/**
 * The aggregate of whole traces given as span objects, each trace one request whose entry is its
 * span `entryOf(spans, tree)` (by default its first root), names grouped as an import groups them
 * (no user choices). For small inputs and tests; the engine reads the store in columns
 * (engine/aggregate.ts).
 */
export function aggregateSpans(
  traces: readonly (readonly (CpSpan & { service: string; name: string })[])[],
  entryOf: (spans: readonly CpSpan[], tree: TraceTree) => number = (_, t) => t.roots[0],
  minShare = 0,
  maxNodes = Infinity,
): CohortAggregate {
  const keys = new OperationKeys();
  const paths = new OperationPaths();
  const totals = new CriticalPathTotals(keys, paths);
  for (const spans of traces) {
    const tree = buildTraceTree(spans);
    const names = spanOperations(
      { opId: new Int32Array(spans.length).fill(-1), name: spans.map((s) => s.name), service: spans.map((s) => s.service), kind: spans.map((s) => s.kind ?? 'internal') },
      tree,
      EMPTY_CATALOG,
    );
    const key = Int32Array.from(spans, (_, i) => keys.id(names.node[i], names.operation[i]));
    const start = spans.map((s) => s.start);
    const duration = spans.map((s) => s.duration);
    // Starts are taken as epoch ns here: their rounding is the tolerance, as in the engine's reader.
    const precision = spanPrecisions(0n, start, duration, spans.map((s) => s.service));
    const cols = { start, duration, kind: spans.map((s) => s.kind), parentRef: spans.map((s) => s.parentRef), precision };
    const { sections, path } = requestSections(paths, { cols, tree, entries: [entryOf(spans, tree)], key });
    totals.add(sections, key, path);
  }
  return totals.result(minShare, maxNodes);
}

/** A row of a diff: one operation (or node) in both cohorts, per request. */
export interface DiffRow {
  service: string;
  operation?: string;
  aNs: number;
  bNs: number;
  aPerRequestNs: number;
  bPerRequestNs: number;
  /** aPerRequestNs − bPerRequestNs. */
  deltaPerRequestNs: number;
  /** delta over the difference of the cohorts' totals per request (0 when those are equal). */
  shareOfDelta: number;
}

export interface CohortDiff {
  /** Total critical-path ns per request in A minus in B. */
  deltaPerRequestNs: number;
  byService: DiffRow[];
  byOperation: DiffRow[];
}

/** Rows of two aggregates matched by node (and operation), largest change first. */
export function diffAggregates(a: CohortAggregate, b: CohortAggregate): CohortDiff {
  const per = (x: CohortAggregate) => (x.traces > 0 ? x.totalNs / x.traces : 0);
  const delta = per(a) - per(b);
  const match = (ra: readonly AggregateRow[], rb: readonly AggregateRow[]): DiffRow[] => {
    const k = (r: AggregateRow) => `${r.service}\u001f${r.operation ?? ''}`;
    const rows = new Map<string, DiffRow>();
    const get = (r: AggregateRow) => {
      let d = rows.get(k(r));
      if (!d) {
        d = { service: r.service, ...(r.operation !== undefined ? { operation: r.operation } : {}), aNs: 0, bNs: 0, aPerRequestNs: 0, bPerRequestNs: 0, deltaPerRequestNs: 0, shareOfDelta: 0 };
        rows.set(k(r), d);
      }
      return d;
    };
    for (const r of ra) Object.assign(get(r), { aNs: r.ns, aPerRequestNs: r.perRequestNs });
    for (const r of rb) Object.assign(get(r), { bNs: r.ns, bPerRequestNs: r.perRequestNs });
    const out = Array.from(rows.values());
    for (const d of out) {
      d.deltaPerRequestNs = d.aPerRequestNs - d.bPerRequestNs;
      d.shareOfDelta = delta !== 0 ? d.deltaPerRequestNs / delta : 0;
    }
    return out.sort(
      (x, y) => Math.abs(y.deltaPerRequestNs) - Math.abs(x.deltaPerRequestNs) || compareText(x.service, y.service) || compareText(x.operation ?? '', y.operation ?? ''),
    );
  };
  return { deltaPerRequestNs: delta, byService: match(a.byService, b.byService), byOperation: match(a.byOperation, b.byOperation) };
}

/** A change in time for people: "+1.90 s", "−250 ms". */
export function formatSignedDuration(ns: number): string {
  // A change that rounds to nothing has no sign.
  if (Math.abs(ns) < 0.05) return '0 ns';
  return `${ns >= 0 ? '+' : '−'}${formatDuration(Math.abs(ns))}`;
}

/** A diff row as a sentence: "postgres INSERT INTO: +1.90 s per request, 82 % of the extra time". */
export function describeDiffRow(d: DiffRow, totalDeltaNs: number): string {
  const what = totalDeltaNs >= 0 ? 'extra time' : 'time saved';
  return `${`${d.service} ${d.operation ?? ''}`.trim()}: ${formatSignedDuration(d.deltaPerRequestNs)} per request, ${Math.round(d.shareOfDelta * 100)} % of the ${what}`;
}
