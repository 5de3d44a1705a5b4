// Measures of a built trace tree (tree.ts): how many spans each subtree holds and how much of each
// span's time is its own. Both are single sweeps over the tree's arrays, never recursive.

import type { TraceTree } from './tree.ts';

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
export function selfTimes(tree: Pick<TraceTree, 'size' | 'childStart' | 'childList'>, start: ArrayLike<number>, duration: ArrayLike<number>): Float64Array {
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
