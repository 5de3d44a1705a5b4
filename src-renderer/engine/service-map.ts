// The service map and per-operation latency, from one summary made once per data version and
// kept until an import, or a grouping undone or restored, changes what it reads. It is made from
// the durations the store keeps per operation row and edge, summed at import (store/map-summary.ts),
// or, while a grouping is undone (its spans go by raw names, which those cannot split), from each
// trace's columns kept at import (store/span-trees.ts: parents found, operations by op_id).
// Percentiles come from the summary's sorted durations, never from SQL sorts. Spans go by their grouped
// operation and their peer (the database, cache or host they call), as every aggregate does
// (core/analysis/operations.ts). Raw names are read only for the spans that go by them.

import type { Store } from '../store/store.ts';
import { eachSpanTree, spanNames, spanRowsNamed } from '../store/span-trees.ts';
import { operationCatalog } from '../store/operations.ts';
import { FLAG_SHIFT } from '../core/model/span-codes.ts';
import { keptMap } from '../store/map-summary.ts';
import { ServiceMapBuilder, summaryFromKept, serviceMapOf, operationStatsOf, type ServiceMapSummary, type ServiceMap, type OperationStats } from '../core/analysis/service-map.ts';

/** The summary from every trace's columns (any grouping), raw names read only for the spans that go by them. */
export function summaryFromSpanTrees(store: Store): ServiceMapSummary {
  const catalog = operationCatalog(store);
  const b = new ServiceMapBuilder(catalog);
  const named = spanNames(store, spanRowsNamed(store, [...catalog.ungrouped]));
  eachSpanTree(store, null, (t) => {
    b.addResolved({
      parent: t.parent, opId: t.opId, duration: t.duration,
      isError: (i) => ((t.flags[i] >> FLAG_SHIFT.isError) & 1) === 1,
      raw: (i) => named.get(t.spanRow[i]) ?? { name: '', service: '' },
    });
  });
  return b.finish();
}

export class ServiceMapCache {
  private kept: { version: string; summary: ServiceMapSummary } | null = null;

  constructor(private readonly store: Store) {}

  summary(): ServiceMapSummary {
    const version = `${this.store.dataVersion}:${this.store.operationsVersion}`;
    if (this.kept?.version !== version) {
      const catalog = operationCatalog(this.store);
      const kept = catalog.ungrouped.size === 0 ? keptMap(this.store) : null;
      this.kept = { version, summary: kept ? summaryFromKept(kept.ops, kept.edges, catalog) : summaryFromSpanTrees(this.store) };
    }
    return this.kept.summary;
  }

  map(): ServiceMap {
    return serviceMapOf(this.summary());
  }

  operations(service?: string): OperationStats[] {
    return operationStatsOf(this.summary(), service);
  }
}
