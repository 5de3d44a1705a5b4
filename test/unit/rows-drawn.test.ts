import { describe, it, expect } from 'vitest';
import { rowsDrawn } from '../../src-renderer/widgets/rows-drawn.ts';

describe('rows drawn by a virtualised list', () => {
  it('the window alone when the current row is in it, or when there is none', () => {
    expect(rowsDrawn(10, 14, 12)).toEqual([10, 11, 12, 13]);
    expect(rowsDrawn(10, 14, -1)).toEqual([10, 11, 12, 13]);
    expect(rowsDrawn(0, 0, -1)).toEqual([]);
  });
  it('a current row above the window comes first, one below it last: document order', () => {
    expect(rowsDrawn(10, 13, 0)).toEqual([0, 10, 11, 12]);
    expect(rowsDrawn(10, 13, 99)).toEqual([10, 11, 12, 99]);
    expect(rowsDrawn(10, 13, 13)).toEqual([10, 11, 12, 13]);
  });
});
