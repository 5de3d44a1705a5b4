// The log view's queries on a real Store: merged time order, filters, paging through the
// per-filter order, histogram bucketing, the stepwise full-text index and search positions, and
// the record panel's correlated span (exact, partial, trace-only, inferred).
import { describe, it, expect, beforeAll } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import { logOrder, logHistogram, pickBucketNs, logFacets, type LogFilter } from '../../src-renderer/store/log-view.ts';
import { ftsStep } from '../../src-renderer/store/log-view-fts.ts';
import { correlateLogs } from '../../src-renderer/store/logs.ts';
import type { LogRecord, Severity } from '../../src-renderer/core/model/log.ts';
import type { Span } from '../../src-renderer/core/model/trace.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const BASE = 1_763_630_000_000_000_000n; // a whole second
const S = 1_000_000_000n;

function log(line: number, at: bigint | null, severity: Severity | null, message: string, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    timeNs: at === null ? null : epochNs(at), severity, severityText: severity ?? '', service: null, message, traceId: null, spanId: null, traceIdPartial: false, traceIdRaw: null,
    spanIdRaw: null, line, attributes: {}, ...extra,
  };
}

function span(traceId: string, spanId: string, parent: string | null, startNs: bigint, duration: number, service: string): Span {
  return {
    traceId, spanId, parentSpanId: parent, parentRef: 'child_of', name: `op-${spanId.slice(-2)}`, service, kind: 'server', startNs: epochNs(startNs), durationNs: durationNs(duration),
    status: 'unset', statusMessage: '', attributes: {}, resource: { attributes: { 'service.name': service } }, scope: { name: '', version: '' }, events: [], links: [],
  };
}

const T1 = '0123456789abcdef0123456789abcdef';
const SP1 = '1111111111111111';
const SP2 = '2222222222222222';

/** Two log files whose lines interleave in time, and one trace. */
function workspace(): Store {
  const store = Store.create(SQL);
  store.beginFile('traces.json', null);
  store.addSpans([span(T1, SP1, null, BASE, Number(10n * S), 'api'), span(T1, SP2, SP1, BASE + 2n * S, Number(3n * S), 'db')]);
  store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
  store.beginFile('a.log', null);
  store.addLogs([
    log(1, BASE + 1n * S, 'info', 'a1 started', { service: 'api', traceId: T1, spanId: SP1, attributes: { big: 9007199254740993n, nested: { k: 'v' } } }),
    log(2, BASE + 3n * S, 'error', 'a2 db timeout after 3s', { service: 'db', traceId: T1, spanId: SP2 }),
    log(3, BASE + 5n * S, 'warn', 'a3 slow request', { service: 'api' }),
    log(4, BASE + 70n * S, 'error', 'a4 timeout again', { service: 'api', traceId: '0'.repeat(16) + T1.slice(16), traceIdPartial: true }),
  ]);
  store.finishFile({ format: 'test', kind: 'logs', rejected: 0, errors: [] });
  store.beginFile('b.log', null);
  store.addLogs([
    log(1, BASE + 2n * S, 'debug', 'b1 connecting'),
    log(2, BASE + 4n * S, null, 'b2 no level, timeout in text', { service: 'db' }),
    log(3, null, 'info', 'b3 has no time'),
    log(4, BASE + 3n * S, 'fatal', 'b4 crash'),
  ]);
  store.finishFile({ format: 'test', kind: 'logs', rejected: 0, errors: [] });
  return store;
}

const messages = (core: EngineCore, f: LogFilter) => core.logPage(f, 0, 100).map((l) => l.message.slice(0, 2));

