// Time. Absolute timestamps are nanoseconds since the epoch as BigInt, exact; what JavaScript
// computes with is an offset or a duration in nanoseconds as a number, exact in a double up to
// 2^53 ns (about 104 days).
//
// EpochNs and DurationNs are branded: a bigint or a number becomes one only through the parsers
// and constructors below, which is where units are read and ranges checked, so microseconds or
// milliseconds cannot pass for nanoseconds in the model. Arithmetic on offsets (a trace's columns,
// typed arrays) stays in plain numbers of ns.
//
// Every reading of RFC 3339 / ISO 8601 date-times and zone offsets, and every "base + offset"
// back to an absolute time, is here.

declare const EPOCH_NS: unique symbol;
declare const DURATION_NS: unique symbol;
/** Absolute time: nanoseconds since the Unix epoch. */
export type EpochNs = bigint & { readonly [EPOCH_NS]: true };
/** A duration or an offset from some base, in nanoseconds. */
export type DurationNs = number & { readonly [DURATION_NS]: true };

export const NS_PER_US = 1_000n;
export const NS_PER_MS = 1_000_000n;
export const NS_PER_S = 1_000_000_000n;

/**
 * The times an EpochNs can hold: the store keeps them as SQLite's 64-bit integers, which span
 * 1677-09-21 to 2262-04-11. A time outside (a year 9999 stamp, a 30-digit number) is unreadable
 * to every parser here, as a malformed one is, rather than stored as a rounded real.
 */
export const MIN_EPOCH_NS = -(2n ** 63n) as EpochNs;
export const MAX_EPOCH_NS = (2n ** 63n - 1n) as EpochNs;

/** `ns` (a count of nanoseconds since the epoch) if an EpochNs can hold it, else null. */
export function epochNsOrNull(ns: bigint): EpochNs | null {
  return ns >= MIN_EPOCH_NS && ns <= MAX_EPOCH_NS ? (ns as EpochNs) : null;
}

/** `ns`, a count of nanoseconds since the epoch, as an EpochNs; a RangeError outside what one holds. */
export function epochNs(ns: bigint): EpochNs {
  const t = epochNsOrNull(ns);
  if (t === null) throw new RangeError(`${ns} ns is outside the times a 64-bit integer of nanoseconds holds`);
  return t;
}

/** `ns`, a count of nanoseconds, as a DurationNs; a RangeError when it is not a finite number. */
export function durationNs(ns: number): DurationNs {
  if (!Number.isFinite(ns)) throw new RangeError(`${ns} is not a duration in nanoseconds`);
  return ns as DurationNs;
}

/** Parse a decimal integer string (or number) of nanoseconds exactly. Returns null if not an integer in range. */
export function parseEpochNs(v: unknown): EpochNs | null {
  if (typeof v === 'bigint') return epochNsOrNull(v);
  if (typeof v === 'number') return Number.isFinite(v) ? epochNsOrNull(BigInt(Math.round(v))) : null;
  if (typeof v !== 'string') return null;
  if (v.length < 19 && isDigits(v)) return BigInt(v) as EpochNs; // the usual form, read for every span (18 digits are in range): no trim, no regex
  const t = v.trim();
  return /^-?[0-9]+$/.test(t) ? epochNsOrNull(BigInt(t)) : null;
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Microseconds (Jaeger, Zipkin: a number, BigInt or integer text) to exact epoch ns, or null. A
 * fractional count (seen from some exporters) keeps the nanoseconds it states.
 */
export function usToEpochNs(v: unknown): EpochNs | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    return epochNsOrNull(Number.isInteger(v) ? BigInt(v) * NS_PER_US : BigInt(Math.round(v * 1000)));
  }
  if (typeof v === 'bigint') return epochNsOrNull(v * NS_PER_US);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return epochNsOrNull(BigInt(v.trim()) * NS_PER_US);
  return null;
}

