// Schema checks for SLO files, written from the public specifications (not from our writer):
//  - OpenSLO v1, kind SLO: https://github.com/OpenSLO/OpenSLO (README, sections "SLO", "SLI",
//    "Objectives", "Time window", "Budgeting method", "Metric source").
//  - Sloth prometheus/v1: https://sloth.dev/specs/default/ (the `prometheus/v1` spec and its
//    Go types in pkg/prometheus/api/v1).
// Each returns the problems found, in words; an empty list means the document follows the spec.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

// OpenSLO duration shorthand: a number and one of s m h d w M Q Y (timeWindow), or also ms for slices.
const DURATION = /^[0-9]+(s|m|h|d|w|M|Q|Y)$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function checkMetricSource(v: unknown, where: string, p: string[]): void {
  if (!isObj(v) || !isObj(v.metricSource)) {
    p.push(`${where}: metricSource is required`);
    return;
  }
  const ms = v.metricSource;
  if (!isStr(ms.type) && !isStr(ms.metricSourceRef)) p.push(`${where}: metricSource needs a type or a metricSourceRef`);
  // The spec's own occurrences example leaves spec empty (null).
  if (ms.spec !== undefined && ms.spec !== null && !isObj(ms.spec)) p.push(`${where}: metricSource.spec must be a map`);
}

export function checkOpenSloSlo(doc: unknown): string[] {
  const p: string[] = [];
  if (!isObj(doc)) return ['not a map'];
  if (doc.apiVersion !== 'openslo/v1') p.push('apiVersion must be openslo/v1');
  if (doc.kind !== 'SLO') p.push('kind must be SLO');
  const meta = doc.metadata;
  if (!isObj(meta) || !isStr(meta.name)) p.push('metadata.name is required');
  else if (!DNS_LABEL.test(meta.name)) p.push(`metadata.name "${meta.name}" is not an RFC 1123 label`);
  if (isObj(meta) && meta.displayName !== undefined && !isStr(meta.displayName)) p.push('metadata.displayName must be a string');
  if (isObj(meta) && meta.labels !== undefined) {
    if (!isObj(meta.labels)) p.push('metadata.labels must be a map');
    else for (const [k, v] of Object.entries(meta.labels)) if (!isStr(v) && !(Array.isArray(v) && v.every(isStr))) p.push(`label ${k} must be a string or a list of strings`);
  }
  if (isObj(meta) && meta.annotations !== undefined) {
    if (!isObj(meta.annotations) || !Object.values(meta.annotations).every(isStr)) p.push('metadata.annotations must map strings to strings');
  }
  const spec = doc.spec;
  if (!isObj(spec)) return [...p, 'spec is required'];
  if (spec.description !== undefined && (!isStr(spec.description) || spec.description.length > 1050)) p.push('spec.description must be a string of at most 1050 characters');
  if (!isStr(spec.service)) p.push('spec.service is required');
  const hasRef = spec.indicatorRef !== undefined;
  const ind = spec.indicator;
  if (hasRef === (ind !== undefined)) p.push('exactly one of indicator and indicatorRef');
  let threshold = false;
  if (isObj(ind)) {
    if (!isObj(ind.metadata) || !isStr(ind.metadata.name)) p.push('indicator.metadata.name is required');
    const s = ind.spec;
    if (!isObj(s)) p.push('indicator.spec is required');
    else {
      const kinds = ['ratioMetric', 'thresholdMetric'].filter((k) => s[k] !== undefined);
      if (kinds.length !== 1) p.push('indicator.spec needs exactly one of ratioMetric and thresholdMetric');
      if (isObj(s.ratioMetric)) {
        const r = s.ratioMetric;
        if (r.counter !== undefined && typeof r.counter !== 'boolean') p.push('ratioMetric.counter must be a boolean');
        if (r.raw !== undefined) checkMetricSource(r.raw, 'ratioMetric.raw', p);
        else {
          if ((r.good !== undefined) === (r.bad !== undefined)) p.push('ratioMetric needs exactly one of good and bad');
          if (r.good !== undefined) checkMetricSource(r.good, 'ratioMetric.good', p);
          if (r.bad !== undefined) checkMetricSource(r.bad, 'ratioMetric.bad', p);
          checkMetricSource(r.total, 'ratioMetric.total', p);
        }
      }
      if (s.thresholdMetric !== undefined) {
        threshold = true;
        checkMetricSource(s.thresholdMetric, 'thresholdMetric', p);
      }
    }
  }
  const tw = spec.timeWindow;
  if (tw !== undefined) {
    if (!Array.isArray(tw) || tw.length !== 1 || !isObj(tw[0])) p.push('timeWindow must be a list of exactly one item');
    else {
      if (!isStr(tw[0].duration) || !DURATION.test(tw[0].duration)) p.push(`timeWindow.duration "${String(tw[0].duration)}" is not a duration shorthand`);
      if (typeof tw[0].isRolling !== 'boolean') p.push('timeWindow.isRolling (boolean) is required');
    }
  }
  const method = spec.budgetingMethod;
  // The README's inline-SLI example names no method (Occurrences is meant).
  if (method !== undefined && !['Occurrences', 'Timeslices', 'RatioTimeslices'].includes(String(method))) p.push(`budgetingMethod "${String(method)}" is not Occurrences, Timeslices or RatioTimeslices`);
  const objs = spec.objectives;
  if (!Array.isArray(objs) || objs.length === 0) return [...p, 'objectives must be a non-empty list'];
  for (const [i, o] of objs.entries()) {
    if (!isObj(o)) {
      p.push(`objectives[${i}] must be a map`);
      continue;
    }
    const t = o.target;
    const tp = o.targetPercent;
    if ((t === undefined) === (tp === undefined)) p.push(`objectives[${i}]: exactly one of target and targetPercent`);
    if (t !== undefined && !(typeof t === 'number' && t >= 0 && t < 1)) p.push(`objectives[${i}].target must be in [0, 1)`);
    if (tp !== undefined && !(typeof tp === 'number' && tp >= 0 && tp < 100)) p.push(`objectives[${i}].targetPercent must be in [0, 100)`);
    if (threshold) {
      if (!['lte', 'gte', 'lt', 'gt'].includes(String(o.op))) p.push(`objectives[${i}].op must be lte, gte, lt or gt for a thresholdMetric`);
      if (typeof o.value !== 'number') p.push(`objectives[${i}].value (number) is required for a thresholdMetric`);
    }
    if (method === 'Timeslices' && !(typeof o.timeSliceTarget === 'number' && o.timeSliceTarget > 0 && o.timeSliceTarget <= 1)) p.push(`objectives[${i}].timeSliceTarget in (0, 1] is required for Timeslices`);
    if (method === 'Timeslices' || method === 'RatioTimeslices') {
      if (o.timeSliceWindow === undefined) p.push(`objectives[${i}].timeSliceWindow is required for ${String(method)}`);
    }
  }
  return p;
}

