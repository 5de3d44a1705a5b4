// Two traces aligned by operation path (operation-paths.ts): spans at the same chain of
// (node, operation) from their root match, whatever their ids, times or order. Per path: how many
// spans each trace has there, their summed durations, and the difference (B − A).
//
//   A: api GET /x ─ db SELECT (30 ms)          B: api GET /x ─ db SELECT (120 ms)
//                 └ cache GET (2 ms)                         └ db SELECT (40 ms)
//
//   path                      A        B        Δ          spans
//   api GET /x                1        1                   both
//   api GET /x › db SELECT    1 30ms   2 160ms  +130 ms    1 both, 1 only in B
//   api GET /x › cache GET    1 2ms    0        −2 ms      only in A

import type { TraceTree } from '../model/tree.ts';
import { OperationKeys, OperationPaths, spanPath } from './operation-paths.ts';

/** What the comparison reads of a trace. */
export interface CompareTrace {
  /** Each span's node and grouped operation (core/analysis/operations.ts spanOperations). */
  node: readonly string[];
  operation: readonly string[];
  duration: ArrayLike<number>;
  tree: Pick<TraceTree, 'parent' | 'childStart' | 'childList' | 'order'>;
}

export interface ComparedPath {
  /** Index of the row of the path this one extends, -1 at a root. Rows are in tree pre-order. */
  parent: number;
  depth: number;
  service: string;
  operation: string;
  aCount: number;
  bCount: number;
  /** Summed durations of the path's spans, ns. */
  aNs: number;
  bNs: number;
  /** bNs − aNs. */
  deltaNs: number;
}

export interface TraceComparison {
  /** Paths in pre-order (children by largest |delta| first). */
  rows: ComparedPath[];
  /** Spans matched at the same path in both traces, and those left over in each. */
  both: number;
  onlyA: number;
  onlyB: number;
  /** Indexes of rows both traces have, largest |delta| first. */
  ranked: number[];
}

export function compareTraces(a: CompareTrace, b: CompareTrace): TraceComparison {
  const keys = new OperationKeys();
  const paths = new OperationPaths();
  const count: [number[], number[]] = [[], []];
  const ns: [number[], number[]] = [[], []];
  [a, b].forEach((t, side) => {
    const n = t.duration.length;
    const key = Int32Array.from({ length: n }, (_, i) => keys.id(t.node[i], t.operation[i]));
    const memo = new Int32Array(n).fill(-1);
    for (let k = 0; k < n; k++) {
      const i = t.tree.order[k];
      const p = spanPath(paths, i, t.tree.parent, key, memo);
      count[side][p] = (count[side][p] ?? 0) + 1;
      ns[side][p] = (ns[side][p] ?? 0) + Math.max(0, t.duration[i]);
    }
  });
  const m = paths.size;
  const delta = (p: number) => (ns[1][p] ?? 0) - (ns[0][p] ?? 0);
  const kids: number[][] = Array.from({ length: m }, () => []);
  for (let p = 1; p < m; p++) kids[paths.parent[p]].push(p);
  for (const k of kids) k.sort((x, y) => Math.abs(delta(y)) - Math.abs(delta(x)) || x - y);
  const rows: ComparedPath[] = [];
  const index = new Int32Array(m).fill(-1);
  let both = 0;
  let onlyA = 0;
  let onlyB = 0;
  const stack = kids[0].slice().reverse();
  while (stack.length > 0) {
    const p = stack.pop()!;
    const ac = count[0][p] ?? 0;
    const bc = count[1][p] ?? 0;
    both += Math.min(ac, bc);
    onlyA += Math.max(0, ac - bc);
    onlyB += Math.max(0, bc - ac);
    index[p] = rows.length;
    const key = paths.key[p];
    rows.push({
      parent: paths.parent[p] > 0 ? index[paths.parent[p]] : -1, depth: paths.depth[p] - 1, service: keys.node[key], operation: keys.operation[key],
      aCount: ac, bCount: bc, aNs: ns[0][p] ?? 0, bNs: ns[1][p] ?? 0, deltaNs: delta(p),
    });
    for (let c = kids[p].length - 1; c >= 0; c--) stack.push(kids[p][c]);
  }
  const ranked = rows.flatMap((r, i) => (r.aCount > 0 && r.bCount > 0 ? [i] : [])).sort((x, y) => Math.abs(rows[y].deltaNs) - Math.abs(rows[x].deltaNs) || x - y);
  return { rows, both, onlyA, onlyB, ranked };
}

/** A row's path from the root, as "service operation › service operation". */
export function pathNames(rows: readonly ComparedPath[], i: number): { service: string; operation: string }[] {
  const out: { service: string; operation: string }[] = [];
  for (let r = i; r !== -1; r = rows[r].parent) out.push({ service: rows[r].service, operation: rows[r].operation });
  return out.reverse();
}
