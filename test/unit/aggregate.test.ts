// The aggregate critical path of a cohort, its diff and the cohort picks: hand-computed cases drawn
// as timelines, jaeger-ui's critical-path cases summed by operation from jaeger-ui's own expected
// sections, and exact integer sums.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregateSpans, diffAggregates, formatSignedDuration, type CohortAggregate } from '../../src-renderer/core/analysis/aggregate.ts';
import { computeCriticalPath, type CpSpan } from '../../src-renderer/core/analysis/critical-path.ts';
import { selectCohort, parseCohort, describeCohort, type CohortRequests } from '../../src-renderer/core/analysis/cohort.ts';
import type { SpanKind } from '../../src-renderer/core/model/trace.ts';

type S = CpSpan & { service: string; name: string };
const span = (spanId: string, parentSpanId: string | null, service: string, name: string, start: number, end: number, kind?: SpanKind): S => ({
  spanId, parentSpanId, service, name, start, duration: end - start, ...(kind ? { kind } : {}),
});

/** Rows as [service, operation, ns] for compact comparison. */
const ops = (a: CohortAggregate) => a.byOperation.map((r) => [r.service, r.operation, r.ns]);

describe('aggregate critical path', () => {
  //   request 1: api GET /x ├──────────────────────┤ 0..100
  //              db  SELECT      ├────────┤          20..60
  //   request 2: api GET /x ├──────────┤             0..50
  const t1 = [span('a1', null, 'api', 'GET /x', 0, 100), span('b1', 'a1', 'db', 'SELECT', 20, 60)];
  const t2 = [span('a2', null, 'api', 'GET /x', 0, 50)];

  it('adds up sections by operation, service and path', () => {
    const a = aggregateSpans([t1, t2]);
    expect(a.traces).toBe(2);
    expect(a.totalNs).toBe(150);
    expect(ops(a)).toEqual([['api', 'GET /x', 110], ['db', 'SELECT', 40]]);
    expect(a.byOperation.map((r) => [r.share, r.perRequestNs])).toEqual([[110 / 150, 55], [40 / 150, 20]]);
    expect(a.byService.map((r) => [r.service, r.ns, r.perRequestNs])).toEqual([['api', 110, 55], ['db', 40, 20]]);
    expect(a.flame).toEqual([
      { parent: -1, depth: 0, service: 'api', operation: 'GET /x', selfNs: 110, totalNs: 150 },
      { parent: 0, depth: 1, service: 'db', operation: 'SELECT', selfNs: 40, totalNs: 40 },
    ]);
  });

  it('counts only the entry span\'s work when the entry is not the root', () => {
    //   frontend GET /          ├────────────────────────────┤ 0..200
    //   checkout POST /order          ├──────────────┤         50..150  (entry)
    //   postgres INSERT                 ├──────────┤           60..140
    const t = [span('f', null, 'frontend', 'GET /', 0, 200), span('c', 'f', 'checkout', 'POST /order', 50, 150), span('p', 'c', 'postgres', 'INSERT', 60, 140)];
    const a = aggregateSpans([t], (spans) => spans.findIndex((s) => s.spanId === 'c'));
    expect(a.totalNs).toBe(100);
    expect(ops(a)).toEqual([['postgres', 'INSERT', 80], ['checkout', 'POST /order', 20]]);
    expect(a.flame.map((f) => [f.depth, f.operation, f.totalNs])).toEqual([[0, 'POST /order', 100], [1, 'INSERT', 80]]);
  });

  it('puts repeated calls of one operation under one path (retries)', () => {
    //   api GET /x ├──────────────────────┤ 0..100
    //   db SELECT     ├───┤  ├─────────┤    10..30, 40..90
    const t = [span('a', null, 'api', 'GET /x', 0, 100), span('b', 'a', 'db', 'SELECT', 10, 30), span('c', 'a', 'db', 'SELECT', 40, 90)];
    const a = aggregateSpans([t]);
    expect(ops(a)).toEqual([['db', 'SELECT', 70], ['api', 'GET /x', 30]]);
    expect(a.flame).toHaveLength(2);
    expect(a.flame[1]).toMatchObject({ operation: 'SELECT', selfNs: 70, totalNs: 70, parent: 0 });
  });

  it('draws at most the largest paths asked for, parents first, and counts the rest', () => {
    //   a ├────────────────────┤ 0..100
    //   b   ├────────────────┤   10..90, c 20..80, d 30..70, e 40..60: a chain of five paths
    const names = ['a', 'b', 'c', 'd', 'e'];
    const t = names.map((n, i) => span(n, i === 0 ? null : names[i - 1], 'svc', n, i * 10, 100 - i * 10));
    const all = aggregateSpans([t]);
    expect(all.flame.map((f) => [f.depth, f.operation, f.totalNs])).toEqual([[0, 'a', 100], [1, 'b', 80], [2, 'c', 60], [3, 'd', 40], [4, 'e', 20]]);
    expect(all.flameLeftOut).toBe(0);
    const three = aggregateSpans([t], undefined, 0, 3);
    expect(three.flame).toEqual(all.flame.slice(0, 3));
    expect(three.flameLeftOut).toBe(2);
    // The sums keep every path.
    expect(three.byOperation).toEqual(all.byOperation);
    expect(aggregateSpans([t], undefined, 0.5).flame.map((f) => f.operation)).toEqual(['a', 'b', 'c']);
  });

  it('keeps a call that overlaps the next only by its service\'s rounding on the path', () => {
    // Starts on whole milliseconds, ends not (the OpenTelemetry JS SDK): b ends 0.11 ms after c
    // starts, within the 1 ms the service rounds to, so the calls are sequential.
    //   api GET /x ├──────────────────────────┤ 0..10 ms
    //   db  b        ├───────────┤              1..5.11 ms
    //   db  c                   ├─────────┤     5..9 ms
    const ms = 1_000_000;
    const t = [span('a', null, 'api', 'GET /x', 0, 10 * ms), span('b', 'a', 'db', 'b', 1 * ms, 5.11 * ms), span('c', 'a', 'db', 'c', 5 * ms, 9 * ms)];
    const a = aggregateSpans([t]);
    expect(ops(a)).toEqual([['db', 'b', 4 * ms], ['db', 'c', 4 * ms], ['api', 'GET /x', 2 * ms]]);
    expect(a.totalNs).toBe(10 * ms);
  });

  it('of one trace is that trace\'s critical path exactly, in integers that add up', () => {
    // A span 1 ns long, spans 1 ns apart, a fan-out and a follows-from child.
    const t = [
      span('r', null, 'gw', 'POST /a', 1_000_000_000, 1_000_000_900), span('x', 'r', 'svc', 'x', 1_000_000_001, 1_000_000_002),
      span('y', 'r', 'svc', 'y', 1_000_000_003, 1_000_000_500), span('z', 'r', 'db', 'q', 1_000_000_100, 1_000_000_450),
      { ...span('w', 'r', 'mq', 'send', 1_000_000_600, 1_000_002_000), parentRef: 'follows_from' as const },
    ];
    const sections = computeCriticalPath(t);
    const want = new Map<string, number>();
    for (const s of sections) want.set(`${t[s.span].service} ${t[s.span].name}`, (want.get(`${t[s.span].service} ${t[s.span].name}`) ?? 0) + s.end - s.start);
    const a = aggregateSpans([t]);
    expect(new Map(a.byOperation.map((r) => [`${r.service} ${r.operation}`, r.ns]))).toEqual(want);
    expect(a.totalNs).toBe(900);
    expect(a.byOperation.reduce((x, r) => x + r.ns, 0)).toBe(a.totalNs);
    expect(a.byService.reduce((x, r) => x + r.ns, 0)).toBe(a.totalNs);
    expect(a.byOperation.every((r) => Number.isInteger(r.ns))).toBe(true);
    expect(Math.abs(a.byOperation.reduce((x, r) => x + r.share, 0) - 1)).toBeLessThan(1e-12);
  });
});

