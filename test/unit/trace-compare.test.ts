// Trace compare by operation path, and the attribute comparison (BubbleUp), on hand-made cases.

import { describe, it, expect } from 'vitest';
import { compareTraces, pathNames, type CompareTrace } from '../../src-renderer/core/analysis/trace-compare.ts';
import { AttributeCounter, evenSample } from '../../src-renderer/core/analysis/bubble-up.ts';
import { buildTraceTree } from '../../src-renderer/core/model/tree.ts';

function trace(spans: [id: string, parent: string | null, service: string, name: string, durationMs: number][]): CompareTrace {
  const cols = spans.map(([spanId, parentSpanId, , , ], i) => ({ spanId, parentSpanId, start: i }));
  return { node: spans.map((s) => s[2]), operation: spans.map((s) => s[3]), duration: spans.map((s) => s[4] * 1e6), tree: buildTraceTree(cols) };
}

describe('trace compare', () => {
  //   A: api GET /x ─ db SELECT (30 ms)          B: api GET /x ─ db SELECT (120 ms)
  //                 └ cache GET (2 ms)                         └ db SELECT (40 ms)
  const a = trace([['a1', null, 'api', 'GET /x', 40], ['a2', 'a1', 'db', 'SELECT', 30], ['a3', 'a1', 'cache', 'GET', 2]]);
  const b = trace([['b1', null, 'api', 'GET /x', 170], ['b2', 'b1', 'db', 'SELECT', 120], ['b3', 'b1', 'db', 'SELECT', 40]]);

  it('aligns spans by operation path, whatever their ids', () => {
    const c = compareTraces(a, b);
    expect(c.rows.map((r) => [r.depth, r.service, r.operation, r.aCount, r.bCount, r.deltaNs / 1e6])).toEqual([
      [0, 'api', 'GET /x', 1, 1, 130],
      [1, 'db', 'SELECT', 1, 2, 130],
      [1, 'cache', 'GET', 1, 0, -2],
    ]);
    expect([c.both, c.onlyA, c.onlyB]).toEqual([2, 1, 1]);
    expect(c.ranked).toEqual([0, 1]);
    expect(pathNames(c.rows, 1)).toEqual([{ service: 'api', operation: 'GET /x' }, { service: 'db', operation: 'SELECT' }]);
  });

  it('of a trace with itself: everything in both, no difference', () => {
    const c = compareTraces(a, a);
    expect([c.both, c.onlyA, c.onlyB]).toEqual([3, 0, 0]);
    expect(c.rows.every((r) => r.deltaNs === 0)).toBe(true);
  });

  it('keeps the same operation under different callers apart', () => {
    const x = trace([['1', null, 'api', 'GET /x', 10], ['2', '1', 'svc', 'call', 5], ['3', '2', 'db', 'Q', 1]]);
    const y = trace([['1', null, 'api', 'GET /x', 10], ['2', '1', 'db', 'Q', 1]]);
    const c = compareTraces(x, y);
    expect(c.rows.map((r) => [r.depth, r.operation, r.aCount, r.bCount])).toEqual([[0, 'GET /x', 1, 1], [1, 'call', 1, 0], [2, 'Q', 1, 0], [1, 'Q', 0, 1]]);
  });

  it('walks a 100,000-deep chain without recursion', () => {
    const n = 100_000;
    const deep = trace(Array.from({ length: n }, (_, i) => [`s${i}`, i === 0 ? null : `s${i - 1}`, 'svc', 'op', 1] as [string, string | null, string, string, number]));
    const c = compareTraces(deep, deep);
    expect(c.rows).toHaveLength(n);
    expect(c.both).toBe(n);
  });
});

describe('attribute comparison', () => {
  it('ranks values by the difference of the share of traces having them', () => {
    const c = new AttributeCounter(3);
    // cohort: 4 traces, region eu-1 in 3; baseline: 8 traces, eu-1 in 2; db.system everywhere.
    for (let t = 0; t < 4; t++) {
      c.beginTrace(0);
      c.addAttributes('span', { 'db.system': 'postgresql', region: t < 3 ? 'eu-1' : 'us-1', 'request.id': `r${t}` });
      c.addAttributes('span', { region: t < 3 ? 'eu-1' : 'us-1' }); // twice in a trace counts once
    }
    for (let t = 0; t < 8; t++) {
      c.beginTrace(1);
      c.addAttributes('span', { 'db.system': 'postgresql', region: t < 2 ? 'eu-1' : 'us-1', user: `u${t}` });
      c.addAttributes('resource', { 'host.name': 'h1' });
    }
    const rows = c.result();
    expect(rows.map((r) => [r.scope, r.key, r.value, r.cohortTraces, r.baselineTraces, r.difference])).toEqual([['span', 'region', 'eu-1', 3, 2, 0.5]]);
    // request.id is an id; user has more than 3 values: both dropped.
    expect(rows.some((r) => r.key === 'request.id' || r.key === 'user')).toBe(false);
  });

  it('samples evenly', () => {
    expect(evenSample(10, 4)).toEqual([0, 2, 5, 7]);
    expect(evenSample(3, 5)).toEqual([0, 1, 2]);
  });
});
