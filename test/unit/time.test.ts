// core/base/time.ts: the one reader of RFC 3339 date-times and zone offsets, the one "base +
// offset" back to an absolute time, and the constructors through which a number becomes a time.
// Expected values are worked out by hand from the calendar (1700000000 s = 2023-11-14T22:13:20Z).

import { describe, it, expect } from 'vitest';
import {
  parseRfc3339Ns, parseTimeArg, parseZoneOffset, wallTimeToEpochNs, epochAt, epochTextAt, durationBetween, epochNs, durationNs, usToEpochNs, formatWindow, formatIsoNs,
  type EpochNs, type DurationNs,
} from '../../src-renderer/core/base/time.ts';

const T = 1_700_000_000_000_000_000n; // 2023-11-14T22:13:20Z

describe('RFC 3339 date-times', () => {
  it('reads UTC stamps to the nanosecond, with and without a fraction', () => {
    expect(parseRfc3339Ns('2023-11-14T22:13:20Z')).toBe(T);
    expect(parseRfc3339Ns('2023-11-14T22:13:20.123456789Z')).toBe(T + 123_456_789n);
    expect(parseRfc3339Ns('2023-11-14T22:13:20.5Z')).toBe(T + 500_000_000n);
    // digits past the ninth are below a nanosecond and dropped, not rounded
    expect(parseRfc3339Ns('2023-11-14T22:13:20.1234567899Z')).toBe(T + 123_456_789n);
  });

  it('applies the offset: local time minus the offset is UTC', () => {
    expect(parseRfc3339Ns('2023-11-15T00:13:20+02:00')).toBe(T);
    expect(parseRfc3339Ns('2023-11-14T16:43:20.000000001-05:30')).toBe(T + 1n);
    expect(parseRfc3339Ns('2023-11-15T00:13:20+0200')).toBe(T);
    expect(parseRfc3339Ns('2023-11-15T00:13:20+02')).toBe(T);
  });

  it('takes what RFC 3339 allows besides: a lower-case t and z, a space for T, a comma before the fraction', () => {
    expect(parseRfc3339Ns('2023-11-14t22:13:20z')).toBe(T);
    expect(parseRfc3339Ns('2023-11-14 22:13:20,25Z')).toBe(T + 250_000_000n);
    expect(parseRfc3339Ns('  2023-11-14T22:13:20Z ')).toBe(T);
  });

  it('takes a command-line time as RFC 3339 or integer nanoseconds since the epoch', () => {
    expect(parseTimeArg('2023-11-14T22:13:20Z')).toBe(T);
    expect(parseTimeArg(` ${T + 7n}`)).toBe(T + 7n);
    for (const bad of ['1.5e18', '2023-11-14', 'yesterday', '']) expect(parseTimeArg(bad)).toBeNull();
  });

  it('refuses what is not one, or out of range', () => {
    for (const bad of ['2023-11-14T22:13:20', '2023-13-14T22:13:20Z', '2023-11-14T22:61:20Z', '14/11/2023 22:13:20', '', 'Z', 1700000000]) {
      expect(parseRfc3339Ns(bad)).toBeNull();
    }
  });
});

describe('zone offsets', () => {
  it('minutes east of UTC, as RFC 3339, ISO 8601 and people write them', () => {
    expect(['Z', 'z', '+00:00', '+02:00', '+0200', '+02', '-05:30', '-0530', 'UTC+1', 'GMT-3', 'UTC +05:45'].map(parseZoneOffset)).toEqual([
      0, 0, 0, 120, 120, 120, -330, -330, 60, -180, 345,
    ]);
  });

  it('null for anything else', () => {
    expect(['', 'CEST', '02:00', '+2:3', 'UTC', 'Europe/Berlin'].map(parseZoneOffset)).toEqual([null, null, null, null, null, null]);
  });
});

describe('wall-clock fields to an absolute time', () => {
  it('with a fixed offset or one that depends on the date', () => {
    expect(wallTimeToEpochNs(2023, 11, 14, 22, 13, 20, '1', 0)).toBe(T + 100_000_000n);
    expect(wallTimeToEpochNs(2023, 11, 15, 0, 13, 20, undefined, 120)).toBe(T);
    const seen: number[] = [];
    const zone = (wallMs: number) => (seen.push(wallMs), -60);
    expect(wallTimeToEpochNs(2023, 11, 14, 21, 13, 20, undefined, zone)).toBe(T);
    expect(seen).toEqual([Date.UTC(2023, 10, 14, 21, 13, 20)]);
  });

  it('null for fields out of range, a leap second and hour 24 allowed', () => {
    expect(wallTimeToEpochNs(2023, 2, 30, 0, 0, 0, undefined, 0)).not.toBeNull(); // Date.UTC rolls the day over, as date(1) does
    expect(wallTimeToEpochNs(2023, 0, 1, 0, 0, 0, undefined, 0)).toBeNull();
    expect(wallTimeToEpochNs(2023, 1, 1, 25, 0, 0, undefined, 0)).toBeNull();
    expect(wallTimeToEpochNs(2016, 12, 31, 23, 59, 60, undefined, 0)).toBe(1_483_228_800_000_000_000n);
    expect(wallTimeToEpochNs(2023, 1, 1, 24, 0, 0, undefined, 0)).toBe(wallTimeToEpochNs(2023, 1, 2, 0, 0, 0, undefined, 0));
  });
});

describe('base + offset', () => {
  it('is exact past 2^53 and rounds the offset to whole nanoseconds', () => {
    const base = epochNs(T + 1n);
    expect(epochAt(base, 0)).toBe(T + 1n);
    expect(epochTextAt(base, 999.5)).toBe('1700000000000001001');
    expect(epochTextAt('1700000000000000001', -2)).toBe('1699999999999999999');
    expect(durationBetween('1700000000000000001', epochAt(base, 5))).toBe(5);
  });
});

describe('brands', () => {
  it('a number becomes a time only through a constructor that checks it', () => {
    expect(() => epochNs(2n ** 63n)).toThrow(RangeError);
    expect(() => durationNs(Number.NaN)).toThrow(RangeError);
    expect(usToEpochNs(1_700_000_000_000_000)).toBe(T);
    // @ts-expect-error a plain bigint is not an EpochNs
    const t: EpochNs = T;
    // @ts-expect-error a plain number is not a DurationNs
    const d: DurationNs = 5;
    expect(formatIsoNs(t)).toBe('2023-11-14T22:13:20.000000000Z');
    expect(d).toBe(5);
  });

  it('windows read as SLO files write them', () => {
    expect([300e9, 3_600e9, 30 * 86_400e9, 90e9, 250e6].map(formatWindow)).toEqual(['5m', '1h', '30d', '90s', '250.0 ms']);
  });
});
