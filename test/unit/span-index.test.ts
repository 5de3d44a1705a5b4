// The span search index (store/span-index.ts) answers attribute terms and free text exactly as
// reading every span does: each query below, worked out by hand, gives the same traces with the
// index absent, covering some spans (the rest read from the spans), and complete. The traces go in
// as OTLP/JSON through the importer, as a user's file would.
//
//   A  shop (region=eu-west-1, zone=ü-north)  GET /ünïcode [error "Upstream Timeout"]
//        path=C:\tmp\x  note=50%_off  quote=say "hi"  code="502" (a string)  http.status_code=200
//   B  pay                                    charge  http.status_code=503  flag=true  ratio=0.25  tenant=acme
//        event retry (attempt=2, reason="backend timeout")
//   C  pay                                    refund  http.status_code="503" (a string)  tenant=globex  we"ird\key=v  flag=false
//        event audit (who=ÄLICE)
//   D  shop (region=eu-west-1, zone=ü-north)  list  tenant=acme  count=0
//        └ db  db.system=postgresql  stmt=select '%' from t where a_b = 1
//   F  shop (region=eu-west-1, zone=ü-north)  ping  (no attributes of its own)

import { describe, it, expect, beforeAll } from 'vitest';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import { ImportJob } from '../../src-renderer/engine/import-job.ts';
import type { EngineClient } from '../../src-renderer/engine/client.ts';
import type { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import { buildSpanIndexBatch, spanIndexCoverage, spanIndexProgress } from '../../src-renderer/store/span-index.ts';
import { matchWhere } from '../../src-renderer/store/trace-search.ts';
import { parseTraceQuery, isSpanTerm } from '../../src-renderer/core/analysis/trace-query.ts';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2';
const C = 'ccccccccccccccccccccccccccccccc3';
const D = 'ddddddddddddddddddddddddddddddd4';
const F = 'fffffffffffffffffffffffffffffff6';
const BASE = 1795168800000000000n;
const SEC = 1_000_000_000n;

type Value = string | number | boolean;
const attrs = (a: Record<string, Value>) =>
  Object.entries(a).map(([key, v]) => ({
    key,
    value: typeof v === 'boolean' ? { boolValue: v } : typeof v === 'number' ? (Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v }) : { stringValue: v },
  }));

let n = 0;
function span(trace: string, at: number, name: string, a: Record<string, Value>, more: object = {}) {
  const start = BASE + BigInt(at) * SEC;
  return {
    traceId: trace, spanId: (++n).toString(16).padStart(16, '0'), name, kind: 2, startTimeUnixNano: String(start), endTimeUnixNano: String(start + SEC),
    attributes: attrs(a), ...more,
  };
}

const shop = { attributes: attrs({ 'service.name': 'shop', region: 'eu-west-1', zone: 'ü-north' }) };
const pay = { attributes: attrs({ 'service.name': 'pay' }) };
const dParent = span(D, 3, 'list', { tenant: 'acme', count: 0 });
const DOC = {
  resourceSpans: [
    { resource: shop, scopeSpans: [{ spans: [
      span(A, 0, 'GET /ünïcode', { path: 'C:\\tmp\\x', note: '50%_off', quote: 'say "hi"', code: '502', 'http.status_code': 200 }, { status: { code: 2, message: 'Upstream Timeout' } }),
    ] }] },
    { resource: pay, scopeSpans: [{ spans: [
      span(B, 1, 'charge', { 'http.status_code': 503, flag: true, ratio: 0.25, tenant: 'acme' }, {
        events: [{ name: 'retry', timeUnixNano: String(BASE + SEC), attributes: attrs({ attempt: 2, reason: 'backend timeout' }) }],
      }),
      span(C, 2, 'refund', { 'http.status_code': '503', tenant: 'globex', 'we"ird\\key': 'v', flag: false }, {
        events: [{ name: 'audit', timeUnixNano: String(BASE + 2n * SEC), attributes: attrs({ who: 'ÄLICE' }) }],
      }),
    ] }] },
    { resource: shop, scopeSpans: [{ spans: [dParent, { ...span(D, 3, 'db', { 'db.system': 'postgresql', stmt: "select '%' from t where a_b = 1" }), parentSpanId: dParent.spanId }] }] },
    { resource: shop, scopeSpans: [{ spans: [span(F, 5, 'ping', {})] }] },
  ],
};

