// OpenSLO v1 and Sloth prometheus/v1: import the projects' documentation examples, export them
// back unchanged, and round-trip Tracedeck's own definitions exactly.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseOpenSlo, writeOpenSlo } from '../../src-renderer/core/analysis/openslo.ts';
import { parseSloth, writeSloth } from '../../src-renderer/core/analysis/slo-sloth.ts';
import { DEFAULT_ERROR_RULE, DAY_NS, MINUTE_NS, type SloDefinition } from '../../src-renderer/core/analysis/slo.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/slo/${name}`, import.meta.url), 'utf8');

describe('OpenSLO documentation examples', () => {
  it('occurrences: latency under 500 (ms, op lt) for 99% over 2 weeks', () => {
    const [doc] = parseOpenSlo(fixture('openslo-occurrences.yaml'));
    expect(doc.kind).toBe('SLO');
    expect(doc.definition).toMatchObject({
      name: 'search-slo', service: 'web-shop', operation: null, objective: 0.99, periodNs: 14 * DAY_NS,
      indicator: { kind: 'latency', thresholdNs: 500e6 - 1 }, // "< 500 ms" is "≤ 500 ms − 1 ns" in whole ns
    });
    expect(doc.warnings.join('\n')).toContain('milliseconds');
  });
  it('timeslices ratio: availability 99.5%, 1-minute slices, two objectives (the first is evaluated)', () => {
    const [doc] = parseOpenSlo(fixture('openslo-timeslices.yaml'));
    expect(doc.definition).toMatchObject({ name: 'service-availability', objective: 0.995, windowNs: MINUTE_NS, periodNs: MINUTE_NS, indicator: { kind: 'availability' } });
    expect(doc.warnings.some((w) => w.includes('2 objectives'))).toBe(true);
  });
  it('ratio timeslices and the README inline SLI map to availability', () => {
    expect(parseOpenSlo(fixture('openslo-ratio-timeslices.yaml'))[0].definition).toMatchObject({ objective: 0.99, periodNs: 14 * DAY_NS });
    expect(parseOpenSlo(fixture('openslo-readme-inline-sli.yaml'))[0].definition).toMatchObject({ service: 'foo', objective: 0.98, periodNs: 30 * DAY_NS });
  });
  for (const f of ['openslo-occurrences.yaml', 'openslo-timeslices.yaml', 'openslo-ratio-timeslices.yaml', 'openslo-readme-inline-sli.yaml']) {
    it(`round trip: ${f} exports to the same document`, () => {
      const text = fixture(f);
      const out = writeOpenSlo(parseOpenSlo(text));
      expect(parse(out)).toEqual(parse(text));
    });
  }
  it('a changed objective is written back into the example, the rest kept', () => {
    const [doc] = parseOpenSlo(fixture('openslo-occurrences.yaml'));
    doc.definition!.objective = 0.995;
    const back = parse(writeOpenSlo([doc]));
    expect(back.spec.objectives[0]).toEqual({ displayName: 'Good experience', op: 'lt', value: 500, target: 0.995 });
    expect(back.spec.indicator.spec.thresholdMetric.metricSource.type).toBe('Any');
  });
});

describe('Tracedeck definitions through OpenSLO', () => {
  const defs: SloDefinition[] = [
    {
      name: 'checkout-latency', displayName: 'Checkout p99', description: 'frontend checkout', service: 'frontend', operation: 'GET /checkout',
      indicator: { kind: 'latency', thresholdNs: 5e9 }, objective: 0.99, windowNs: 5 * MINUTE_NS, periodNs: 30 * DAY_NS, owner: 'team-web',
    },
    {
      name: 'checkout-p99-slices', service: 'frontend', operation: 'GET /checkout', indicator: { kind: 'latency-percentile', percentile: 0.995, thresholdNs: 2_500_000_001 },
      objective: 0.999, windowNs: 10 * MINUTE_NS, periodNs: 28 * DAY_NS,
    },
    {
      name: 'payment-availability', service: 'payment', operation: null, indicator: { kind: 'availability', errorRule: { ...DEFAULT_ERROR_RULE, httpStatusMin: null } },
      objective: 0.9995, windowNs: MINUTE_NS, periodNs: 7 * DAY_NS,
    },
  ];
  it('export then import gives the same definitions, without warnings', () => {
    const text = writeOpenSlo(defs);
    const back = parseOpenSlo(text);
    expect(back.map((b) => b.definition)).toEqual(defs);
    expect(back.flatMap((b) => b.warnings)).toEqual([]);
    const first = parse(text.split('---\n')[0]);
    expect(first.spec.objectives[0]).toEqual({ target: 0.99 });
    expect(first.metadata.labels).toEqual({ owner: 'team-web' });
  });
});

describe('Sloth examples', () => {
  it('getting-started: availability 99.9% of myservice, owner from labels', () => {
    const [imp] = parseSloth(fixture('sloth-getting-started.yml'));
    expect(imp.definitions.length).toBe(1);
    expect(imp.definitions[0].definition).toMatchObject({ name: 'requests-availability', service: 'myservice', objective: 0.999, owner: 'myteam', periodNs: 30 * DAY_NS });
    expect(imp.definitions[0].warnings[0]).toContain('PromQL');
  });
  for (const f of ['sloth-getting-started.yml', 'sloth-home-wifi.yml']) {
    it(`round trip: ${f} exports to the same document`, () => {
      const text = fixture(f);
      const imp = parseSloth(text);
      expect(parse(writeSloth(imp))).toEqual(parse(text));
    });
  }
  it('home-wifi: two SLOs, 95% and 99.9%', () => {
    const [imp] = parseSloth(fixture('sloth-home-wifi.yml'));
    expect(imp.definitions.map((d) => d.definition.objective)).toEqual([0.95, 0.999]);
  });
  it('Tracedeck definitions export as spanmetrics queries and import back', () => {
    const defs: SloDefinition[] = [
      { name: 'checkout-latency', service: 'front"end', operation: 'GET /checkout', indicator: { kind: 'latency', thresholdNs: 5e9 }, objective: 0.99, windowNs: 5 * MINUTE_NS, periodNs: 30 * DAY_NS, owner: 'web' },
      { name: 'checkout-availability', service: 'front"end', operation: 'GET /checkout', indicator: { kind: 'availability', errorRule: DEFAULT_ERROR_RULE }, objective: 0.999, windowNs: 5 * MINUTE_NS, periodNs: 30 * DAY_NS, owner: 'web' },
    ];
    const text = writeSloth(defs);
    const queries = parse(text).slos.map((x: { sli: { events: { error_query: string } } }) => x.sli.events.error_query);
    expect(queries[0]).toBe(
      '(sum(rate(traces_span_metrics_duration_milliseconds_count{service_name="front\\"end",span_name="GET /checkout"}[{{.window}}]))'
      + ' - sum(rate(traces_span_metrics_duration_milliseconds_bucket{service_name="front\\"end",span_name="GET /checkout",le="5000"}[{{.window}}])))',
    );
    expect(queries[1]).toBe('sum(rate(traces_span_metrics_calls_total{service_name="front\\"end",span_name="GET /checkout",status_code="STATUS_CODE_ERROR"}[{{.window}}]))');
    const back = parseSloth(text);
    expect(back.length).toBe(1);
    expect(back[0].definitions.map((d) => d.definition)).toEqual(defs);
    expect(back[0].definitions.flatMap((d) => d.warnings)).toEqual([]);
  });
});
