// The aggregates' reader of many traces (from each trace's columns kept at import) gives each
// trace's spans as the one-trace reader does: same order, parents, services, flags and times;
// raw names where a grouping is undone, ids where a trace repeats one.

import { describe, it, expect, beforeAll } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { readTraceChunk } from '../../src-renderer/store/cohort-spans.ts';
import { traceSpans } from '../../src-renderer/store/trace-spans.ts';
import type { Span } from '../../src-renderer/core/model/trace.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';
import { flagKind } from '../../src-renderer/core/model/span-codes.ts';
import { operationCatalog, setOperationGrouping } from '../../src-renderer/store/operations.ts';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const BASE = 1_763_630_000_000_000_001n;

function span(traceId: string, spanId: string, parent: string | null, start: bigint, duration: number, extra: Partial<Span> = {}): Span {
  return {
    traceId, spanId, parentSpanId: parent, parentRef: 'child_of', name: `op ${spanId.slice(-2)}`, service: 'svc', kind: 'server', startNs: epochNs(BASE + start),
    durationNs: durationNs(duration), status: 'unset', statusMessage: '', attributes: {}, resource: { attributes: { 'service.name': 'svc' } }, scope: { name: '', version: '' },
    events: [], links: [], ...extra,
  };
}

describe('readTraceChunk', () => {
  it('reads each trace as traceSpans does, names with separators in them too', () => {
    const store = Store.create(SQL);
    store.beginFile('t.json', 1);
    const t = (c: string) => c.repeat(32);
    store.addSpans([
      span(t('a'), '00000000000000a1', null, 100n, 50, { kind: 'server', status: 'error' }),
      span(t('a'), '00000000000000a2', '00000000000000a1', 110n, 20, { kind: 'client', service: 'db', name: 'SELECT 1' }),
      span(t('a'), '00000000000000a3', '00000000000000a1', 105n, 9_007_199_254, { parentRef: 'follows_from' }),
      span(t('b'), '00000000000000b1', null, 0n, 5, { service: 'odd\u001fservice', name: 'x\u001ey' }),
      span(t('b'), '00000000000000b2', 'ffffffffffffffff', 2n, 1),
      span(t('c'), '00000000000000c1', null, 1_000_000_000_000n, 7, { kind: 'consumer' }),
    ]);
    store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    const nos = store.stmt('SELECT trace_no, trace_id FROM traces ORDER BY trace_no');
    const traces: [number, string][] = [];
    while (nos.step()) traces.push(nos.get() as [number, string]);
    nos.reset();
    // A base after some starts: offsets below zero read back too.
    const base = (BASE + 50n).toString();
    const catalog = operationCatalog(store);
    const chunk = readTraceChunk(store, traces.map(([no]) => no), base, catalog);
    expect(chunk.traceNo).toEqual(traces.map(([no]) => no));
    expect(chunk.first).toEqual([0, 3, 5, 6]);
    traces.forEach(([, id], k) => {
      const one = traceSpans(store, id)!;
      const [a, b] = [chunk.first[k], chunk.first[k + 1]];
      const shift = Number(BigInt(one.startNs) - BigInt(base));
      expect(Array.from(chunk.spanRow.slice(a, b))).toEqual(one.spanRow);
      expect(Array.from(chunk.idParent.slice(a, b))).toEqual(one.parentSpanId.map((p) => (p === null ? -1 : one.spanId.includes(p) ? one.spanId.indexOf(p) : -2)));
      expect(chunk.service.slice(a, b)).toEqual(one.service);
      expect(Array.from(chunk.opId.slice(a, b))).toEqual(Array.from(one.opId!));
      expect(Array.from(chunk.flags.slice(a, b), flagKind)).toEqual(one.kind);
      expect(Array.from(chunk.start.slice(a, b))).toEqual(one.start.map((s) => s + shift));
      expect(Array.from(chunk.duration.slice(a, b))).toEqual(Array.from(one.duration));
    });
    expect(chunk.ids.size).toBe(0); // no id repeats
    expect(chunk.name.every((n) => n === '')).toBe(true); // every span named by its operation
    expect(chunk.start[0]).toBe(50);
    expect(chunk.start[3]).toBe(-50);
    expect(chunk.service[3]).toBe('odd\u001fservice');
    // A grouping undone: those spans come with their raw names.
    setOperationGrouping(store, 'odd\u001fservice', catalog.operation[chunk.opId[3]], false);
    const undone = readTraceChunk(store, [traces[1][0]], base, operationCatalog(store));
    expect(undone.name).toEqual(['x\u001ey', '']);
    // Only some of the traces, and none.
    const two = readTraceChunk(store, [traces[2][0]], base, catalog);
    expect(Array.from(two.spanRow)).toEqual([6]);
    expect(readTraceChunk(store, [], base, catalog).first).toEqual([0]);
  });

  it("gives the ids of a trace whose ids repeat (Zipkin's shared client and server span)", () => {
    const store = Store.create(SQL);
    store.beginFile('t.json', 1);
    const t = 'd'.repeat(32);
    store.addSpans([
      span(t, '00000000000000d1', null, 0n, 50, { kind: 'client' }),
      span(t, '00000000000000d1', null, 5n, 40, { kind: 'server', service: 'api' }),
      span(t, '00000000000000d2', '00000000000000d1', 10n, 5),
    ]);
    store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    const chunk = readTraceChunk(store, [1], BASE.toString(), operationCatalog(store));
    expect(chunk.ids.get(0)).toEqual({ spanId: ['00000000000000d1', '00000000000000d1', '00000000000000d2'], parentSpanId: [null, null, '00000000000000d1'] });
    expect(Array.from(chunk.idParent)).toEqual([-1, -1, 0]);
  });
});
