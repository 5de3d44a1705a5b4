import { describe, it, expect, beforeAll } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { listTraces, totals, listFiles, runReadOnlySql } from '../../src-renderer/store/queries.ts';
import { traceFindings } from '../../src-renderer/store/trace-detail.ts';
import { traceSpans } from '../../src-renderer/store/trace-spans.ts';
import type { Span } from '../../src-renderer/core/model/trace.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

function span(traceId: string, spanId: string, parent: string | null, startNs: bigint, duration: number, extra: Partial<Span> = {}): Span {
  return {
    traceId, spanId, parentSpanId: parent, parentRef: 'child_of', name: `op-${spanId.slice(-2)}`, service: 'svc', kind: 'server', startNs: epochNs(startNs), durationNs: durationNs(duration),
    status: 'unset', statusMessage: '', attributes: {}, resource: { attributes: { 'service.name': 'svc' } }, scope: { name: '', version: '' }, events: [], links: [],
    ...extra,
  };
}

const T1 = 'a'.repeat(32);
const T2 = 'b'.repeat(32);
const BASE = 1_763_630_000_000_000_001n;

describe('Store', () => {
  it('keeps nanosecond times and 64-bit attributes exact, and summarises traces', () => {
    const store = Store.create(SQL);
    store.beginFile('one.json', 10);
    store.addSpans([
      span(T1, '0000000000000001', null, BASE, 3),
      span(T1, '0000000000000002', '0000000000000001', BASE + 1n, 1, { status: 'error', attributes: { big: 9007199254740993n } }),
      span(T2, '0000000000000003', null, BASE + 10n, 5, { service: 'other' }),
    ]);
    const report = store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    expect(report).toMatchObject({ file: 'one.json', traces: 2, spans: 3, logs: 0 });
    expect(totals(store)).toEqual({ traces: 2, spans: 3, logs: 0, files: 1 });
    const [t1, t2] = listTraces(store, { offset: 0, limit: 10 });
    expect(t1).toMatchObject({ traceId: T1, startNs: BASE.toString(), durationNs: 3, spanCount: 2, errorCount: 1, rootName: 'op-01' });
    expect(t2.traceId).toBe(T2);
    const spans = traceSpans(store, T1)!;
    expect(spans.startNs).toBe(BASE.toString());
    expect(spans.start).toEqual([0, 1]);
    expect(spans.duration).toEqual([3, 1]);
    const big = runReadOnlySql(store, `SELECT attributes ->> '$.big' FROM spans WHERE span_id = ?`, ['0000000000000002']);
    expect(big.rows[0][0]).toBe(9007199254740993n);
  });

  it('rolls back a cancelled job and leaves the earlier files as they were', () => {
    const store = Store.create(SQL);
    store.beginFile('kept.json', null);
    store.addSpans([span(T1, '0000000000000001', null, BASE, 3)]);
    store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    store.beginJob();
    store.beginFile('dropped.json', null);
    store.addSpans([span(T2, '0000000000000002', null, BASE, 3)]);
    store.rollbackJob();
    expect(totals(store)).toEqual({ traces: 1, spans: 1, logs: 0, files: 1 });
    expect(listFiles(store).map((f) => f.name)).toEqual(['kept.json']);
    // The store still works after a rollback (resource ids handed out inside it are forgotten).
    store.beginFile('again.json', null);
    store.addSpans([span(T2, '0000000000000002', null, BASE, 3)]);
    store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    expect(totals(store).spans).toBe(2);
  });

  it('merges a trace that arrives in two files and records structural findings', () => {
    const store = Store.create(SQL);
    store.beginFile('a.json', null);
    store.addSpans([span(T1, '0000000000000002', '0000000000000001', BASE + 5n, 2)]);
    store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    expect(traceFindings(store, T1).map((f) => f.kind)).toEqual(['orphan']);
    store.beginFile('b.json', null);
    store.addSpans([span(T1, '0000000000000001', null, BASE, 10)]);
    store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    const [t] = listTraces(store, { offset: 0, limit: 10 });
    expect(t).toMatchObject({ spanCount: 2, startNs: BASE.toString(), durationNs: 10, rootName: 'op-01', findingCount: 0 });
    expect(traceFindings(store, T1)).toEqual([]);
  });

  it('refuses writes in user SQL', () => {
    const store = Store.create(SQL);
    expect(() => runReadOnlySql(store, 'DELETE FROM spans')).toThrow(/readonly|read-only|query_only/i);
    expect(runReadOnlySql(store, 'SELECT count(*) AS n FROM spans')).toEqual({ columns: ['n'], rows: [[0]] });
  });

  it('survives an export (which frees prepared statements) and reloads from the exported bytes', () => {
    const store = Store.create(SQL);
    store.beginFile('a.json', null);
    store.addSpans([span(T1, '0000000000000001', null, BASE, 10)]);
    store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    const bytes = store.export();
    expect(listTraces(store, { offset: 0, limit: 1 })).toHaveLength(1);
    const copy = Store.create(SQL, bytes);
    expect(totals(copy)).toEqual({ traces: 1, spans: 1, logs: 0, files: 1 });
  });

  it('keeps importing after export() reopens a saved workspace, and closes cleanly', () => {
    // A workspace opened from a file is the main database: sql.js's export() closes and reopens
    // its connection, so the bulk INSERTs kept prepared (bulk-insert.ts) must go and come back.
    const saved = Store.create(SQL);
    saved.beginFile('a.json', null);
    saved.addSpans([span(T1, '0000000000000001', null, BASE, 10)]);
    saved.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    const store = Store.create(SQL, saved.export());
    const more = (traceId: string, n: number) => {
      store.beginFile(`${traceId}.json`, null);
      store.addSpans(Array.from({ length: n }, (_, k) => span(traceId, (k + 1).toString(16).padStart(16, '0'), null, BASE + BigInt(k), 10)));
      store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    };
    more(T2, 20);
    const bytes = store.export();
    more('c'.repeat(32), 17);
    expect(totals(store)).toEqual({ traces: 3, spans: 38, logs: 0, files: 3 });
    expect(totals(Store.create(SQL, bytes))).toEqual({ traces: 2, spans: 21, logs: 0, files: 2 });
    expect(() => store.close()).not.toThrow();
  });
});

