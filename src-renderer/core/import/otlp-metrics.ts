// OTLP metrics are not imported (Tracedeck reads traces and logs), but files hold them beside
// spans and logs: the collector's file exporter on several pipelines interleaves
// ExportMetricsServiceRequest lines with trace and log lines. Their data points are counted, so
// that the report says what was left out ("metrics skipped: 12 data points") instead of
// rejecting the request. Spec: opentelemetry/proto/metrics/v1/metrics.proto: a Metric holds one
// of gauge, sum, histogram, exponentialHistogram or summary, each a list of dataPoints. The
// OTLP/protobuf reader decodes into the same shape.

/** Wire shapes (only what is counted). */
interface OtlpDataPoints {
  dataPoints?: unknown[];
}
export interface OtlpMetric {
  gauge?: OtlpDataPoints;
  sum?: OtlpDataPoints;
  histogram?: OtlpDataPoints;
  exponentialHistogram?: OtlpDataPoints;
  summary?: OtlpDataPoints;
}
export interface OtlpResourceMetrics {
  scopeMetrics?: { metrics?: OtlpMetric[] }[];
  instrumentationLibraryMetrics?: { metrics?: OtlpMetric[] }[];
}

/** The note the report shows; `{n}` is replaced by the sum of the counts (ImportSink.tally). */
export const METRICS_SKIPPED_NOTE = 'metrics skipped: {n} data points';

/** Data points of one Metric. */
export function countMetricDataPoints(m: OtlpMetric): number {
  if (typeof m !== 'object' || m === null) return 0;
  const d = m.gauge ?? m.sum ?? m.histogram ?? m.exponentialHistogram ?? m.summary;
  return Array.isArray(d?.dataPoints) ? d.dataPoints.length : 0;
}

/** Data points of one ResourceMetrics. */
export function countResourceMetricsDataPoints(rm: OtlpResourceMetrics): number {
  let n = 0;
  if (typeof rm !== 'object' || rm === null) return 0;
  for (const sm of rm.scopeMetrics ?? rm.instrumentationLibraryMetrics ?? []) for (const m of sm?.metrics ?? []) n += countMetricDataPoints(m);
  return n;
}
