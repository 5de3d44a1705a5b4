// Logs in a real Store (sql.js): exact, partial and inferred correlation with spans, the merged
// view's pages and filters, the severity histogram, and FTS4 search built in batches.

import { describe, it, expect, beforeAll } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src-renderer/store/store.ts';
import { importInto } from './logs-harness.ts';
import { correlateLogs, logsForSpan, logsForTrace, correlationCounts } from '../../src-renderer/store/logs.ts';
import { LogViewCache, logHistogram, type LogFilter } from '../../src-renderer/store/log-view.ts';
import { logRecord } from '../../src-renderer/store/log-view-record.ts';
import { buildFtsBatch, ftsMatch, toFtsQuery } from '../../src-renderer/store/log-view-fts.ts';
import { inferInnermostSpans } from '../../src-renderer/core/analysis/correlate.ts';

const PROTO = new URL('../fixtures/corpus/opentelemetry-proto/examples/', import.meta.url).pathname;
const FIX = new URL('../fixtures/logs/', import.meta.url).pathname;
const NOW = Date.UTC(2026, 10, 23);
let SQL: SqlJsStatic;

beforeAll(async () => {
  SQL = await loadSqlJs();
});

function tmpFile(name: string, text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'logs-')), name);
  writeFileSync(p, text);
  return p;
}

describe('inferInnermostSpans', () => {
  it('takes the innermost open span, as drawn in correlate.ts', () => {
    //   A [0, 100]   B [20, 60]   C [30, 40]
    const spans = [{ key: 1, start: 0, end: 100 }, { key: 2, start: 20, end: 60 }, { key: 3, start: 30, end: 40 }];
    const lines = [10, 25, 35, 40, 41, 70, 101].map((time, i) => ({ key: i, time }));
    const input = JSON.stringify([spans, lines]);
    const m = inferInnermostSpans(spans, lines);
    expect(m.map((x) => [x.lineKey, x.spanKey])).toEqual([[0, 1], [1, 2], [2, 3], [3, 3], [4, 2], [5, 1]]);
    expect(JSON.stringify([spans, lines])).toBe(input); // inputs untouched
  });

  it('handles a span ending before a longer one still open, and many spans', () => {
    const spans = [{ key: 1, start: 0, end: 10 }, { key: 2, start: 0, end: 1000 }];
    expect(inferInnermostSpans(spans, [{ key: 9, time: 500 }])).toEqual([{ lineKey: 9, spanKey: 2 }]);
    const many = Array.from({ length: 100_000 }, (_, i) => ({ key: i, start: i * 10, end: i * 10 + 5 }));
    const found = inferInnermostSpans(many, Array.from({ length: 1000 }, (_, i) => ({ key: i, time: i * 1000 + 3 })));
    expect(found).toHaveLength(1000);
    expect(found[999].spanKey).toBe(99_900);
  });
});

