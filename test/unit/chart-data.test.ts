// The chart widget's computations over its data, on hand-checked cases: the y axis's range from
// series bounds (the same as uPlot makes from the data itself), extents, stacking, and the log
// the scatter's point drawer uses instead of Math.log2.
import { describe, it, expect } from 'vitest';
import uPlot from 'uplot';
import { extentOf, stackSeries, yAxisRange } from '../../src-renderer/widgets/chart-data.ts';
import { fastLog2 } from '../../src-renderer/widgets/pixel-points.ts';

describe('chart data', () => {
  it('the y range from bounds is the one uPlot pads the data to', () => {
    expect(yAxisRange([[3, 420], [80, 9000]], true)).toEqual([3, 10000]);
    expect(yAxisRange([[3, 420], null], true)).toEqual(uPlot.rangeLog(3, 420, 10, false));
    expect(yAxisRange([[0, 95]], false)).toEqual(uPlot.rangeNum(0, 95, 0.1, true));
    expect(yAxisRange([null, null], true)).toEqual([1, 10]);
    expect(yAxisRange([], false)).toEqual([0, 1]);
  });

  it('extents skip nulls; none gives an empty range', () => {
    expect(extentOf([null, 4, 2, null, 9])).toEqual([2, 9]);
    expect(extentOf(new Float64Array([5]))).toEqual([5, 5]);
    const [lo, hi] = extentOf([null, null]);
    expect(lo > hi).toBe(true);
  });

  it('stacks running sums, the sum first', () => {
    expect(stackSeries([[1, 2], [1, null], [2, 3]])).toEqual([[1, 2], [3, 3], [1, 0]]);
  });

  it('fastLog2 is within 1.2e-5 of Math.log2 from a microsecond to days, and far off the axis for what has no log', () => {
    let worst = 0;
    for (let e = -6; e <= 9; e += 0.0001) {
      const v = 10 ** e;
      worst = Math.max(worst, Math.abs(fastLog2(v) - Math.log2(v)));
    }
    expect(worst).toBeLessThan(1.2e-5);
    // The bound is tight: half a step of the table, at the slope of log2 near 1.
    expect(worst).toBeGreaterThan(0.9e-5);
    for (const [v, l] of [[1, 0], [1024, 10], [0.5, -1], [3, Math.log2(3)]]) expect(Math.abs(fastLog2(v) - l)).toBeLessThan(1.2e-5);
    for (const v of [0, -5, Infinity, NaN]) expect(Math.abs(fastLog2(v))).toBeGreaterThan(1000);
  });
});
