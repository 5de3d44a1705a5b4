// The one binary search: first >= x (lowerBound) and first > x (upperBound), over typed and plain
// arrays, with duplicates, at both ends, empty, and within a slice.
import { describe, it, expect } from 'vitest';
import { lowerBound, upperBound } from '../../src-renderer/core/base/sorted.ts';

describe('sorted search', () => {
  const a = [1, 3, 3, 3, 7, 9];
  it('finds the first equal and the first greater, with duplicates', () => {
    expect([0, 1, 2, 3, 4, 7, 9, 10].map((x) => lowerBound(a, x))).toEqual([0, 0, 1, 1, 4, 4, 5, 6]);
    expect([0, 1, 2, 3, 4, 7, 9, 10].map((x) => upperBound(a, x))).toEqual([0, 1, 1, 4, 4, 5, 6, 6]);
  });
  it('reads typed arrays the same', () => {
    for (const t of [Float64Array.from(a), Int32Array.from(a)]) {
      expect(lowerBound(t, 3)).toBe(1);
      expect(upperBound(t, 3)).toBe(4);
    }
  });
  it('an empty array and a slice', () => {
    expect(lowerBound([], 5)).toBe(0);
    expect(upperBound(new Float64Array(0), 5)).toBe(0);
    // Within [2, 5): 3, 3, 7.
    expect(lowerBound(a, 3, 2, 5)).toBe(2);
    expect(upperBound(a, 3, 2, 5)).toBe(4);
    expect(lowerBound(a, 100, 2, 5)).toBe(5);
  });
});
