// Sloth `prometheus/v1` SLO files (https://sloth.dev, slok/sloth examples/*.yml): `service`,
// `labels`, `slos[]` with `name`, `objective` (percent), `description`, `sli.events {error_query,
// total_query}` (or `sli.raw`, `sli.plugin`), `alerting`. Sloth has no period in this format (the
// generator's default is 30 days) and its SLIs are PromQL, which cannot run on traces. We write
// queries over the metrics of the OpenTelemetry Collector's spanmetrics connector
// (traces_span_metrics_calls_total, traces_span_metrics_duration_milliseconds_bucket with labels
// service_name, span_name, status_code), so an exported file works on a Prometheus fed by that
// connector, and read such queries back into a full definition. Other queries import with the
// file's service, every entry span of it, as availability, and a warning. Round trip: the document
// as read is kept; only the modelled fields are rewritten.

import { parseAllDocuments, stringify } from 'yaml';
import { type SloDefinition, DEFAULT_ERROR_RULE, DAY_NS, MINUTE_NS, percentToFraction, fractionToPercent } from './slo.ts';
import { spanmetricsEventQueries, isSpanmetricsQuery, readSpanmetricsQuery } from './spanmetrics.ts';

type Obj = Record<string, unknown>;

export interface SlothImport {
  definitions: { definition: SloDefinition; warnings: string[] }[];
  warnings: string[];
  source: Obj;
}

/** Sloth's default SLO period. */
export const SLOTH_PERIOD_NS = 30 * DAY_NS;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The Sloth SLI queries of a definition, over spanmetrics connector metrics. */
export function slothQueries(d: SloDefinition): { error_query: string; total_query: string } {
  const q = spanmetricsEventQueries(d, '{{.window}}');
  return { error_query: q.bad, total_query: q.total };
}

function mapSlothSlo(fileService: string, owner: string | undefined, slo: Obj, warnings: string[]): SloDefinition | null {
  const name = typeof slo.name === 'string' ? slo.name : 'slo';
  if (typeof slo.objective !== 'number') {
    warnings.push(`${name}: no numeric objective`);
    return null;
  }
  const def: SloDefinition = {
    name, service: fileService, operation: null, indicator: { kind: 'availability', errorRule: DEFAULT_ERROR_RULE },
    objective: percentToFraction(slo.objective), windowNs: 5 * MINUTE_NS, periodNs: SLOTH_PERIOD_NS,
  };
  if (typeof slo.description === 'string') def.description = slo.description;
  if (owner !== undefined) def.owner = owner;
  const ev = isObj(slo.sli) && isObj(slo.sli.events) ? slo.sli.events : null;
  const errorQ = ev && typeof ev.error_query === 'string' ? ev.error_query : '';
  const totalQ = ev && typeof ev.total_query === 'string' ? ev.total_query : '';
  if (isSpanmetricsQuery(errorQ) && isSpanmetricsQuery(totalQ)) {
    const total = readSpanmetricsQuery(totalQ);
    def.service = total.service ?? fileService;
    def.operation = total.operation;
    const le = readSpanmetricsQuery(errorQ).thresholdNs;
    if (le !== null) def.indicator = { kind: 'latency', thresholdNs: le };
  } else {
    warnings.push(`${name}: the SLI is a PromQL query; evaluated on traces as availability of the spans entering "${fileService}"`);
  }
  return def;
}

/** Read a Sloth prometheus/v1 file (several YAML documents allowed). */
export function parseSloth(text: string): SlothImport[] {
  const out: SlothImport[] = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length > 0) throw new Error(`Sloth YAML, line ${d.errors[0].linePos?.[0].line ?? '?'}: ${d.errors[0].message}`);
    const doc = d.toJS() as unknown;
    if (!isObj(doc)) continue;
    const warnings: string[] = [];
    if (doc.version !== 'prometheus/v1') warnings.push(`version "${String(doc.version)}" is not prometheus/v1`);
    const service = typeof doc.service === 'string' ? doc.service : '';
    const labels = isObj(doc.labels) ? doc.labels : {};
    const owner = typeof labels.owner === 'string' ? labels.owner : typeof labels.team === 'string' ? labels.team : undefined;
    const definitions: SlothImport['definitions'] = [];
    for (const slo of Array.isArray(doc.slos) ? doc.slos.filter(isObj) : []) {
      const w: string[] = [];
      const def = mapSlothSlo(service, owner, slo, w);
      if (def) definitions.push({ definition: def, warnings: w });
      else warnings.push(...w);
    }
    out.push({ definitions, warnings, source: doc });
  }
  return out;
}

function alertName(d: SloDefinition): string {
  return d.name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('') || 'Slo';
}

function sloEntry(d: SloDefinition, previous?: Obj): Obj {
  const e: Obj = previous ? JSON.parse(JSON.stringify(previous)) as Obj : {};
  e.name = d.name;
  e.objective = fractionToPercent(d.indicator.kind === 'latency-percentile' ? d.indicator.percentile : d.objective);
  if (d.description !== undefined) e.description = d.description;
  const prevEvents = isObj(e.sli) && isObj(e.sli.events) ? e.sli.events : null;
  const ours = prevEvents === null || isSpanmetricsQuery(prevEvents.total_query);
  if (ours) e.sli = { events: slothQueries(d) };
  if (!previous) e.alerting = { name: `${alertName(d)}BudgetBurn`, page_alert: { labels: { severity: 'page' } }, ticket_alert: { labels: { severity: 'ticket' } } };
  return e;
}

/**
 * Write definitions as Sloth files: one document per service (Sloth's unit). A latency-percentile
 * SLO has no Sloth form; it is written as the equivalent request-based latency SLO.
 */
export function writeSloth(items: readonly (SlothImport | SloDefinition)[]): string {
  const docs: Obj[] = [];
  const byService = new Map<string, Obj>();
  for (const it of items) {
    if ('source' in it) {
      const doc = JSON.parse(JSON.stringify(it.source)) as Obj;
      const prev = Array.isArray(doc.slos) ? (doc.slos as unknown[]) : [];
      doc.slos = prev.map((p) => {
        const m = it.definitions.find((x) => isObj(p) && x.definition.name === p.name);
        return m && isObj(p) ? sloEntry(m.definition, p) : p;
      });
      docs.push(doc);
      continue;
    }
    let doc = byService.get(it.service);
    if (!doc) {
      doc = { version: 'prometheus/v1', service: it.service, ...(it.owner !== undefined ? { labels: { owner: it.owner } } : {}), slos: [] };
      byService.set(it.service, doc);
      docs.push(doc);
    }
    (doc.slos as Obj[]).push(sloEntry(it));
  }
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}
