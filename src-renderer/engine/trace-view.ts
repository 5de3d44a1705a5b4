// What the trace view needs of one trace, computed in the worker in two requests so the rows are
// on screen before the analyses are done. First (openTrace): the spans in columns, the tree, each
// span's self time and the findings. Second (traceAnalyses, from the tree the engine kept): the
// critical path with its per-service/per-operation summary and the error path with the root
// cause's own words. Typed arrays cross the thread boundary as one block each (structured clone).

import type { Store } from '../store/store.ts';
import { spanErrorDetails, type TraceSpans, type SpanException } from '../store/queries.ts';
import { traceFindingsWithData, traceColumns, type TraceFinding } from '../store/trace-detail.ts';
import { buildTraceTreeFromColumns, type TraceTree } from '../core/model/tree.ts';
import { criticalPathOfColumns, summarizeCriticalPathOfColumns, type CpSummaryRow } from '../core/analysis/critical-path.ts';
import { errorPathOfColumns, summarizeErrorPath, errorMessage } from '../core/analysis/error-path.ts';
import { errSpansFromColumns } from '../core/analysis/span-input.ts';
import type { Attributes } from '../core/model/trace.ts';
import { packSpans, unpackSpans, type PackedSpans } from './span-packing.ts';

export interface TraceCritical {
  span: Int32Array;
  start: Float64Array;
  end: Float64Array;
  byService: CpSummaryRow[];
  byOperation: CpSummaryRow[];
}

export interface TraceErrorPath {
  path: number[];
  rootCause: number | null;
  summary: string;
  message: string;
  exceptions: SpanException[];
}

/** What the first screen needs: rows and bars. The analyses follow in a second request. */
export interface TraceViewData {
  traceId: string;
  /** Epoch ns of the earliest start, decimal string; every offset below is from it. */
  startNs: string;
  durationNs: number;
  spans: TraceSpans;
  parent: Int32Array;
  childStart: Int32Array;
  childList: Int32Array;
  /** Depth-first pre-order of span indexes, and each span's depth. */
  order: Int32Array;
  depth: Int32Array;
  /** Number of spans in each span's subtree, itself included (its run in `order`). */
  subtree: Int32Array;
  /** Each span's own time: its duration less the union of its children's (clipped) intervals. */
  selfNs: Float64Array;
  findings: TraceFinding[];
  timingsMs: { query: number; tree: number };
}

/** The critical path and the error path of an opened trace, computed from the tree it was opened with. */
export interface TraceAnalyses {
  traceId: string;
  /** Spans of the view the indexes below refer to (a trace that grew since it was opened is opened anew). */
  spanCount: number;
  critical: TraceCritical;
  errorPath: TraceErrorPath;
  timingsMs: { criticalPath: number; errorPath: number };
}

/** An opened trace as the engine keeps it between the two requests: the view and its full tree. */
export interface OpenedTrace {
  view: TraceViewData;
  tree: TraceTree;
}

export function openTrace(store: Store, traceId: string): OpenedTrace | null {
  let t0 = performance.now();
  const spans = traceColumns(store, traceId);
  if (!spans) return null;
  const query = performance.now() - t0;

  t0 = performance.now();
  const tree = buildTraceTreeFromColumns(spans);
  const subtree = subtreeSizes(tree);
  const selfNs = selfTimes(tree, spans.start, spans.duration);
  let durationNs = 0;
  for (let i = 0; i < spans.start.length; i++) durationNs = Math.max(durationNs, spans.start[i] + spans.duration[i]);
  const treeMs = performance.now() - t0;

  const view: TraceViewData = {
    traceId, startNs: spans.startNs, durationNs, spans,
    parent: tree.parent, childStart: tree.childStart, childList: tree.childList, order: tree.order, depth: tree.depth, subtree, selfNs,
    findings: traceFindingsWithData(store, traceId),
    timingsMs: { query, tree: treeMs },
  };
  return { view, tree };
}

