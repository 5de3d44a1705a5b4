// SLO formulas on hand-computed data: percentile definition, good/bad at the 1 ns boundary, error
// budget, burn rate, slices, coverage against a longer period, and the alerts a replay fires.
import { describe, it, expect } from 'vitest';
import {
  nearestRank, percentileOf, makeSloEvents, isErrorByRule, errorBudget, burnRate, DEFAULT_ERROR_RULE, type SloDefinition, DAY_NS, HOUR_NS,
  MINUTE_NS,
} from '../../src-renderer/core/analysis/slo.ts';
import { evaluateSlo } from '../../src-renderer/core/analysis/slo-eval.ts';
import { sloSeries } from '../../src-renderer/core/analysis/slo-series.ts';
import { epochNs } from '../../src-renderer/core/base/time.ts';

const S = 1e9;

function latencySlo(over: Partial<SloDefinition> = {}): SloDefinition {
  return {
    name: 'checkout-latency', service: 'frontend', operation: 'GET /checkout', indicator: { kind: 'latency', thresholdNs: 5 * S },
    objective: 0.99, windowNs: 5 * MINUTE_NS, periodNs: 30 * DAY_NS, ...over,
  };
}

describe('nearest-rank percentile', () => {
  it('picks sorted[ceil(q·N) − 1]', () => {
    const v = Float64Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(nearestRank(v, 0.99)).toBe(99);
    expect(nearestRank(v, 0.5)).toBe(50);
    expect(nearestRank(v, 0.995)).toBe(100); // ceil(99.5) = 100
    expect(nearestRank(v, 1)).toBe(100);
    expect(nearestRank(v, 0.001)).toBe(1);
  });
  it('is not fooled by binary noise in q·N (0.995 × 1000 = 995)', () => {
    const v = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(nearestRank(v, 0.995)).toBe(995);
    expect(nearestRank(v, 0.999)).toBe(999);
  });
  it('sorts numerically, not as strings', () => {
    expect(percentileOf([10, 9, 100, 2], 0.5)).toBe(9);
  });
});

describe('good and bad events', () => {
  it('duration == T is good, T + 1 ns is bad', () => {
    const ev = makeSloEvents(epochNs(0n), [1, 2, 3], [5 * S - 1, 5 * S, 5 * S + 1], [0, 0, 0]);
    const e = evaluateSlo(latencySlo({ objective: 0.5 }), ev);
    expect(e.total).toBe(3);
    expect(e.bad).toBe(1);
    expect(e.good).toBe(2);
  });
  it('error rule: status, error tag and http status threshold are each configurable', () => {
    const f = { status: 'unset' as const, errorTag: false, httpStatus: 503 };
    expect(isErrorByRule(f, DEFAULT_ERROR_RULE)).toBe(true);
    expect(isErrorByRule(f, { ...DEFAULT_ERROR_RULE, httpStatusMin: null })).toBe(false);
    expect(isErrorByRule({ ...f, httpStatus: 404 }, DEFAULT_ERROR_RULE)).toBe(false);
    expect(isErrorByRule({ ...f, httpStatus: 404 }, { ...DEFAULT_ERROR_RULE, httpStatusMin: 400 })).toBe(true);
    expect(isErrorByRule({ status: 'error', errorTag: false, httpStatus: null }, { ...DEFAULT_ERROR_RULE, statusError: false })).toBe(false);
    expect(isErrorByRule({ status: 'ok', errorTag: true, httpStatus: 200 }, DEFAULT_ERROR_RULE)).toBe(true);
  });
});

describe('budget and burn rate', () => {
  it('1000 requests, 15 slower than T, objective 99%: budget 10, consumed 15, burn 1.5', () => {
    const n = 1000;
    const t = Array.from({ length: n }, (_, i) => i * S);
    const d = Array.from({ length: n }, (_, i) => (i % 100 === 0 || (i % 100 === 1 && i < 500) ? 6 * S : S)); // 10 + 5 = 15 slow
    const e = evaluateSlo(latencySlo(), makeSloEvents(epochNs(1_700_000_000_000_000_000n), t, d, new Array(n).fill(0)));
    expect(e.bad).toBe(15);
    expect(e.compliance).toBeCloseTo(0.985, 12);
    expect(e.met).toBe(false);
    expect(e.budget.total).toBe(10);
    expect(e.budget.consumed).toBe(15);
    expect(e.budget.remaining).toBe(-5);
    expect(e.budget.remainingFraction).toBeCloseTo(-0.5, 12);
    expect(e.burnRate).toBeCloseTo(1.5, 12);
    expect(errorBudget(0.999, 20000)).toBeCloseTo(20, 9);
    expect(burnRate(3, 100, 0.99)).toBeCloseTo(3, 12);
    // the nearest-rank p99 of the range is 6 s: 15 slow requests are more than the 10 the 1% allows
    expect(e.observedPercentile).toEqual({ q: 0.99, valueNs: 6 * S });
  });

  it('availability counts errors; the error flag comes from the rule', () => {
    const ev = makeSloEvents(epochNs(0n), [1, 2, 3, 4], [1, 1, 1, 1], [0, 1, 0, 0]);
    const e = evaluateSlo(latencySlo({ indicator: { kind: 'availability', errorRule: DEFAULT_ERROR_RULE }, objective: 0.9 }), ev);
    expect([e.total, e.bad, e.compliance]).toEqual([4, 1, 0.75]);
    expect(e.burnRate).toBeCloseTo(2.5, 12);
  });
});