// jaeger-ui's critical-path cases: the expected sections (µs) of jaeger-ui's own test, summed per
// operation here by hand from that file, against the aggregate of each case as a cohort of one.
const DIR = join(__dirname, '../fixtures/corpus/jaeger-ui/critical-path-extracted');
const EXPECTED = JSON.parse(readFileSync(join(DIR, 'expected-critical-path.json'), 'utf8')) as Record<string, { expected: { spanID: string; sectionStart: number; sectionEnd: number }[] }>;

interface JaegerDoc {
  data: { spans: { spanID: string; operationName: string; references?: { refType: string; spanID: string }[]; startTime: number; duration: number; processID: string; tags?: { key: string; value: unknown }[] }[]; processes: Record<string, { serviceName: string }> }[];
}

function jaegerSpans(name: string): S[] {
  const t = (JSON.parse(readFileSync(join(DIR, `${name}.jaeger.json`), 'utf8')) as JaegerDoc).data[0];
  return t.spans.map((s) => ({
    spanId: s.spanID, parentSpanId: s.references?.[0]?.spanID ?? null, parentRef: s.references?.[0]?.refType === 'FOLLOWS_FROM' ? 'follows_from' : 'child_of',
    kind: s.tags?.find((x) => x.key === 'span.kind')?.value as SpanKind | undefined, start: s.startTime, duration: s.duration,
    service: t.processes[s.processID].serviceName, name: s.operationName,
  }));
}

