// Derive the internal SLOs each downstream must hold so that an entry SLO can be met, from the
// critical paths of the traces. Given "A: p99 < 5 s", for every downstream operation on
// A's critical paths:
//
//   n      = calls on the critical path per entry request: (occurrences on the path, summed over
//            all entry requests) / (number of entry requests). Counting over ALL requests, not only
//            those where it appears, is what the union bound needs: if it sits on the path n times
//            per request and each sitting is slow with probability 1 − q', a request is slowed with
//            probability at most n × (1 − q'), so q' = 1 − (1 − q) / n keeps that at 1 − q.
//   share  = its inclusive critical-path time (time on the path spent in it and in the calls it
//            makes) summed over all requests, over the entry's critical-path time summed likewise.
//   q'     = 1 − (1 − q) / n              T' = T × share / n
//            (share / n is its mean time per call on the path over the entry's mean time, so T is
//            split in proportion to where the time goes.)
//
// Both ratios are aggregate counts, so they compose: C's budget relative to A equals C's relative
// to B applied to B's relative to A. Worked example (the unit test builds it):
//
//   A ├──────────────────────────┤    A calls B once, B calls C twice in sequence, C fills B
//   B ├──────────────────────────┤    B: n = 1, share = 1 → p99   < 5 s
//   C ├───────────┤├─────────────┤    C: n = 2, share = 1 → p99.5 < 2.5 s
//
// A "downstream" is a span whose node differs from its parent's (a service entry: B's server
// span, not A's client span calling it; or a call to a database, cache or uninstrumented host,
// which is a node of its own: core/analysis/operations.ts); with `allOperations` every span is one.
// Spans are grouped by node and grouped operation, so `get cart:6678` and `get cart:12` are one.
// A derived threshold never exceeds its caller's (the entry's, for the first level): a downstream
// on the path in few requests but long when it is (share > n) would otherwise get T' > T, a
// promise its caller could not keep. Downstreams form a
// tree by their nearest downstream ancestor. Feasibility compares T' with the downstream's observed
// latency at q' (all its spans at that place in the tree, on the path or not): violated above T',
// at risk above AT_RISK_RATIO × T'. Availability: with an entry error budget e = 1 − a, a downstream
// called n_all times per request (on the path or not: an error anywhere can fail the request) whose
// errors reach the entry in a fraction f of cases gets e' = e / (n_all × f).

import { computeCriticalPath, type CpSpan } from './critical-path.ts';
import { spanPrecisions } from './precision.ts';
import { buildTraceTree } from '../model/tree.ts';
import { subtreeSizes } from '../model/tree-measures.ts';
import { nearestRank, roundFraction, percentToFraction, fractionToPercent, formatShortDuration, DEFAULT_ERROR_RULE, type SloDefinition } from './slo.ts';
import { spanmetricsBucketNote } from './spanmetrics.ts';

export interface BudgetSpan extends CpSpan {
  service: string;
  name: string;
  isError: boolean;
  /** The span's node and grouped operation (operations.ts spanOperations); its service and name when absent. */
  node?: string;
  operation?: string;
}

export interface EntrySlo {
  service: string;
  operation: string;
  /** Fraction, e.g. 0.99. */
  percentile: number;
  thresholdNs: number;
  /** Entry availability objective (fraction, e.g. 0.999); derives availability budgets when set. */
  availability?: number;
}

export interface DeriveOptions {
  allOperations?: boolean;
  /** The epoch ns the spans' offsets are from: their timestamps' precision is read from it (precision.ts). */
  baseNs?: bigint;
  owners?: ReadonlyMap<string, string>;
  atRiskRatio?: number;
}

export const AT_RISK_RATIO = 0.8;

export type BudgetStatus = 'met' | 'at-risk' | 'violated' | 'unconstrained' | 'no-data';

export interface AvailabilityBudget {
  /** Calls per entry request, on the critical path or not. */
  callsPerRequest: number;
  errors: number;
  /** Share of this downstream's errors seen in requests whose entry span is in error; null without errors (then 1 is assumed). */
  reachRoot: number | null;
  errorBudget: number;
  objective: number;
  observedErrorRate: number;
  status: BudgetStatus;
}

export interface BudgetNode {
  /** Index of the parent budget in `budgets`, -1 when directly under the entry. */
  parent: number;
  depth: number;
  service: string;
  operation: string;
  owner: string | null;
  callsOnCriticalPath: number;
  share: number;
  callsPerParent: number;
  parentShare: number;
  /** Percent, e.g. 99.5. */
  percentile: number;
  thresholdNs: number;
  observedNs: number | null;
  samples: number;
  status: BudgetStatus;
  availability?: AvailabilityBudget;
}

