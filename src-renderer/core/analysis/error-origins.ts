// Error origins: where a trace failed, all of them. An origin is a span in error (span-error.ts)
// with no span in error anywhere below it. Every origin is listed with its path from its root:
//
//   frontend  GET /checkout            ├────────────────────────┤ error (HTTP 500)
//   frontend    request handler          ├──────────────────────┤   fine (Express marks none)
//   checkout      POST /orders              ├────────────────┤      error
//   checkout        request handler           ├──────────────┤      fine
//   payment           POST /authorize           ├──┤                fine
//   bank                POST /v1/authorizations  ├┤                 error (HTTP 402, retried): origin
//   payment           POST /capture                  ├───────┤      error
//   postgresql          INSERT INTO payments …        ├─────┤       error: origin, reached the root
//
// Rules: a span's children are the spans that name it as parent (tree.ts), so a child that starts
// after its parent ended is still below it; errors below a span that succeeded count (a failed
// attempt under a call that then succeeded is still an origin); orphans hang under a virtual root,
// their paths starting at their subtree's top, and are analysed like the rest.
//
// The origin whose failure reached the root (the waterfall's error path): the root is in error and
// every span on the way down that is a call or an entry (kind server, client, producer, consumer)
// is in error too; spans inside one service that mark nothing (a framework's handler span, kind
// internal) do not break the chain, a span that began after its parent had ended does. Among several, the one that ended last (the last failure the
// request saw); trees with a parentless root come before orphan subtrees.

import type { TraceTree } from '../model/tree.ts';
import type { SpanKind } from '../model/trace.ts';

export interface OriginColumns {
  isError: ArrayLike<boolean>;
  kind: readonly SpanKind[];
  start: ArrayLike<number>;
  duration: ArrayLike<number>;
  /** null for a span without parent id (a true root); an orphan has one the trace lacks. */
  parentSpanId: readonly (string | null)[];
}

export interface ErrorOrigin {
  /** The origin span (index). */
  span: number;
  /** Span indexes from its root (or its orphan subtree's top) down to the origin. */
  path: number[];
  /** Its failure reached its root through a chain of failing calls. */
  reachedRoot: boolean;
  /** Its root is a true root (no parent id), not the top of an orphan subtree. */
  underTrueRoot: boolean;
}

export interface TraceErrorOrigins {
  origins: ErrorOrigin[];
  /** Index into `origins` of the one whose failure reached the root, or -1. */
  primary: number;
}

const isCallOrEntry = (k: SpanKind) => k === 'server' || k === 'client' || k === 'producer' || k === 'consumer';

/**
 * Whether span i passes a failure from below up to its parent p: it is in error, or it is a span
 * inside one service that marks nothing; and it began before p ended (a child that began after its
 * parent ended, fire-and-forget or a late retry, cannot have failed it).
 */
function carriesFailure(cols: OriginColumns, i: number, p: number): boolean {
  if (cols.start[i] > cols.start[p] + Math.max(0, cols.duration[p])) return false;
  return cols.isError[i] || !isCallOrEntry(cols.kind[i]);
}

/** Every error origin of a trace, in tree pre-order, and which one reached the root. `tree` from the same spans. */
export function errorOrigins(cols: OriginColumns, tree: Pick<TraceTree, 'order' | 'parent'>): TraceErrorOrigins {
  const n = cols.start.length;
  const err = cols.isError;
  const below = new Uint8Array(n); // some span in error below
  for (let k = n - 1; k >= 0; k--) {
    const i = tree.order[k];
    const p = tree.parent[i];
    if (p >= 0 && (err[i] || below[i])) below[p] = 1;
  }
  // Down the pre-order: does the chain from the root to here stay failing (internal spans aside)?
  const chain = new Uint8Array(n);
  const origins: ErrorOrigin[] = [];
  for (let k = 0; k < n; k++) {
    const i = tree.order[k];
    const p = tree.parent[i];
    chain[i] = p < 0 ? (err[i] ? 1 : 0) : chain[p] && carriesFailure(cols, i, p) ? 1 : 0;
    if (!err[i] || below[i]) continue;
    const path: number[] = [];
    for (let j = i; j >= 0; j = tree.parent[j]) path.push(j);
    path.reverse();
    origins.push({ span: i, path, reachedRoot: chain[i] === 1, underTrueRoot: cols.parentSpanId[path[0]] === null });
  }
  let primary = -1;
  const end = (o: ErrorOrigin) => cols.start[o.span] + Math.max(0, cols.duration[o.span]);
  for (let k = 0; k < origins.length; k++) {
    const o = origins[k];
    if (!o.reachedRoot) continue;
    const best = primary < 0 ? null : origins[primary];
    if (!best || (o.underTrueRoot && !best.underTrueRoot) || (o.underTrueRoot === best.underTrueRoot && end(o) >= end(best))) primary = k;
  }
  return { origins, primary };
}

/**
 * The origin the waterfall draws as the error path: the one that reached the root, else (the
 * request itself succeeded, or only an orphan subtree failed) the latest to end, a true root's
 * before an orphan subtree's; -1 when the trace has no error at all.
 */
export function shownOrigin(cols: Pick<OriginColumns, 'start' | 'duration'>, found: TraceErrorOrigins): number {
  if (found.primary >= 0) return found.primary;
  let best = -1;
  const end = (o: ErrorOrigin) => cols.start[o.span] + Math.max(0, cols.duration[o.span]);
  for (let k = 0; k < found.origins.length; k++) {
    const o = found.origins[k];
    const b = best < 0 ? null : found.origins[best];
    if (!b || (o.underTrueRoot && !b.underTrueRoot) || (o.underTrueRoot === b.underTrueRoot && end(o) >= end(b))) best = k;
  }
  return best;
}

/**
 * The origin a failing request (entry span `entry`, in error) failed on: among the origins below
 * it, one whose chain of failing calls reaches it (the latest to end), else the latest below it,
 * else the entry itself. Returns a span index.
 */
export function entryRootCause(cols: OriginColumns, found: TraceErrorOrigins, entry: number): number {
  let best = -1;
  let bestChained = false;
  const end = (i: number) => cols.start[i] + Math.max(0, cols.duration[i]);
  for (const o of found.origins) {
    const at = o.path.indexOf(entry);
    if (at < 0) continue;
    let chained = true;
    for (let k = at + 1; k < o.path.length && chained; k++) chained = carriesFailure(cols, o.path[k], o.path[k - 1]);
    if (best < 0 || (chained && !bestChained) || (chained === bestChained && end(o.span) >= end(best))) {
      best = o.span;
      bestChained = chained;
    }
  }
  return best < 0 ? entry : best;
}
