// The precision of each service's timestamps, and the tolerance it gives the structural checks and
// the critical path. Producers round: Zipkin and Jaeger write microseconds; the OpenTelemetry JS
// SDK starts every span at Date.now() (a whole millisecond) and ends it a performance.now()
// duration later, so its spans sit up to 1 ms early, each by its own amount:
//
//   parent  true ├──────────────────────┤          written start rounded down by 0.9 ms
//           written ├──────────────────────┤       → ends 0.9 ms early
//   child   true       ├──────────────────┤       rounded down by 0.1 ms
//           written     ├──────────────────┤      → "ends 0.8 ms after its parent": rounding
//
// A service's precision is the coarsest power of ten, from 1 µs to 1 s, that divides every start
// of its spans, or every end, whichever is coarser (sub-microsecond rounding is below anything
// reported). A gap, overlap
// or overhang no larger than the precision of the spans involved is rounding, not skew and not a
// change of the critical path.

/** Precisions considered, coarsest first (ns). A service none of them fits gets 0: no rounding to allow for. */
const STEPS = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3];

/**
 * Per span, the precision (ns) of its service's timestamps in this trace, 0 when they are not rounded to a microsecond or coarser. Times are offsets from
 * `baseNs` (exact epoch ns, as bigint or decimal text), whose remainder makes the offsets absolute.
 */
export function spanPrecisions(
  baseNs: bigint | string,
  start: ArrayLike<number>,
  duration: ArrayLike<number>,
  service: readonly string[],
): Float64Array {
  const n = start.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const base = Number(BigInt(baseNs) % 1_000_000_000n);
  // The coarsest step dividing every start, and every end, seen so far per service (an index into
  // STEPS; STEPS.length: none). Starts and ends are rounded apart: the JS SDK's starts are whole
  // milliseconds and its ends are not, and either rounding moves the span.
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = base + start[i];
    const e = s + Math.max(0, duration[i]);
    let k = starts.get(service[i]) ?? 0;
    while (k < STEPS.length && s % STEPS[k] !== 0) k++;
    starts.set(service[i], k);
    k = ends.get(service[i]) ?? 0;
    while (k < STEPS.length && e % STEPS[k] !== 0) k++;
    ends.set(service[i], k);
  }
  for (let i = 0; i < n; i++) {
    const k = Math.min(starts.get(service[i])!, ends.get(service[i])!);
    out[i] = k < STEPS.length ? STEPS[k] : 0;
  }
  return out;
}

/**
 * spanPrecisions for each trace of a forest read trace by trace: the spans of trace t are
 * `first[t]` to `first[t + 1]` (the last entry closes the last trace). Each trace gets its own
 * precisions, as it would opened alone.
 */
export function forestPrecisions(
  baseNs: bigint | string,
  start: ArrayLike<number>,
  duration: ArrayLike<number>,
  service: readonly string[],
  first: ArrayLike<number>,
): Float64Array {
  const n = start.length;
  const out = new Float64Array(n);
  const base = Number(BigInt(baseNs) % 1_000_000_000n);
  // As spanPrecisions, trace by trace, with the base read once and a trace's few services found
  // by comparing strings rather than by two Maps per trace (thousands of traces per step).
  const names: string[] = [];
  const startStep: number[] = [];
  const endStep: number[] = [];
  const of = new Int32Array(n);
  for (let t = 0; t + 1 < first.length; t++) {
    const a = first[t];
    const b = first[t + 1];
    names.length = 0;
    startStep.length = 0;
    endStep.length = 0;
    let index: Map<string, number> | null = null;
    for (let i = a; i < b; i++) {
      const name = service[i];
      let j = index ? (index.get(name) ?? -1) : names.indexOf(name);
      if (j < 0) {
        j = names.push(name) - 1;
        startStep.push(0);
        endStep.push(0);
        if (index) index.set(name, j);
        else if (names.length > 16) index = new Map(names.map((x, k) => [x, k]));
      }
      of[i] = j;
      const s = base + start[i];
      const e = s + Math.max(0, duration[i]);
      let k = startStep[j];
      while (k < STEPS.length && s % STEPS[k] !== 0) k++;
      startStep[j] = k;
      k = endStep[j];
      while (k < STEPS.length && e % STEPS[k] !== 0) k++;
      endStep[j] = k;
    }
    for (let i = a; i < b; i++) {
      const k = Math.min(startStep[of[i]], endStep[of[i]]);
      out[i] = k < STEPS.length ? STEPS[k] : 0;
    }
  }
  return out;
}