/** Each query and the traces it finds, by start. Queries are the trace list's query language. */
const CASES: Array<[string, string[]]> = [
  ['timeout', [A, B]], // a status message, case folded; an event's attribute value
  ['-timeout', [C, D, F]],
  ['http.status_code>=500', [B]], // the string "503" is no number
  ['http.status_code=503', [B, C]], // the number, and the string of its digits
  ['http.status_code="503"', [B, C]],
  ['code=502', [A]],
  ['code>500', []],
  ['region=eu-west-1', [A, D, F]], // the resource's
  ['-region=eu-west-1', [B, C]],
  ['region!=eu-west-1', []],
  ['region!=us', [A, D, F]], // F's span has no attributes of its own: still a region other than us
  ['tenant!=acme', [C]],
  ['-tenant=acme', [A, C, F]],
  ['tenant exists', [B, C, D]],
  ['50%_', [A]],
  ['%', [A, D]],
  ['_', [A, D]],
  ['a_b', [D]],
  ['"C:\\\\tmp"', [A]],
  ['"say \\"hi\\""', [A]],
  ['ünïcode', [A]],
  ['ÜNÏCODE', []], // only ASCII letters are case folded, as LIKE does
  ['ÄLICE', [C]],
  ['älice', []],
  ['lice', [C]],
  ['ü-north', [A, D, F]],
  ['true', [B]], // a boolean as JSON writes it
  ['false', [C]],
  ['0.25', [B]],
  ['ratio<0.5', [B]],
  ['ratio=0.25', [B]],
  ['count=0', [D]],
  ['count exists', [D]],
  ['flag=true', [B]],
  ['flag=1', [B]],
  ['flag=0', [C]],
  ['"we\\"ird\\\\key"=v', [C]],
  ['"we\\"ird\\\\key"!=w', [C]],
  ['service=pay tenant=acme', [B]],
  ['service=shop tenant=acme', [D]],
  ['name=refund tenant=acme', []], // one span must have both
  ['db.system=postgresql', [D]],
  ['service=shop db.system=postgresql', [D]],
  ['service=pay db.system=postgresql', []],
  ['tenant=acme count=0', [D]], // on one span
  ['tenant=acme flag=true', [B]],
  ['tenant=acme db.system=postgresql', []], // two spans of D
  ['timeout tenant=acme', [B]],
  ['service=pay timeout', [B]],
  ['service=pay service=shop timeout', []],
  ['region=eu-west-1 ping', [F]], // the resource's, with the span's name
  ['retry', [B]], // an event's name
  ['attempt', []], // a key is not text
  ['2', [A, B]], // 200; 0.25 and the event's attempt=2
  ['-2 -%', [C, F]],
];

async function engineWith(state: 'absent' | 'partial' | 'complete'): Promise<{ core: EngineCore; client: EngineClient }> {
  const e = await createLocalEngine();
  const bytes = new TextEncoder().encode(JSON.stringify(DOC));
  const job = new ImportJob(e.core.store, 'index.json', bytes.length);
  job.push(bytes);
  const [report] = await job.end();
  expect(report.spans).toBe(6);
  if (state === 'partial') buildSpanIndexBatch(e.core.store, 2);
  if (state === 'complete') while (buildSpanIndexBatch(e.core.store, 2));
  await e.client.ready;
  return e;
}

