// Time (GUIDE.md "Time"): absolute timestamps are nanoseconds since the epoch as BigInt, exact.
// What JavaScript computes with is an offset or a duration in nanoseconds as a number, exact in a
// double up to 2^53 ns (about 104 days).

/** Absolute time: nanoseconds since the Unix epoch. */
export type EpochNs = bigint & { readonly __brand?: 'EpochNs' };
/** A duration or an offset from some base, in nanoseconds. */
export type DurationNs = number & { readonly __brand?: 'DurationNs' };

export const NS_PER_US = 1_000n;
export const NS_PER_MS = 1_000_000n;
export const NS_PER_S = 1_000_000_000n;

/**
 * The times an EpochNs can hold: the store keeps them as SQLite's 64-bit integers, which span
 * 1677-09-21 to 2262-04-11. A time outside (a year 9999 stamp, a 30-digit number) is unreadable
 * to every parser here, as a malformed one is, rather than stored as a rounded real.
 */
export const MIN_EPOCH_NS: EpochNs = -(2n ** 63n);
export const MAX_EPOCH_NS: EpochNs = 2n ** 63n - 1n;

/** `ns` if an EpochNs can hold it, else null. */
export function epochNsOrNull(ns: bigint): EpochNs | null {
  return ns >= MIN_EPOCH_NS && ns <= MAX_EPOCH_NS ? ns : null;
}

/** Parse a decimal integer string (or number) of nanoseconds exactly. Returns null if not an integer in range. */
export function parseEpochNs(v: unknown): EpochNs | null {
  if (typeof v === 'bigint') return epochNsOrNull(v);
  if (typeof v === 'number') return Number.isFinite(v) ? epochNsOrNull(BigInt(Math.round(v))) : null;
  if (typeof v !== 'string') return null;
  if (v.length < 19 && isDigits(v)) return BigInt(v); // the usual form, read for every span: no trim, no regex
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

/** Microseconds (Jaeger, Zipkin) to nanoseconds, exactly. */
export function usToNs(us: number | bigint | string): EpochNs {
  return BigInt(typeof us === 'number' ? Math.round(us) : us) * NS_PER_US;
}

/** Difference of two absolute times as a number of nanoseconds. */
export function diffNs(a: EpochNs, b: EpochNs): DurationNs {
  return Number(a - b);
}

/** `base` (exact epoch ns, or its decimal text) plus an offset in ns, rounded to whole ns. */
export function epochAt(base: EpochNs | string, offsetNs: number): EpochNs {
  return BigInt(base) + BigInt(Math.round(offsetNs));
}

/** epochAt as the decimal text replies and files carry absolute times in. */
export function epochTextAt(base: EpochNs | string, offsetNs: number): string {
  return epochAt(base, offsetNs).toString();
}

/** Epoch nanoseconds to an ISO 8601 string with nanosecond precision, in UTC. */
export function formatIsoNs(ns: EpochNs): string {
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
  return unit ? Math.round(Number(m[1]) * unit[1]) : null;
}

/** A window or period as SLO files write it: "5m", "1h", "30d", "90s"; a duration for people otherwise. */
export function formatWindow(ns: DurationNs): string {
  if (ns % 86_400e9 === 0) return `${ns / 86_400e9}d`;
  if (ns % 3_600e9 === 0) return `${ns / 3_600e9}h`;
  if (ns % 60e9 === 0) return `${ns / 60e9}m`;
  if (ns % 1e9 === 0) return `${ns / 1e9}s`;
  return formatDuration(ns);
}

/** A duration for people: 1.23 s, 45.6 ms, 789 µs, 12 ns. */
export function formatDuration(ns: DurationNs): string {
  const a = Math.abs(ns);
  if (a >= 3600e9) return `${(ns / 3600e9).toFixed(2)} h`;
  if (a >= 60e9) return `${(ns / 60e9).toFixed(2)} min`;
  if (a >= 1e9) return `${(ns / 1e9).toFixed(a >= 10e9 ? 1 : 2)} s`;
  if (a >= 1e6) return `${(ns / 1e6).toFixed(a >= 10e6 ? 1 : 2)} ms`;
  if (a >= 1e3) return `${(ns / 1e3).toFixed(a >= 10e3 ? 1 : 2)} µs`;
  return `${ns} ns`;
}
