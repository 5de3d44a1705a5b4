// OpenSLO v1 import and export (https://github.com/OpenSLO/OpenSLO, README "SLO", "SLI",
// "Objectives"). Supported: kind SLO with an inline indicator (thresholdMetric or ratioMetric),
// one rolling or calendar timeWindow, budgetingMethod Occurrences | Timeslices | RatioTimeslices,
// objectives with target or targetPercent, op/value, timeSliceTarget/timeSliceWindow; metadata
// labels `owner` / `team`. Indicators we write are Prometheus queries over the OpenTelemetry
// Collector's spanmetrics connector (spanmetrics.ts), so a team can deploy the file as written,
// and they import back exactly: an occurrence SLO as a ratioMetric (latency: requests in the
// threshold's bucket over all requests; availability: spans not in error over all spans), a
// time-slice SLO as a thresholdMetric on the windowed `histogram_quantile` with its value in
// milliseconds (the connector's unit), budgeted in Timeslices. What spanmetrics cannot say (an
// error rule beyond the span status) rides in the annotation `tracedeck.dev/error-rule`. Files
// written with the older `metricSource.type: Tracedeck` still read. Foreign indicators (other
// Prometheus, Datadog queries) cannot run on traces: the SLO imports with the spec's service,
// every entry span of it, and a warning. Ignored but kept for export: alertPolicies,
// objectives after the first, indicatorRef, other kinds (Service, SLI, DataSource…).
// Round trip: whatever was read is written back; only the fields we model are rewritten.

import { parseAllDocuments, stringify } from 'yaml';
import {
  type SloDefinition, type ErrorRule, DEFAULT_ERROR_RULE, DAY_NS, MINUTE_NS, roundFraction, percentToFraction, fractionToPercent,
  formatShortDuration,
} from './slo.ts';
import { spanmetricsEventQueries, spanmetricsQuantileQuery, isSpanmetricsQuery, readSpanmetricsQuery, bucketLe } from './spanmetrics.ts';

type Obj = Record<string, unknown>;

export interface ImportedSlo {
  /** `kind` of the document (SLO, Service, …). */
  kind: string;
  /** What Tracedeck can evaluate; null when the document is not an SLO or cannot be mapped. */
  definition: SloDefinition | null;
  warnings: string[];
  /** The document as read, kept so an export writes back what it does not model. */
  source: Obj;
}

/** The period assumed when a document names none (the SRE Workbook's 30 days). */
export const DEFAULT_PERIOD_NS = 30 * DAY_NS;

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3_600e9, d: DAY_NS, w: 7 * DAY_NS, M: 30 * DAY_NS, Q: 90 * DAY_NS, Y: 365 * DAY_NS };

/** OpenSLO duration shorthand ("5m", "28d", "1M"); a bare number is minutes (timeSliceWindow). */
export function parseOpenSloDuration(v: unknown, warnings: string[]): number | null {
  if (typeof v === 'number') return v * MINUTE_NS;
  if (typeof v !== 'string') return null;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ns|us|ms|s|m|h|d|w|M|Q|Y)\s*$/.exec(v);
  if (!m) return null;
  if ('MQY'.includes(m[2])) warnings.push(`duration "${v}" is calendar based; read as ${m[2] === 'M' ? 30 : m[2] === 'Q' ? 90 : 365} d per unit`);
  return Math.round(Number(m[1]) * UNIT_NS[m[2]]);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function ownerOf(labels: unknown): string | undefined {
  if (!isObj(labels)) return undefined;
  for (const k of ['owner', 'team']) {
    const v = labels[k];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  }
  return undefined;
}

/** Seconds per unit of a Tracedeck threshold value; foreign values are read as milliseconds (their examples' convention). */
function unitNs(spec: Obj | null, warnings: string[]): number {
  const u = spec ? str(spec.unit) : undefined;
  if (u && u in UNIT_NS) return UNIT_NS[u];
  warnings.push('threshold value has no unit; read as milliseconds');
  return 1e6;
}

export const ERROR_RULE_ANNOTATION = 'tracedeck.dev/error-rule';

/**
 * What one of our metric sources says, in the shape of the older `type: Tracedeck` spec
 * (service, operation, unit, window, threshold): from that spec, or read back from a
 * spanmetrics Prometheus query. Null for a foreign source.
 */
