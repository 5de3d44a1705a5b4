// What the trace view needs of one trace, computed in the worker in two requests so the rows are
// on screen before the analyses are done. First (openTrace): the spans in columns, the tree, each
// span's self time and the findings. Second (traceAnalyses, from the tree the engine kept): the
// critical path with its per-service/per-operation summary and the error path with the words of
// the spans on it. The replies' types and packing are in wire/trace-view.ts.

import type { Store } from '../store/store.ts';
import { traceFindings } from '../store/trace-detail.ts';
import { traceSpans } from '../store/trace-spans.ts';
import { buildTraceTreeFromColumns, type TraceTree } from '../core/model/tree.ts';
import { selfTimes, subtreeSizes } from '../core/model/tree-measures.ts';
import { traceDurationNs } from '../core/model/span-columns.ts';
import { criticalPathOfColumns, summarizeCriticalPathOfColumns } from '../core/analysis/critical-path.ts';
import { summarizeErrorPath, errorMessage } from '../core/analysis/error-path.ts';
import { traceOrigins } from './error-origins.ts';
import { shownOrigin } from '../core/analysis/error-origins.ts';
import { spanOperations } from '../core/analysis/operations.ts';
import { spanPrecisions } from '../core/analysis/precision.ts';
import { operationCatalog } from '../store/operations.ts';
import type { TraceViewData, TraceAnalyses, TraceCritical, TraceErrorPath } from './wire/trace-view.ts';

/** An opened trace as the engine keeps it between the two requests: the view and its full tree. */
export interface OpenedTrace {
  view: TraceViewData;
  tree: TraceTree;
}

export function openTrace(store: Store, traceId: string): OpenedTrace | null {
  let t0 = performance.now();
  const spans = traceSpans(store, traceId);
  if (!spans) return null;
  const query = performance.now() - t0;

  t0 = performance.now();
  const tree = buildTraceTreeFromColumns(spans);
  const ops = spanOperations({ opId: spans.opId ?? new Int32Array(spans.start.length).fill(-1), name: spans.name, service: spans.service, kind: spans.kind }, tree, operationCatalog(store));
  const subtree = subtreeSizes(tree);
  const selfNs = selfTimes(tree, spans.start, spans.duration);
  const durationNs = traceDurationNs(spans);
  const treeMs = performance.now() - t0;

  const view: TraceViewData = {
    traceId, startNs: spans.startNs, durationNs, spans: Object.assign(spans, ops),
    parent: tree.parent, childStart: tree.childStart, childList: tree.childList, order: tree.order, depth: tree.depth, subtree, selfNs,
    findings: traceFindings(store, traceId),
    timingsMs: { query, tree: treeMs },
  };
  return { view, tree };
}

export function traceAnalyses(store: Store, opened: OpenedTrace): TraceAnalyses {
  const { view, tree } = opened;
  const spans = view.spans;
  let t0 = performance.now();
  const precision = spanPrecisions(spans.startNs, spans.start, spans.duration, spans.service);
  const sections = criticalPathOfColumns({ start: spans.start, duration: spans.duration, kind: spans.kind, parentRef: spans.parentRef, precision }, tree);
  const critical: TraceCritical = { ...sections, ...summarizeCriticalPathOfColumns({ service: spans.node, name: spans.operation }, sections, view.durationNs) };
  const criticalPath = performance.now() - t0;

  t0 = performance.now();
  // The error path is the origin whose failure reached the root (else the latest); the others are listed beside it.
  // Without any error the path is the root alone ("no error at or below …").
  const firstRoot = tree.order.length > 0 ? [tree.order[0]] : [];
  const { origins, found, errSpans } = traceOrigins(store, spans, tree, firstRoot);
  const primary = shownOrigin(spans, found);
  const path = primary >= 0 ? origins[primary].path : firstRoot;
  const rootCause = primary >= 0 ? origins[primary].span : null;
  const errorPath: TraceErrorPath = {
    path, rootCause, primary,
    origins: origins.map((o) => ({ span: o.span, path: o.path, reachedRoot: o.reachedRoot, message: o.message })),
    summary: summarizeErrorPath(errSpans, path, rootCause),
    message: rootCause === null ? '' : errorMessage(errSpans[rootCause]),
    messages: path.map((i) => (spans.isError[i] ? errorMessage(errSpans[i]) : (errSpans[i].statusMessage ?? ''))),
    exceptions: rootCause === null ? [] : [...(errSpans[rootCause].exceptions ?? [])],
  };
  const errorPathMs = performance.now() - t0;
  return { traceId: view.traceId, spanCount: spans.start.length, critical, errorPath, timingsMs: { criticalPath, errorPath: errorPathMs } };
}