describe('Store id invariant', () => {
  it('refuses spans whose ids are not canonical (readers rely on the widths)', () => {
    const store = Store.create(SQL);
    store.beginFile('bad.json', null);
    expect(() => store.addSpans([span(T1, 'abc', null, BASE, 1)])).toThrow(/not in canonical form/);
    expect(() => store.addSpans([span(T1, '0000000000000001', 'abc', BASE, 1)])).toThrow(/not in canonical form/);
    store.abortFile();
  });
});

describe('Store scopes', () => {
  it('stores each instrumentation scope once and gives it back with the span', async () => {
    const { spanDetail } = await import('../../src-renderer/store/trace-detail.ts');
    const store = Store.create(SQL);
    store.beginFile('s.json', null);
    const scope = { name: 'io.opentelemetry.http', version: '1.2.3' };
    store.addSpans([
      span(T1, '0000000000000001', null, BASE, 5, { scope }),
      span(T1, '0000000000000002', '0000000000000001', BASE, 1, { scope: { ...scope } }),
      span(T1, '0000000000000003', '0000000000000001', BASE, 1),
    ]);
    store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    expect(runReadOnlySql(store, 'SELECT name, version FROM scopes').rows).toEqual([['io.opentelemetry.http', '1.2.3']]);
    const rows = runReadOnlySql(store, 'SELECT span_row FROM spans ORDER BY span_id').rows.map((r) => r[0] as number);
    expect(spanDetail(store, rows[1])).toMatchObject({ scopeName: 'io.opentelemetry.http', scopeVersion: '1.2.3' });
    expect(spanDetail(store, rows[2])).toMatchObject({ scopeName: '', scopeVersion: '' });
  });
});

describe('Store size and save', () => {
  it('reports its size and saves a workspace that opens with every table and the full-text index', async () => {
    const { buildFtsBatch, ftsMatch } = await import('../../src-renderer/store/log-view-fts.ts');
    const store = Store.create(SQL);
    const empty = store.sizeBytes();
    store.beginFile('a.json', null);
    store.addSpans(Array.from({ length: 2000 }, (_, i) => span(T1, (i + 1).toString(16).padStart(16, '0'), i ? '0000000000000001' : null, BASE + BigInt(i), 1)));
    store.addLogs([{ timeNs: epochNs(BASE), severity: 'error', severityText: 'E', service: 'svc', message: 'disk quota exceeded', traceId: T1, spanId: null, traceIdPartial: false, traceIdRaw: T1, spanIdRaw: null, line: 1, attributes: {} }]);
    store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    while (buildFtsBatch(store, 100));
    expect(store.sizeBytes()).toBeGreaterThan(empty + 50_000);
    const copy = Store.create(SQL, store.export());
    expect(totals(copy)).toEqual({ traces: 1, spans: 2000, logs: 1, files: 1 });
    expect(Array.from(ftsMatch(copy, 'quota'))).toHaveLength(1);
    expect(copy.sizeBytes()).toBeGreaterThan(50_000);
    // The loaded workspace takes more imports.
    copy.beginFile('b.json', null);
    copy.addSpans([span(T2, '0000000000000001', null, BASE, 1)]);
    copy.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    expect(totals(copy).traces).toBe(2);
  });
});