/** From `start` to `end` (exact epoch ns, or their decimal text), in nanoseconds: a double, exact up to about 104 days. */
export function durationBetween(start: EpochNs | string, end: EpochNs | string): DurationNs {
  return Number(BigInt(end) - BigInt(start)) as DurationNs;
}

/** `base` (exact epoch ns, or its decimal text) plus an offset in ns, rounded to whole ns. */
export function epochAt(base: EpochNs | string, offsetNs: number): EpochNs {
  return epochNs(BigInt(base) + BigInt(Math.round(offsetNs)));
}

/** epochAt as the decimal text replies and files carry absolute times in. */
export function epochTextAt(base: EpochNs | string, offsetNs: number): string {
  return epochAt(base, offsetNs).toString();
}

const ZONE_OFFSET = /^(?:UTC|GMT)?\s*(?:(Z)|([+-])(\d{1,2})(?::?(\d{2}))?)$/i;

/**
 * A zone offset as RFC 3339 and ISO 8601 write it ("Z", "+02:00", "+0200", "+02", "-05:30"), also
 * after "UTC" or "GMT" ("UTC+1"), in minutes east of UTC; null when the text is not one.
 */
export function parseZoneOffset(text: string): number | null {
  const m = ZONE_OFFSET.exec(text.trim());
  if (!m) return null;
  if (m[1]) return 0;
  const min = Number(m[3]) * 60 + Number(m[4] ?? 0);
  return m[2] === '-' ? -min : min;
}

/**
 * A calendar date and wall-clock time to exact epoch ns. `fraction` is the digits after the
 * seconds' decimal point (beyond nine are dropped); `offsetMinutes` is east of UTC, or a function
 * of the wall time read as UTC milliseconds (a time zone whose offset depends on the date). Null
 * when a field is out of range (hour 24 and second 60 are accepted) or the time is outside EpochNs.
 */
export function wallTimeToEpochNs(
  y: number, mo: number, d: number, h: number, mi: number, s: number, fraction: string | undefined, offsetMinutes: number | ((wallMs: number) => number),
): EpochNs | null {
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 24 && mi <= 59 && s <= 60)) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (!Number.isFinite(wall)) return null;
  const off = typeof offsetMinutes === 'number' ? offsetMinutes : offsetMinutes(wall);
  let ns = BigInt(wall - off * 60_000) * NS_PER_MS;
  if (fraction) ns += BigInt(fraction.length >= 9 ? fraction.slice(0, 9) : fraction.padEnd(9, '0'));
  return epochNsOrNull(ns);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9})\d*)?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * An RFC 3339 date-time (https://www.rfc-editor.org/rfc/rfc3339#section-5.6; ISO 8601's "," for
 * the fraction, a space for "T", "+hhmm" and "+hh" offsets too) to exact epoch ns, or null. The
 * common "2024-03-01T10:00:00.123456Z" is read without a regular expression.
 */
export function parseRfc3339Ns(text: unknown): EpochNs | null {
  if (typeof text !== 'string') return null;
  const fast = parseUtcStamp(text);
  if (fast !== undefined) return fast;
  const m = RFC3339.exec(text.trim());
  if (!m) return null;
  const off = parseZoneOffset(m[8]);
  return off === null ? null : wallTimeToEpochNs(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], m[7], off);
}

/** A time as the command line takes it: RFC 3339, or integer nanoseconds since the epoch; null for anything else. */
export function parseTimeArg(text: string): EpochNs | null {
  const t = text.trim();
  return /^-?\d+$/.test(t) ? parseEpochNs(t) : parseRfc3339Ns(t);
}

/** One end of a time window as typed (RFC 3339 or epoch ns) as decimal epoch ns; undefined for '' (open); throws naming `what` otherwise. */
export function timeWindowArg(what: string, text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const t = parseTimeArg(text);
  if (t === null) throw new Error(`"${text}" (${what}) is neither an RFC 3339 time (2026-11-20T10:10:00Z) nor integer nanoseconds since the epoch`);
  return t.toString();
}

