// The waterfall's time window and its ruler: zoom around a point, pan, ticks at round steps.
// Times are ns offsets from the trace's start; the window never leaves [0, total] and never gets
// narrower than MIN_WINDOW_NS (a 1 ns span still gets a bar a few pixels wide at full zoom).

export interface TimeWindow {
  from: number;
  to: number;
}

export const MIN_WINDOW_NS = 10;

export function fullWindow(total: number): TimeWindow {
  return { from: 0, to: Math.max(total, MIN_WINDOW_NS) };
}

/** Keep a window inside [0, total] with at least MIN_WINDOW_NS width, preserving its width when it can. */
export function clampWindow(w: TimeWindow, total: number): TimeWindow {
  const limit = Math.max(total, MIN_WINDOW_NS);
  let width = Math.min(Math.max(w.to - w.from, MIN_WINDOW_NS), limit);
  let from = Math.min(Math.max(w.from, 0), limit - width);
  if (!Number.isFinite(from)) from = 0;
  if (!Number.isFinite(width)) width = limit;
  return { from, to: from + width };
}

/** Zoom by `factor` (< 1 zooms in) keeping the time at `anchor` (0..1 across the window) in place. */
export function zoomAt(w: TimeWindow, total: number, factor: number, anchor = 0.5): TimeWindow {
  const width = w.to - w.from;
  const at = w.from + width * anchor;
  const next = Math.max(width * factor, MIN_WINDOW_NS);
  return clampWindow({ from: at - next * anchor, to: at - next * anchor + next }, total);
}

/** Pan by a fraction of the window's width (negative: towards the start). */
export function panBy(w: TimeWindow, total: number, fraction: number): TimeWindow {
  const d = (w.to - w.from) * fraction;
  return clampWindow({ from: w.from + d, to: w.to + d }, total);
}

export function timeToX(t: number, w: TimeWindow, width: number): number {
  return ((t - w.from) / (w.to - w.from)) * width;
}

export function xToTime(x: number, w: TimeWindow, width: number): number {
  return w.from + (x / width) * (w.to - w.from);
}

/** Tick times at a 1-2-5 step chosen so that ticks are at least `minPx` apart. */
export function niceTicks(w: TimeWindow, width: number, minPx = 90): { step: number; ticks: number[] } {
  const span = w.to - w.from;
  if (!(span > 0) || !(width > 0)) return { step: 0, ticks: [] };
  const raw = (span * minPx) / width;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const stepNs = Math.max(1, step);
  const ticks: number[] = [];
  for (let t = Math.ceil(w.from / stepNs) * stepNs; t <= w.to && ticks.length < 1000; t += stepNs) ticks.push(t);
  return { step: stepNs, ticks };
}

/**
 * A tick's label: one unit for the whole ruler (chosen by the window's end, so labels read
 * 0.5 s, 1.0 s, 1.5 s rather than 500 ms, 1.00 s) and as many decimals as the step needs.
 */
export function formatTick(t: number, step: number, windowEnd: number): string {
  if (t === 0) return '0';
  const units: Array<[number, string]> = [
    [1e9, 's'],
    [1e6, 'ms'],
    [1e3, 'µs'],
    [1, 'ns'],
  ];
  const [div, unit] = units.find(([d]) => windowEnd >= d) ?? [1, 'ns'];
  const digits = Math.min(9, Math.max(0, Math.ceil(-Math.log10(step / div) - 1e-9)));
  return `${(t / div).toFixed(digits)} ${unit}`;
}
