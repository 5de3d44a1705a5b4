// Logs in a real Store (sql.js): exact, partial and inferred correlation with spans, the merged
// view's pages and filters, the severity histogram, and FTS4 search built in batches.

import { describe, it, expect, beforeAll } from 'vitest';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src-renderer/store/store.ts';
import { importInto } from './logs-harness.ts';
import { correlateLogs, logsForSpan, logsForTrace, correlationCounts, spanOfLog } from '../../src-renderer/store/logs.ts';
import {
  openLogView, logViewPage, severityHistogram, buildFtsBatch, searchLogView, countMatches, matchRanges, toFtsQuery, logRecordDetail,
} from '../../src-renderer/store/logs-view.ts';
import { inferInnermostSpans } from '../../src-renderer/core/analysis/correlate.ts';

const PROTO = new URL('../../../shared/corpus/opentelemetry-proto/examples/', import.meta.url).pathname;
const FIX = new URL('../fixtures/logs/', import.meta.url).pathname;
const NOW = Date.UTC(2026, 10, 23);
let SQL: SqlJsStatic;

beforeAll(async () => {
  SQL = await initSqlJs();
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
      expect(spanOfLog(store, exact[0].logRow)).toEqual({ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', match: 'exact' });
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
    const { fileId } = importInto(store, log);
    correlateLogs(store);
    const { exact } = logsForSpan(store, '5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174');
    expect(exact.map((l) => [l.message, l.match, l.traceId])).toEqual([['dd line', 'partial', '0000000000000000d269b633813fc60c']]);
    expect(correlationCounts(store, fileId)).toEqual({ exact: 1, inferred: 0 });
    expect(spanOfLog(store, exact[0].logRow)?.match).toBe('partial');
    const detail = logRecordDetail(store, exact[0].logRow)!;
    expect(detail.traceIdRaw).toBe('15161849952847513100');
    expect(detail.traceIdPartial).toBe(true);
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
  beforeAll(() => {
    store = Store.create(SQL);
    for (const f of ['java.log', 'python.log', 'jsonl.log', 'logfmt.log']) importInto(store, FIX + f, { now: NOW });
  });

  it('merges sources by time and pages by position', () => {
    // 3 + 3 + 12 + 3 records
    expect(openLogView(store).total).toBe(21);
    const all = logViewPage(store, 0, 100);
    expect(all).toHaveLength(21);
    expect(all.map((r) => r[0])).toEqual([...Array(21).keys()]);
    const times = all.map((r) => BigInt(r[2]!));
    expect(times.every((t, i) => i === 0 || times[i - 1] <= t)).toBe(true);
    expect(all[0][5]).toBe('logrus with xray'); // 10:00:07+01:00 = 09:00:07Z is the earliest line
    const page = logViewPage(store, 5, 3);
    expect(page.map((r) => r[1])).toEqual(all.slice(5, 8).map((r) => r[1]));
  });

  it('filters by severity, service, file, trace id and time', () => {
    expect(openLogView(store, { severities: ['error'] }).total).toBe(5); // java, python, zap, journald, logfmt
    expect(openLogView(store, { severities: ['warn', 'unknown'] }).total).toBe(5); // java, python, gcp, logfmt + docker
    expect(openLogView(store, { services: ['api'] }).total).toBe(3);
    expect(openLogView(store, { fileIds: [1] }).total).toBe(3);
    expect(openLogView(store, { hasTraceId: true }).total).toBe(14); // 11 in jsonl.log, one each in java, python, logfmt
    // inclusive 10:00:01..10:00:02: java .456, python .5 and 02.000, pino 01, logfmt 01 and 02
    expect(openLogView(store, { fromNs: '1709287201000000000', toNs: '1709287202000000000' }).total).toBe(6);
    expect(openLogView(store, { severities: ['unknown'] }).total).toBe(1); // the Docker line has no level
  });

  it('draws a severity histogram as columns for uPlot', () => {
    const h = severityHistogram(store, {}, 10);
    expect(h.series).toHaveLength(8);
    expect(h.series.every((s) => s.length === 10)).toBe(true);
    const sum = (i: number) => h.series[i].reduce((a, b) => a + b, 0);
    // info: 1 java + 1 python + 7 jsonl + 1 logfmt; warn: one per file; error: java, python, zap, journald, logfmt
    expect([sum(1), sum(2), sum(3), sum(4), sum(5), sum(6), sum(7)]).toEqual([0, 1, 10, 4, 5, 0, 1]);
    expect(h.series[0][0]).toBe(1709283607); // earliest line, 09:00:07Z, in seconds
    expect(severityHistogram(store, { services: ['api'] }, 10).series[5].reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('builds FTS4 in batches and finds the same rows before and after', () => {
    openLogView(store);
    const before = searchLogView(store, 'failed', -1, 'next', 100).map((h) => h.logRow);
    expect(countMatches(store, 'failed')).toBe(3); // java "Order failed", zap "zap failed", logfmt "failed"
    let batches = 0;
    while (buildFtsBatch(store, 5)) batches++;
    expect(batches).toBe(4); // 21 rows in batches of 5: four calls say more remains, the fifth finishes
    expect(buildFtsBatch(store, 5)).toBe(false);
    const after = searchLogView(store, 'failed', -1, 'next', 100).map((h) => h.logRow);
    expect(after).toEqual(before);
    expect(after).toHaveLength(3);
    expect(countMatches(store, 'failed')).toBe(3);
    // next / previous from a position
    const first = searchLogView(store, 'failed', -1)[0];
    const second = searchLogView(store, 'failed', first.pos)[0];
    expect(second.pos).toBeGreaterThan(first.pos);
    expect(searchLogView(store, 'failed', second.pos, 'prev')[0].pos).toBe(first.pos);
    // prefix and phrase-safe input
    expect(countMatches(store, 'seril*')).toBe(1); // serilog
    expect(toFtsQuery('a" OR b')).toBe('"a" "OR" "b"');
    expect(countMatches(store, 'unicode OR "')).toBe(0);
  });

  it('gives hit ranges in string indices', () => {
    const s = Store.create(SQL);
    importInto(s, tmpFile('u.log', '2024-03-01 10:00:00 INFO héllo wörld timeout here\n'), { now: NOW });
    while (buildFtsBatch(s, 100));
    openLogView(s);
    const hit = searchLogView(s, 'timeout', -1)[0];
    const msg = logViewPage(s, hit.pos, 1)[0][5];
    const [[a, b]] = matchRanges(s, hit.logRow, 'timeout');
    expect(msg.slice(a, b)).toBe('timeout');
    s.close();
  });
});
