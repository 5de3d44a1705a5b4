// PromQL over the metrics the OpenTelemetry Collector's spanmetrics connector writes
// (https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/main/connector/spanmetricsconnector):
// with its default namespace `traces.span.metrics` and duration unit `ms`, a Prometheus exporter
// names them `traces_span_metrics_calls_total` and `traces_span_metrics_duration_milliseconds`
// (`_bucket` with `le` in milliseconds, `_count`), labelled `service_name`, `span_name`,
// `span_kind` (SPAN_KIND_SERVER, …) and `status_code` (STATUS_CODE_ERROR on spans in error).
// SLO files written with these queries deploy as written on a Prometheus fed by the connector;
// the same readers recognise them when such a file is imported back, so one definition maps to
// one set of queries both ways (OpenSLO and Sloth share this module).
//
// A latency threshold needs a histogram bucket boundary at exactly that value (`le`): the
// connector's default buckets are 2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000,
// 10000 and 15000 ms; `spanmetricsBucketNote` says when a threshold needs one added.

import type { SloDefinition } from './slo.ts';
import { roundFraction } from './slo.ts';

export const SPANMETRICS_CALLS = 'traces_span_metrics_calls_total';
export const SPANMETRICS_DURATION = 'traces_span_metrics_duration_milliseconds';
export const SPANMETRICS_PREFIX = 'traces_span_metrics_';
export const SPANMETRICS_ERROR_STATUS = 'STATUS_CODE_ERROR';
/** The connector's default explicit buckets, in milliseconds. */
export const SPANMETRICS_DEFAULT_BUCKETS_MS: readonly number[] = [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10000, 15000];
/** Spans that enter a service, for an SLO over every operation of it (operation null). */
const ENTRY_KINDS = 'SPAN_KIND_SERVER|SPAN_KIND_CONSUMER';

export function promString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function unPromString(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** The label matchers of a definition's spans, plus `extra` matchers (each starting with a comma). */
export function spanmetricsSelector(d: Pick<SloDefinition, 'service' | 'operation'>, extra = ''): string {
  const parts = [`service_name=${promString(d.service)}`];
  parts.push(d.operation !== null ? `span_name=${promString(d.operation)}` : `span_kind=~"${ENTRY_KINDS}"`);
  return `{${parts.join(',')}${extra}}`;
}

/** A threshold as the `le` label value: milliseconds, exact to the nanosecond. */
export function bucketLe(thresholdNs: number): number {
  return roundFraction(thresholdNs / 1e6, 6);
}

export interface SpanmetricsQueries {
  /** Bad events (errors, or requests over the threshold) per second. */
  bad: string;
  /** Good events per second. */
  good: string;
  total: string;
}

/**
 * Event queries of an occurrence-based definition (availability, or latency as a threshold).
 * `range` is the rate window as PromQL writes it (`5m`, or Sloth's `{{.window}}`).
 */
export function spanmetricsEventQueries(d: SloDefinition, range: string): SpanmetricsQueries {
  const ind = d.indicator;
  if (ind.kind === 'availability') {
    return {
      bad: `sum(rate(${SPANMETRICS_CALLS}${spanmetricsSelector(d, `,status_code="${SPANMETRICS_ERROR_STATUS}"`)}[${range}]))`,
      good: `sum(rate(${SPANMETRICS_CALLS}${spanmetricsSelector(d, `,status_code!="${SPANMETRICS_ERROR_STATUS}"`)}[${range}]))`,
      total: `sum(rate(${SPANMETRICS_CALLS}${spanmetricsSelector(d)}[${range}]))`,
    };
  }
  const good = `sum(rate(${SPANMETRICS_DURATION}_bucket${spanmetricsSelector(d, `,le="${bucketLe(ind.thresholdNs)}"`)}[${range}]))`;
  const total = `sum(rate(${SPANMETRICS_DURATION}_count${spanmetricsSelector(d)}[${range}]))`;
  return { bad: `(${total} - ${good})`, good, total };
}

/** The windowed percentile of a time-slice definition, in milliseconds (the connector's unit). */
export function spanmetricsQuantileQuery(d: SloDefinition, percentile: number, range: string): string {
  return `histogram_quantile(${percentile}, sum by (le) (rate(${SPANMETRICS_DURATION}_bucket${spanmetricsSelector(d)}[${range}])))`;
}

export function isSpanmetricsQuery(q: unknown): q is string {
  return typeof q === 'string' && q.includes(SPANMETRICS_PREFIX);
}

/** A label's value in a query (the first matcher `name="…"`), or null. */
export function queryLabel(query: string, name: string): string | null {
  const m = new RegExp(`\\b${name}="((?:[^"\\\\]|\\\\.)*)"`).exec(query);
  return m ? unPromString(m[1]) : null;
}

/** What a spanmetrics query says back: service, operation, threshold (ns), percentile, rate window. */
export interface SpanmetricsReading {
  service: string | null;
  operation: string | null;
  thresholdNs: number | null;
  percentile: number | null;
  range: string | null;
}

export function readSpanmetricsQuery(q: string): SpanmetricsReading {
  const le = queryLabel(q, 'le');
  const quant = /histogram_quantile\(\s*([0-9.]+)\s*,/.exec(q);
  const range = /\[([^\]]+)\]/.exec(q);
  return {
    service: queryLabel(q, 'service_name'),
    operation: queryLabel(q, 'span_name'),
    thresholdNs: le !== null && Number.isFinite(Number(le)) ? Math.round(Number(le) * 1e6) : null,
    percentile: quant ? Number(quant[1]) : null,
    range: range ? range[1] : null,
  };
}

/** Words for a description when a threshold is not one of the connector's default buckets. */
export function spanmetricsBucketNote(thresholdNs: number): string | null {
  const le = bucketLe(thresholdNs);
  return SPANMETRICS_DEFAULT_BUCKETS_MS.includes(le) ? null : `needs a spanmetrics histogram bucket at ${le}ms`;
}