export function traceAnalyses(store: Store, opened: OpenedTrace): TraceAnalyses {
  const { view, tree } = opened;
  const spans = view.spans;
  let t0 = performance.now();
  const sections = criticalPathOfColumns(spans, tree);
  const critical: TraceCritical = { ...sections, ...summarizeCriticalPathOfColumns(spans, sections, view.durationNs) };
  const criticalPath = performance.now() - t0;

  t0 = performance.now();
  const { path, rootCause } = errorPathOfColumns(spans, tree);
  // Span objects for the spans on the path only: the summary and the message read no others.
  const errSpans = errSpansFromColumns(spans, path);
  const details = spanErrorDetails(store, path.map((i) => spans.spanRow[i]));
  for (const i of path) {
    const d = details.get(spans.spanRow[i]);
    if (d) errSpans[i] = { ...errSpans[i], statusMessage: d.statusMessage, exceptions: d.exceptions, attributes: d.attributes as Attributes };
  }
  const errorPath: TraceErrorPath = {
    path, rootCause,
    summary: summarizeErrorPath(errSpans, path, rootCause),
    message: rootCause === null ? '' : errorMessage(errSpans[rootCause]),
    exceptions: rootCause === null ? [] : [...(errSpans[rootCause].exceptions ?? [])],
  };
  const errorPathMs = performance.now() - t0;
  return { traceId: view.traceId, spanCount: spans.start.length, critical, errorPath, timingsMs: { criticalPath, errorPath: errorPathMs } };
}

/** Both halves at once (Node, tests): the view and its analyses. */
export function loadTraceView(store: Store, traceId: string): (TraceViewData & { analyses: TraceAnalyses }) | null {
  const opened = openTrace(store, traceId);
  return opened && { ...opened.view, analyses: traceAnalyses(store, opened) };
}

/** Subtree sizes from the pre-order: children come after their parent, so a reverse sweep adds up. */
export function subtreeSizes(tree: Pick<TraceTree, 'order' | 'parent'>): Int32Array {
  const n = tree.order.length;
  const size = new Int32Array(n).fill(1);
  for (let k = n - 1; k >= 0; k--) {
    const i = tree.order[k];
    const p = tree.parent[i];
    if (p >= 0) size[p] += size[i];
  }
  return size;
}

/**
 * Self time: the part of a span's window no child covers. Children are sorted by start
 * (buildTraceTree), so one sweep merges their intervals, clipped to the parent's window.
 *
 *   parent ├────────────────────┤ 0..100
 *   a         ├──────┤            10..40
 *   b              ├─────┤        30..60   a ∪ b = 10..60 → self = 100 - 50 = 50
 */
export function selfTimes(tree: Pick<TraceTree, 'size' | 'childStart' | 'childList'>, start: readonly number[], duration: readonly number[]): Float64Array {
  const out = new Float64Array(tree.size);
  for (let i = 0; i < tree.size; i++) {
    const lo = start[i];
    const hi = lo + Math.max(0, duration[i]);
    let covered = 0;
    let runLo = 0;
    let runHi = -Infinity;
    for (let c = tree.childStart[i]; c < tree.childStart[i + 1]; c++) {
      const j = tree.childList[c];
      const a = Math.max(lo, start[j]);
      const b = Math.min(hi, start[j] + Math.max(0, duration[j]));
      if (b <= a) continue;
      if (a > runHi) {
        if (runHi > runLo) covered += runHi - runLo;
        runLo = a;
        runHi = b;
      } else if (b > runHi) runHi = b;
    }
    if (runHi > runLo) covered += runHi - runLo;
    out[i] = hi - lo - covered;
  }
  return out;
}

/** What crosses from the worker: the same data with the span columns packed. */
export type TraceViewWire = Omit<TraceViewData, 'spans'> & { spans: PackedSpans };

export function packTraceView(v: TraceViewData): TraceViewWire {
  const { spans, ...rest } = v;
  return { ...rest, spans: packSpans(spans) };
}

export function unpackTraceView(w: TraceViewWire): TraceViewData {
  return { ...w, spans: unpackSpans(w.spans) };
}
