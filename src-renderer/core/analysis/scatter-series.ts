// The latency scatter's series and histogram, made from the columns of its points (one value per
// trace). The engine makes them in its worker, so the UI thread receives what the chart draws.

/**
 * Every trace a search finds as a point of the scatter, by start (then number), in columns: its
 * start (ns after `baseNs`, the first trace's start: exact in a double for 104 days), its duration
 * (ns), 1 when it has an error, and its number (to open it).
 */
export interface TraceScatterPoints {
  baseNs: string;
  startNs: Float64Array;
  durationNs: Float64Array;
  error: Uint8Array;
  traceNo: Int32Array;
}

/** What the series and the histogram read of the points. */
export type ScatterColumns = Omit<TraceScatterPoints, 'traceNo'>;

/** A duration shown on a log axis is at least this (ms): a 0 ns trace still gets a place. */
const MIN_MS = 1e-3;

export interface DurationBin {
  /** [fromMs, toMs); the last bin also holds toMs */
  fromMs: number;
  toMs: number;
  ok: number;
  errors: number;
}

/** A duration (ns) rounded down or up to two significant digits (1,261,587,656 → 1,200,000,000 or 1,300,000,000). */
export function roundDuration(ns: number, up: boolean): number {
  if (ns <= 0) return 0;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(ns)) - 1);
  return (up ? Math.ceil(ns / step) : Math.floor(ns / step)) * step;
}

/** A series' smallest and largest value; null when it has none. */
export type Bounds = [number, number] | null;

/** x (seconds since the epoch), then y (ms) of traces without errors, then of traces with errors; NaN where a series has no point. */
export type ScatterSeries = [Float64Array, Float64Array, Float64Array];

/** The latency scatter as the engine answers it: the series to draw, their bounds, and the histogram. */
export interface TraceScatter {
  /** Each point's trace number (to open it), in the series' order (by start). */
  traceNo: Int32Array;
  data: ScatterSeries;
  bounds: [Bounds, Bounds];
  bins: DurationBin[];
}

/**
 * The scatter's series: x in seconds since the epoch, y in ms, one series for traces with errors;
 * with each y series' bounds, found on the way, so the chart need not read a million values again.
 * Typed arrays with NaN for "no point here" (the chart widget draws and describes NaN as a gap):
 * an array of a million numbers and nulls would box each number, which costs more to make, to
 * read and to collect than the drawing itself.
 */
export function seriesOf(p: ScatterColumns): { data: ScatterSeries; bounds: [Bounds, Bounds] } {
  const n = p.startNs.length;
  const baseSec = Number(BigInt(p.baseNs) / 1000n) / 1e6;
  const xs = new Float64Array(n);
  const ok = new Float64Array(n);
  const bad = new Float64Array(n);
  let lo0 = Infinity;
  let hi0 = -Infinity;
  let lo1 = Infinity;
  let hi1 = -Infinity;
  for (let i = 0; i < n; i++) {
    xs[i] = baseSec + p.startNs[i] / 1e9;
    const ms = Math.max(MIN_MS, p.durationNs[i] / 1e6);
    if (p.error[i]) {
      ok[i] = NaN;
      bad[i] = ms;
      if (ms < lo1) lo1 = ms;
      if (ms > hi1) hi1 = ms;
    } else {
      ok[i] = ms;
      bad[i] = NaN;
      if (ms < lo0) lo0 = ms;
      if (ms > hi0) hi0 = ms;
    }
  }
  return { data: [xs, ok, bad], bounds: [lo0 <= hi0 ? [lo0, hi0] : null, lo1 <= hi1 ? [lo1, hi1] : null] };
}

/**
 * Durations in `count` bins of equal width on a log scale, from the shortest to the longest.
 * `bounds` are the series' (seriesOf), so the range is not looked for again.
 */
export function durationBins(p: ScatterColumns, count: number, bounds: readonly Bounds[]): DurationBin[] {
  const n = p.durationNs.length;
  const known = bounds.filter((b): b is [number, number] => b !== null);
  if (n === 0 || known.length === 0) return [];
  const lo = Math.min(...known.map((b) => b[0]));
  const hi = Math.max(...known.map((b) => b[1]));
  const a = Math.log10(lo);
  const b = Math.log10(hi); // the longest falls in the last bin (clamped below), which ends at it
  const k = lo === hi ? 1 : count;
  const bins: DurationBin[] = Array.from({ length: k }, (_, i) => ({ fromMs: 10 ** (a + ((b - a) * i) / k), toMs: 10 ** (a + ((b - a) * (i + 1)) / k), ok: 0, errors: 0 }));
  const perDecade = k / (b - a);
  for (let i = 0; i < n; i++) {
    const ms = Math.max(MIN_MS, p.durationNs[i] / 1e6);
    const j = k === 1 ? 0 : Math.min(k - 1, Math.floor((Math.log10(ms) - a) * perDecade));
    if (p.error[i]) bins[j].errors++;
    else bins[j].ok++;
  }
  return bins;
}