describe('aggregate of jaeger-ui\'s critical-path cases', () => {
  const cases = Object.keys(EXPECTED).filter((n) => n !== 'test3').sort();
  // test1: C 1..20 + 40..50 + 60..101 = 70, D 20..40 = 20, E 50..60 = 10 (all customers-service).
  it('test1 by hand', () => {
    expect(ops(aggregateSpans([jaegerSpans('test1')]))).toEqual([['customers-service', 'operation C', 70], ['customers-service', 'operation D', 20], ['customers-service', 'operation E', 10]]);
  });
  for (const name of cases) {
    it(`${name}: the expected sections summed by operation`, () => {
      const spans = jaegerSpans(name);
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      const want = new Map<string, number>();
      for (const e of EXPECTED[name].expected) {
        const s = byId.get(e.spanID)!;
        want.set(`${s.service}/${s.name}`, (want.get(`${s.service}/${s.name}`) ?? 0) + e.sectionEnd - e.sectionStart);
      }
      const a = aggregateSpans([spans]);
      expect(new Map(a.byOperation.map((r) => [`${r.service}/${r.operation}`, r.ns]))).toEqual(want);
      expect(a.totalNs).toBe([...want.values()].reduce((x, y) => x + y, 0));
    });
  }
  it('all cases as one cohort: per-case sums add up, shares sum to 1', () => {
    const all = aggregateSpans(cases.map(jaegerSpans));
    const parts = cases.map((n) => aggregateSpans([jaegerSpans(n)]));
    expect(all.traces).toBe(cases.length);
    expect(all.totalNs).toBe(parts.reduce((x, p) => x + p.totalNs, 0));
    const sum = new Map<string, number>();
    for (const p of parts) for (const r of p.byOperation) sum.set(`${r.service}/${r.operation}`, (sum.get(`${r.service}/${r.operation}`) ?? 0) + r.ns);
    expect(new Map(all.byOperation.map((r) => [`${r.service}/${r.operation}`, r.ns]))).toEqual(sum);
    expect(all.byOperation.reduce((x, r) => x + r.ns, 0)).toBe(all.totalNs);
    expect(Math.abs(all.byService.reduce((x, r) => x + r.share, 0) - 1)).toBeLessThan(1e-12);
    expect(all.byOperation.find((r) => r.service === 'service-one' && r.operation === 'op-A')?.perRequestNs).toBe(
      all.byOperation.find((r) => r.service === 'service-one' && r.operation === 'op-A')!.ns / cases.length,
    );
  });
});

describe('cohort diff', () => {
  it('ranks operations by their change per request, with their share of the extra time', () => {
    //   A (slow): api 0..100 with db SELECT 20..60 → api 60, db 40 per request (one request)
    //   B (fast): api 0..50 twice                   → api 50 per request
    const slow = aggregateSpans([[span('a', null, 'api', 'GET /x', 0, 100), span('b', 'a', 'db', 'SELECT', 20, 60)]]);
    const fast = aggregateSpans([[span('c', null, 'api', 'GET /x', 0, 50)], [span('d', null, 'api', 'GET /x', 0, 50)]]);
    const d = diffAggregates(slow, fast);
    expect(d.deltaPerRequestNs).toBe(50);
    expect(d.byOperation.map((r) => [r.service, r.operation, r.aPerRequestNs, r.bPerRequestNs, r.deltaPerRequestNs, r.shareOfDelta])).toEqual([
      ['db', 'SELECT', 40, 0, 40, 0.8],
      ['api', 'GET /x', 60, 50, 10, 0.2],
    ]);
    expect(d.byService.map((r) => r.service)).toEqual(['db', 'api']);
  });
});

describe('changes per request for people', () => {
  it('signs them, with a decimal at most below a µs, and none for what rounds to nothing', () => {
    expect([1.9e9, -250e6, 13_900, 2.5, -1 / 3, 0.016, -0.016, 0].map(formatSignedDuration)).toEqual([
      '+1.90 s', '−250.0 ms', '+13.9 µs', '+2.5 ns', '−0.3 ns', '0 ns', '0 ns', '0 ns',
    ]);
  });
});

