// Spans are indexed by their trace's number (traces.trace_no), handed out in the order traces
// arrive: a trace keeps its number across files, new traces are numbered on from the highest,
// span queries by trace id go through the number's index, and a workspace saved before traces
// were numbered is upgraded when it is opened.
import { describe, it, expect, beforeAll } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { listTraces } from '../../src-renderer/store/queries.ts';
import { traceSpans } from '../../src-renderer/store/trace-spans.ts';
import type { Span } from '../../src-renderer/core/model/trace.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const BASE = 1_763_630_000_000_000_001n;
const tid = (n: number) => n.toString(16).padStart(32, '0');
const sid = (n: number) => n.toString(16).padStart(16, '0');

function span(trace: number, id: number, parent: number | null, start: bigint): Span {
  return {
    traceId: tid(trace), spanId: sid(id), parentSpanId: parent === null ? null : sid(parent), parentRef: 'child_of', name: `op-${id}`, service: 'svc',
    kind: 'server', startNs: epochNs(start), durationNs: durationNs(10), status: 'unset', statusMessage: '', attributes: {}, resource: { attributes: { 'service.name': 'svc' } },
    scope: { name: '', version: '' }, events: [], links: [],
  };
}

const DONE = { format: 'test', kind: 'traces', rejected: 0, errors: [] };
const rows = (store: Store, sql: string) => store.db.exec(sql)[0]?.values ?? [];

function importFile(store: Store, name: string, batches: Span[][]): void {
  store.beginJob();
  store.beginFile(name, null);
  for (const b of batches) store.addSpans(b);
  store.finishFile(DONE);
  store.commitJob();
}

describe('trace numbers', () => {
  it('number traces in the order they arrive, keep a number across files, and go on from the highest', () => {
    const store = Store.create(SQL);
    importFile(store, 'one.json', [[span(0xb, 1, null, BASE), span(0xa, 2, null, BASE + 5n)], [span(0xc, 3, null, BASE + 1n)]]);
    // Trace 0xa comes back (a child of its root) with a new trace 0xd, after enough batches for 0xa to settle.
    importFile(store, 'two.json', [[span(0xd, 4, null, BASE + 2n)], [], [], [], [], [], [span(0xa, 5, 2, BASE + 6n)]]);
    expect(rows(store, 'SELECT trace_id, trace_no, span_count FROM traces ORDER BY trace_no')).toEqual([
      [tid(0xb), 1, 1], [tid(0xa), 2, 2], [tid(0xc), 3, 1], [tid(0xd), 4, 1],
    ]);
    expect(rows(store, 'SELECT span_id, trace_no FROM spans ORDER BY span_row')).toEqual([
      [sid(1), 1], [sid(2), 2], [sid(3), 3], [sid(4), 4], [sid(5), 2],
    ]);
    expect(traceSpans(store, tid(0xa))!.spanId).toEqual([sid(2), sid(5)]);
    expect(traceSpans(store, tid(0xe))).toBeNull();
  });

  it('numbers on from the highest left after a cancelled job, and a cancelled trace is gone with its number', () => {
    const store = Store.create(SQL);
    importFile(store, 'one.json', [[span(1, 1, null, BASE)]]);
    store.beginJob();
    store.beginFile('cancelled.json', null);
    store.addSpans([span(2, 2, null, BASE)]);
    store.rollbackJob();
    importFile(store, 'three.json', [[span(3, 3, null, BASE)]]);
    expect(rows(store, 'SELECT trace_id, trace_no FROM traces ORDER BY trace_no')).toEqual([[tid(1), 1], [tid(3), 2]]);
  });

  it('looks spans up by trace through the index on the number', () => {
    const store = Store.create(SQL);
    importFile(store, 'one.json', [[span(1, 1, null, BASE)]]);
    const plan = rows(store, `EXPLAIN QUERY PLAN SELECT span_row FROM spans WHERE trace_no = (SELECT trace_no FROM traces WHERE trace_id = '${tid(1)}')`);
    expect(plan.map((r) => String(r[3])).join(' | ')).toContain('USING COVERING INDEX spans_by_trace_no');
  });

  it('upgrades a workspace saved before traces were numbered', () => {
    // Make a version-1 workspace: the same tables without trace_no, spans indexed by trace id.
    const old = Store.create(SQL);
    importFile(old, 'old.json', [[span(0xb, 1, null, BASE + 9n), span(0xb, 2, 1, BASE + 10n), span(0xa, 3, null, BASE)]]);
    old.db.exec(`
      DROP INDEX ws.spans_by_trace_no; DROP INDEX ws.spans_by_op; DROP INDEX ws.spans_in_error;
      ALTER TABLE ws.spans DROP COLUMN trace_no;
      ALTER TABLE ws.traces DROP COLUMN trace_no;
      CREATE INDEX ws.spans_by_trace ON spans(trace_id);
      PRAGMA ws.user_version = 1;
    `);
    const bytes = old.export();
    old.close();

    const store = Store.create(SQL, bytes);
    // Numbered by start; every span carries its trace's number; the old index is gone.
    expect(rows(store, 'SELECT trace_id, trace_no FROM traces ORDER BY trace_no')).toEqual([[tid(0xa), 1], [tid(0xb), 2]]);
    expect(rows(store, 'SELECT span_id, trace_no FROM spans ORDER BY span_row')).toEqual([[sid(1), 2], [sid(2), 2], [sid(3), 1]]);
    expect(rows(store, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spans' ORDER BY name`)).toEqual([['spans_by_op'], ['spans_by_trace_no'], ['spans_in_error']]);
    expect(traceSpans(store, tid(0xb))!.spanId).toEqual([sid(1), sid(2)]);
    expect(listTraces(store, { offset: 0, limit: 10 }).map((t) => t.traceId)).toEqual([tid(0xa), tid(0xb)]);
    // And it takes more files, numbered on.
    importFile(store, 'new.json', [[span(0xc, 4, null, BASE + 20n)]]);
    expect(rows(store, `SELECT trace_no FROM traces WHERE trace_id = '${tid(0xc)}'`)).toEqual([[3]]);
    expect(traceSpans(store, tid(0xc))!.spanId).toEqual([sid(4)]);
  });
});
