// Traces settled during an import (store/file-traces.ts, Store.addSpanRows/finishFile). A trace
// untouched for `window` batches is written early; a span that arrives for it later reopens it
// and it is recomputed from the stored spans at finishFile. Whatever the batching, the traces row
// and the structural findings must be those of importing the trace's spans at once. Each
// addSpans call is one batch. Expectations are worked out by hand from the spans below.

import { describe, it, expect, beforeAll } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { FileTraces, ServiceSet, type TraceSummary } from '../../src-renderer/store/file-traces.ts';
import { toSpanRows, SPAN } from '../../src-renderer/store/rows.ts';
import type { Span } from '../../src-renderer/core/model/trace.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const BASE = 1_763_630_000_000_000_001n;
const DONE = { format: 'test', kind: 'traces', rejected: 0, errors: [] };

const traceId = (n: number) => n.toString(16).padStart(32, '0');
const spanId = (n: number) => n.toString(16).padStart(16, '0');

function span(trace: string, id: number, parent: number | null, start: bigint, duration: number, extra: Partial<Span> = {}): Span {
  const service = extra.service ?? 'api';
  return {
    traceId: trace, spanId: spanId(id), parentSpanId: parent === null ? null : spanId(parent), parentRef: 'child_of', name: `op-${id}`, service,
    kind: 'server', startNs: epochNs(start), durationNs: durationNs(duration), status: 'unset', statusMessage: '', attributes: {}, resource: { attributes: { 'service.name': service } },
    scope: { name: '', version: '' }, events: [], links: [], ...extra,
  };
}

// Trace A, in the order its spans are imported. Hand-worked:
//   span 1 root 'root' [0, 100] api; span 2 [10, 30] api (child of 1); span 3 [200, 205] api, parent 0x99 missing (orphan);
//   span 2 again [30, 40] internal, error (a duplicate id: not the Zipkin client/server pair);
//   span 4 [90, 110] db client (child of 1): ends 10 ns after its parent; centred it would start at 40, so db looks 50 ns ahead.
// Row: start BASE, end BASE + 205, 5 spans, 1 error, 2 services (api, db), root span 1 'root'.
const A = traceId(0xa);
const A_FIRST = [span(A, 2, 1, BASE + 10n, 20), span(A, 3, 0x99, BASE + 200n, 5)];
const A_LATER = [
  span(A, 1, null, BASE, 100, { name: 'root' }),
  span(A, 2, 1, BASE + 30n, 10, { kind: 'internal', status: 'error' }),
  span(A, 4, 1, BASE + 90n, 20, { service: 'db', kind: 'client' }),
];
const A_ROW = [A, (BASE).toString(), (BASE + 205n).toString(), 205, 5, 1, 2, 'api', 'root', spanId(1), 4];
const A_FINDINGS = [
  ['duplicate_span_id', spanId(2), 'span id 0000000000000002 appears more than once', null],
  ['orphan', spanId(3), 'missing parent 0000000000000099', { parentSpanId: spanId(0x99) }],
  ['child_ends_after_parent', spanId(4), 'ends 10 ns after its parent 0000000000000001', { parentSpanId: spanId(1), byNs: 10 }],
  ['clock_skew', spanId(4), "clock skew suspected: db's clock looks 50 ns ahead of api's (1 span outside their parent)",
    { parentService: 'api', childService: 'db', offsetNs: -50, spans: 1 }],
];

/** A trace of one root span, for the batches between. */
const single = (n: number) => [span(traceId(n), n, null, BASE + BigInt(n) * 1000n, 7)];

function traceRow(store: Store, id: string): unknown[] | undefined {
  const r = store.db.exec(
    `SELECT trace_id, CAST(start_ns AS TEXT), CAST(end_ns AS TEXT), duration_ns, span_count, error_count, service_count, root_service, root_name,
       root_span_id, finding_count FROM traces WHERE trace_id = ?`,
    [id],
  );
  return r[0]?.values[0];
}

/** Findings of a trace as [kind, span id, message, data], in the order they were recorded. */
function findings(store: Store, id: string): unknown[][] {
  const r = store.db.exec('SELECT kind, span_id, message, data FROM import_findings WHERE trace_id = ? ORDER BY finding_id', [id]);
  return (r[0]?.values ?? []).map(([k, s, m, d]) => [k, s, m, d === null ? null : JSON.parse(d as string)]);
}