describe('correlation in the store', () => {
  it("joins opentelemetry-proto's logs.json to trace.json's span, in either import order", () => {
    for (const order of [['logs.json', 'trace.json'], ['trace.json', 'logs.json']]) {
      const store = Store.create(SQL);
      const ids: Record<string, number> = {};
      for (const f of order) ids[f] = importInto(store, PROTO + f).fileId;
      correlateLogs(store);
      const { exact, inferred } = logsForSpan(store, '5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174');
      expect(exact.map((l) => [l.message, l.match, l.service, l.severity, l.timeNs])).toEqual([
        ['Example log record', 'exact', 'my.service', 'info', '1544712660300000000'],
      ]);
      expect(inferred).toEqual([]);
      expect(correlationCounts(store, ids['logs.json'])).toEqual({ exact: 1, inferred: 0 });
      expect(logRecord(store, exact[0].logRow)!.span).toMatchObject({ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', match: 'exact' });
      expect(logsForTrace(store, '5b8efff798038103d269b633813fc60c').exact).toHaveLength(1);
      store.close();
    }
  });

  it('matches a Datadog decimal id on the low 64 bits, labelled partial', () => {
    const store = Store.create(SQL);
    importInto(store, PROTO + 'trace.json');
    // low 64 bits d269b633813fc60c = 15161849952847513100; span eee19b7ec3c1b174 = 17213210219539181940
    const log = tmpFile('dd.log', [
      '{"time":"2018-12-13T14:51:00.5Z","level":"info","msg":"dd line","dd.trace_id":"15161849952847513100","dd.span_id":"17213210219539181940"}',
      '{"time":"2018-12-13T14:51:00.6Z","level":"info","msg":"other trace","dd.trace_id":"42","dd.span_id":"17213210219539181940"}',
    ].join('\n'));
    const low64Index = () => store.db.exec(`SELECT count(*) FROM ws.sqlite_master WHERE name = 'traces_by_low64'`)[0].values[0][0];
    expect(low64Index()).toBe(0); // traces alone do not maintain it
    const { fileId } = importInto(store, log);
    expect(low64Index()).toBe(1); // made with the first partial-id line
    const plan = store.db.exec(`EXPLAIN QUERY PLAN SELECT trace_id FROM traces WHERE substr(trace_id, 17) = 'd269b633813fc60c'`)[0].values;
    expect(plan.map((r) => String(r[3])).join(' ')).toContain('traces_by_low64');
    correlateLogs(store);
    const { exact } = logsForSpan(store, '5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174');
    expect(exact.map((l) => [l.message, l.match, l.traceId])).toEqual([['dd line', 'partial', '0000000000000000d269b633813fc60c']]);
    expect(correlationCounts(store, fileId)).toEqual({ exact: 1, inferred: 0 });
    expect(logRecord(store, exact[0].logRow)!.span?.match).toBe('partial');
    const detail = logRecord(store, exact[0].logRow)!;
    expect(detail.traceIdRaw).toBe('15161849952847513100');
    expect(detail.partial).toBe(true);
    store.close();
  });

  it('infers the innermost span of the same service for lines without ids, kept apart from exact ones', () => {
    const store = Store.create(SQL);
    importInto(store, FIX + 'correlate-trace.json');
    const { fileId } = importInto(store, FIX + 'correlate-checkout.log', { service: 'checkout', now: NOW });
    expect(correlateLogs(store)).toBe(4);
    const T = '11111111111111112222222222222222';
    const msgs = (rows: { message: string }[]) => rows.map((r) => r.message);
    expect(msgs(logsForSpan(store, T, 'aaaaaaaaaaaaaaa1').inferred)).toEqual(['in A only', 'back in A']);
    const b = logsForSpan(store, T, 'aaaaaaaaaaaaaaa2');
    expect(msgs(b.inferred)).toEqual(['in B']);
    expect(b.inferred[0].match).toBe('inferred');
    expect(msgs(b.exact)).toEqual(['has its own id trace_id=11111111111111112222222222222222 span_id=aaaaaaaaaaaaaaa2']);
    // C holds 10:00:00.250; the payment span P is shorter but another service
    expect(msgs(logsForSpan(store, T, 'aaaaaaaaaaaaaaa3').inferred)).toEqual(['in C']);
    expect(logsForSpan(store, T, 'bbbbbbbbbbbbbbb1').inferred).toEqual([]);
    const trace = logsForTrace(store, T);
    expect([trace.exact.length, trace.inferred.length]).toEqual([1, 4]);
    expect(correlationCounts(store, fileId)).toEqual({ exact: 1, inferred: 4 });
    store.close();
  });
});

describe('log view', () => {
  let store: Store;
  let view: LogViewCache;
  const total = (f: LogFilter = {}) => view.orderOf(f).length;
  beforeAll(() => {
    store = Store.create(SQL);
    for (const f of ['java.log', 'python.log', 'jsonl.log', 'logfmt.log']) importInto(store, FIX + f, { now: NOW });
    view = new LogViewCache(store);
  });

  it('merges sources by time and pages by position', () => {
    // 3 + 3 + 12 + 3 records
    expect(total()).toBe(21);
    const all = view.page({}, 0, 100);
    expect(all).toHaveLength(21);
    const times = all.map((r) => BigInt(r.timeNs!));
    expect(times.every((t, i) => i === 0 || times[i - 1] <= t)).toBe(true);
    expect(all[0].message).toBe('logrus with xray'); // 10:00:07+01:00 = 09:00:07Z is the earliest line
    expect(view.page({}, 5, 3).map((r) => r.row)).toEqual(all.slice(5, 8).map((r) => r.row));
  });

  it('filters by severity, service, file, trace id and time', () => {
    expect(total({ severities: ['error'] })).toBe(5); // java, python, zap, journald, logfmt
    expect(total({ severities: ['warn', 'unknown'] })).toBe(5); // java, python, gcp, logfmt + docker
    expect(total({ services: ['api'] })).toBe(3);
    expect(total({ fileIds: [1] })).toBe(3);
    expect(total({ hasTrace: true })).toBe(14); // 11 in jsonl.log, one each in java, python, logfmt
    // 10:00:01 inclusive to 10:00:02.000000001 exclusive: java .456, python .5 and 02.000, pino 01, logfmt 01 and 02
    expect(total({ fromNs: '1709287201000000000', toNs: '1709287202000000001' })).toBe(6);
    expect(total({ severities: ['unknown'] })).toBe(1); // the Docker line has no level
  });

  it('draws a severity histogram as columns for uPlot', () => {
    const h = logHistogram(store, {}, 10);
    const sum = (name: string) => h.series.find((s) => s.severity === name)!.counts.reduce((a, b) => a + b, 0);
    // info: 1 java + 1 python + 7 jsonl + 1 logfmt; warn: one per file; error: java, python, zap, journald, logfmt
    expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown'].map(sum)).toEqual([0, 1, 10, 4, 5, 0, 1]);
    expect(h.xs[0]).toBeLessThanOrEqual(1709283607); // the earliest line, 09:00:07Z, falls in the first bucket
    expect(h.xs[1]).toBeGreaterThan(1709283607);
    expect(logHistogram(store, { services: ['api'] }, 10).series.find((s) => s.severity === 'error')!.counts.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('builds FTS4 in batches and finds the same rows before and after', () => {
    const before = Array.from(ftsMatch(store, 'failed'));
    expect(before).toHaveLength(3); // java "Order failed", zap "zap failed", logfmt "failed"
    let batches = 0;
    while (buildFtsBatch(store, 5)) batches++;
    expect(batches).toBe(4); // 21 rows in batches of 5: four calls say more remains, the fifth finishes
    expect(buildFtsBatch(store, 5)).toBe(false);
    expect(Array.from(ftsMatch(store, 'failed'))).toEqual(before);
    // hits as positions in a filtered view, for next / previous
    const positions = view.positionsOf({}, ftsMatch(store, 'failed'));
    expect(positions).toHaveLength(3);
    expect(Array.from(positions).every((p, i) => i === 0 || positions[i - 1] < p)).toBe(true);
    // prefix and operator-safe input
    expect(ftsMatch(store, 'seril*')).toHaveLength(1); // serilog
    expect(toFtsQuery('a" OR b')).toBe('"a" "OR" "b"');
    expect(ftsMatch(store, 'unicode OR "')).toHaveLength(0);
  });
});
