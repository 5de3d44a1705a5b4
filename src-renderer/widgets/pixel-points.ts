// Points drawn per canvas pixel: a scatter of a million traces covers at most the plot's pixels
// (about 190,000 at 1100 × 170). Each point marks the 3 × 3 pixels around it in a coverage mask;
// the mask is then read row by row, and each run of covered pixels becomes one rectangle of the
// path, filled once. Where points are dense a whole row of the band is one rectangle, so the path
// holds thousands of rectangles, not hundreds of thousands. uPlot's own points are a circle each,
// which took about 2 s for a million here; this draws the same picture at the chart's resolution.
import type uPlot from 'uplot';

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** log2(1 + m) at the middle of each of 2^16 steps of the mantissa m in [0, 1): made on first use. */
let mantissaLog2: Float32Array | null = null;

function log2Table(): Float32Array {
  if (mantissaLog2) return mantissaLog2;
  const t = new Float32Array(1 << 16);
  for (let j = 0; j < t.length; j++) t[j] = Math.log2(1 + (j + 0.5) / t.length);
  return (mantissaLog2 = t);
}

/**
 * log2 of a positive number from its IEEE 754 bits (https://en.wikipedia.org/wiki/Double-precision_floating-point_format):
 * the exponent, plus log2 of the mantissa looked up by its top 16 bits. Within 1.2e-5 of
 * Math.log2 (a thousandth of a pixel on any axis drawn here), and a third of the cost of the
 * loop's other work, which a million points a draw notice. Zero, negatives, infinities and NaN
 * come out far outside any axis, and are skipped as such. The draw loop below inlines it.
 */
export function fastLog2(v: number): number {
  bits[0] = v;
  const hi = words[1];
  return (hi >>> 20) - 1023 + log2Table()[(hi >>> 4) & 0xffff];
}

/** A uPlot path builder (series.paths) drawing each point as a 3-pixel square; null and NaN are no point. */
export function pixelPoints(u: uPlot, seriesIdx: number, idx0: number, idx1: number): uPlot.Series.Paths | null {
  const xs = u.data[0];
  const ys = u.data[seriesIdx];
  const { left, top, width, height } = u.bbox;
  const x0 = Math.round(left);
  const y0 = Math.round(top);
  // The mask has a pixel of margin on each side, so a square at the edge needs no bounds checks.
  const w = Math.ceil(width) + 3;
  const h = Math.ceil(height) + 3;
  const mask = new Uint8Array(w * h);
  const xAt = u.valToPos(xs[idx0], 'x', true);
  const xScale = idx1 > idx0 ? (u.valToPos(xs[idx1], 'x', true) - xAt) / (xs[idx1] - xs[idx0] || 1) : 0;
  // Both axes map a value by one multiply (of its log on a log axis) instead of a valToPos call per point.
  const ys0 = u.scales.y;
  const log = ys0.distr === 3;
  const lo = log ? Math.log2(ys0.min ?? 1) : (ys0.min ?? 0);
  const yScale = height / ((log ? Math.log2(ys0.max ?? 10) : (ys0.max ?? 1)) - lo || 1);
  const bottom = top + height;
  const xFirst = xs[idx0];
  const table = log2Table();
  for (let i = idx0; i <= idx1; i++) {
    const y = ys[i];
    if (y == null || y !== y) continue; // y !== y: NaN
    let yv = y;
    if (log) {
      bits[0] = y; // fastLog2, inlined
      const hi = words[1];
      yv = (hi >>> 20) - 1023 + table[(hi >>> 4) & 0xffff];
    }
    const px = Math.round(xAt + (xs[i] - xFirst) * xScale) - x0 + 1;
    const py = Math.round(bottom - (yv - lo) * yScale) - y0 + 1;
    if (px < 1 || px > w - 2 || py < 1 || py > h - 2) continue;
    const k = px + py * w;
    if (mask[k] === 2) continue; // a point already drew here
    mask[k] = 2;
    mask[k - w - 1] ||= 1;
    mask[k - w] ||= 1;
    mask[k - w + 1] ||= 1;
    mask[k - 1] ||= 1;
    mask[k + 1] ||= 1;
    mask[k + w - 1] ||= 1;
    mask[k + w] ||= 1;
    mask[k + w + 1] ||= 1;
  }
  const path = new Path2D();
  for (let py = 0; py < h; py++) {
    const row = py * w;
    let px = 0;
    while (px < w) {
      if (mask[row + px] === 0) {
        px++;
        continue;
      }
      const start = px;
      while (px < w && mask[row + px] !== 0) px++;
      path.rect(start + x0 - 1, py + y0 - 1, px - start, 1);
    }
  }
  return { stroke: null, fill: path, clip: undefined, flags: 0 } as unknown as uPlot.Series.Paths;
}
