// Binary search over ascending numbers (typed arrays or plain arrays): where a value is, or
// would go. One pair for the whole app, so the edges (first equal, first greater) are decided once.

/** The index of the first element >= x in a[lo, hi), or hi when there is none. */
export function lowerBound(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** The index of the first element > x in a[lo, hi), or hi when there is none. */
export function upperBound(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] <= x) lo = m + 1;
    else hi = m;
  }
  return lo;
}
