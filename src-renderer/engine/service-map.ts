// The service map and per-operation latency, from one summary built once per data version (a
// pass over every span, trace by trace: core/analysis/service-map.ts) and kept until an import,
// or a grouping undone or restored, changes what it reads; percentiles come from the summary's
// sorted durations, never from SQL sorts. Spans go by their grouped operation and their peer (the
// database, cache or host they call), as every aggregate does (core/analysis/operations.ts).

import type { Store } from '../store/store.ts';
import { scanSpansByTrace } from '../store/service-map.ts';
import { operationCatalog } from '../store/operations.ts';
import { groupName } from '../core/model/operation.ts';
import { ServiceMapBuilder, serviceMapOf, operationStatsOf, type ServiceMapSummary, type ServiceMap, type OperationStats } from '../core/analysis/service-map.ts';

export class ServiceMapCache {
  private kept: { version: string; summary: ServiceMapSummary } | null = null;

  constructor(private readonly store: Store) {}

  summary(): ServiceMapSummary {
    const version = `${this.store.dataVersion}:${this.store.operationsVersion}`;
    if (this.kept?.version === version) return this.kept.summary;
    const b = new ServiceMapBuilder();
    const catalog = operationCatalog(this.store);
    scanSpansByTrace(this.store, {
      add(traceNo, spanId, parentSpanId, service, name, durationNs, isError, opId) {
        const known = opId >= 0 && catalog.operation[opId] !== undefined;
        const operation = !known ? groupName(name) : catalog.ungrouped.has(opId) ? name : catalog.operation[opId];
        b.add(traceNo, spanId, parentSpanId, service, operation, durationNs, isError, known ? catalog.peer[opId] : '');
      },
    });
    this.kept = { version, summary: b.finish() };
    return this.kept.summary;
  }

  map(): ServiceMap {
    return serviceMapOf(this.summary());
  }

  operations(service?: string): OperationStats[] {
    return operationStatsOf(this.summary(), service);
  }
}
