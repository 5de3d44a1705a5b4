// Critical-path scenarios drawn as timelines (one column = 10 units unless the case says otherwise),
// answers worked out by hand from the rules in critical-path.ts.

import { describe, it, expect } from 'vitest';
import {
  computeCriticalPath,
  summarizeCriticalPath,
  type CpSpan,
  type CpSection,
} from '../../src-renderer/core/analysis/critical-path.ts';
import { buildTraceTree } from '../../src-renderer/core/model/tree.ts';
import type { SpanKind } from '../../src-renderer/core/model/trace.ts';

function sp(
  spanId: string,
  parentSpanId: string | null,
  start: number,
  end: number,
  more: { kind?: SpanKind; follows?: boolean; service?: string; name?: string } = {},
): CpSpan {
  return {
    spanId, parentSpanId, start, duration: end - start, kind: more.kind, parentRef: more.follows ? 'follows_from' : 'child_of',
    service: more.service ?? 'svc', name: more.name ?? `op ${spanId}`,
  };
}

/** Sections as "id start..end", the readable form used in the table. */
function path(spans: CpSpan[]): string[] {
  return computeCriticalPath(spans).map((s) => `${s.spanId} ${s.start}..${s.end}`);
}

interface Case {
  name: string;
  spans: CpSpan[];
  expected: string[];
}

const CASES: Case[] = [
  {
    // P ├──────────┤ 0..100
    // A  ├──┤        10..40
    // B     ├──┤     40..70   touches A: jaeger-ui drops A (strict "<"); here both count.
    name: 'touching siblings are both on the path',
    spans: [sp('P', null, 0, 100), sp('A', 'P', 10, 40), sp('B', 'P', 40, 70)],
    expected: ['P 70..100', 'B 40..70', 'A 10..40', 'P 0..10'],
  },
  {
    // P ├────────────────────┤ 0..1000   1% of 1000 = 10
    // A   ├───────┤             100..505
    // B          ├───────┤      500..900  overlaps A by 5 ≤ 10: sequential, A keeps 100..500
    name: 'an overlap within 1% of the parent counts as sequential',
    spans: [sp('P', null, 0, 1000), sp('A', 'P', 100, 505), sp('B', 'P', 500, 900)],
    expected: ['P 900..1000', 'B 500..900', 'A 100..500', 'P 0..100'],
  },
  {
    // P ├────────────────────┤ 0..1000   1% = 10
    // A   ├─────────┤           100..520
    // B          ├───────┤      500..900  overlaps A by 20 > 10: A ran in parallel, off the path
    name: 'an overlap beyond 1% takes the earlier sibling off the path',
    spans: [sp('P', null, 0, 1000), sp('A', 'P', 100, 520), sp('B', 'P', 500, 900)],
    expected: ['P 900..1000', 'B 500..900', 'P 0..500'],
  },
  {
    // P ├──────────┤ 0..100
    // A  ├─────┤     10..60
    // B     ├──┤     40..60   same end: the longer (earlier start) child wins
    name: 'ties in end go to the earliest start',
    spans: [sp('P', null, 0, 100), sp('B', 'P', 40, 60), sp('A', 'P', 10, 60)],
    expected: ['P 60..100', 'A 10..60', 'P 0..10'],
  },
  {
    // P ├──────────┤ 0..100
    // F   ├───────┤  20..90  FOLLOWS_FROM P: P did not wait for it
    // G    ├──┤      30..50  child of F: goes with F
    name: 'a follows-from child does not block its parent',
    spans: [sp('P', null, 0, 100), sp('F', 'P', 20, 90, { follows: true }), sp('G', 'F', 30, 50)],
    expected: ['P 0..100'],
  },
  {
    // P ├──────────┤ 0..100  producer
    // C  ├──────┤    10..80  consumer, CHILD_OF: producer→consumer kinds alone make it non-blocking
    // Q ├───┤        0..40   client child of P: blocks
    name: 'a consumer under a producer does not block it',
    spans: [sp('P', null, 0, 100, { kind: 'producer' }), sp('C', 'P', 10, 80, { kind: 'consumer' }), sp('Q', 'P', 0, 40, { kind: 'client' })],
    expected: ['P 40..100', 'Q 0..40'],
  },
  {
    // R ├────┤  0..50   a start of 0 is a time (jaeger-ui treats it as missing)
    // A ├─┤     0..20
    // B ├┤      0..10   child of A
    name: 'start time 0 is valid',
    spans: [sp('R', null, 0, 50), sp('A', 'R', 0, 20), sp('B', 'A', 0, 10)],
    expected: ['R 20..50', 'A 10..20', 'B 0..10'],
  },
  {
    // R1 ├────┤       0..50
    // A    ├─┤        20..40   child of R1
    // R2   ├──────┤   10..80   second root: ends last, so its path comes first
    name: 'several roots: the latest-ending root first',
    spans: [sp('R1', null, 0, 50), sp('A', 'R1', 20, 40), sp('R2', null, 10, 80)],
    expected: ['R2 10..80', 'R1 40..50', 'A 20..40', 'R1 0..20'],
  },
  {
    // R ├─────────┤        0..100
    // A   ├───┤            20..60  child of R
    // O             ├──┤   120..150  parent "gone" is not in the trace: an orphan, its own root
    // P              ├┤    130..140  child of the orphan
    name: 'an orphan is walked as its own root',
    spans: [sp('R', null, 0, 100), sp('A', 'R', 20, 60), sp('O', 'gone', 120, 150), sp('P', 'O', 130, 140)],
    expected: ['O 140..150', 'P 130..140', 'O 120..130', 'R 60..100', 'A 20..60', 'R 0..20'],
  },
  {
    // P ├────┤          0..50
    // X        ├───┤    60..90   wholly after P: dropped with its subtree
    // Y         ├┤      65..75   child of X, though inside P's window in time, goes with X
    name: 'a child wholly outside its parent is dropped with its subtree',
    spans: [sp('P', null, 0, 50), sp('X', 'P', 60, 90), sp('Y', 'X', 65, 75)],
    expected: ['P 0..50'],
  },
  {
    // P ├──────────┤  0..100
    // Z      |        50..50   zero length: cannot add time, does not split P
    name: 'a zero-length child neither emits nor splits a section',
    spans: [sp('P', null, 0, 100), sp('Z', 'P', 50, 50)],
    expected: ['P 0..100'],
  },
  {
    // P ├──────────┤  0..100
    // A ├──────────┤  0..100   child covers its parent exactly: P's zero-length gaps are not emitted
    name: 'zero-length sections are not emitted',
    spans: [sp('P', null, 0, 100), sp('A', 'P', 0, 100)],
    expected: ['A 0..100'],
  },
  {
    // P ├──────────┤ 0..100   1% = 1
    // A ├────┤       0..50.5   overlaps B by 0.5: sequential
    // B      ├───┤   50..90
    // C   ├──────┤   20..50.5 child of A, clipped at the cursor 50 when A is entered at 50
    name: 'the earlier sibling of a sliver overlap is walked up to the cursor',
    spans: [sp('P', null, 0, 100), sp('A', 'P', 0, 50.5), sp('B', 'P', 50, 90), sp('C', 'A', 20, 50.5)],
    expected: ['P 90..100', 'B 50..90', 'C 20..50', 'A 0..20'],
  },
  {
    // Zipkin shares one id between the client half and the server half (B3): the server half hangs
    // under the client half, and the server's own calls under the server half.
    // R ├────────────┤   0..120
    // x  ├─────────┤     5..105   client
    // x   ├───────┤      10..100  server (same id)
    // y     ├───┤        20..80   child of x: the server half
    name: 'shared client/server ids follow the trace tree',
    spans: [
      sp('R', null, 0, 120), sp('x', 'R', 5, 105, { kind: 'client' }), sp('x', 'R', 10, 100, { kind: 'server' }), sp('y', 'x', 20, 80),
    ],
    expected: ['R 105..120', 'x 100..105', 'x 80..100', 'y 20..80', 'x 10..20', 'x 5..10', 'R 0..5'],
  },
];