function count(store: Store, sql: string, params: (string | number)[] = []): number {
  return Number(store.db.exec(sql, params)[0].values[0][0]);
}

describe('Store: traces settled during an import', () => {
  it('gives a trace whose spans come in batches 1 and 10 the row and findings of one batch', () => {
    const once = Store.create(SQL);
    once.beginFile('once.json', null);
    once.addSpans([...A_FIRST, ...A_LATER]);
    once.finishFile(DONE);
    expect(traceRow(once, A)).toEqual(A_ROW);
    expect(findings(once, A)).toEqual(A_FINDINGS);

    const split = Store.create(SQL);
    split.beginJob();
    split.beginFile('split.json', null);
    split.addSpans(A_FIRST); // batch 1
    for (let n = 2; n <= 9; n++) {
      split.addSpans(single(n)); // batches 2..9
      if (n === 5) {
        // Untouched for 4 batches: A is written as it stands (2 spans, no root yet, both orphans).
        expect(traceRow(split, A)).toEqual([A, (BASE + 10n).toString(), (BASE + 205n).toString(), 195, 2, 0, 1, 'api', 'op-2', spanId(2), 0]);
        expect(findings(split, A).map((f) => [f[0], f[1]])).toEqual([['orphan', spanId(2)], ['orphan', spanId(3)]]);
      }
    }
    split.addSpans(A_LATER); // batch 10 reopens A
    const report = split.finishFile(DONE);
    split.commitJob();
    expect(report).toMatchObject({ traces: 9, spans: 13 });
    expect(traceRow(split, A)).toEqual(A_ROW);
    expect(findings(split, A)).toEqual(A_FINDINGS);
    expect(traceRow(split, A)).toEqual(traceRow(once, A));
    expect(findings(split, A)).toEqual(findings(once, A));
    // The traces between are written once each.
    expect(count(split, 'SELECT count(*) FROM traces')).toBe(9);
    for (let n = 2; n <= 9; n++) {
      expect(traceRow(split, traceId(n))).toEqual([traceId(n), (BASE + BigInt(n) * 1000n).toString(), (BASE + BigInt(n) * 1000n + 7n).toString(), 7, 1, 0, 1, 'api', `op-${n}`, spanId(n), 0]);
    }
    expect(count(split, 'SELECT count(*) FROM import_findings')).toBe(4);
  });

  it('merges a trace split across two files imported in two jobs', () => {
    const merged = Store.create(SQL);
    merged.beginJob();
    merged.beginFile('first.json', null);
    merged.addSpans([A_LATER[0], A_FIRST[0]]); // root, and span 2 inside it
    merged.addSpans(single(0x20));
    expect(merged.finishFile(DONE)).toMatchObject({ traces: 2, spans: 3 });
    merged.commitJob();
    expect(traceRow(merged, A)).toEqual([A, BASE.toString(), (BASE + 100n).toString(), 100, 2, 0, 1, 'api', 'root', spanId(1), 0]);
    expect(findings(merged, A)).toEqual([]);

    merged.beginJob();
    merged.beginFile('second.json', null);
    merged.addSpans([A_FIRST[1], A_LATER[1]]); // batch 1: the orphan and the duplicate
    for (let n = 0x21; n <= 0x27; n++) merged.addSpans(single(n)); // batches 2..8: A would have settled long ago
    merged.addSpans([A_LATER[2]]); // batch 9: the db child
    expect(merged.finishFile(DONE)).toMatchObject({ traces: 8, spans: 10 });
    merged.commitJob();

    // The same spans in the order imported: [1, 2, 3, 2', 4]; all counted once, the row of the whole trace.
    expect(traceRow(merged, A)).toEqual(A_ROW);
    expect(count(merged, 'SELECT count(*) FROM traces')).toBe(9);
    expect(count(merged, 'SELECT count(*) FROM spans WHERE trace_id = ?', [A])).toBe(5);
    const once = Store.create(SQL);
    once.beginFile('once.json', null);
    once.addSpans([A_LATER[0], A_FIRST[0], A_FIRST[1], A_LATER[1], A_LATER[2]]);
    once.finishFile(DONE);
    expect(traceRow(merged, A)).toEqual(traceRow(once, A));
    expect(findings(merged, A)).toEqual(findings(once, A));
    expect(findings(merged, A).map((f) => f[0])).toEqual(['duplicate_span_id', 'orphan', 'child_ends_after_parent', 'clock_skew']);
    expect(fileRows(merged)).toEqual([['first.json', 3, 2], ['second.json', 10, 8]]);
  });

  it('writes one row per trace when every trace comes in its own batch', () => {
    const store = Store.create(SQL);
    store.beginFile('many.json', null);
    const n = 300;
    for (let k = 1; k <= n; k++) {
      const t = traceId(0x1000 + k);
      // A root and a child starting before it (one finding per trace).
      store.addSpans([span(t, 1, null, BASE + BigInt(k), 10), span(t, 2, 1, BASE + BigInt(k) - 1n, 3, { service: 'api' })]);
    }
    // All but the last 4 were written while the file was read.
    expect(count(store, 'SELECT count(*) FROM traces')).toBe(n - 4);
    expect(store.finishFile(DONE)).toMatchObject({ traces: n, spans: 2 * n });
    expect(count(store, 'SELECT count(*) FROM traces')).toBe(n);
    expect(count(store, 'SELECT count(DISTINCT trace_id) FROM traces')).toBe(n);
    expect(count(store, 'SELECT count(*) FROM traces WHERE span_count = 2 AND duration_ns = 11 AND root_span_id = ? AND finding_count = 1', [spanId(1)])).toBe(n);
    expect(count(store, `SELECT count(*) FROM import_findings WHERE kind = 'child_starts_before_parent'`)).toBe(n);
    expect(count(store, 'SELECT count(*) FROM import_findings')).toBe(n);
    expect(traceRow(store, traceId(0x1001))).toEqual([traceId(0x1001), BASE.toString(), (BASE + 11n).toString(), 11, 2, 0, 1, 'api', 'op-1', spanId(1), 1]);
  });

  it('leaves no rows of a cancelled job, settled traces included, and imports the same traces again', () => {
    const store = Store.create(SQL);
    store.beginFile('kept.json', null);
    store.addSpans(single(1));
    store.finishFile(DONE);

    const job = () => {
      store.beginJob();
      store.beginFile('cancelled.json', null);
      for (let k = 2; k <= 12; k++) store.addSpans([span(traceId(k), 2, 1, BASE, 5)]); // orphans: one finding each
    };
    job();
    // Traces 2..8 are settled: their rows and findings are in the database.
    expect(count(store, 'SELECT count(*) FROM traces')).toBe(1 + 7);
    expect(count(store, 'SELECT count(*) FROM import_findings')).toBe(7);
    store.rollbackJob();
    expect(count(store, 'SELECT count(*) FROM traces')).toBe(1);
    expect(count(store, 'SELECT count(*) FROM spans')).toBe(1);
    expect(count(store, 'SELECT count(*) FROM import_findings')).toBe(0);
    expect(store.db.exec('SELECT name FROM files')[0].values).toEqual([['kept.json']]);
    expect(traceRow(store, traceId(1))).toEqual([traceId(1), (BASE + 1000n).toString(), (BASE + 1007n).toString(), 7, 1, 0, 1, 'api', 'op-1', spanId(1), 0]);

    // The same traces again: nothing of the cancelled job is remembered.
    job();
    expect(store.finishFile(DONE)).toMatchObject({ traces: 11, spans: 11 });
    store.commitJob();
    expect(count(store, 'SELECT count(*) FROM traces')).toBe(12);
    expect(count(store, 'SELECT count(*) FROM import_findings')).toBe(11);
    expect(count(store, 'SELECT count(*) FROM traces WHERE span_count = 1 AND finding_count = 1')).toBe(11);
  });
});

