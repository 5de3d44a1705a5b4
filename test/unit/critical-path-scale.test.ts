// The critical path at scale: deep chains (the walk must be iterative), many sequential children
// (no rescanning all children at every step) and a 100,000-span trace under 50 ms.

import { describe, it, expect } from 'vitest';
import { computeCriticalPath, type CpSpan } from '../../src-renderer/core/analysis/critical-path.ts';
import { buildTraceTree } from '../../src-renderer/core/model/tree.ts';
import { rng } from '../bench/synthetic.ts';

const id = (i: number) => i.toString(16).padStart(16, '0');


describe('critical path at scale', () => {
  it('walks a 100,000-deep chain', () => {
    // span i runs i..2N-i, child of i-1: each parent keeps 1 unit at each end, the deepest the middle 2.
    const N = 100_000;
    const spans: CpSpan[] = [];
    for (let i = 0; i < N; i++) spans.push({ spanId: id(i), parentSpanId: i === 0 ? null : id(i - 1), start: i, duration: 2 * (N - i) });
    const sections = computeCriticalPath(spans);
    expect(sections.length).toBe(2 * (N - 1) + 1);
    expect(sections[0]).toEqual({ span: 0, spanId: id(0), start: 2 * N - 1, end: 2 * N });
    expect(sections[N - 1]).toEqual({ span: N - 1, spanId: id(N - 1), start: N - 1, end: N + 1 });
    expect(sections[sections.length - 1]).toEqual({ span: 0, spanId: id(0), start: 0, end: 1 });
    let total = 0;
    for (const s of sections) total += s.end - s.start;
    expect(total).toBe(2 * N);
  });

  it('puts all 10,000 sequential children on the path', () => {
    // root 0..100,000; child k runs 10k..10k+10, touching the next; input order shuffled.
    const K = 10_000;
    const children: CpSpan[] = [];
    for (let k = 0; k < K; k++) children.push({ spanId: id(k + 1), parentSpanId: id(0), start: 10 * k, duration: 10 });
    const r = rng(7);
    for (let k = K - 1; k > 0; k--) {
      const j = Math.floor(r() * (k + 1));
      [children[k], children[j]] = [children[j], children[k]];
    }
    const spans: CpSpan[] = [{ spanId: id(0), parentSpanId: null, start: 0, duration: 10 * K }, ...children];
    const sections = computeCriticalPath(spans);
    expect(sections.length).toBe(K);
    expect(new Set(sections.map((s) => s.spanId)).size).toBe(K);
    for (let k = 0; k < K; k++) expect(sections[k].start).toBe(10 * (K - 1 - k));
    expect(sections.some((s) => s.span === 0)).toBe(false);
  });

  it('keeps 10,000 sequential children that overlap by clock jitter on the path', () => {
    // root 0..20K+10 (1% ≈ 2,000); child k runs 20k+5..20k+27, overlapping its successor by 2:
    // far under the tolerance, so each child is cut at its successor's start and keeps its time.
    const K = 10_000;
    const spans: CpSpan[] = [{ spanId: id(0), parentSpanId: null, start: 0, duration: 20 * K + 10 }];
    for (let k = 0; k < K; k++) spans.push({ spanId: id(k + 1), parentSpanId: id(0), start: 20 * k + 5, duration: 22 });
    const sections = computeCriticalPath(spans);
    expect(sections.length).toBe(K + 2);
    expect(sections[0]).toMatchObject({ span: 0, start: 20 * K + 7, end: 20 * K + 10 });
    expect(sections[1]).toMatchObject({ span: K, start: 20 * (K - 1) + 5, end: 20 * K + 7 });
    expect(sections[2]).toMatchObject({ span: K - 1, start: 20 * (K - 2) + 5, end: 20 * (K - 1) + 5 });
    expect(sections[K]).toMatchObject({ span: 1, start: 5, end: 25 });
    expect(sections[K + 1]).toMatchObject({ span: 0, start: 0, end: 5 });
  });

  it('covers the root of a 100,000-span random trace exactly once, end to start (speed: npm run bench)', () => {
    const N = 100_000;
    const r = rng(42);
    const spans: CpSpan[] = [{ spanId: id(0), parentSpanId: null, start: 0, duration: 1e9 }];
    const end: number[] = [1e9];
    for (let i = 1; i < N; i++) {
      // A parent among the last few hundred spans: a bushy tree a few dozen levels deep.
      const p = Math.max(0, i - 1 - Math.floor(r() * 300));
      const ps = spans[p].start;
      const pd = end[p] - ps;
      const s = ps + Math.floor(r() * pd * 0.9);
      const d = Math.max(1, Math.floor(r() * (end[p] - s) * 1.05)); // a few outlive their parent
      spans.push({ spanId: id(i), parentSpanId: id(p), start: s, duration: d });
      end.push(s + d);
    }
    const tree = buildTraceTree(spans);
    const sections = computeCriticalPath(spans, tree);
    expect(computeCriticalPath(spans)).toEqual(sections); // with or without a prebuilt tree
    // The path covers the root's window exactly once, from the end backwards without gaps.
    let cursor = 1e9;
    for (const s of sections) {
      expect(s.end).toBe(cursor);
      cursor = s.start;
    }
    expect(cursor).toBe(0);
  });

  it('walks a 100,000-child fan-out back in time without overlaps (speed: npm run bench)', () => {
    const N = 100_000;
    const r = rng(3);
    const spans: CpSpan[] = [{ spanId: id(0), parentSpanId: null, start: 0, duration: 1e9 }];
    for (let i = 1; i < N; i++) spans.push({ spanId: id(i), parentSpanId: id(0), start: Math.floor(r() * 9e8), duration: Math.floor(r() * 1e8) });
    const sections = computeCriticalPath(spans, buildTraceTree(spans));
    // Children on the path do not overlap beyond the tolerance (1% of 1e9) and run back in time.
    const kids = sections.filter((s) => s.span !== 0);
    for (let k = 1; k < kids.length; k++) expect(kids[k].end).toBeLessThanOrEqual(kids[k - 1].start);
    expect(kids.length).toBeGreaterThan(5);
  });
});