describe('span search index', () => {
  const engines: Record<string, { core: EngineCore; client: EngineClient }> = {};
  beforeAll(async () => {
    for (const s of ['absent', 'partial', 'complete'] as const) engines[s] = await engineWith(s);
  });

  it('covers none, some or all of the spans', () => {
    expect(spanIndexCoverage(engines.absent.core.store)).toEqual({ state: 'absent' });
    expect(spanIndexCoverage(engines.partial.core.store)).toEqual({ state: 'partial', upto: 2 });
    expect(spanIndexCoverage(engines.complete.core.store)).toEqual({ state: 'complete' });
    expect(spanIndexProgress(engines.complete.core.store)).toEqual({ indexed: 6, total: 6, done: true });
  });

  for (const s of ['absent', 'partial', 'complete'] as const) {
    it(`finds the same traces with the index ${s}`, async () => {
      const found: Record<string, string[]> = {};
      for (const [query] of CASES) {
        const r = await engines[s].client.call('searchTraces', { query, offset: 0, limit: 100 });
        expect(r.errors, query).toEqual([]);
        found[query] = r.rows.map((t) => t.traceId);
      }
      expect(found).toEqual(Object.fromEntries(CASES));
    });
  }

  it('reads attribute terms and free text from the index, not from every span, once it is complete', () => {
    const store = engines.complete.core.store;
    const plan = (query: string) => {
      const w = matchWhere(store, parseTraceQuery(query).terms.filter(isSpanTerm), []);
      return store.db.exec(`EXPLAIN QUERY PLAN SELECT t.trace_id FROM traces t WHERE ${w.sql}`, w.params)[0].values.map((r) => String(r[3]));
    };
    for (const q of ['timeout', 'http.status_code>=500', 'region=eu-west-1', 'tenant!=acme', '-timeout', 'service=shop db.system=postgresql', 'tenant=acme count=0']) {
      expect(plan(q).filter((p) => p.startsWith('SCAN s')), q).toEqual([]);
    }
    // An attribute in a service: from the postings alone (a span row only for a span without an operation row).
    expect(plan('service=shop db.system=postgresql').filter((p) => / s /.test(p))).toEqual(['SEARCH s USING INTEGER PRIMARY KEY (rowid=?)']);
  });

  it('stays through the export of a workspace opened from a file, and is not in the file', async () => {
    const { core, client } = await createLocalEngine(engines.absent.core.store.export());
    await client.ready;
    expect(core.searchIndexStep(200)).toMatchObject({ done: true });
    expect(spanIndexCoverage(core.store)).toEqual({ state: 'complete' });
    const saved = core.exportWorkspace();
    expect(spanIndexCoverage(core.store)).toEqual({ state: 'complete' });
    const traces = async (query: string) => (await client.call('searchTraces', { query, offset: 0, limit: 100 })).rows.map((t) => t.traceId);
    expect(await traces('region!=us')).toEqual([A, D, F]);
    expect(await traces('tenant=acme count=0')).toEqual([D]);
    const reopened = await createLocalEngine(saved);
    expect(spanIndexCoverage(reopened.core.store)).toEqual({ state: 'absent' });
  });

  it('is built again after spans are added', async () => {
    const { core, client } = engines.complete;
    const more = { resourceSpans: [{ resource: pay, scopeSpans: [{ spans: [span('eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee5', 4, 'late', { reason: 'timeout again' })] }] }] };
    const bytes = new TextEncoder().encode(JSON.stringify(more));
    const job = new ImportJob(core.store, 'more.json', bytes.length);
    job.push(bytes);
    await job.end();
    expect(spanIndexCoverage(core.store)).toEqual({ state: 'partial', upto: 6 });
    const ids = async (query: string) => (await client.call('searchTraces', { query, offset: 0, limit: 100 })).rows.map((t) => t.traceId);
    expect(await ids('timeout')).toEqual([A, B, 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee5']);
    expect(core.searchIndexStep(40)).toEqual({ indexed: 7, total: 7, done: true, skipped: false, busy: false });
    expect(spanIndexCoverage(core.store)).toEqual({ state: 'complete' });
    expect(await ids('TIMEOUT')).toEqual([A, B, 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee5']);
  });
});