function fileRows(store: Store): unknown[][] {
  return store.db.exec('SELECT name, spans, traces FROM files ORDER BY file_id')[0].values;
}

describe('FileTraces', () => {
  /** Add one batch; return the summaries settle() yields after it, by trace number. */
  function batchSummaries(ft: FileTraces, spans: Span[]): Map<number, TraceSummary> {
    ft.add(toSpanRows(spans).cells);
    return new Map([...ft.settle()].map(([id, t]) => [parseInt(id, 16), t]));
  }
  const batch = (ft: FileTraces, spans: Span[]) => [...batchSummaries(ft, spans).keys()];
  const rest = (ft: FileTraces) => [...ft.rest()].map(([id]) => parseInt(id, 16));

  it('settles a trace once `window` (4) batches have passed without it', () => {
    const ft = new FileTraces(() => null, 1);
    expect(batch(ft, single(1))).toEqual([]); // batch 1
    expect(batch(ft, single(2))).toEqual([]);
    expect(batch(ft, single(3))).toEqual([]);
    expect(batch(ft, single(4))).toEqual([]); // batch 4: 1 untouched for 3 batches
    const five = batchSummaries(ft, single(5)); // batch 5: untouched for 4
    expect([...five.keys()]).toEqual([1]);
    expect(five.get(1)).toMatchObject({ id: traceId(1), start: BASE + 1000n, end: BASE + 1007n, count: 1, rootSpanId: spanId(1) });
    expect(batch(ft, single(6))).toEqual([2]);
    expect(batch(ft, [])).toEqual([3]); // an empty batch counts too
    expect(ft.recomputed()).toEqual([]);
    expect(rest(ft)).toEqual([4, 5, 6]);
    expect(rest(ft)).toEqual([]);
    expect(ft.size).toBe(6);
  });

  it('counts the window from the last batch that touched a trace', () => {
    const ft = new FileTraces(() => null, 1);
    batch(ft, single(1)); // 1
    batch(ft, single(2)); // 2
    expect(batch(ft, [span(traceId(1), 9, 1, BASE, 1)])).toEqual([]); // 3: touches 1 again
    expect(batch(ft, [])).toEqual([]); // 4
    expect(batch(ft, [])).toEqual([]); // 5: 1 was touched in batch 3
    expect(batch(ft, [])).toEqual([2]); // 6
    const seven = batchSummaries(ft, []); // 7: batch 3 + 4
    expect([...seven.keys()]).toEqual([1]);
    expect(seven.get(1)).toMatchObject({ count: 2, start: BASE, end: BASE + 1007n, rootSpanId: spanId(1), rootName: 'op-1', firstSpanId: spanId(9) });
    expect(seven.get(1)!.structure.map((s) => s.spanId)).toEqual([spanId(1), spanId(9)]);
    expect(ft.size).toBe(2);
  });

  it('reopens a settled trace for recomputing, and doubles the window', () => {
    const ft = new FileTraces(() => null, 1);
    batch(ft, single(1));
    for (let n = 2; n <= 4; n++) batch(ft, single(n));
    expect(batch(ft, single(5))).toEqual([1]);
    expect(ft.recomputed()).toEqual([]);
    // Batch 6 reopens 1; trace 2 (batch 2) would settle now, but the window is already 8.
    expect(batch(ft, [span(traceId(1), 9, 1, BASE + 1001n, 1)])).toEqual([]);
    expect(ft.recomputed()).toEqual([traceId(1)]);
    // Window 8: trace n of batch n (2..5, 7) settles after batch n + 8.
    const settledAt = new Map<number, number>();
    for (let b = 7; b <= 16; b++) for (const id of batch(ft, b === 7 ? single(7) : [])) settledAt.set(id, b);
    expect(settledAt).toEqual(new Map([[2, 10], [3, 11], [4, 12], [5, 13], [7, 15]]));
    // Another span for it: still to recompute, never yielded, neither by settle() nor by rest().
    expect(batch(ft, [span(traceId(1), 10, 1, BASE + 1002n, 1)])).toEqual([]);
    for (let b = 0; b < 10; b++) expect(batch(ft, [])).toEqual([]);
    expect(rest(ft)).toEqual([]);
    expect(ft.recomputed()).toEqual([traceId(1)]);
    expect(ft.size).toBe(6);
  });

  it('never settles a trace the workspace already holds', () => {
    const asked: string[] = [];
    const ft = new FileTraces((id) => {
      asked.push(id);
      return id === traceId(1) ? 7 : null; // trace 1 is number 7 in the workspace
    }, 8);
    const b1 = toSpanRows(single(1)).cells;
    ft.add(b1);
    const b2 = toSpanRows([...single(2), span(traceId(1), 2, 1, BASE, 1)]).cells;
    ft.add(b2);
    // Each span row carries its trace's number: the stored one, or the next new one.
    expect([b1.nums[SPAN.traceNo], b2.nums[SPAN.traceNo], b2.nums[b2.cols + SPAN.traceNo]]).toEqual([7, 8, 7]);
    const yielded: number[] = [];
    for (let b = 0; b < 6; b++) yielded.push(...batch(ft, []));
    expect(yielded).toEqual([2]);
    expect(rest(ft)).toEqual([]);
    expect(ft.recomputed()).toEqual([traceId(1)]);
    expect(asked).toEqual([traceId(1), traceId(2)]); // once per trace
  });

  it('summarises a trace as its spans arrive', () => {
    const first = new FileTraces(() => null, 1);
    first.add(toSpanRows(A_FIRST).cells);
    const [[id, t]] = [...first.rest()];
    expect(id).toBe(A);
    // No root yet: the earliest span stands in for it.
    expect(t).toMatchObject({ start: BASE + 10n, end: BASE + 205n, count: 2, errors: 0, rootSpanId: null, firstSpanId: spanId(2), firstName: 'op-2' });
    expect(t.structure.map((s) => [s.spanId, s.parentSpanId, s.start, s.duration])).toEqual([[spanId(2), spanId(1), 0, 20], [spanId(3), spanId(0x99), 190, 5]]);

    const all = new FileTraces(() => null, 1);
    all.add(toSpanRows(A_FIRST).cells);
    all.add(toSpanRows(A_LATER).cells);
    const [[, u]] = [...all.rest()];
    expect(u).toMatchObject({ start: BASE, end: BASE + 205n, count: 5, errors: 1, rootSpanId: spanId(1), rootName: 'root', rootService: 'api', firstSpanId: spanId(1) });
    expect([...u.services]).toEqual(['api', 'db']);
    // Offsets stay relative to the first span seen (a common base is all the structure check needs).
    expect(u.structure.map((s) => [s.start, s.kind, s.service])).toEqual([[0, 'server', 'api'], [190, 'server', 'api'], [-10, 'server', 'api'], [20, 'internal', 'api'], [80, 'client', 'db']]);
  });
});

