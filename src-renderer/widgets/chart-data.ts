// What the chart widget (Chart.svelte) computes over its data: ranges, stacking, and the point
// under the pointer. Pure functions of the data and the uPlot instance, kept apart from the
// component so it stays about drawing.
import uPlot from 'uplot';

/** The smallest and largest non-null value; [Infinity, -Infinity] when there is none. */
export function extentOf(ys: ArrayLike<number | null>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < ys.length; i++) {
    const v = ys[i];
    if (v == null) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** The y axis's range over series bounds, padded as uPlot pads the data's own (its snapLogY and snapNumY). */
export function yAxisRange(bounds: ReadonlyArray<[number, number] | null>, logY: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const b of bounds) {
    if (!b) continue;
    lo = Math.min(lo, b[0]);
    hi = Math.max(hi, b[1]);
  }
  if (lo > hi) return logY ? [1, 10] : [0, 1];
  const r = logY ? uPlot.rangeLog(lo, hi, 10, false) : uPlot.rangeNum(lo, hi, 0.1, true);
  return [r[0] ?? lo, r[1] ?? hi];
}

/** Ys stacked so bars sit on each other (histograms), the tallest (the sum) first: uPlot draws later series over earlier ones. */
export function stackSeries(d: uPlot.AlignedData): uPlot.AlignedData {
  const out: (number | null)[][] = [];
  const acc = new Array<number>(d[0].length).fill(0);
  for (let s = 1; s < d.length; s++) {
    const ys = d[s] as (number | null)[];
    out.push(ys.map((v, i) => (acc[i] += v ?? 0)));
  }
  return [d[0], ...out.reverse()] as uPlot.AlignedData;
}

/** The drawn point nearest (x, y) in CSS pixels of the plot area, within 8 px: xs are sorted, so only a slice is looked at. */
export function nearestPoint(u: uPlot, left: number, top: number): number | null {
  const xs = u.data[0];
  const lo = u.posToVal(left - 8, 'x');
  const hi = u.posToVal(left + 8, 'x');
  // Widgets import nothing of the app (core/base/sorted.ts is out of reach): the search is written here.
  let i = 0;
  let j = xs.length;
  while (i < j) {
    const m = (i + j) >>> 1;
    if (xs[m] < lo) i = m + 1;
    else j = m;
  }
  let best: number | null = null;
  let bestD = 64;
  for (; i < xs.length && xs[i] <= hi; i++) {
    for (let s = 1; s < u.data.length; s++) {
      const y = u.data[s][i];
      if (y == null) continue;
      const dx = u.valToPos(xs[i], 'x') - left;
      const dy = u.valToPos(y, 'y') - top;
      const d = dx * dx + dy * dy;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
  }
  return best;
}
