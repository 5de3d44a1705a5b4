// Two traces side by side: each read through the one trace reader (store/trace-spans.ts), its tree
// built, and the two aligned by operation path (core/analysis/trace-compare.ts).

import type { Store } from '../store/store.ts';
import { traceSpans } from '../store/trace-spans.ts';
import { buildTraceTreeFromColumns } from '../core/model/tree.ts';
import { traceDurationNs } from '../core/model/span-columns.ts';
import { compareTraces } from '../core/analysis/trace-compare.ts';
import { spanOperations } from '../core/analysis/operations.ts';
import { operationCatalog } from '../store/operations.ts';
import type { TraceCompareReply } from './wire/aggregate.ts';

export function compareTraceView(store: Store, traceA: string, traceB: string): TraceCompareReply {
  const catalog = operationCatalog(store);
  const read = (id: string) => {
    const spans = traceSpans(store, id);
    if (!spans) throw new Error(`trace ${id} is not in the workspace`);
    const tree = buildTraceTreeFromColumns(spans);
    const names = spanOperations({ opId: spans.opId ?? new Int32Array(spans.start.length).fill(-1), name: spans.name, service: spans.service, kind: spans.kind }, tree, catalog);
    return { spans, tree, names };
  };
  const a = read(traceA);
  const b = read(traceB);
  const comparison = compareTraces({ ...a.names, duration: a.spans.duration, tree: a.tree }, { ...b.names, duration: b.spans.duration, tree: b.tree });
  const summary = (t: typeof a, traceId: string) => ({
    traceId, startNs: t.spans.startNs, durationNs: traceDurationNs(t.spans), spans: t.spans.start.length,
    rootService: t.tree.roots.length > 0 ? t.spans.service[t.tree.roots[0]] : '', rootName: t.tree.roots.length > 0 ? t.spans.name[t.tree.roots[0]] : '',
  });
  return { a: summary(a, traceA), b: summary(b, traceB), comparison };
}
