// The service map and per-operation latency, from one summary built once per data version (a
// pass over every span, trace by trace: core/analysis/service-map.ts) and kept until an import
// changes the data; percentiles come from the summary's sorted durations, never from SQL sorts.

import type { Store } from '../store/store.ts';
import { scanSpansByTrace } from '../store/service-map.ts';
import { ServiceMapBuilder, serviceMapOf, operationStatsOf, type ServiceMapSummary, type ServiceMap, type OperationStats } from '../core/analysis/service-map.ts';

export class ServiceMapCache {
  private kept: { version: number; summary: ServiceMapSummary } | null = null;

  constructor(private readonly store: Store) {}

  summary(): ServiceMapSummary {
    if (this.kept?.version === this.store.dataVersion) return this.kept.summary;
    const b = new ServiceMapBuilder();
    scanSpansByTrace(this.store, b);
    this.kept = { version: this.store.dataVersion, summary: b.finish() };
    return this.kept.summary;
  }

  map(): ServiceMap {
    return serviceMapOf(this.summary());
  }

  operations(service?: string): OperationStats[] {
    return operationStatsOf(this.summary(), service);
  }
}
