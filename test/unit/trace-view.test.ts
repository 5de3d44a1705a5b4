// Pure helpers of the trace view: rows with collapse and filters, zoom/pan math and ruler ticks,
// the clock-skew derived view, subtree sizes and self times. Scenarios are small trees whose
// answers are worked out by hand in the comments.

import { describe, it, expect } from 'vitest';
import { buildTraceTree } from '../../src-renderer/core/model/tree.ts';
import { visibleRows, collapseAll, collapseToDepth, revealSpan, rowIndex, siblingPlaces } from '../../src-renderer/core/model/tree-rows.ts';
import { zoomAt, panBy, clampWindow, niceTicks, formatTick, timeToX, xToTime, fullWindow, MIN_WINDOW_NS } from '../../src-renderer/state/trace-viewport.ts';
import { skewCorrections, skewShifts } from '../../src-renderer/core/analysis/skew-view.ts';
import { serviceColor } from '../../src-renderer/views/trace/palette.ts';
import { subtreeSizes, selfTimes } from '../../src-renderer/core/model/tree-measures.ts';

//   0 A ├────────────────────────────┤ 0..100   service gw
//   1   B ├──────────┤                 10..40   service api
//   2     C ├───┤                      15..25   service db
//   3   D          ├─────────┤         30..60   service api
//   4     E           ├──┤             35..45   service db
//   5 F (second root)            ├─┤   80..90   service gw
// pre-order: A B C D E F
const SPANS = [
  { spanId: 'a', parentSpanId: null, start: 0, duration: 100, service: 'gw' },
  { spanId: 'b', parentSpanId: 'a', start: 10, duration: 30, service: 'api' },
  { spanId: 'c', parentSpanId: 'b', start: 15, duration: 10, service: 'db' },
  { spanId: 'd', parentSpanId: 'a', start: 30, duration: 30, service: 'api' },
  { spanId: 'e', parentSpanId: 'd', start: 35, duration: 10, service: 'db' },
  { spanId: 'f', parentSpanId: null, start: 80, duration: 10, service: 'gw' },
];
const tree = buildTraceTree(SPANS);
const shape = { order: tree.order, depth: tree.depth, parent: tree.parent, subtree: subtreeSizes(tree) };
const rows = (collapsed: Iterable<number>, keep: Uint8Array | null = null) => Array.from(visibleRows(shape, new Set(collapsed), keep));