describe('time slices', () => {
  it('latency-percentile: a 5 m slice is good when its p99 ≤ T; budget counts slices', () => {
    // three 5-minute slices of 100 requests; slice 2 has 2 slow requests (p99 = slow), slice 3 has 1 (p99 fast)
    const t: number[] = [];
    const d: number[] = [];
    for (let s = 0; s < 3; s++) {
      for (let i = 0; i < 100; i++) {
        t.push(s * 5 * MINUTE_NS + i * S);
        d.push((s === 1 && i < 2) || (s === 2 && i === 0) ? 9 * S : S);
      }
    }
    const def = latencySlo({ indicator: { kind: 'latency-percentile', percentile: 0.99, thresholdNs: 5 * S }, objective: 0.5 });
    const e = evaluateSlo(def, makeSloEvents(epochNs(0n), t, d, new Array(t.length).fill(0)), { range: { startNs: 0, endNs: 15 * MINUTE_NS - 1 } });
    expect(e.unit).toBe('slices');
    expect(Array.from(e.slices.percentile)).toEqual([S, 9 * S, S]);
    expect([e.total, e.good, e.bad]).toEqual([3, 2, 1]);
    expect(e.budget.total).toBeCloseTo(1.5, 12);
  });
});

describe('coverage', () => {
  it('3 days of data against a 30-day SLO: 10% of the period, nothing extrapolated', () => {
    // one request per minute for 3 days, except a 1-hour gap on day 2
    const t: number[] = [];
    for (let m = 0; m < 3 * 24 * 60; m++) if (m < 36 * 60 || m >= 37 * 60) t.push(m * MINUTE_NS + 30 * S);
    const n = t.length;
    const ev = makeSloEvents(epochNs(0n), t, new Array(n).fill(S), new Array(n).fill(0));
    const e = evaluateSlo(latencySlo(), ev, { range: { startNs: 0, endNs: 3 * DAY_NS } });
    expect(e.coverage.ofPeriod).toBeCloseTo(0.1, 12);
    expect(e.total).toBe(n);
    expect(e.budget.total).toBeCloseTo(0.01 * n, 9); // the observed events' budget, not ×10
    expect(e.coverage.gaps).toEqual([{ startNs: 36 * HOUR_NS, endNs: 37 * HOUR_NS }]);
    // 864 five-minute slices in 3 days (the range's end falls on a slice boundary and opens no new one)
    expect(e.coverage.slicesInRange).toBe(864);
    expect(e.coverage.slicesWithData).toBe(864 - 12);
    expect(e.coverage.note).toContain('10.0%');
    // the 3-day ticket window fits exactly; nothing longer than the data is evaluated
    expect(e.alerts.map((a) => [a.rule.longWindowNs / HOUR_NS, a.evaluated])).toEqual([[1, true], [6, true], [24, true], [72, true]]);
    const short = evaluateSlo(latencySlo(), ev, { range: { startNs: 0, endNs: 2 * DAY_NS } });
    expect(short.alerts[3].evaluated).toBe(false);
    expect(short.alerts[3].coverage).toBeCloseTo(2 / 3, 12);
    expect(short.alerts[3].fired).toEqual([]);
  });
});

describe('alert replay', () => {
  it('a 20-minute incident at 100% bad fires the 1 h page (14.4x) only while both windows burn', () => {
    // one request every 10 s for 4 hours; requests in [2h, 2h20m) are slow
    const t: number[] = [];
    const d: number[] = [];
    for (let s = 0; s < 4 * 3600; s += 10) {
      t.push(s * S);
      d.push(s >= 7200 && s < 7200 + 1200 ? 10 * S : S);
    }
    const ev = makeSloEvents(epochNs(0n), t, d, new Array(t.length).fill(0));
    const e = evaluateSlo(latencySlo({ objective: 0.999 }), ev, { range: { startNs: 0, endNs: 4 * HOUR_NS }, stepNs: MINUTE_NS });
    const page1h = e.alerts[0];
    expect(page1h.rule.threshold).toBe(14.4);
    // long window 1 h: bad share > 1.44% needs > 5.184 bad of 360 → 6 bad; the first bad request is at
    // 2h00m00; at τ = 2h01m the window holds 7 bad (2:00:00..2:01:00) and the 5 m window is all bad.
    expect(page1h.fired.length).toBe(1);
    expect(page1h.fired[0].fromNs).toBe(2 * HOUR_NS + MINUTE_NS);
    // short window (5 m) stops burning 5 minutes after the last bad request (2h19m50) → last firing at 2h24m
    expect(page1h.fired[0].toNs).toBe(2 * HOUR_NS + 24 * MINUTE_NS);
    const s = sloSeries(ev, e);
    expect(s.latency.data[0].length).toBe(t.length);
    expect(Array.from(s.latency.data[2]).filter((v) => v !== null).length).toBe(120);
    const rem = s.budget.data[1];
    expect(rem[0]).toBe(1);
    expect(rem[rem.length - 1]).toBeCloseTo((0.001 * 1440 - 120) / (0.001 * 1440), 9);
    expect(s.burn.labels).toEqual(['burn 5m', 'burn 1h']); // the 6 h window does not fit in 4 h of data
    expect(s.percentile!.data[1].length).toBe(e.slices.count);
  });
});
