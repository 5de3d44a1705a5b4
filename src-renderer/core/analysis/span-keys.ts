// A span's node and operation as the cross-trace analyses (aggregate critical path, cohort diff,
// trace compare) read them: the one place those analyses ask. Today a span's node is its service
// and its operation its name as stored.

import type { TraceTree } from '../model/tree.ts';

/** The columns nodesAndOperations reads. */
export interface KeyColumns {
  service: readonly string[];
  name: readonly string[];
}

/** Each span's node and operation, for one trace (`tree` built from the same spans). */
export function nodesAndOperations(cols: KeyColumns, tree: Pick<TraceTree, 'childStart' | 'childList'>): { node: readonly string[]; operation: readonly string[] } {
  void tree;
  return { node: cols.service, operation: cols.name };
}