describe('rows', () => {
  it('subtree sizes count the span and everything under it', () => {
    expect(Array.from(shape.subtree)).toEqual([5, 2, 1, 2, 1, 1]);
  });

  it('all spans in pre-order when nothing is collapsed', () => {
    expect(rows([])).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('collapsing one span hides its subtree only', () => {
    expect(rows([1])).toEqual([0, 1, 3, 4, 5]);
    expect(rows([0])).toEqual([0, 5]);
  });

  it('collapse all leaves the roots; to depth 1 shows depths 0 and 1', () => {
    expect(rows(collapseAll(shape))).toEqual([0, 5]);
    expect(Array.from(collapseToDepth(shape, 1)).sort()).toEqual([1, 3]);
    expect(rows(collapseToDepth(shape, 1))).toEqual([0, 1, 3, 5]);
    expect(rows(collapseToDepth(shape, 0))).toEqual([0, 5]);
  });

  it('a filter hides spans but keeps their children; a collapse under a filter still hides the subtree', () => {
    const keep = Uint8Array.from([1, 0, 1, 1, 0, 1]);
    expect(rows([], keep)).toEqual([0, 2, 3, 5]);
    expect(rows([3], keep)).toEqual([0, 2, 3, 5]);
    expect(rows([1], keep)).toEqual([0, 3, 5]);
  });

  it('revealing a span expands its ancestors and nothing else', () => {
    const collapsed = new Set([0, 1, 3]);
    const next = revealSpan(shape, collapsed, 4);
    expect(Array.from(next).sort()).toEqual([1]);
    expect(rows(next)).toEqual([0, 1, 3, 4, 5]);
    expect(collapsed.size).toBe(3); // not mutated
  });

  it('row index maps spans to rows and hidden spans to -1', () => {
    expect(Array.from(rowIndex(visibleRows(shape, new Set([1])), 6))).toEqual([0, 1, -1, 2, 3, 4]);
  });

  it("each span's place among its siblings, the two roots a set of their own (aria-posinset, aria-setsize)", () => {
    const { posInSet, setSize } = siblingPlaces(shape);
    // A and F are the roots; B and D the children of A; C of B; E of D.
    expect(Array.from(posInSet)).toEqual([1, 1, 1, 2, 1, 2]);
    expect(Array.from(setSize)).toEqual([2, 2, 1, 2, 1, 2]);
  });

  it('a 100,000-deep chain collapses and flattens without recursion', () => {
    const n = 100_000;
    const chain = Array.from({ length: n }, (_, i) => ({ spanId: `s${i}`, parentSpanId: i === 0 ? null : `s${i - 1}`, start: i }));
    const t = buildTraceTree(chain);
    const sh = { order: t.order, depth: t.depth, parent: t.parent, subtree: subtreeSizes(t) };
    expect(sh.subtree[0]).toBe(n);
    expect(visibleRows(sh, new Set()).length).toBe(n);
    expect(visibleRows(sh, new Set([500])).length).toBe(501);
    expect(visibleRows(sh, collapseToDepth(sh, 9)).length).toBe(10);
  });
});

describe('self time', () => {
  it('is the duration less the union of the children, clipped to the span', () => {
    // A: children B 10..40 and D 30..60 overlap → union 10..60 = 50 → self 50.
    // B: child C 15..25 → 20. C: 10. D: child E 35..45 → 20. E: 10. F: 10.
    expect(Array.from(selfTimes(tree, SPANS.map((s) => s.start), SPANS.map((s) => s.duration)))).toEqual([50, 20, 10, 20, 10, 10]);
  });

  it('clips a child that sticks out of its parent and ignores one wholly outside', () => {
    //  P 0..10; X -5..4 (clipped to 0..4); Y 8..20 (clipped to 8..10); Z 30..40 (outside) → self 10 - 4 - 2 = 4
    const s = [
      { spanId: 'p', parentSpanId: null, start: 0, duration: 10 },
      { spanId: 'x', parentSpanId: 'p', start: -5, duration: 9 },
      { spanId: 'y', parentSpanId: 'p', start: 8, duration: 12 },
      { spanId: 'z', parentSpanId: 'p', start: 30, duration: 10 },
    ];
    const t = buildTraceTree(s);
    expect(selfTimes(t, s.map((v) => v.start), s.map((v) => v.duration))[0]).toBe(4);
  });
});

describe('viewport', () => {
  it('zooms in around the anchor and keeps the anchor time in place', () => {
    const w = zoomAt({ from: 0, to: 1000 }, 1000, 0.5, 0.25);
    // anchor at 250 ns stays at a quarter of the width: 250 - 500 * 0.25 = 125 .. 625
    expect(w).toEqual({ from: 125, to: 625 });
    expect(timeToX(250, w, 800)).toBe(200);
    expect(xToTime(200, w, 800)).toBe(250);
  });

  it('never zooms out beyond the trace nor in below the minimum width', () => {
    expect(zoomAt({ from: 100, to: 600 }, 1000, 4)).toEqual({ from: 0, to: 1000 });
    const tiny = zoomAt({ from: 0, to: 20 }, 1000, 0.01, 0);
    expect(tiny.to - tiny.from).toBe(MIN_WINDOW_NS);
  });

  it('pans by a fraction of the width and stops at the ends', () => {
    expect(panBy({ from: 100, to: 300 }, 1000, 0.5)).toEqual({ from: 200, to: 400 });
    expect(panBy({ from: 100, to: 300 }, 1000, -2)).toEqual({ from: 0, to: 200 });
    expect(panBy({ from: 700, to: 900 }, 1000, 1)).toEqual({ from: 800, to: 1000 });
    expect(clampWindow({ from: -50, to: 5000 }, 1000)).toEqual({ from: 0, to: 1000 });
    expect(fullWindow(0)).toEqual({ from: 0, to: MIN_WINDOW_NS });
  });

  it('ticks fall on a 1-2-5 step at least minPx apart', () => {
    // 3.61 s over 600 px with 90 px minimum: raw step 0.5415 s → 1 s steps: 0, 1, 2, 3 s.
    const { step, ticks } = niceTicks({ from: 0, to: 3.61e9 }, 600, 90);
    expect(step).toBe(1e9);
    expect(ticks).toEqual([0, 1e9, 2e9, 3e9]);
    // 1,234..1,734 ns over 1000 px: raw 45 → step 50 from 1,250.
    const z = niceTicks({ from: 1234, to: 1734 }, 1000, 90);
    expect(z.step).toBe(50);
    expect(z.ticks[0]).toBe(1250);
    expect(z.ticks.at(-1)).toBe(1700);
  });

  it('labels ticks in one unit per ruler with the decimals the step needs', () => {
    expect(formatTick(0, 5e8, 3.6e9)).toBe('0');
    expect(formatTick(1.5e9, 5e8, 3.6e9)).toBe('1.5 s');
    expect(formatTick(1e9, 5e8, 3.6e9)).toBe('1.0 s');
    expect(formatTick(200e9, 100e9, 306e9)).toBe('200 s');
    expect(formatTick(1250, 50, 1734)).toBe('1.25 µs');
    expect(formatTick(40, 20, 90)).toBe('40 ns');
    expect(formatTick(0.05e9, 0.05e9, 1e9)).toBe('0.05 s');
  });
});

describe('clock-skew derived view', () => {
  it('shifts the subtree of every child of the skewed pair, adding shifts down the tree', () => {
    // gw → api edges (B and D) move by +7; api → db edges (C, E) move by a further −2.
    const corr = skewCorrections([
      { kind: 'clock_skew', data: { parentService: 'gw', childService: 'api', offsetNs: 7, spans: 2 } },
      { kind: 'clock_skew', data: { parentService: 'api', childService: 'db', offsetNs: -2 } },
      { kind: 'orphan', data: { parentSpanId: 'x' } },
      { kind: 'clock_skew', data: { parentService: 'gw' } }, // no offset: not usable
    ]);
    expect(corr).toEqual([
      { parentService: 'gw', childService: 'api', offsetNs: 7 },
      { parentService: 'api', childService: 'db', offsetNs: -2 },
    ]);
    const { shift, adjusted } = skewShifts(tree.order, tree.parent, SPANS.map((s) => s.service), corr);
    expect(Array.from(shift)).toEqual([0, 7, 5, 7, 5, 0]);
    expect(Array.from(adjusted)).toEqual([0, 1, 1, 1, 1, 0]);
  });

  it('changes nothing without corrections', () => {
    const { shift } = skewShifts(tree.order, tree.parent, SPANS.map((s) => s.service), []);
    expect(Array.from(shift)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('palette', () => {
  it('gives a service the same colour every time, and different services mostly different ones', () => {
    expect(serviceColor('payment')).toBe(serviceColor('payment'));
    const names = ['frontend', 'api-gateway', 'checkout', 'cart', 'redis', 'inventory', 'postgres', 'pricing', 'payment'];
    expect(new Set(names.map(serviceColor)).size).toBeGreaterThanOrEqual(6);
  });
});