/** "yyyy-mm-ddThh:mm:ss[.f…]Z" read by character codes; undefined when the text is not in that form. */
function parseUtcStamp(s: string): EpochNs | null | undefined {
  const n = s.length;
  if (n < 20 || n > 30 || s.charCodeAt(n - 1) !== 90 || s.charCodeAt(10) !== 84 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const num = (a: number, b: number): number => {
    let x = 0;
    for (let i = a; i < b; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      x = x * 10 + c;
    }
    return x;
  };
  let fraction: string | undefined;
  if (n > 20) {
    if (s.charCodeAt(19) !== 46) return undefined;
    fraction = s.slice(20, n - 1);
    if (Number.isNaN(num(20, n - 1))) return undefined;
  }
  const y = num(0, 4), mo = num(5, 7), d = num(8, 10), h = num(11, 13), mi = num(14, 16), sec = num(17, 19);
  if (Number.isNaN(y + mo + d + h + mi + sec)) return undefined;
  return wallTimeToEpochNs(y, mo, d, h, mi, sec, fraction, 0);
}

/** Epoch nanoseconds (or their decimal text) to an ISO 8601 string with nanosecond precision, in UTC. */
export function formatIsoNs(time: EpochNs | string): string {
  const ns = BigInt(time);
  // Whole seconds rounded down, so that a time before 1970 keeps a positive fraction.
  let s = ns / NS_PER_S;
  if (s * NS_PER_S > ns) s -= 1n;
  const base = new Date(Number(s) * 1000).toISOString().slice(0, 19);
  return `${base}.${(ns - s * NS_PER_S).toString().padStart(9, '0')}Z`;
}

const UNITS: Array<[string, number]> = [
  ['ns', 1],
  ['us', 1e3],
  ['µs', 1e3],
  ['ms', 1e6],
  ['s', 1e9],
  ['m', 60e9],
  ['h', 3600e9],
  ['d', 86400e9],
  ['w', 604800e9],
];

/** Parse "5s", "250ms", "1.5h", "30d" into nanoseconds. Returns null when unreadable. */
export function parseDuration(text: string): DurationNs | null {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ns|us|µs|ms|s|m|h|d|w)\s*$/.exec(text);
  if (!m) return null;
  const unit = UNITS.find(([u]) => u === m[2]);
  return unit ? (Math.round(Number(m[1]) * unit[1]) as DurationNs) : null;
}

/** A window or period as SLO files write it: "5m", "1h", "30d", "90s"; a duration for people otherwise. */
export function formatWindow(ns: number): string {
  if (ns % 86_400e9 === 0) return `${ns / 86_400e9}d`;
  if (ns % 3_600e9 === 0) return `${ns / 3_600e9}h`;
  if (ns % 60e9 === 0) return `${ns / 60e9}m`;
  if (ns % 1e9 === 0) return `${ns / 1e9}s`;
  return formatDuration(ns);
}

/** A duration or offset in ns for people: 1.23 s, 45.6 ms, 789 µs, 12 ns. */
export function formatDuration(ns: number): string {
  const a = Math.abs(ns);
  if (a >= 3600e9) return `${(ns / 3600e9).toFixed(2)} h`;
  if (a >= 60e9) return `${(ns / 60e9).toFixed(2)} min`;
  if (a >= 1e9) return `${(ns / 1e9).toFixed(a >= 10e9 ? 1 : 2)} s`;
  if (a >= 1e6) return `${(ns / 1e6).toFixed(a >= 10e6 ? 1 : 2)} ms`;
  if (a >= 1e3) return `${(ns / 1e3).toFixed(a >= 10e3 ? 1 : 2)} µs`;
  // Averages (time per request) are fractions of a ns: one decimal is all they can say.
  return Number.isInteger(ns) ? `${ns} ns` : `${ns.toFixed(1)} ns`;
}