describe('cohorts', () => {
  const base = '1700000000000000000';
  // Durations 80, 10, 70, 20, 60, 30, 50, 40 (ranks 7 0 6 1 5 2 4 3); starts 0, 10, …, 70 ns.
  const req: CohortRequests = { duration: [80, 10, 70, 20, 60, 30, 50, 40], start: [0, 10, 20, 30, 40, 50, 60, 70], isError: [0, 1, 0, 0, 1, 0, 0, 0], baseNs: base };
  const pick = (c: Parameters<typeof selectCohort>[1]) => Array.from(selectCohort(req, c)).flatMap((v, i) => (v ? [i] : []));

  it('picks by percentile band, slowest share, window, errors and complement', () => {
    expect(pick({ kind: 'all' })).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(pick({ kind: 'band', from: 50, to: 75 })).toEqual([4, 6]); // ranks 4, 5: durations 50, 60
    expect(pick({ kind: 'band', from: 0, to: 100 })).toHaveLength(8);
    expect(pick({ kind: 'slowest', percent: 25 })).toEqual([0, 2]);
    expect(pick({ kind: 'slowest', percent: 1 })).toEqual([0]); // at least one
    expect(pick({ kind: 'window', fromNs: '1700000000000000020', toNs: '1700000000000000050' })).toEqual([2, 3, 4]);
    expect(pick({ kind: 'errors' })).toEqual([1, 4]);
    expect(pick({ kind: 'not', of: { kind: 'slowest', percent: 25 } })).toEqual([1, 3, 4, 5, 6, 7]);
  });

  it('slowest 1 % of 300 is 3 requests; band 99-100 is the same 3', () => {
    const n = 300;
    const r: CohortRequests = { duration: Array.from({ length: n }, (_, i) => (i * 7919) % n), start: new Array(n).fill(0), isError: new Array(n).fill(0), baseNs: '0' };
    const slow = Array.from(selectCohort(r, { kind: 'slowest', percent: 1 })).flatMap((v, i) => (v ? [i] : []));
    expect(slow.map((i) => r.duration[i]).sort((a, b) => a - b)).toEqual([297, 298, 299]);
    expect(Array.from(selectCohort(r, { kind: 'band', from: 99, to: 100 })).flatMap((v, i) => (v ? [i] : []))).toEqual(slow);
  });

  it('picks the requests whose trace a search found', () => {
    const found = { ...req, traceNo: [10, 11, 12, 13, 14, 15, 16, 17], found: new Map([['error=true', new Set([11, 13, 99])]]) };
    const c = parseCohort('search: error=true ');
    expect(c).toEqual({ kind: 'search', query: 'error=true' });
    expect(Array.from(selectCohort(found, c))).toEqual([0, 1, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(selectCohort(found, parseCohort('rest', c)))).toEqual([1, 0, 1, 0, 1, 1, 1, 1]);
    expect(describeCohort(c)).toBe('search “error=true”');
    expect(() => selectCohort({ ...found, found: new Map() }, c)).toThrow(/not looked up/);
    expect(() => parseCohort('search:')).toThrow(/write the search/);
  });

  it('reads the command line\'s forms', () => {
    expect(parseCohort('all')).toEqual({ kind: 'all' });
    expect(parseCohort('slowest:1%')).toEqual({ kind: 'slowest', percent: 1 });
    expect(parseCohort('band:50-75')).toEqual({ kind: 'band', from: 50, to: 75 });
    expect(parseCohort('errors')).toEqual({ kind: 'errors' });
    expect(parseCohort('from:2026-11-20T10:10:00Z,to:2026-11-20T10:15:00Z')).toEqual({ kind: 'window', fromNs: '1795169400000000000', toNs: '1795169700000000000' });
    expect(parseCohort('from:1795169400000000000,to:+5m')).toEqual({ kind: 'window', fromNs: '1795169400000000000', toNs: '1795169700000000000' });
    expect(parseCohort('rest', { kind: 'errors' })).toEqual({ kind: 'not', of: { kind: 'errors' } });
    for (const bad of ['slowest:0%', 'slowest:x', 'band:75-50', 'band:50-101', 'from:yesterday,to:now', 'from:2026-11-20T10:15:00Z,to:2026-11-20T10:10:00Z', 'rest', 'fastest']) {
      expect(() => parseCohort(bad), bad).toThrow();
    }
    expect(describeCohort({ kind: 'band', from: 50, to: 75 })).toBe('p50–p75');
    expect(describeCohort(parseCohort('from:2026-11-20T10:10:00Z,to:+5m'))).toBe('2026-11-20 10:10:00 – 2026-11-20 10:15:00 UTC');
  });
});
