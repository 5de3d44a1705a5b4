// Operation keys and operation paths, numbered once across many traces so that aggregates add
// numbers instead of strings.
//
// A key is a (node, operation) pair: the node is the service a span belongs to (or the database,
// cache or host it calls), the operation its grouped name. A path is the chain of keys from a
// request's entry span down to a span, following parent links:
//
//   frontend POST /checkout                     path 1 = [1]
//   └ checkout POST /order                      path 2 = [1, 2]
//     └ postgres INSERT INTO orders             path 3 = [1, 2, 3]
//     └ postgres INSERT INTO orders (a retry)   path 3 again: same chain of keys
//
// Path 0 is the empty path above every entry. Paths are what a flame graph stacks and what two
// traces are aligned by.

/** (node, operation) pairs, each numbered once. */
export class OperationKeys {
  readonly node: string[] = [];
  readonly operation: string[] = [];
  private readonly ids = new Map<string, Map<string, number>>();

  id(node: string, operation: string): number {
    let ops = this.ids.get(node);
    if (!ops) this.ids.set(node, (ops = new Map()));
    let id = ops.get(operation);
    if (id === undefined) {
      id = this.node.length;
      this.node.push(node);
      this.operation.push(operation);
      ops.set(operation, id);
    }
    return id;
  }

  get size(): number {
    return this.node.length;
  }
}

/** Chains of keys from an entry down, each numbered once; path 0 is the empty chain. */
export class OperationPaths {
  /** Per path: the path it extends (-1 for path 0) and its last key (-1 for path 0). */
  readonly parent: number[] = [-1];
  readonly key: number[] = [-1];
  readonly depth: number[] = [0];
  private readonly children: Map<number, number>[] = [new Map()];

  /** The path `parent` extended by `key`. */
  child(parent: number, key: number): number {
    const kids = this.children[parent];
    let id = kids.get(key);
    if (id === undefined) {
      id = this.parent.length;
      this.parent.push(parent);
      this.key.push(key);
      this.depth.push(this.depth[parent] + 1);
      this.children.push(new Map());
      kids.set(key, id);
    }
    return id;
  }

  get size(): number {
    return this.parent.length;
  }

  /** The keys of a path, from the entry down. */
  keysOf(path: number): number[] {
    const out: number[] = [];
    for (let p = path; p > 0; p = this.parent[p]) out.push(this.key[p]);
    return out.reverse();
  }
}

/**
 * The path of span `i` of one trace, whose spans' parents are `parent` (-1 above the entry) and
 * keys `key`; `memo` (filled with -1 for a new trace) keeps each span's path so that a trace costs
 * one step per span however many spans are asked. Iterative: a 100,000-deep chain is fine.
 */
export function spanPath(paths: OperationPaths, i: number, parent: ArrayLike<number>, key: ArrayLike<number>, memo: Int32Array): number {
  if (memo[i] >= 0) return memo[i];
  const chain: number[] = [];
  let j = i;
  while (j !== -1 && memo[j] < 0) {
    chain.push(j);
    j = parent[j];
  }
  let p = j === -1 ? 0 : memo[j];
  for (let k = chain.length - 1; k >= 0; k--) {
    p = paths.child(p, key[chain[k]]);
    memo[chain[k]] = p;
  }
  return p;
}
