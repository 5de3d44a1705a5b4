// The latency scatter's points: every trace a search finds, as columns of typed arrays (made by
// the engine's trace search from the traces table it holds, engine/trace-search.ts).

/**
 * Every trace a search finds as a point of the latency scatter, by start (then number): its start
 * (ns after `baseNs`, the first trace's start: exact in a double for 104 days), its duration (ns),
 * whether it has an error, and its number (to open it). Columns of typed arrays: a million points
 * cross to the renderer as four buffers, not a million objects.
 */
export interface TraceScatterPoints {
  baseNs: string;
  startNs: Float64Array;
  durationNs: Float64Array;
  error: Uint8Array;
  traceNo: Int32Array;
}
