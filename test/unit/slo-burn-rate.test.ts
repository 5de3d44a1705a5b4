// Burn-rate alert thresholds derived from threshold = budget fraction × period / long window.
import { describe, it, expect } from 'vitest';
import { deriveBurnRateRules, WindowCounter } from '../../src-renderer/core/analysis/burn-rate.ts';

const H = 3_600e9;
const M = 60e9;
const D = 24 * H;

function table(periodDays: number) {
  return deriveBurnRateRules(periodDays * D).map((r) => [r.severity, r.budgetPercent, r.longWindowNs / H, r.shortWindowNs / M, r.threshold]);
}

describe('burn-rate thresholds', () => {
  it('30 days: the SRE Workbook table (14.4x 1h/5m, 6x 6h/30m, 3x 1d/2h, 1x 3d/6h)', () => {
    expect(table(30)).toEqual([
      ['page', 2, 1, 5, 14.4],
      ['page', 5, 6, 30, 6],
      ['ticket', 10, 24, 120, 3],
      ['ticket', 10, 72, 360, 1],
    ]);
  });
  it('28 days: 13.44x, 5.6x, 2.8x, 0.9333…x', () => {
    const t = table(28);
    expect(t.map((r) => r[4])).toEqual([13.44, 5.6, 2.8, 28 / 30]);
    expect(t[3][4]).toBeCloseTo(0.933333, 6);
  });
  it('7 days: 3.36x, 1.4x, 0.7x, 0.2333…x (same budget shares, shorter period)', () => {
    expect(table(7).map((r) => r[4])).toEqual([3.36, 1.4, 0.7, 7 / 30]);
  });
  it('custom windows: Sloth-style 7-day page at 8% in 1 h gives 13.44x; windows longer than the period are dropped', () => {
    const r = deriveBurnRateRules(7 * D, [
      { severity: 'page', budgetPercent: 8, longWindowNs: H },
      { severity: 'ticket', budgetPercent: 50, longWindowNs: 8 * D },
    ]);
    expect(r.length).toBe(1);
    expect(r[0].threshold).toBe(13.44);
    expect(r[0].shortWindowNs).toBe(5 * M);
  });
});

describe('window counts', () => {
  it('count events in (from, to] with prefix sums', () => {
    const c = new WindowCounter(Float64Array.from([1, 2, 2, 5, 9]), [0, 1, 1, 0, 1]);
    expect(c.count(0, 2)).toEqual([3, 2]);
    expect(c.count(2, 9)).toEqual([2, 1]);
    expect(c.count(9, 20)).toEqual([0, 0]);
    expect(c.badUpTo(5)).toBe(2);
  });
});