describe('computeCriticalPath scenarios', () => {
  for (const c of CASES) it(c.name, () => expect(path(c.spans)).toEqual(c.expected));

  it('reports section span indexes into the input', () => {
    const spans = CASES[13].spans;
    const got = computeCriticalPath(spans);
    expect(got.map((s) => s.span)).toEqual([0, 1, 2, 3, 2, 1, 0]);
  });

  it('gives the same answer with a tree passed in, and rejects a tree of another trace', () => {
    const spans = CASES[0].spans;
    expect(computeCriticalPath(spans, buildTraceTree(spans))).toEqual(computeCriticalPath(spans));
    expect(() => computeCriticalPath(spans, buildTraceTree(spans.slice(1)))).toThrow(RangeError);
  });

  it('does not care about input order', () => {
    const spans = CASES[8].spans;
    expect(path([...spans].reverse())).toEqual(CASES[8].expected);
  });

  it('does not mutate its input', () => {
    const spans = [
      sp('A', null, 1, 30), sp('B', 'A', 15, 35), sp('C', 'B', 10, 25), sp('D', 'A', 2, 3, { follows: true }), sp('E', 'A', 40, 50),
    ];
    const before = JSON.stringify(spans);
    for (const s of spans) Object.freeze(s);
    Object.freeze(spans);
    const sections = computeCriticalPath(spans);
    expect(sections.map((s) => `${s.spanId} ${s.start}..${s.end}`)).toEqual(['B 25..30', 'C 15..25', 'A 1..15']);
    expect(JSON.stringify(spans)).toBe(before);
  });

  it('handles an empty trace', () => {
    expect(computeCriticalPath([])).toEqual([]);
  });
});

describe('summarizeCriticalPath', () => {
  it('sums self time on the path per service and per operation', () => {
    // R ├──────────┤ 0..100 gw
    // A  ├──┤        10..40 api
    // B     ├──┤     40..70 api (same operation as A)
    // C       ├┤     50..60 db, child of B
    const spans = [
      sp('R', null, 0, 100, { service: 'gw', name: 'GET /' }),
      sp('A', 'R', 10, 40, { service: 'api', name: 'call' }),
      sp('B', 'R', 40, 70, { service: 'api', name: 'call' }),
      sp('C', 'B', 50, 60, { service: 'db', name: 'query' }),
    ];
    const sections: CpSection[] = computeCriticalPath(spans);
    const { byService, byOperation } = summarizeCriticalPath(spans, sections, 100);
    // gw: 70..100 + 0..10 = 40; api: B 60..70 + 40..50 + A 10..40 = 50; db: 10
    expect(byService.map((r) => [r.service, r.selfNs, r.share])).toEqual([['api', 50, 0.5], ['gw', 40, 0.4], ['db', 10, 0.1]]);
    expect(byOperation.map((r) => [r.service, r.operation, r.selfNs])).toEqual([['api', 'call', 50], ['gw', 'GET /', 40], ['db', 'query', 10]]);
    expect(new Set(byOperation.map((r) => r.key)).size).toBe(3);
  });
});
