// The charts' time labels follow the tables' convention: UTC, 24-hour, ISO dates.
import { describe, expect, it } from 'vitest';
import { formatChartTime } from '../../src-renderer/views/format.ts';

const T = Date.UTC(2026, 10, 20, 22, 10, 5, 250) / 1000; // 2026-11-20 22:10:05.250 UTC

describe('formatChartTime', () => {
  it('gives the time to the step, 24-hour, with the date on the first tick', () => {
    expect(formatChartTime(T, 60, null)).toBe('2026-11-20 22:10');
    expect(formatChartTime(T, 60, T - 60)).toBe('22:10');
    expect(formatChartTime(T, 5, T - 5)).toBe('22:10:05');
    expect(formatChartTime(T, 0.1, T - 0.1)).toBe('22:10:05.250');
    expect(formatChartTime(T, 0, null)).toBe('2026-11-20 22:10:05.250');
  });

  it('repeats the date where the day changes, and days alone on a daily step', () => {
    const next = T + 2 * 3600; // 00:10 the next day
    expect(formatChartTime(next, 3600, T)).toBe('2026-11-21 00:10');
    expect(formatChartTime(next, 86_400, T)).toBe('2026-11-21');
  });
});
