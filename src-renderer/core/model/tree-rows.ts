// Which spans are rows of the waterfall: the tree's pre-order, less the subtrees of collapsed
// spans, optionally only spans that pass a filter (e.g. on the critical path). Pure and iterative:
// a collapsed span's subtree is one run in the pre-order, skipped in one step.

export interface TreeShape {
  order: Int32Array;
  depth: Int32Array;
  parent: Int32Array;
  /** Subtree size per span, itself included. */
  subtree: Int32Array;
}

/** Span indexes in row order. `keep`, when given, hides spans whose entry is 0 (not their subtrees). */
export function visibleRows(shape: TreeShape, collapsed: ReadonlySet<number>, keep: Uint8Array | null = null): Int32Array {
  const n = shape.order.length;
  const out = new Int32Array(n);
  let m = 0;
  for (let k = 0; k < n; ) {
    const i = shape.order[k];
    if (keep === null || keep[i] === 1) out[m++] = i;
    k += collapsed.has(i) ? shape.subtree[i] : 1;
  }
  return out.slice(0, m);
}

/** Collapse every span at `depth` that has children: rows show depths 0..depth. */
export function collapseToDepth(shape: TreeShape, depth: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < shape.depth.length; i++) if (shape.depth[i] === depth && shape.subtree[i] > 1) out.add(i);
  return out;
}

/** Collapse every span with children: only the roots stay. */
export function collapseAll(shape: TreeShape): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < shape.subtree.length; i++) if (shape.subtree[i] > 1) out.add(i);
  return out;
}

/** The collapsed set with every ancestor of span i expanded, so that i is a row. */
export function revealSpan(shape: TreeShape, collapsed: ReadonlySet<number>, i: number): Set<number> {
  const out = new Set(collapsed);
  for (let p = shape.parent[i]; p >= 0; p = shape.parent[p]) out.delete(p);
  return out;
}

/** Row index of each span, -1 when it is not a row. */
export function rowIndex(rows: Int32Array, spanCount: number): Int32Array {
  const out = new Int32Array(spanCount).fill(-1);
  for (let r = 0; r < rows.length; r++) out[rows[r]] = r;
  return out;
}

/**
 * Where each span stands among its siblings (the children of its parent, or the roots): its place
 * from 1 and their number, for a tree's aria-posinset and aria-setsize, which a screen reader
 * needs when only some of the rows are drawn (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/).
 */
export function siblingPlaces(shape: Pick<TreeShape, 'order' | 'parent'>): { posInSet: Int32Array; setSize: Int32Array } {
  const n = shape.order.length;
  const posInSet = new Int32Array(n);
  const setSize = new Int32Array(n);
  // Children counted per parent; the roots in the slot after the last span.
  const seen = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) {
    const i = shape.order[k];
    const p = shape.parent[i] < 0 ? n : shape.parent[i];
    posInSet[i] = ++seen[p];
  }
  for (let i = 0; i < n; i++) setSize[i] = seen[shape.parent[i] < 0 ? n : shape.parent[i]];
  return { posInSet, setSize };
}
