// The error path: the walk a good on-call engineer does by hand. From a chosen span (a root by
// default), step to the child in error that ended last, and again, until no child is in error; the
// last span reached is the likely root cause. Errors propagate upwards, so the deepest failing span
// on the latest-failing branch is where the story starts.
//
//   frontend GET /checkout  ├──────────────────────────┤ error
//   checkout POST /order       ├──────────────────────┤  error
//   payment  POST /charge        ├──────┤                 error (ended first)
//   payment  POST /charge                 ├─────────┤     error (ended last: followed)
//   payment  db.query                      ├───────┤      error, no child in error: root cause
//
//   summary: "payment › POST /charge › db.query: timeout after 2.00 s"

import type { Attributes, StatusCode, SpanKind } from '../model/trace.ts';
import { isErrorSpan, errorMessage, type ErrException } from '../model/span-error.ts';
import { buildTraceTree, type TraceTree } from '../model/tree.ts';
import { formatDuration } from '../base/time.ts';

/** The minimal span the error path needs. Times are ns offsets from any common base. */
export interface ErrSpan {
  spanId: string;
  parentSpanId: string | null;
  kind?: SpanKind;
  start: number;
  duration: number;
  service?: string;
  name?: string;
  status?: StatusCode;
  attributes?: Attributes;
  /** Precomputed isErrorSpan (the store keeps it); when absent it is derived from status and attributes. */
  isError?: boolean;
  statusMessage?: string;
  exceptions?: readonly ErrException[];
}

export { errorMessage, type ErrException };

export interface ErrorPath {
  /** Span indexes from the starting span down to the last span reached. */
  path: number[];
  /** The last span of the path when it is in error, else null (nothing failed below the start). */
  rootCause: number | null;
  summary: string;
}

/** Same rule as the store's is_error column: core/model/span-error.ts. */
export function isErrSpanInError(s: ErrSpan): boolean {
  if (s.isError !== undefined) return s.isError;
  return isErrorSpan({ status: s.status ?? 'unset', kind: s.kind, attributes: s.attributes ?? {} });
}

/**
 * The error path from span `from` (an index into `spans`). Without `from`, the walk starts at the
 * first root (by start) that is in error or has a child in error, else at the first root.
 * Ties in end go to the child that started later. `tree` must be built from the same spans.
 */
export function computeErrorPath(spans: readonly ErrSpan[], from?: number, tree?: TraceTree): ErrorPath {
  if (spans.length === 0) return { path: [], rootCause: null, summary: 'no spans' };
  const t = tree ?? buildTraceTree(spans);
  if (t.size !== spans.length) throw new RangeError(`trace tree has ${t.size} spans, input has ${spans.length}`);
  const { path, rootCause } = errorPathOfColumns(
    { isError: spans.map(isErrSpanInError), start: spans.map((s) => s.start), duration: spans.map((s) => s.duration) },
    t,
    from,
  );
  return { path, rootCause, summary: summarizeErrorPath(spans, path, rootCause) };
}

/** computeErrorPath's walk over columns (no object per span); summarize the path with summarizeErrorPath. */
export function errorPathOfColumns(
  cols: { isError: ArrayLike<boolean>; start: ArrayLike<number>; duration: ArrayLike<number> },
  t: TraceTree,
  from?: number,
): { path: number[]; rootCause: number | null } {
  const n = cols.start.length;
  if (n === 0) return { path: [], rootCause: null };
  if (t.size !== n) throw new RangeError(`trace tree has ${t.size} spans, input has ${n}`);
  const err = cols.isError;
  const end = (i: number) => cols.start[i] + Math.max(0, cols.duration[i]);

  let start: number;
  if (from !== undefined) {
    if (!Number.isInteger(from) || from < 0 || from >= n) throw new RangeError(`no span at index ${from}`);
    start = from;
  } else {
    const hasErrorChild = (i: number) => {
      for (let c = t.childStart[i]; c < t.childStart[i + 1]; c++) if (err[t.childList[c]]) return true;
      return false;
    };
    start = t.roots.find((r) => err[r] || hasErrorChild(r)) ?? t.roots[0];
  }

  // A walk down the tree cannot loop: buildTraceTree has cut every cycle.
  const path = [start];
  for (let cur = start; ; ) {
    let next = -1;
    for (let c = t.childStart[cur]; c < t.childStart[cur + 1]; c++) {
      const child = t.childList[c];
      // Children are in start order, so `>=` hands ties in end to the later start.
      if (err[child] && (next === -1 || end(child) >= end(next))) next = child;
    }
    if (next === -1) break;
    path.push(next);
    cur = next;
  }
  const last = path[path.length - 1];
  return { path, rootCause: err[last] ? last : null };
}

const SAYS_DURATION = /\bafter\s+[0-9][0-9.,]*\s*(ns|us|µs|ms|s|sec|seconds?|min|minutes?|h)\b/i;

/** How many of the root cause's service's spans the summary names before eliding the middle. */
const SUMMARY_NAMES = 3;

/**
 * One line for people: the root cause's service, the names of the spans of that service leading to
 * it along the path, then its message and duration.
 * "payment › POST /charge › db.query: timeout after 2.00 s"
 */
export function summarizeErrorPath(spans: readonly ErrSpan[], path: readonly number[], rootCause: number | null): string {
  if (path.length === 0) return 'no spans';
  if (rootCause === null) {
    const s = spans[path[0]];
    return `no error at or below ${label(s.service)} › ${label(s.name)}`;
  }
  const rc = spans[rootCause];
  // The run of the root cause's service at the end of the path: the call that failed in that service.
  let first = path.length - 1;
  while (first > 0 && spans[path[first - 1]].service === rc.service) first--;
  let names = path.slice(first).map((i) => label(spans[i].name));
  if (names.length > SUMMARY_NAMES) names = [names[0], '…', ...names.slice(-(SUMMARY_NAMES - 1))];
  const message = errorMessage(rc) || 'error';
  // "timeout after 2.0 s" already says how long it took: do not say it twice.
  const took = SAYS_DURATION.test(message) ? '' : ` after ${formatDuration(Math.max(0, rc.duration))}`;
  return `${[label(rc.service), ...names].join(' › ')}: ${message}${took}`;
}

function label(s: string | undefined): string {
  return s === undefined || s === '' ? '?' : s;
}
