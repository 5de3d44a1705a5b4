// Structural findings, on scenarios drawn as timelines (times in ns from the trace start).
import { describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { findStructureProblems, MAX_FINDINGS_PER_KIND, type StructSpan } from '../../src-renderer/core/analysis/structure.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { CORPUS, importFile } from './import-harness.ts';

const sp = (spanId: string, parentSpanId: string | null, start: number, duration: number, service = 'a', kind: StructSpan['kind'] = 'internal', parentRef?: 'follows_from'): StructSpan => ({
  spanId, parentSpanId, start, duration, service, kind, ...(parentRef ? { parentRef } : {}),
});
const kinds = (f: ReturnType<typeof findStructureProblems>) => f.map((x) => `${x.kind}:${x.spanId ?? '-'}`).sort();

describe('findStructureProblems', () => {
  it('a clean trace has no findings', () => {
    // A [0,100]  B [10,50] ⊂ A  C [60,90] ⊂ A
    expect(findStructureProblems('t', [sp('A', null, 0, 100), sp('B', 'A', 10, 40), sp('C', 'A', 60, 30)])).toEqual([]);
  });

  it('orphans, several roots and duplicate ids (but not a Zipkin client/server pair)', () => {
    const f = findStructureProblems('t', [
      sp('A', null, 0, 100), sp('R', null, 0, 10), sp('O', 'missing', 5, 1), sp('D', 'A', 1, 1), sp('D', 'A', 2, 1),
      sp('S', 'A', 3, 5, 'a', 'client'), sp('S', 'A', 4, 3, 'b', 'server'),
    ]);
    expect(kinds(f)).toEqual(['duplicate_span_id:D', 'multiple_roots:-', 'orphan:O']);
  });

  it('a parent cycle is reported where it was cut', () => {
    // A → B → C → A (no root at all), and a self-parent S
    const f = findStructureProblems('t', [sp('A', 'C', 0, 10), sp('B', 'A', 1, 5), sp('C', 'B', 2, 2), sp('S', 'S', 0, 1)]);
    expect(kinds(f)).toEqual(['cycle:A', 'cycle:S']);
  });

  it('children outside their parent, same service', () => {
    //   P        |----------|        [10,30]
    //   early  |----|                [5,10]   starts 5 ns before
    //   late              |-----|    [25,35]  ends 5 ns after
    //   async             |-------|  follows_from: may end later
    const f = findStructureProblems('t', [sp('P', null, 10, 20), sp('E', 'P', 5, 5), sp('L', 'P', 25, 10), sp('F', 'P', 25, 20, 'a', 'internal', 'follows_from')]);
    expect(kinds(f)).toEqual(['child_ends_after_parent:L', 'child_starts_before_parent:E']);
    expect(f.find((x) => x.spanId === 'E')!.data).toEqual({ parentSpanId: 'P', byNs: 5 });
    expect(f.find((x) => x.spanId === 'L')!.data).toEqual({ parentSpanId: 'P', byNs: 5 });
  });

  it('clock skew per service pair, offset from symmetric latency (median over the pair)', () => {
    //  client (a)  [1000, 1100]          server (b) seen at [900, 980]: 80 long, should sit at 1010
    //  client (a)  [2000, 2100]          server (b) seen at [1880, 1960]: offset 130
    //  client (a)  [3000, 3100]          server (b) seen at [2890, 2970]: offset 120
    const spans = [
      sp('R', null, 0, 4000, 'a', 'server'),
      sp('C1', 'R', 1000, 100, 'a', 'client'), sp('S1', 'C1', 900, 80, 'b', 'server'),
      sp('C2', 'R', 2000, 100, 'a', 'client'), sp('S2', 'C2', 1880, 80, 'b', 'server'),
      sp('C3', 'R', 3000, 100, 'a', 'client'), sp('S3', 'C3', 2890, 80, 'b', 'server'),
    ];
    // Times written to the nanosecond (a base off every round number): no rounding to allow for.
    const skew = findStructureProblems('t', spans, 1n).filter((x) => x.kind === 'clock_skew');
    expect(skew.length).toBe(1);
    expect(skew[0].data).toEqual({ parentService: 'a', childService: 'b', offsetNs: 120, spans: 3 });
    expect(skew[0].message).toBe("clock skew suspected: b's clock looks 120 ns behind a's (3 spans outside their parent)");
  });

  it('a child longer than its parent and starting early is aligned on the parent start', () => {
    const skew = findStructureProblems('t', [sp('P', null, 100, 50, 'a'), sp('C', 'P', 40, 80, 'b')]).filter((x) => x.kind === 'clock_skew');
    expect(skew[0].data).toMatchObject({ offsetNs: 60 });
  });

  it('caps findings of one kind per trace and says how many more there were', () => {
    const spans = [sp('R', null, 100, 10)];
    for (let i = 0; i < MAX_FINDINGS_PER_KIND + 5; i++) spans.push(sp(`c${i}`, 'R', 0, 1));
    const f = findStructureProblems('t', spans);
    expect(f.filter((x) => x.kind === 'child_starts_before_parent').length).toBe(MAX_FINDINGS_PER_KIND + 1);
    expect(f.at(-1)).toMatchObject({ spanId: null, data: { more: 5 } });
  });

  it('finds the same problems in a trace too big to scan, where ids are matched through SpanIdIndex', () => {
    const problems = [
      sp('A', null, 0, 100), sp('R', null, 0, 10), sp('O', 'missing', 5, 1), sp('D', 'A', 1, 1), sp('D', 'A', 2, 1),
      sp('S', 'A', 3, 5, 'a', 'client'), sp('S', 'A', 4, 3, 'b', 'server'), sp('X', 'Y', 0, 1), sp('Y', 'X', 0, 1),
    ];
    const small = kinds(findStructureProblems('t', problems));
    expect(small).toEqual(['cycle:X', 'duplicate_span_id:D', 'multiple_roots:-', 'orphan:O']);
    const padding = Array.from({ length: 100 }, (_, i) => sp(`p${i}`, 'A', 10, 1));
    expect(kinds(findStructureProblems('t', [...problems, ...padding]))).toEqual(small);
  });

  // A small trace's ids are matched by a number computed from their characters, confirmed by
  // comparing the ids: these two ids have the same number (found by search). Big traces, whose
  // ids go through SpanIdIndex, must tell them apart as well.
  const SAME_KEY = ['00000000000089bb', '0000000000043848'];
  for (const padded of [false, true]) {
    it(`ids that share a key are still told apart (${padded ? 'big trace' : 'small trace'})`, () => {
      const pad = (spans: StructSpan[]) => (padded ? [...spans, ...Array.from({ length: 100 }, (_, i) => sp(`p${i}`, SAME_KEY[0], 10, 1))] : spans);
      const [a, b] = SAME_KEY;
      // Both present: b is a's child, nothing wrong.
      expect(findStructureProblems('t', pad([sp(a, null, 0, 100), sp(b, a, 10, 20)]))).toEqual([]);
      // Only a present: a child of b is an orphan, though b's key finds a.
      expect(kinds(findStructureProblems('t', pad([sp(a, null, 0, 100), sp('c', b, 10, 20)])))).toEqual(['orphan:c']);
      // Both present twice: two duplicates, not one.
      expect(kinds(findStructureProblems('t', pad([sp(a, null, 0, 100), sp(b, a, 10, 20), sp(a, null, 0, 100), sp(b, a, 10, 20)])))).toEqual([
        `duplicate_span_id:${a}`, `duplicate_span_id:${b}`, 'multiple_roots:-',
      ]);
    });
  }

  it('a 100,000-deep chain does not overflow the stack', () => {
    const spans: StructSpan[] = [];
    for (let i = 0; i < 100_000; i++) spans.push(sp(`s${i}`, i === 0 ? null : `s${i - 1}`, i, 200_000 - 2 * i));
    expect(findStructureProblems('t', spans)).toEqual([]);
  });
});

describe('findings through the store', () => {
  it('Zipkin skew.json records one clock_skew finding with its offset', async () => {
    const SQL = await loadSqlJs();
    const store = Store.create(SQL);
    const c = importFile(`${CORPUS}/zipkin/zipkin-lens/testdata/skew.json`);
    store.beginFile('skew.json', null);
    store.addSpans(c.spans);
    store.addFindings(c.findings);
    store.finishFile({ format: 'zipkin-json', kind: 'traces', rejected: 0, errors: [] });
    const rows = store.db.exec(`SELECT kind, span_id, data FROM import_findings ORDER BY kind`)[0].values;
    expect(rows.map((r) => r[0])).toEqual(['child_starts_before_parent', 'clock_skew']);
    expect(JSON.parse(String(rows[1][2]))).toEqual({ parentService: 'servicea', childService: 'serviceb', offsetNs: 65922000, spans: 1 });
    store.close();
  });
});
