// From an SLO to the traces behind its numbers: the trace search (core/analysis/trace-query.ts)
// that finds the bad events of a window. An event is a span of the SLO's service and operation;
// it is bad when in error (availability) or slower than the threshold (latency, and the slices of
// latency-percentile, which are bad because of such spans).
//
//   availability of checkout "POST /checkout", window 10:10–10:20
//     → service=checkout operation="POST /checkout" error=true from=… to=…

import type { SloDefinition } from './slo.ts';
import type { TermBody } from './trace-query.ts';

/** Terms of the search for the SLO's bad events among traces starting in [fromNs, toNs) (epoch ns). */
export function sloBadTraceTerms(def: SloDefinition, fromNs: string, toNs: string): TermBody[] {
  const terms: TermBody[] = [{ kind: 'field', field: 'service', op: '=', value: def.service }];
  if (def.operation !== null) terms.push({ kind: 'field', field: 'operation', op: '=', value: def.operation });
  terms.push(def.indicator.kind === 'availability' ? { kind: 'error', value: true } : { kind: 'duration', of: 'span', op: '>', ns: def.indicator.thresholdNs });
  terms.push({ kind: 'time', bound: 'from', text: fromNs, at: { ns: fromNs } }, { kind: 'time', bound: 'to', text: toNs, at: { ns: toNs } });
  return terms;
}