function tracedeckSpec(metricSource: unknown): Obj | null {
  if (!isObj(metricSource) || !isObj(metricSource.spec)) return null;
  if (metricSource.type === 'Tracedeck') return metricSource.spec;
  const query = metricSource.spec.query;
  if (metricSource.type !== 'Prometheus' || !isSpanmetricsQuery(query)) return null;
  const r = readSpanmetricsQuery(query);
  if (r.service === null) return null;
  const out: Obj = { service: r.service, unit: 'ms' };
  if (r.operation !== null) out.operation = r.operation;
  if (r.range !== null) out.window = r.range;
  if (r.thresholdNs !== null) out.thresholdNs = r.thresholdNs;
  return out;
}

/** "status,error-tag,http>=500": the parts of an error rule, as the annotation writes them. */
function errorRuleText(r: ErrorRule): string {
  return [r.statusError ? 'status' : '', r.errorTag ? 'error-tag' : '', r.httpStatusMin !== null ? `http>=${r.httpStatusMin}` : ''].filter(Boolean).join(',') || 'none';
}

function errorRuleFromText(v: unknown): ErrorRule | null {
  if (typeof v !== 'string') return null;
  const parts = v.split(',').map((p) => p.trim());
  const http = parts.map((p) => /^http>=([0-9]+)$/.exec(p)).find((m) => m !== null);
  return { statusError: parts.includes('status'), errorTag: parts.includes('error-tag'), httpStatusMin: http ? Number(http[1]) : null };
}

function errorRuleOf(v: unknown): ErrorRule {
  if (!isObj(v)) return DEFAULT_ERROR_RULE;
  return {
    statusError: v.statusError !== false,
    errorTag: v.errorTag !== false,
    httpStatusMin: typeof v.httpStatusMin === 'number' ? v.httpStatusMin : v.httpStatusMin === null ? null : 500,
  };
}

function mapSlo(doc: Obj, warnings: string[]): SloDefinition | null {
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  const spec = isObj(doc.spec) ? doc.spec : {};
  const name = str(meta.name) ?? 'slo';
  const indicator = isObj(spec.indicator) && isObj(spec.indicator.spec) ? spec.indicator.spec : null;
  if (!indicator) {
    warnings.push(spec.indicatorRef ? `indicatorRef "${String(spec.indicatorRef)}": the SLI is defined elsewhere` : 'no indicator');
    return null;
  }
  const objectives = Array.isArray(spec.objectives) ? spec.objectives.filter(isObj) : [];
  const obj = objectives[0];
  if (!obj) {
    warnings.push('no objectives');
    return null;
  }
  if (objectives.length > 1) warnings.push(`${objectives.length} objectives; the first ("${str(obj.displayName) ?? ''}") is evaluated`);
  const target = typeof obj.target === 'number' ? obj.target : typeof obj.targetPercent === 'number' ? percentToFraction(obj.targetPercent) : null;
  if (target === null) {
    warnings.push('objective has neither target nor targetPercent');
    return null;
  }
  const tw = Array.isArray(spec.timeWindow) && isObj(spec.timeWindow[0]) ? spec.timeWindow[0] : null;
  let periodNs = tw ? parseOpenSloDuration(tw.duration, warnings) : null;
  if (periodNs === null) {
    warnings.push('no readable timeWindow; a 30 d rolling period is assumed');
    periodNs = DEFAULT_PERIOD_NS;
  }
  const method = str(spec.budgetingMethod) ?? 'Occurrences';
  const sliceWindow = obj.timeSliceWindow !== undefined ? parseOpenSloDuration(obj.timeSliceWindow, warnings) : null;
  let td: Obj | null = null;
  let ind: SloDefinition['indicator'];
  if (isObj(indicator.thresholdMetric)) {
    td = tracedeckSpec(indicator.thresholdMetric.metricSource);
    const op = str(obj.op) ?? 'lte';
    if (op !== 'lte' && op !== 'lt') {
      warnings.push(`op "${op}": only lte/lt latency thresholds can be evaluated`);
      return null;
    }
    if (typeof obj.value !== 'number') {
      warnings.push('thresholdMetric objective has no numeric value');
      return null;
    }
    // Durations are whole nanoseconds, so "< T" is exactly "≤ T − 1 ns".
    const thresholdNs = Math.round(obj.value * unitNs(td, warnings)) - (op === 'lt' ? 1 : 0);
    const quantile = isObj(indicator.thresholdMetric.metricSource) && isObj(indicator.thresholdMetric.metricSource.spec)
      ? readSpanmetricsQuery(String(indicator.thresholdMetric.metricSource.spec.query ?? '')).percentile : null;
    if (method === 'Occurrences') ind = { kind: 'latency', thresholdNs };
    else ind = { kind: 'latency-percentile', thresholdNs, percentile: quantile ?? (typeof obj.timeSliceTarget === 'number' ? obj.timeSliceTarget : 1) };
  } else if (isObj(indicator.ratioMetric)) {
    const rm = indicator.ratioMetric;
    td = tracedeckSpec(isObj(rm.good) ? rm.good.metricSource : isObj(rm.bad) ? rm.bad.metricSource : null);
    const thresholdNs = typeof td?.thresholdNs === 'number' ? td.thresholdNs : null;
    // Requests under a histogram bucket over all requests: a latency threshold counted by occurrences.
    if (thresholdNs !== null) ind = { kind: 'latency', thresholdNs };
    else ind = { kind: 'availability', errorRule: errorRuleFromText(isObj(meta.annotations) ? meta.annotations[ERROR_RULE_ANNOTATION] : undefined) ?? errorRuleOf(td?.errorRule) };
    if (method !== 'Occurrences') warnings.push(`${method} ratio SLO evaluated by occurrences`);
  } else {
    warnings.push('indicator has neither thresholdMetric nor ratioMetric');
    return null;
  }
  if (!td) warnings.push(`indicator reads an external metric source; evaluated on the spans entering service "${str(spec.service) ?? name}"`);
  const windowNs = sliceWindow ?? parseOpenSloDuration(td?.window, warnings) ?? 5 * MINUTE_NS;
  const def: SloDefinition = {
    name,
    service: str(td?.service) ?? str(spec.service) ?? name,
    operation: str(td?.operation) ?? null,
    indicator: ind,
    objective: roundFraction(target),
    windowNs,
    periodNs,
  };
  if (str(meta.displayName) !== undefined) def.displayName = str(meta.displayName);
  if (str(spec.description) !== undefined) def.description = str(spec.description);
  const owner = ownerOf(meta.labels);
  if (owner !== undefined) def.owner = owner;
  return def;
}