export interface BudgetTree {
  entry: EntrySlo & { requests: number; observedNs: number | null; status: BudgetStatus; owner: string | null };
  budgets: BudgetNode[];
}

interface NodeAcc {
  parent: number;
  service: string;
  operation: string;
  onPath: number;
  cpSum: number;
  all: number;
  errors: number;
  errorsReachingRoot: number;
  durations: number[];
}

function statusOf(observed: number | null, limit: number, ratio: number): BudgetStatus {
  if (observed === null) return 'no-data';
  if (observed > limit) return 'violated';
  return observed > ratio * limit ? 'at-risk' : 'met';
}

/** Derive the budget tree from the traces that hold entry spans (each trace's spans, any order). */
export function deriveBudgets(traces: Iterable<readonly BudgetSpan[]>, entry: EntrySlo, opts: DeriveOptions = {}): BudgetTree {
  const ratio = opts.atRiskRatio ?? AT_RISK_RATIO;
  const nodes: NodeAcc[] = [{ parent: -1, service: entry.service, operation: entry.operation, onPath: 0, cpSum: 0, all: 0, errors: 0, errorsReachingRoot: 0, durations: [] }];
  const nodeIds = new Map<string, number>();
  let requests = 0;

  for (const spans of traces) {
    const tree = buildTraceTree(spans);
    const n = spans.length;
    const size = subtreeSizes(tree);
    const isEntry = (i: number) => nodeOf(spans[i]) === entry.service && operationOf(spans[i]) === entry.operation;
    for (let k = 0; k < n; k++) {
      const e = tree.order[k];
      if (!isEntry(e)) continue;
      // Outermost entries only: an entry nested in another is part of that request.
      let up = tree.parent[e];
      while (up !== -1 && !isEntry(up)) up = tree.parent[up];
      if (up !== -1) continue;
      requests++;
      addRequest(spans, tree.order.subarray(k, k + size[e]), nodes, nodeIds, !!opts.allOperations, opts.baseNs ?? 0n);
    }
  }
  return finish(nodes, requests, entry, opts.owners, ratio);
}

/** One entry request: its subtree in pre-order (`sub[0]` is the entry span). */
const nodeOf = (s: BudgetSpan) => s.node ?? s.service;
const operationOf = (s: BudgetSpan) => s.operation ?? s.name;

function addRequest(spans: readonly BudgetSpan[], sub: Int32Array, nodes: NodeAcc[], nodeIds: Map<string, number>, allOps: boolean, baseNs: bigint): void {
  const m = sub.length;
  const cp: CpSpan[] = new Array(m);
  for (let j = 0; j < m; j++) {
    const s = spans[sub[j]];
    cp[j] = j === 0 ? { ...s, parentSpanId: null } : s;
  }
  const tree = buildTraceTree(cp);
  const incl = new Float64Array(m);
  const precision = spanPrecisions(baseNs, cp.map((s) => s.start), cp.map((s) => s.duration), cp.map((s) => s.service ?? ''));
  for (const sec of computeCriticalPath(cp, tree, precision)) incl[sec.span] += sec.end - sec.start;
  for (let k = m - 1; k >= 0; k--) {
    const j = tree.order[k];
    if (tree.parent[j] !== -1) incl[tree.parent[j]] += incl[j];
  }
  const node = new Int32Array(m);
  const entryError = spans[sub[0]].isError;
  nodes[0].onPath++;
  nodes[0].cpSum += incl[0];
  nodes[0].all++;
  nodes[0].durations.push(spans[sub[0]].duration);
  for (let k = 0; k < m; k++) {
    const j = tree.order[k];
    const p = tree.parent[j];
    if (p === -1) {
      node[j] = 0;
      continue;
    }
    const s = spans[sub[j]];
    if (!allOps && nodeOf(s) === nodeOf(spans[sub[p]])) {
      node[j] = node[p];
      continue;
    }
    const key = `${node[p]}\u0000${nodeOf(s)}\u0000${operationOf(s)}`;
    let id = nodeIds.get(key);
    if (id === undefined) {
      id = nodes.length;
      nodeIds.set(key, id);
      nodes.push({ parent: node[p], service: nodeOf(s), operation: operationOf(s), onPath: 0, cpSum: 0, all: 0, errors: 0, errorsReachingRoot: 0, durations: [] });
    }
    node[j] = id;
    const acc = nodes[id];
    acc.all++;
    acc.durations.push(s.duration);
    if (incl[j] > 0) {
      acc.onPath++;
      acc.cpSum += incl[j];
    }
    if (s.isError) {
      acc.errors++;
      if (entryError) acc.errorsReachingRoot++;
    }
  }
}

