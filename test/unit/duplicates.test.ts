// The same span imported twice (same trace id, span id, start and duration) is stored once and
// counted as a duplicate: one trace exported as OTLP, Jaeger and Zipkin, or a file opened twice.
// Spans that share an id but differ are both kept, with the duplicate-id finding; within one
// file nothing is dropped.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { ImportJob } from '../../src-renderer/engine/import-job.ts';
import type { SourceReport } from '../../src-renderer/core/import/types.ts';
import type { Span } from '../../src-renderer/core/model/trace.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';

const FIX = new URL('../fixtures/traces/', import.meta.url).pathname;
let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

function importInto(store: Store, name: string, bytes: Uint8Array): SourceReport {
  const job = new ImportJob(store, name, bytes.length);
  for (let i = 0; i < bytes.length; i += 4096) job.push(bytes.subarray(i, i + 4096));
  const reports = job.end();
  expect(reports).toHaveLength(1);
  return reports[0];
}
const file = (name: string) => new Uint8Array(readFileSync(FIX + name));
const rows = (store: Store, sql: string) => store.db.exec(sql)[0]?.values ?? [];

function importSpans(store: Store, name: string, batches: Span[][]): SourceReport {
  store.beginJob();
  store.beginFile(name, null);
  for (const b of batches) store.addSpans(b);
  const r = store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
  store.commitJob();
  return r;
}

const T = '0af7651916cd43dd8448eb211c80319c';
const BASE = 1_763_630_000_000_000_000n;
function span(id: number, parent: number | null, start: bigint, events = 0): Span {
  return {
    traceId: T, spanId: id.toString(16).padStart(16, '0'), parentSpanId: parent === null ? null : parent.toString(16).padStart(16, '0'), parentRef: 'child_of',
    name: `op-${id}`, service: 'svc', kind: 'server', startNs: epochNs(start), durationNs: durationNs(1000), status: 'unset', statusMessage: '', attributes: {},
    resource: { attributes: { 'service.name': 'svc' } }, scope: { name: '', version: '' },
    events: Array.from({ length: events }, (_, k) => ({ timeNs: epochNs(start + BigInt(k)), name: `ev-${id}-${k}`, attributes: {} })), links: [],
  };
}

describe('duplicate spans across files', () => {
  it('one trace as OTLP, then as Jaeger and as Zipkin: stored once, the later copies counted as duplicates', () => {
    const store = Store.create(SQL);
    const otlp = importInto(store, 'same-trace.otlp.json', file('same-trace.otlp.json'));
    expect([otlp.spans, otlp.duplicates]).toEqual([5, 0]);
    const jaeger = importInto(store, 'same-trace.jaeger.json', file('same-trace.jaeger.json'));
    expect([jaeger.traces, jaeger.spans, jaeger.duplicates, jaeger.rejected]).toEqual([1, 0, 5, 0]);
    const zipkin = importInto(store, 'same-trace.zipkin.json', file('same-trace.zipkin.json'));
    expect([zipkin.spans, zipkin.duplicates]).toEqual([0, 5]);
    expect(rows(store, 'SELECT count(*) FROM spans')).toEqual([[5]]);
    expect(rows(store, 'SELECT span_count FROM traces')).toEqual([[5]]);
    expect(rows(store, `SELECT count(*) FROM import_findings WHERE kind = 'duplicate_span_id'`)).toEqual([[0]]);
    expect(rows(store, 'SELECT name, spans, duplicates FROM files ORDER BY file_id')).toEqual([
      ['same-trace.otlp.json', 5, 0], ['same-trace.jaeger.json', 0, 5], ['same-trace.zipkin.json', 0, 5],
    ]);
  });

  it('the same file opened twice adds nothing the second time', () => {
    const store = Store.create(SQL);
    const bytes = file('same-trace.jaeger.json');
    importInto(store, 'a.json', bytes);
    const again = importInto(store, 'a.json', bytes);
    expect([again.spans, again.duplicates]).toEqual([0, 5]);
    expect(rows(store, 'SELECT count(*) FROM spans')).toEqual([[5]]);
  });

  it('spans sharing an id but differing are both kept, with the finding; new spans of a known trace are stored', () => {
    const store = Store.create(SQL);
    importSpans(store, 'one.json', [[span(1, null, BASE), span(2, 1, BASE + 10n)]]);
    // Span 2 again with another start: not the same span. Span 3 is new; span 1 is the same.
    const two = importSpans(store, 'two.json', [[span(1, null, BASE), span(2, 1, BASE + 20n), span(3, 1, BASE + 30n)]]);
    expect([two.spans, two.duplicates]).toEqual([2, 1]);
    expect(rows(store, 'SELECT span_id, start_ns - 1763630000000000000 FROM spans ORDER BY span_row')).toEqual([
      ['0000000000000001', 0], ['0000000000000002', 10], ['0000000000000002', 20], ['0000000000000003', 30],
    ]);
    expect(rows(store, `SELECT kind, span_id FROM import_findings WHERE kind = 'duplicate_span_id'`)).toEqual([['duplicate_span_id', '0000000000000002']]);
    expect(rows(store, 'SELECT span_count FROM traces')).toEqual([[4]]);
  });

  it('within one file nothing is dropped: a span written twice is kept twice, with the finding', () => {
    const store = Store.create(SQL);
    const r = importSpans(store, 'twice.json', [[span(1, null, BASE), span(1, null, BASE)]]);
    expect([r.spans, r.duplicates]).toEqual([2, 0]);
    expect(rows(store, `SELECT count(*) FROM import_findings WHERE kind = 'duplicate_span_id'`)).toEqual([[1]]);
  });

  it('the events of a dropped duplicate go with it; those of the spans kept beside it stay on them', () => {
    const store = Store.create(SQL);
    importSpans(store, 'one.json', [[span(1, null, BASE, 2)]]);
    const two = importSpans(store, 'two.json', [[span(1, null, BASE, 2), span(4, 1, BASE + 5n, 3), span(5, 1, BASE + 6n, 1)]]);
    expect([two.spans, two.duplicates]).toEqual([2, 1]);
    expect(rows(store, 'SELECT s.span_id, e.name FROM span_events e JOIN spans s USING (span_row) ORDER BY e.rowid')).toEqual([
      ['0000000000000001', 'ev-1-0'], ['0000000000000001', 'ev-1-1'],
      ['0000000000000004', 'ev-4-0'], ['0000000000000004', 'ev-4-1'], ['0000000000000004', 'ev-4-2'], ['0000000000000005', 'ev-5-0'],
    ]);
  });
});
