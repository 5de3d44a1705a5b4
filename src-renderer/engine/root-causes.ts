// Root causes across traces: each failing request of the cohort (a trace's root, or an entry span
// of the operation asked for), the error origin it failed on, grouped (core/analysis/root-causes.ts).
// Reads only traces with a span in error, each through the one trace reader. Who to page
// (engine/page.ts) counts the same items.

import type { Store } from '../store/store.ts';
import { failingTraceIds } from '../store/queries.ts';
import { traceSpans } from '../store/trace-spans.ts';
import { operationCatalog } from '../store/operations.ts';
import { buildTraceTreeFromColumns } from '../core/model/tree.ts';
import { spanOperations, type OperationCatalog } from '../core/analysis/operations.ts';
import { entryRootCause } from '../core/analysis/error-origins.ts';
import { groupRootCauses, type RootCauseItem } from '../core/analysis/root-causes.ts';
import { traceOrigins } from './error-origins.ts';
import { errorMessage } from '../core/analysis/error-path.ts';
import type { RootCauseFilter, RootCausesView } from './wire/root-causes.ts';

/** The failing requests of one trace (outermost entries in error), each with the origin it failed on. */
function traceItems(store: Store, catalog: OperationCatalog, traceId: string, filter: RootCauseFilter): RootCauseItem[] {
  const cols = traceSpans(store, traceId);
  if (!cols) return [];
  const tree = buildTraceTreeFromColumns(cols);
  const spans = Object.assign(cols, spanOperations({ opId: cols.opId ?? new Int32Array(cols.start.length).fill(-1), name: cols.name, service: cols.service, kind: cols.kind }, tree, catalog));
  const isEntry = (i: number) =>
    filter.service === undefined ? spans.parentSpanId[i] === null || tree.parent[i] < 0 : spans.node[i] === filter.service && spans.operation[i] === filter.operation;
  const entries: number[] = [];
  for (let k = 0; k < tree.order.length; k++) {
    const i = tree.order[k];
    if (!isEntry(i) || !spans.isError[i]) continue;
    // Outermost only: an entry inside another is part of that request.
    let up = tree.parent[i];
    while (up >= 0 && !isEntry(up)) up = tree.parent[up];
    if (up < 0) entries.push(i);
  }
  if (entries.length === 0) return [];
  const words = traceOrigins(store, spans, tree);
  const found = words.found;
  return entries.map((e) => {
    const rc = entryRootCause(spans, found, e);
    const o = words.origins.find((x) => x.span === rc);
    const exceptionType = (o ? o.exceptions : (words.errSpans[rc]?.exceptions ?? [])).find((x) => x.type)?.type;
    return { traceId, node: spans.node[rc], operation: spans.operation[rc], message: o ? o.message : errorMessage(words.errSpans[rc] ?? {}), exceptionType, spanService: spans.service[rc] };
  });
}

/** Every failing request of the cohort with the origin it failed on. */
export function rootCauseItems(store: Store, filter: RootCauseFilter): { failing: number; items: RootCauseItem[] } {
  if ((filter.service === undefined) !== (filter.operation === undefined)) throw new Error('root causes of an operation need both its service and its operation');
  const catalog = operationCatalog(store);
  const items: RootCauseItem[] = [];
  for (const traceId of failingTraceIds(store, filter)) items.push(...traceItems(store, catalog, traceId, filter));
  return { failing: items.length, items };
}

export function rootCausesView(store: Store, filter: RootCauseFilter): RootCausesView {
  const t0 = performance.now();
  const { failing, items } = rootCauseItems(store, filter);
  return { filter, failing, groups: groupRootCauses(items), timingsMs: performance.now() - t0 };
}