function finish(nodes: NodeAcc[], requests: number, entry: EntrySlo, owners: ReadonlyMap<string, string> | undefined, ratio: number): BudgetTree {
  const root = nodes[0];
  const entrySorted = Float64Array.from(root.durations).sort();
  const entryObserved = requests > 0 ? nearestRank(entrySorted, entry.percentile) : null;
  const out: BudgetTree = {
    entry: {
      ...entry, requests, observedNs: entryObserved, status: statusOf(entryObserved, entry.thresholdNs, ratio), owner: owners?.get(entry.service) ?? null,
    },
    budgets: [],
  };
  // Children in order of share (largest first), visited depth-first without recursion.
  const kids: number[][] = nodes.map(() => []);
  for (let i = 1; i < nodes.length; i++) if (nodes[i].onPath > 0) kids[nodes[i].parent].push(i);
  for (const k of kids) k.sort((a, b) => nodes[b].cpSum - nodes[a].cpSum || a - b);
  const index = new Int32Array(nodes.length).fill(-1);
  const depth = new Int32Array(nodes.length);
  const stack = [...kids[0]].reverse();
  const entryPct = entry.percentile * 100;
  while (stack.length > 0) {
    const i = stack.pop()!;
    const a = nodes[i];
    const par = nodes[a.parent];
    depth[i] = a.parent === 0 ? 0 : depth[a.parent] + 1;
    const n = a.onPath / requests;
    const share = root.cpSum > 0 ? a.cpSum / root.cpSum : 0;
    // In percent, so 100 − 1/2 gives exactly 99.5; then rounded off binary noise.
    const pct = roundFraction(100 - (100 - entryPct) / n, 9);
    // Never more than the caller's own threshold (the entry's at the first level).
    const callerNs = a.parent === 0 ? entry.thresholdNs : out.budgets[index[a.parent]].thresholdNs;
    const thresholdNs = Math.min(Math.round((entry.thresholdNs * share) / n), callerNs);
    const sorted = Float64Array.from(a.durations).sort();
    const unconstrained = pct <= 0;
    const observedNs = unconstrained || sorted.length === 0 ? null : nearestRank(sorted, pct / 100);
    const b: BudgetNode = {
      parent: a.parent === 0 ? -1 : index[a.parent],
      depth: depth[i],
      service: a.service,
      operation: a.operation,
      owner: owners?.get(a.service) ?? null,
      callsOnCriticalPath: roundFraction(n),
      share: roundFraction(share),
      callsPerParent: roundFraction(a.onPath / par.onPath),
      parentShare: roundFraction(par.cpSum > 0 ? a.cpSum / par.cpSum : 0),
      percentile: unconstrained ? 0 : pct,
      thresholdNs,
      observedNs,
      samples: sorted.length,
      status: unconstrained ? 'unconstrained' : statusOf(observedNs, thresholdNs, ratio),
    };
    if (entry.availability !== undefined) b.availability = availabilityBudget(a, requests, entry.availability, ratio);
    index[i] = out.budgets.length;
    out.budgets.push(b);
    for (let k = kids[i].length - 1; k >= 0; k--) stack.push(kids[i][k]);
  }
  return out;
}

function availabilityBudget(a: NodeAcc, requests: number, objective: number, ratio: number): AvailabilityBudget {
  const callsPerRequest = a.all / requests;
  const reachRoot = a.errors > 0 ? a.errorsReachingRoot / a.errors : null;
  const f = reachRoot ?? 1;
  const errorBudget = f > 0 ? (1 - objective) / (callsPerRequest * f) : Infinity;
  const observedErrorRate = a.all > 0 ? a.errors / a.all : 0;
  const status: BudgetStatus = errorBudget >= 1 ? 'unconstrained' : statusOf(observedErrorRate, errorBudget, ratio);
  return {
    callsPerRequest: roundFraction(callsPerRequest),
    errors: a.errors,
    reachRoot: reachRoot === null ? null : roundFraction(reachRoot),
    errorBudget: Number.isFinite(errorBudget) ? roundFraction(errorBudget) : errorBudget,
    objective: errorBudget >= 1 ? 0 : roundFraction(1 - errorBudget),
    observedErrorRate: roundFraction(observedErrorRate),
    status,
  };
}

/** A DNS-label style name (OpenSLO metadata.name): lowercase alphanumerics and dashes, ≤ 63 characters. */
export function sloName(...parts: string[]): string {
  const s = parts.join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return (s.slice(0, 63).replace(/-+$/g, '') || 'slo');
}

/** x rounded down to `digits` significant digits (0.507109 → 0.5 with 2). */
export function floorSignificant(x: number, digits: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return x;
  const step = 10 ** (Math.floor(Math.log10(x)) - digits + 1);
  // The 1e-9 guards a value that is already round but lands a hair below in binary (0.29/0.01 = 28.999…).
  return roundFraction(Math.floor(x / step + 1e-9) * step, 12);
}

