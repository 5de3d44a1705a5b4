// The minimap's bars as few rectangles. A 100,000-span trace squeezed into 48 pixel rows puts
// about 2,000 rows on each; drawing each bar alone cost ~200 ms of canvas calls. Bars of one colour
// that touch (within a pixel) on one pixel row are drawn as one rectangle instead, which looks
// the same at that scale. With fewer rows than pixels, every bar is its own rectangle.

export interface MiniRects {
  /** Colour index of each rectangle (into the caller's colours), and its box in CSS pixels. */
  color: number[];
  x: number[];
  y: number[];
  w: number[];
  h: number[];
}

/**
 * Collects bars in row order and merges, per pixel row, touching bars of one colour. `band` is the
 * bar's vertical place inside its row as [top, height] fractions of the row (the critical path is
 * a band through the middle: [1/3, 1/3]).
 */
export class MiniRectBatch {
  readonly out: MiniRects = { color: [], x: [], y: [], w: [], h: [] };
  private readonly rowH: number;
  private readonly squeezed: boolean;
  private pixelRow = -1;
  /** Open rectangle per colour on the current pixel row: [x0, x1], or undefined. */
  private readonly open: Array<[number, number] | undefined> = [];
  private readonly openColors: number[] = [];

  constructor(
    private readonly height: number,
    private readonly rowCount: number,
    private readonly band: readonly [number, number] = [0, 1],
  ) {
    this.rowH = height / Math.max(rowCount, 1);
    this.squeezed = this.rowH < 1;
  }

  add(row: number, color: number, x0: number, x1: number): void {
    if (x1 < x0 + 1) x1 = x0 + 1;
    if (!this.squeezed) {
      this.push(color, x0, x1, row * this.rowH + this.band[0] * this.rowH, Math.max(this.band[1] * this.rowH, 1));
      return;
    }
    const p = Math.floor(row * this.rowH);
    if (p !== this.pixelRow) {
      this.flush();
      this.pixelRow = p;
    }
    const o = this.open[color];
    if (o && x0 <= o[1] + 1 && x1 >= o[0] - 1) {
      if (x0 < o[0]) o[0] = x0;
      if (x1 > o[1]) o[1] = x1;
      return;
    }
    if (o) this.pushOpen(color, o);
    else this.openColors.push(color);
    this.open[color] = [x0, x1];
  }

  /** Ends the current pixel row; call once after the last bar. */
  flush(): void {
    for (const c of this.openColors) {
      const o = this.open[c];
      if (o) this.pushOpen(c, o);
      this.open[c] = undefined;
    }
    this.openColors.length = 0;
  }

  private pushOpen(color: number, o: [number, number]): void {
    // A pixel row holds many rows: the band is the whole pixel, as each of their bars would cover it.
    this.push(color, o[0], o[1], this.pixelRow, 1);
  }

  private push(color: number, x0: number, x1: number, y: number, h: number): void {
    const r = this.out;
    r.color.push(color);
    r.x.push(x0);
    r.y.push(y);
    r.w.push(x1 - x0);
    r.h.push(h);
  }
}
