// Points drawn one square per canvas pixel: a scatter of a million traces covers at most the
// plot's pixels (about 190,000 at 1100 × 170), so points that land on a pixel already drawn are
// skipped, and squares are one path filled once. uPlot's own points are a circle each, which took
// about 2 s for a million here; this draws the same picture at the chart's resolution.
import type uPlot from 'uplot';

/** A uPlot path builder (series.paths) drawing each non-null point as a 3-pixel square, once per pixel. */
export function pixelPoints(u: uPlot, seriesIdx: number, idx0: number, idx1: number): uPlot.Series.Paths | null {
  const xs = u.data[0];
  const ys = u.data[seriesIdx];
  const { left, top, width, height } = u.bbox;
  const w = Math.ceil(width) + 1;
  const seen = new Uint8Array(w * (Math.ceil(height) + 1));
  const path = new Path2D();
  const x0 = u.valToPos(xs[idx0], 'x', true);
  const xScale = idx1 > idx0 ? (u.valToPos(xs[idx1], 'x', true) - x0) / (xs[idx1] - xs[idx0] || 1) : 0;
  // Both axes map a value by one multiply (of its log on a log axis) instead of a valToPos call per point.
  const ys0 = u.scales.y;
  const log = ys0.distr === 3;
  const f = (v: number) => (log ? Math.log10(v) : v);
  const lo = f(ys0.min ?? 0);
  const yScale = height / (f(ys0.max ?? 1) - lo || 1);
  const bottom = top + height;
  for (let i = idx0; i <= idx1; i++) {
    const y = ys[i];
    if (y == null) continue;
    const px = Math.round(x0 + (xs[i] - xs[idx0]) * xScale);
    const py = Math.round(bottom - (f(y) - lo) * yScale);
    const k = (px - Math.round(left)) + (py - Math.round(top)) * w;
    if (k < 0 || k >= seen.length || seen[k]) continue;
    seen[k] = 1;
    path.rect(px - 1, py - 1, 3, 3);
  }
  return { stroke: null, fill: path, clip: undefined, flags: 0 } as unknown as uPlot.Series.Paths;
}