describe('log view queries', () => {
  it('merges every source by time (untimed lines first, ties by arrival) and pages anywhere', () => {
    const core = new EngineCore(workspace());
    expect(core.logCount({})).toBe(8);
    expect(messages(core, {})).toEqual(['b3', 'a1', 'b1', 'a2', 'b4', 'b2', 'a3', 'a4']);
    // A page deep in the view is cut from the same order.
    expect(core.logPage({}, 5, 2).map((l) => l.message.slice(0, 2))).toEqual(['b2', 'a3']);
    expect(core.logPage({}, 7, 10).map((l) => l.message.slice(0, 2))).toEqual(['a4']);
    const a1 = core.logPage({}, 1, 1)[0];
    expect(a1).toMatchObject({ timeNs: (BASE + S).toString(), severity: 'info', service: 'api', traceId: T1, spanId: SP1, partial: false, traceKnown: true });
    const a4 = core.logPage({}, 7, 1)[0];
    expect(a4).toMatchObject({ partial: true, traceKnown: false });
  });

  it('filters by severity, service, source, trace id and time range', () => {
    const core = new EngineCore(workspace());
    expect(messages(core, { severities: ['error'] })).toEqual(['a2', 'a4']);
    expect(messages(core, { severities: ['error', 'fatal'] })).toEqual(['a2', 'b4', 'a4']);
    expect(messages(core, { severities: ['unknown'] })).toEqual(['b2']);
    expect(messages(core, { services: ['db'] })).toEqual(['a2', 'b2']);
    expect(messages(core, { services: [''] })).toEqual(['b3', 'b1', 'b4']);
    const files = logFacets(core.store).sources;
    expect(files.map((f) => [f.name, f.count])).toEqual([['a.log', 4], ['b.log', 4]]);
    expect(messages(core, { fileIds: [files[1].fileId] })).toEqual(['b3', 'b1', 'b4', 'b2']);
    expect(messages(core, { hasTrace: true })).toEqual(['a1', 'a2', 'a4']);
    // from inclusive, to exclusive; untimed lines fall outside any range.
    expect(messages(core, { fromNs: (BASE + 2n * S).toString(), toNs: (BASE + 4n * S).toString() })).toEqual(['b1', 'a2', 'b4']);
    expect(messages(core, { severities: ['error'], services: ['api'], hasTrace: true })).toEqual(['a4']);
    expect(core.logCount({ severities: ['error'], services: ['nope'] })).toBe(0);
    // The order is the same whichever way the filter's lists are written.
    expect(logOrder(core.store, { severities: ['fatal', 'error'] })).toEqual(logOrder(core.store, { severities: ['error', 'fatal'] }));
  });

  it('counts facets', () => {
    const f = logFacets(workspace());
    expect(f).toMatchObject({ total: 8, withTrace: 3, minNs: (BASE + S).toString(), maxNs: (BASE + 70n * S).toString() });
    expect(f.severities).toEqual([
      { severity: 'unknown', count: 1 },
      { severity: 'debug', count: 1 },
      { severity: 'info', count: 2 },
      { severity: 'warn', count: 1 },
      { severity: 'error', count: 2 },
      { severity: 'fatal', count: 1 },
    ]);
    expect(f.services).toEqual([{ service: '', count: 3 }, { service: 'api', count: 3 }, { service: 'db', count: 2 }]);
  });

  it('buckets the histogram on round widths aligned to the width', () => {
    expect(pickBucketNs(70n * S, 120)).toBe(1e9); // 70 s over at most 120 buckets: 1 s
    expect(pickBucketNs(200n * S, 120)).toBe(2e9);
    expect(pickBucketNs(2n * 3600n * S, 120)).toBe(6e10); // two hours: one minute
    expect(pickBucketNs(50n, 120)).toBe(1);

    const store = workspace();
    const h = logHistogram(store, {}, 10);
    // Lines span BASE+1s .. BASE+70s: 10 buckets of at most... 10 s each, starting at BASE (aligned).
    expect(h.bucketNs).toBe(1e10);
    expect(h.startNs).toBe(BASE.toString());
    expect(h.xs.length).toBe(8); // [BASE, BASE+80s)
    expect(h.xs[1] - h.xs[0]).toBeCloseTo(10, 6);
    const by = Object.fromEntries(h.series.map((s) => [s.severity, s.counts]));
    expect(by.error).toEqual([1, 0, 0, 0, 0, 0, 0, 1]);
    expect(by.info).toEqual([1, 0, 0, 0, 0, 0, 0, 0]); // the untimed info line is not drawn
    expect(by.unknown).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(h.series.reduce((n, s) => n + s.counts.reduce((a, b) => a + b, 0), 0)).toBe(7);

    // A time range fixes the domain; the other filters still apply.
    const r = logHistogram(store, { fromNs: (BASE + 2n * S).toString(), toNs: (BASE + 6n * S).toString(), severities: ['error', 'fatal'] }, 8);
    expect(r.bucketNs).toBe(1e9);
    expect(r.startNs).toBe((BASE + 2n * S).toString());
    const rb = Object.fromEntries(r.series.map((s) => [s.severity, s.counts]));
    expect(rb.error).toEqual([0, 1, 0, 0]);
    expect(rb.fatal).toEqual([0, 1, 0, 0]);
    expect(rb.info).toEqual([0, 0, 0, 0]);

    expect(logHistogram(Store.create(SQL), {})).toEqual({ startNs: '', bucketNs: 0, xs: [], series: [] });
  });

  it('builds the full-text index in bounded steps and finds hits as view positions', () => {
    const core = new EngineCore(workspace());
    // Batches of 3 lines with no time budget: one batch per step.
    expect(ftsStep(core.store, 0, 3)).toEqual({ indexed: 3, total: 8, done: false });
    const partial = core.logSearch({}, 'timeout');
    expect(partial.progress.done).toBe(false);
    // a2 is indexed; b2 and a4 are not yet and are found by LIKE: the answer is already whole.
    expect(Array.from(partial.positions)).toEqual([3, 5, 7]);
    expect(ftsStep(core.store, 0, 3)).toEqual({ indexed: 6, total: 8, done: false });
    expect(core.ftsStep(200)).toEqual({ indexed: 8, total: 8, done: true, busy: false });
    const all = core.logSearch({}, 'timeout');
    expect(Array.from(all.positions)).toEqual([3, 5, 7]); // a2, b2, a4 in view order
    expect(Array.from(core.logSearch({ severities: ['error'] }, 'timeout').positions)).toEqual([0, 1]);
    expect(Array.from(core.logSearch({}, 'TIME*').positions)).toEqual([0, 3, 5, 7]); // prefix, any case: b3 "no time" too
    expect(Array.from(core.logSearch({}, 'db timeout').positions)).toEqual([3]);
    expect(core.logSearch({}, '"').positions.length).toBe(0);
  });

  it('indexes lines imported after the index was complete', () => {
    const store = workspace();
    expect(ftsStep(store, 50).done).toBe(true);
    store.beginFile('c.log', null);
    store.addLogs([log(1, BASE, 'info', 'late timeout')]);
    store.finishFile({ format: 'test', kind: 'logs', rejected: 0, errors: [] });
    expect(ftsStep(store, 50)).toEqual({ indexed: 9, total: 9, done: true });
    expect(new EngineCore(store).logSearch({}, 'late').positions.length).toBe(1);
  });

  it('shows a record in full with its span: exact, partial, inferred', () => {
    const core = new EngineCore(workspace());
    const page = core.logPage({}, 0, 100);
    const byMsg = (p: string) => page.find((l) => l.message.startsWith(p))!.row;
    const a1 = core.logRecord(byMsg('a1'))!;
    expect(a1).toMatchObject({ file: 'a.log', line: 1, severity: 'info', traceId: T1, spanId: SP1, partial: false });
    expect(a1.attributes).toBe('{"big":9007199254740993,"nested":{"k":"v"}}');
    expect(a1.span).toMatchObject({ match: 'exact', traceId: T1, spanId: SP1, name: 'op-11', service: 'api' });
    expect(core.logRecord(byMsg('a4'))!.span).toMatchObject({ match: 'partial', traceId: T1, spanId: null });
    // b2: service db at BASE+4s lies inside the db span [2s, 5s].
    expect(core.logRecord(byMsg('b2'))!.span).toMatchObject({ match: 'inferred', traceId: T1, spanId: SP2 });
    // a3: api at 5s lies in the api root [0, 10s] only.
    expect(core.logRecord(byMsg('a3'))!.span).toMatchObject({ match: 'inferred', spanId: SP1 });
    expect(core.logRecord(byMsg('b1'))!.span).toBeNull(); // no service
    // Once correlateLogs has recorded the inferred matches, the panel shows the same ones.
    expect(correlateLogs(core.store)).toBe(2);
    expect(core.logRecord(byMsg('b2'))!.span).toMatchObject({ match: 'inferred', spanId: SP2 });
    expect(core.logRecord(byMsg('a3'))!.span).toMatchObject({ match: 'inferred', spanId: SP1 });
    expect(core.logRecord(999)).toBeNull();
  });
});