/** Read every document of an OpenSLO file. Throws only on YAML syntax errors (with line numbers). */
export function parseOpenSlo(text: string): ImportedSlo[] {
  const out: ImportedSlo[] = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length > 0) {
      const e = d.errors[0];
      throw new Error(`OpenSLO YAML, line ${e.linePos?.[0].line ?? '?'}: ${e.message}`);
    }
    const doc = d.toJS() as unknown;
    if (!isObj(doc)) continue;
    const kind = str(doc.kind) ?? '';
    const warnings: string[] = [];
    if (doc.apiVersion !== 'openslo/v1') warnings.push(`apiVersion "${String(doc.apiVersion)}" is not openslo/v1; read as v1`);
    out.push({ kind, definition: kind === 'SLO' ? mapSlo(doc, warnings) : null, warnings, source: doc });
  }
  return out;
}

/** A duration written back as the source wrote it when unchanged, else as shorthand. */
function durationText(ns: number, previous: unknown): unknown {
  const scratch: string[] = [];
  if (previous !== undefined && parseOpenSloDuration(previous, scratch) === ns) return previous;
  return formatShortDuration(ns);
}

function prometheus(query: string): Obj {
  return { metricSource: { type: 'Prometheus', spec: { query } } };
}

/** The deployable indicator of a definition: PromQL over the spanmetrics connector's metrics. */
function spanmetricsIndicator(d: SloDefinition): Obj {
  const range = formatShortDuration(d.windowNs);
  const ind = d.indicator;
  if (ind.kind === 'latency-percentile') return { thresholdMetric: prometheus(spanmetricsQuantileQuery(d, ind.percentile, range)) };
  const q = spanmetricsEventQueries(d, range);
  return { ratioMetric: { counter: false, good: prometheus(q.good), total: prometheus(q.total) } };
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Build (or update, keeping what is not modelled) the OpenSLO document of a definition. */
export function sloToOpenSloDoc(d: SloDefinition, source?: Obj): Obj {
  const doc: Obj = source ? clone(source) : { apiVersion: 'openslo/v1', kind: 'SLO' };
  const meta: Obj = isObj(doc.metadata) ? doc.metadata : {};
  meta.name = d.name;
  if (d.displayName !== undefined) meta.displayName = d.displayName;
  if (d.owner !== undefined && ownerOf(meta.labels) !== d.owner) meta.labels = { ...(isObj(meta.labels) ? meta.labels : {}), owner: d.owner };
  doc.metadata = meta;
  const spec: Obj = isObj(doc.spec) ? doc.spec : {};
  if (d.description !== undefined) spec.description = d.description;
  const prevIndicator = isObj(spec.indicator) && isObj(spec.indicator.spec) ? spec.indicator.spec : null;
  const foreign = prevIndicator !== null && mapsForeign(prevIndicator);
  if (!foreign) spec.service = d.service;
  if (!foreign) {
    const prevMeta = isObj(spec.indicator) && isObj(spec.indicator.metadata) ? spec.indicator.metadata : { name: `${d.name}-sli`.slice(0, 63) };
    spec.indicator = { metadata: prevMeta, spec: spanmetricsIndicator(d) };
    const annotations: Obj = isObj(meta.annotations) ? meta.annotations : {};
    if (d.indicator.kind === 'availability') annotations[ERROR_RULE_ANNOTATION] = errorRuleText(d.indicator.errorRule);
    else delete annotations[ERROR_RULE_ANNOTATION];
    if (Object.keys(annotations).length > 0) meta.annotations = annotations;
    else delete meta.annotations;
  }
  // A source without a time window was read as the 30-day default: leave it without one.
  if (!(source && spec.timeWindow === undefined && d.periodNs === DEFAULT_PERIOD_NS)) {
    const tw = Array.isArray(spec.timeWindow) && isObj(spec.timeWindow[0]) ? spec.timeWindow : [{ isRolling: true }];
    (tw[0] as Obj).duration = durationText(d.periodNs, (tw[0] as Obj).duration);
    spec.timeWindow = tw;
  }
  const timeslices = d.indicator.kind === 'latency-percentile';
  const method = str(spec.budgetingMethod);
  // A foreign ratio SLO budgeted in slices is evaluated by occurrences here, but keeps its method.
  const keep = d.indicator.kind === 'availability' && foreign && (method === 'Timeslices' || method === 'RatioTimeslices');
  const implicit = source && method === undefined && !timeslices; // Occurrences was assumed
  if (!keep && !implicit) spec.budgetingMethod = timeslices ? 'Timeslices' : 'Occurrences';
  const objectives = Array.isArray(spec.objectives) && isObj(spec.objectives[0]) ? spec.objectives : [{}];
  const o = objectives[0] as Obj;
  if (typeof o.targetPercent === 'number' && o.target === undefined) o.targetPercent = fractionToPercent(d.objective);
  else o.target = d.objective;
  const ind = d.indicator;
  if (ind.kind === 'latency-percentile' || (ind.kind === 'latency' && foreign)) {
    // Foreign thresholds were read as milliseconds; ours are the spanmetrics histogram's milliseconds.
    const lt = o.op === 'lt';
    o.op = lt ? 'lt' : 'lte';
    o.value = bucketLe(ind.thresholdNs + (lt ? 1 : 0));
  } else if (!foreign) {
    // A ratio of requests: the threshold is the bucket in the query, not an objective value.
    delete o.op;
    delete o.value;
  }
  if (ind.kind === 'latency-percentile') o.timeSliceTarget = ind.percentile;
  if (timeslices || o.timeSliceWindow !== undefined) o.timeSliceWindow = durationText(d.windowNs, o.timeSliceWindow);
  spec.objectives = objectives;
  doc.spec = spec;
  return doc;
}

function mapsForeign(indicatorSpec: Obj): boolean {
  const tm = indicatorSpec.thresholdMetric;
  if (isObj(tm)) return tracedeckSpec(tm.metricSource) === null;
  const rm = indicatorSpec.ratioMetric;
  if (isObj(rm)) return tracedeckSpec(isObj(rm.good) ? rm.good.metricSource : isObj(rm.bad) ? rm.bad.metricSource : null) === null;
  return true;
}

/** Write documents back as one multi-document YAML file. */
export function writeOpenSlo(items: readonly (ImportedSlo | SloDefinition)[]): string {
  const docs = items.map((it) => {
    if ('source' in it) return it.definition ? sloToOpenSloDoc(it.definition, it.source) : it.source;
    return sloToOpenSloDoc(it);
  });
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}