/**
 * A budget as a team would write it: the allowed miss (100 − percentile) and the threshold each
 * rounded DOWN to two significant digits, so the rounded promise is never looser than the derived
 * one (p99.492890995 ≤ 457.19 ms becomes p99.5 ≤ 450 ms). Two digits because the shares behind them
 * are estimated from the loaded traces.
 */
export function roundBudget(percentile: number, thresholdNs: number): { percentile: number; thresholdNs: number } {
  const miss = floorSignificant(roundFraction(100 - percentile, 9), 2);
  const ms = floorSignificant(thresholdNs / 1e6, 2);
  return { percentile: roundFraction(100 - miss, 9), thresholdNs: Math.round(ms * 1e6) };
}

function formatThreshold(ns: number): string {
  return ns >= 1e9 ? `${roundFraction(ns / 1e9, 6)} s` : `${roundFraction(ns / 1e6, 6)} ms`;
}

/**
 * One SLO per downstream service + operation (the strictest where it sits at several places in the
 * tree: lowest threshold, then highest percentile), ready for OpenSLO export, numbers rounded by
 * roundBudget. The entry's kind is kept. From a request-based entry ("XX% of requests ≤ T") each
 * budget is request-based too, its objective the budget's percentile: with nearest rank, "pXX ≤ T"
 * holds exactly when XX% of requests take ≤ T. From a time-slice entry ("in Y% of slices, pXX ≤
 * T") each budget is a time-slice SLO "in Y% of slices, pXX' ≤ T'".
 */
export function budgetSlos(tree: BudgetTree, entry: Pick<SloDefinition, 'indicator' | 'objective' | 'windowNs' | 'periodNs'>): SloDefinition[] {
  const best = new Map<string, BudgetNode>();
  for (const b of tree.budgets) {
    if (b.status === 'unconstrained' || b.percentile >= 100) continue;
    const key = `${b.service}\u0000${b.operation}`;
    const cur = best.get(key);
    if (!cur || b.thresholdNs < cur.thresholdNs || (b.thresholdNs === cur.thresholdNs && b.percentile > cur.percentile)) best.set(key, b);
  }
  const e = tree.entry;
  const slices = entry.indicator.kind === 'latency-percentile';
  const from = `derived from ${e.service} ${e.operation} p${fractionToPercent(e.percentile)} ≤ ${formatThreshold(e.thresholdNs)}${slices ? ` in ${fractionToPercent(entry.objective)}% of ${formatShortDuration(entry.windowNs)} slices` : ''}`;
  const out: SloDefinition[] = [];
  for (const b of best.values()) {
    const r = roundBudget(b.percentile, b.thresholdNs);
    // histogram_quantile interpolates between buckets; a ratio of requests needs the exact bucket.
    const bucket = slices ? null : spanmetricsBucketNote(r.thresholdNs);
    const def: SloDefinition = {
      name: sloName(b.service, b.operation, 'latency'),
      displayName: `${b.service} ${b.operation} p${r.percentile} ≤ ${formatThreshold(r.thresholdNs)}`,
      description: `${from}: ${b.callsOnCriticalPath.toFixed(2)} calls on the critical path per request, ${(b.share * 100).toFixed(1)}% of its time${bucket ? `; ${bucket}` : ''}`,
      service: b.service,
      operation: b.operation,
      indicator: slices ? { kind: 'latency-percentile', percentile: percentToFraction(r.percentile), thresholdNs: r.thresholdNs } : { kind: 'latency', thresholdNs: r.thresholdNs },
      objective: slices ? entry.objective : percentToFraction(r.percentile),
      windowNs: entry.windowNs,
      periodNs: entry.periodNs,
    };
    if (b.owner !== null) def.owner = b.owner;
    out.push(def);
    const av = b.availability;
    if (av && av.status !== 'unconstrained' && av.objective > 0 && av.objective < 1) {
      // Allowed error share rounded down to two significant digits, like the latency budgets.
      const objective = roundFraction(1 - floorSignificant(roundFraction(1 - av.objective, 12), 2), 12);
      out.push({
        ...def,
        name: sloName(b.service, b.operation, 'availability'),
        displayName: `${b.service} ${b.operation} availability ${fractionToPercent(objective)}%`,
        description: `${from}: ${av.callsPerRequest.toFixed(2)} calls per request, errors reach the entry in ${av.reachRoot === null ? 'an assumed 100%' : `${(av.reachRoot * 100).toFixed(1)}%`} of cases`,
        indicator: { kind: 'availability', errorRule: DEFAULT_ERROR_RULE },
        objective,
      });
    }
  }
  return out;
}