describe('log view at scale', () => {
  it('pages deep in 200k lines exactly as OFFSET paging would, filtered or not; the histogram adds up', () => {
    const store = Store.create(SQL);
    const N = 200_000;
    store.db.exec(`INSERT INTO files (file_id, name, kind, status) VALUES (1, 'a.log', 'logs', 'done'), (2, 'b.log', 'logs', 'done')`);
    // Times scattered over two hours (with ties), severities and services cycling, half with ids.
    store.db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})
      INSERT INTO logs (file_id, line, time_ns, severity, service, message, trace_id)
      SELECT 1 + (i % 2), i, 1763630000000000000 + ((i * 7919) % ${N / 2}) * 72000000, (i * 31) % 6, 'svc' || (i % 7), 'line ' || i,
        CASE WHEN i % 2 = 0 THEN printf('%032x', i) END FROM n`);
    const core = new EngineCore(store);
    const reference = (where: string, offset: number) =>
      store.db.exec(`SELECT log_row FROM logs ${where} ORDER BY time_ns, log_row LIMIT 100 OFFSET ${offset}`)[0].values.map((r) => r[0]);
    const t0 = performance.now();
    expect(core.logCount({})).toBe(N);
    const tOrder = performance.now() - t0;
    const t1 = performance.now();
    const deep = core.logPage({}, 170_000, 100).map((l) => l.row);
    const tPage = performance.now() - t1;
    expect(deep).toEqual(reference('', 170_000));
    const f: LogFilter = { severities: ['error', 'warn'], hasTrace: true };
    const count = core.logCount(f);
    expect(count).toBe(store.db.exec('SELECT count(*) FROM logs WHERE severity IN (3, 4) AND trace_id IS NOT NULL')[0].values[0][0]);
    expect(core.logPage(f, count - 100, 100).map((l) => l.row)).toEqual(reference('WHERE severity IN (3, 4) AND trace_id IS NOT NULL', count - 100));
    const h = logHistogram(store, f);
    expect(h.series.reduce((n, s) => n + s.counts.reduce((a, b) => a + b, 0), 0)).toBe(count);
    console.log(`200k lines: order ${tOrder.toFixed(0)} ms, deep page ${tPage.toFixed(1)} ms`);
  });
});
