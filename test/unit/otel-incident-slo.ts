// A latency SLO definition for tests: pXX ≤ T over a day, in 5-minute windows.
import type { SloDefinition } from '../../src-renderer/core/analysis/slo.ts';

export function sloDefinition(service: string, operation: string, percentile: number, thresholdNs: number): SloDefinition {
  return {
    name: 'test', service, operation, indicator: { kind: 'latency', thresholdNs }, objective: percentile, windowNs: 300e9, periodNs: 86_400e9,
  } as SloDefinition;
}