describe('ServiceSet', () => {
  it('counts each service once, in the order first seen, past the few it compares one by one', () => {
    const set = new ServiceSet();
    const names = Array.from({ length: 40 }, (_, i) => `svc-${i % 25}`);
    // Equal names as distinct string objects, as slices of a batch's text would be.
    for (const n of names) set.add(`${n}|`.slice(0, n.length));
    expect(set.size).toBe(25);
    expect([...set]).toEqual(Array.from({ length: 25 }, (_, i) => `svc-${i}`));
  });
});

describe('toSpanRows scopes', () => {
  it('stores each scope of a batch once and points every span at it, past the scopes it compares one by one', () => {
    const spans: Span[] = [];
    for (let i = 0; i < 60; i++) {
      // 30 scopes, each met twice, as new objects with equal names (a new ScopeSpans each time); every fifth has no scope.
      const scope = i % 5 === 4 ? { name: '', version: '' } : { name: `lib-${i % 30}`, version: i % 2 ? '1.0' : '2.0' };
      spans.push(span(A, i + 1, null, BASE + BigInt(i), 1, { scope }));
    }
    const rows = toSpanRows(spans);
    const pairs = Array.from({ length: rows.scopes.length / 2 }, (_, k) => `${rows.scopes[2 * k]}@${rows.scopes[2 * k + 1]}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    spans.forEach((s, r) => {
      const cell = r * rows.cells.cols + SPAN.scope;
      if (s.scope.name === '') expect(rows.cells.kinds[cell]).toBe(0);
      else expect(pairs[rows.cells.nums[cell]]).toBe(`${s.scope.name}@${s.scope.version}`);
    });
    expect(pairs.length).toBe(24);
  });
});
