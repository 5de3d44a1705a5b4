// SLO files that deploy: every export follows the OpenSLO v1 and Sloth prometheus/v1 specs (the
// schema checks in slo-schema.ts, tried first on the specs' own examples), reads spanmetrics
// connector metrics through Prometheus, keeps the SLO's kind, and prints budgets rounded.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { checkOpenSloSlo, checkSloth } from './slo-schema.ts';
import { parseOpenSlo, writeOpenSlo } from '../../src-renderer/core/analysis/openslo.ts';
import { writeSloth } from '../../src-renderer/core/analysis/slo-sloth.ts';
import { roundBudget, floorSignificant } from '../../src-renderer/core/analysis/budgets.ts';
import { DEFAULT_ERROR_RULE, DAY_NS, MINUTE_NS, type SloDefinition } from '../../src-renderer/core/analysis/slo.ts';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/slo/${name}`, import.meta.url), 'utf8');
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
const DEMO = fileURLToPath(new URL('../../assets/demo-incident.zip', import.meta.url));

const defs: SloDefinition[] = [
  { name: 'checkout-latency', service: 'frontend', operation: 'POST /checkout', indicator: { kind: 'latency', thresholdNs: 1e9 }, objective: 0.99, windowNs: 5 * MINUTE_NS, periodNs: 30 * DAY_NS, owner: 'team-web' },
  { name: 'checkout-p99-slices', service: 'frontend', operation: 'POST /checkout', indicator: { kind: 'latency-percentile', percentile: 0.99, thresholdNs: 2e9 }, objective: 0.95, windowNs: 10 * MINUTE_NS, periodNs: 28 * DAY_NS },
  { name: 'payment-availability', service: 'payment', operation: null, indicator: { kind: 'availability', errorRule: { ...DEFAULT_ERROR_RULE, errorTag: false } }, objective: 0.999, windowNs: MINUTE_NS, periodNs: 7 * DAY_NS },
];

describe('the schema checks accept the specs\' own examples', () => {
  for (const f of ['openslo-occurrences.yaml', 'openslo-timeslices.yaml', 'openslo-ratio-timeslices.yaml', 'openslo-readme-inline-sli.yaml']) {
    it(f, () => expect(docs(fixture(f)).map(checkOpenSloSlo)).toEqual([[]]));
  }
  for (const f of ['sloth-getting-started.yml', 'sloth-home-wifi.yml']) {
    it(f, () => expect(docs(fixture(f)).map(checkSloth)).toEqual([[]]));
  }
  it('and refuse what the specs forbid', () => {
    const bad = parse(fixture('openslo-occurrences.yaml'));
    bad.spec.budgetingMethod = 'Occurences';
    bad.spec.objectives[0].target = 99;
    delete bad.spec.service;
    expect(checkOpenSloSlo(bad)).toHaveLength(3);
    const sloth = parse(fixture('sloth-home-wifi.yml'));
    sloth.slos[0].sli.events.error_query = 'sum(rate(x[5m]))';
    sloth.slos[1].name = 'has space';
    expect(checkSloth(sloth)).toHaveLength(2);
  });
});

describe('OpenSLO exports deploy on spanmetrics', () => {
  const text = writeOpenSlo(defs);
  const out = docs(text);
  it('follow the spec', () => expect(out.map(checkOpenSloSlo)).toEqual([[], [], []]));
  it('read Prometheus, never a source nothing else reads', () => {
    expect(text).not.toContain('Tracedeck');
    const [lat, slices, avail] = out as any[];
    expect(lat.spec.budgetingMethod).toBe('Occurrences');
    expect(lat.spec.indicator.spec.ratioMetric.good.metricSource).toEqual({
      type: 'Prometheus',
      spec: { query: 'sum(rate(traces_span_metrics_duration_milliseconds_bucket{service_name="frontend",span_name="POST /checkout",le="1000"}[5m]))' },
    });
    expect(lat.spec.indicator.spec.ratioMetric.total.metricSource.spec.query).toBe('sum(rate(traces_span_metrics_duration_milliseconds_count{service_name="frontend",span_name="POST /checkout"}[5m]))');
    expect(slices.spec.budgetingMethod).toBe('Timeslices');
    expect(slices.spec.indicator.spec.thresholdMetric.metricSource.spec.query).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(traces_span_metrics_duration_milliseconds_bucket{service_name="frontend",span_name="POST /checkout"}[10m])))',
    );
    expect(slices.spec.objectives[0]).toEqual({ target: 0.95, op: 'lte', value: 2000, timeSliceTarget: 0.99, timeSliceWindow: '10m' });
    expect(avail.spec.indicator.spec.ratioMetric.good.metricSource.spec.query).toBe(
      'sum(rate(traces_span_metrics_calls_total{service_name="payment",span_kind=~"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER",status_code!="STATUS_CODE_ERROR"}[1m]))',
    );
    expect(avail.metadata.annotations).toEqual({ 'tracedeck.dev/error-rule': 'status,http>=500' });
  });
  it('import back to the same definitions, without warnings', () => {
    const back = parseOpenSlo(text);
    expect(back.map((b) => b.definition)).toEqual(defs);
    expect(back.flatMap((b) => b.warnings)).toEqual([]);
  });
  it('Sloth exports follow the Sloth spec', () => {
    expect(docs(writeSloth(defs)).map(checkSloth)).toEqual([[], []]);
  });
});

describe('budgets rounded to what matters', () => {
  it('rounds the allowed miss and the threshold down to two significant digits', () => {
    expect(roundBudget(99.492890995, 457_187_182)).toEqual({ percentile: 99.5, thresholdNs: 450e6 });
    expect(roundBudget(99.5, 2.5e9)).toEqual({ percentile: 99.5, thresholdNs: 2.5e9 });
    expect(roundBudget(99.9333, 1_234_567_891)).toEqual({ percentile: 99.934, thresholdNs: 1.2e9 });
    expect(floorSignificant(0.29, 2)).toBe(0.29);
    expect(floorSignificant(1971.96, 2)).toBe(1900);
  });

  let core: EngineCore;
  beforeAll(async () => {
    core = new EngineCore((await loadInputs([DEMO])).store);
  }, 60_000);
  const entry = (kind: 'latency' | 'latency-percentile'): SloDefinition => ({
    name: 'checkout', service: 'frontend', operation: 'POST /checkout', objective: kind === 'latency' ? 0.99 : 0.95, windowNs: 5 * MINUTE_NS, periodNs: 30 * DAY_NS,
    indicator: kind === 'latency' ? { kind, thresholdNs: 1e9 } : { kind, percentile: 0.99, thresholdNs: 1e9 },
  });
  for (const kind of ['latency', 'latency-percentile'] as const) {
    it(`the derived budgets of a ${kind} SLO: spec-valid, rounded, of the same kind`, () => {
      const d = entry(kind);
      const yaml = core.sloBudgetsYaml(core.sloDerive(d).tree, d);
      const out = docs(yaml);
      expect(out.length).toBeGreaterThan(0);
      for (const doc of out) expect(checkOpenSloSlo(doc)).toEqual([]);
      // No long fractions anywhere: "p99.492890995", "0.457187182 s", "1.971962616822 calls".
      expect(yaml).not.toMatch(/[0-9]\.[0-9]{5,}/);
      for (const doc of out as any[]) {
        expect(doc.spec.budgetingMethod).toBe(kind === 'latency' ? 'Occurrences' : 'Timeslices');
        expect(doc.metadata.displayName).toMatch(/^\S+ .+ (p[0-9]+(\.[0-9]{1,2})? ≤ [0-9.]+ m?s|availability [0-9.]+%)$/);
      }
      for (const b of parseOpenSlo(yaml)) expect(b.warnings).toEqual([]);
    });
  }
});
