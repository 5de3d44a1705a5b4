// The charts' time labels follow the tables' convention: the app's zone (UTC unless chosen), 24-hour, ISO dates.
import { afterEach, describe, expect, it } from 'vitest';
import { formatChartTime, formatTimestamp, wallTimeNs } from '../../src-renderer/views/format.ts';
import { formatAbsoluteNs } from '../../src-renderer/views/trace/time-format.ts';
import { timeZone } from '../../src-renderer/state/time-zone.svelte.ts';
import type { EpochNs } from '../../src-renderer/core/base/time.ts';

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

// The app's one zone choice: tables, charts and the span panel show the same clock. Node reads a
// TZ set at run time, so the machine's zone is set here to ones with a half-hour offset and a
// daylight-saving change.
describe('times in this machine\'s zone', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    timeZone.set('utc');
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('moves every formatter to the same local clock, the sub-second digits kept exact', () => {
    process.env.TZ = 'Asia/Kolkata'; // UTC+05:30
    const ns = '1795809605123456789'; // 2026-11-27T20:00:05.123456789Z
    expect(wallTimeNs(ns, 'utc')).toBe('2026-11-27T20:00:05.123456789');
    expect(wallTimeNs(ns, 'local')).toBe('2026-11-28T01:30:05.123456789');
    timeZone.set('local');
    expect(formatTimestamp(ns, 9)).toBe('2026-11-28 01:30:05.123456789');
    expect(formatChartTime(T, 60, null)).toBe('2026-11-21 03:40');
    expect(formatChartTime(T, 0, null)).toBe('2026-11-21 03:40:05.250');
    expect(formatAbsoluteNs(BigInt(ns) as EpochNs, 'local')).toMatch(/^2026-11-28 01:30:05\.123456789 \+05:30 \(Asia\/\w+\)$/); // Kolkata or its older name, as ICU has it
    timeZone.set('utc');
    expect(formatTimestamp(ns)).toBe('2026-11-27 20:00:05.123');
    expect(formatAbsoluteNs(BigInt(ns) as EpochNs, 'utc')).toBe('2026-11-27 20:00:05.123456789 UTC');
  });

  it('follows a daylight-saving change within one range', () => {
    process.env.TZ = 'America/New_York';
    timeZone.set('local');
    // 2026-11-01 05:30 and 06:30 UTC: 01:30 EDT, then 01:30 EST an hour later.
    const a = Date.UTC(2026, 10, 1, 5, 30) / 1000;
    expect(formatChartTime(a, 60, null)).toBe('2026-11-01 01:30');
    expect(formatChartTime(a + 3600, 60, a)).toBe('01:30');
    expect(formatAbsoluteNs((BigInt(a + 3600) * 1_000_000_000n) as EpochNs, 'local')).toMatch(/^2026-11-01 01:30:00\.000000000 -05:00 \(America\/New_York\)$/);
  });

  it('keeps times before 1970 on the right second', () => {
    process.env.TZ = 'Asia/Kolkata';
    expect(wallTimeNs('-1500000000', 'utc')).toBe('1969-12-31T23:59:58.500000000');
    expect(wallTimeNs('-1500000000', 'local')).toBe('1970-01-01T05:29:58.500000000');
  });
});