// Sloth: SLO names become Prometheus label values and rule names: letters, digits, - and _.
const SLOTH_NAME = /^[a-zA-Z0-9_-]+$/;

function checkSlothAlert(v: unknown, where: string, p: string[]): void {
  if (v === undefined) return;
  if (!isObj(v)) return void p.push(`${where} must be a map`);
  if (v.disable !== undefined && typeof v.disable !== 'boolean') p.push(`${where}.disable must be a boolean`);
  for (const k of ['labels', 'annotations']) if (v[k] !== undefined && (!isObj(v[k]) || !Object.values(v[k] as Obj).every(isStr))) p.push(`${where}.${k} must map strings to strings`);
}

export function checkSloth(doc: unknown): string[] {
  const p: string[] = [];
  if (!isObj(doc)) return ['not a map'];
  if (doc.version !== 'prometheus/v1') p.push('version must be prometheus/v1');
  if (!isStr(doc.service) || doc.service === '') p.push('service is required');
  if (doc.labels !== undefined && (!isObj(doc.labels) || !Object.values(doc.labels).every(isStr))) p.push('labels must map strings to strings');
  const slos = doc.slos;
  if (!Array.isArray(slos) || slos.length === 0) return [...p, 'slos must be a non-empty list'];
  const names = new Set<string>();
  for (const [i, s] of slos.entries()) {
    if (!isObj(s)) {
      p.push(`slos[${i}] must be a map`);
      continue;
    }
    if (!isStr(s.name) || !SLOTH_NAME.test(s.name)) p.push(`slos[${i}].name "${String(s.name)}" is required and may hold letters, digits, - and _`);
    else if (names.has(s.name)) p.push(`slos[${i}].name "${s.name}" is repeated`);
    else names.add(s.name);
    if (!(typeof s.objective === 'number' && s.objective > 0 && s.objective <= 100)) p.push(`slos[${i}].objective must be in (0, 100]`);
    const sli = s.sli;
    if (!isObj(sli)) p.push(`slos[${i}].sli is required`);
    else {
      const kinds = ['events', 'raw', 'plugin'].filter((k) => sli[k] !== undefined);
      if (kinds.length !== 1) p.push(`slos[${i}].sli needs exactly one of events, raw and plugin`);
      if (sli.events !== undefined) {
        const ev = sli.events;
        if (!isObj(ev) || !isStr(ev.error_query) || !isStr(ev.total_query)) p.push(`slos[${i}].sli.events needs error_query and total_query`);
        else if (!ev.error_query.includes('{{.window}}') || !ev.total_query.includes('{{.window}}')) p.push(`slos[${i}].sli.events queries must use {{.window}}`);
      }
      if (sli.raw !== undefined && (!isObj(sli.raw) || !isStr(sli.raw.error_ratio_query))) p.push(`slos[${i}].sli.raw needs error_ratio_query`);
    }
    const al = s.alerting;
    if (!isObj(al)) p.push(`slos[${i}].alerting is required`);
    else {
      const bothOff = isObj(al.page_alert) && al.page_alert.disable === true && isObj(al.ticket_alert) && al.ticket_alert.disable === true;
      if (!bothOff && (!isStr(al.name) || al.name === '')) p.push(`slos[${i}].alerting.name is required unless both alerts are disabled`);
      checkSlothAlert(al.page_alert, `slos[${i}].alerting.page_alert`, p);
      checkSlothAlert(al.ticket_alert, `slos[${i}].alerting.ticket_alert`, p);
    }
  }
  return p;
}
