// Trace search over a real store: each filter of the query language on four hand-made traces
// whose expected matches are worked out by hand below, values that break naive SQL (quotes,
// backslashes, %, _ and NUL; a 1 MB value), every spelling of a trace id, time bounds, and the
// order of results. The traces go in as OTLP/JSON through the importer, as a user's file would.
//
//   T1 4bf92f35…4736  10:00  2.5 s  checkout (region=eu-west-1)  POST /checkout [error "statement timeout"]
//                                   └ SELECT cart (client; db.statement "… like '50%_off'", http.status_code 502, db.system postgresql)
//   T2 0000…1111…     10:10  0.1 s  cart (region="us east")      GET /cart (user=a\b"c, http.route /cart/{id})
//                                   └ payments: charge (retries=3, tenant=acme)
//   T3 abcdef00…01    10:20  1 s    checkout                     POST /checkout (discount=50%, code=a_b; event exception "slow charge": in error)
//   T4 abcdef00…02    10:30  3 s    payments                     charge [error] (tenant=globex, note=axb, we"ird\key=v, $.x=1, cached=true)

import { describe, it, expect, beforeAll } from 'vitest';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import { ImportJob } from '../../src-renderer/engine/import-job.ts';
import type { EngineClient } from '../../src-renderer/engine/client.ts';
import type { TraceSearchRequest } from '../../src-renderer/engine/wire/trace-search.ts';
import type { Store } from '../../src-renderer/store/store.ts';
import { matchWhere, matchingTraceNos } from '../../src-renderer/store/trace-search.ts';
import { buildSpanIndexBatch } from '../../src-renderer/store/span-index.ts';
import { parseTraceQuery, isSpanTerm } from '../../src-renderer/core/analysis/trace-query.ts';

const T1 = '4bf92f3577b34da6a3ce929d0e0e4736';
const T2 = '00000000000000001111111111111111';
const T3 = 'abcdef00000000000000000000000001';
const T4 = 'abcdef00000000000000000000000002';
const BASE = 1795168800000000000n; // 2026-11-20T10:00:00Z
const MIN = 60_000_000_000n;

type Attr = [string, string | number | boolean];
const attrs = (a: Attr[]) =>
  a.map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : typeof v === 'boolean' ? { boolValue: v } : { stringValue: v } }));

interface SpanSpec {
  trace: string;
  id: string;
  parent?: string;
  name: string;
  kind?: number;
  start: bigint;
  ms: number;
  attrs?: Attr[];
  status?: { code: number; message?: string };
  events?: { name: string; attrs: Attr[] }[];
}

function span(s: SpanSpec) {
  return {
    traceId: s.trace, spanId: s.id, ...(s.parent ? { parentSpanId: s.parent } : {}), name: s.name, kind: s.kind ?? 2,
    startTimeUnixNano: String(s.start), endTimeUnixNano: String(s.start + BigInt(s.ms) * 1_000_000n),
    attributes: attrs(s.attrs ?? []), ...(s.status ? { status: s.status } : {}),
    events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: String(s.start), attributes: attrs(e.attrs) })),
  };
}

function resource(service: string, extra: Attr[], spans: SpanSpec[]) {
  return { resource: { attributes: attrs([['service.name', service], ...extra]) }, scopeSpans: [{ scope: { name: 'test' }, spans: spans.map(span) }] };
}

const DOC = {
  resourceSpans: [
    resource('checkout', [['region', 'eu-west-1']], [
      { trace: T1, id: '1000000000000001', name: 'POST /checkout', start: BASE, ms: 2500, status: { code: 2, message: 'statement timeout' } },
      { trace: T1, id: '1000000000000002', parent: '1000000000000001', name: 'SELECT cart', kind: 3, start: BASE, ms: 2000,
        attrs: [['db.statement', "select * from cart where id like '50%_off'"], ['http.status_code', 502], ['db.system', 'postgresql']] },
    ]),
    resource('cart', [['region', 'us east']], [{ trace: T2, id: '2000000000000001', name: 'GET /cart', start: BASE + 10n * MIN, ms: 100, attrs: [['user', 'a\\b"c'], ['http.route', '/cart/{id}']] }]),
    resource('payments', [], [
      { trace: T2, id: '2000000000000002', parent: '2000000000000001', name: 'charge', start: BASE + 10n * MIN, ms: 50, attrs: [['retries', 3], ['tenant', 'acme']] },
      { trace: T4, id: '4000000000000001', name: 'charge', start: BASE + 30n * MIN, ms: 3000, status: { code: 2 }, attrs: [['tenant', 'globex'], ['note', 'axb'], ['we"ird\\key', 'v'], ['$.x', 1], ['cached', true]] },
    ]),
    resource('checkout', [], [
      { trace: T3, id: '3000000000000001', name: 'POST /checkout', start: BASE + 20n * MIN, ms: 1000, attrs: [['discount', '50%'], ['code', 'a_b']],
        events: [{ name: 'exception', attrs: [['exception.message', 'slow charge']] }] },
    ]),
  ],
};

let client: EngineClient;
let store: Store;

beforeAll(async () => {
  const e = await createLocalEngine();
  const bytes = new TextEncoder().encode(JSON.stringify(DOC));
  const job = new ImportJob(e.core.store, 'search.json', bytes.length);
  job.push(bytes);
  const [report] = await job.end();
  expect(report.spans).toBe(6);
  client = e.client;
  store = e.core.store;
  await client.ready;
});

async function search(query: string, more: Partial<TraceSearchRequest> = {}) {
  return client.call('searchTraces', { query, offset: 0, limit: 100, ...more });
}

/** The traces a query finds, by start. */
async function found(query: string): Promise<string[]> {
  const r = await search(query);
  expect(r.errors).toEqual([]);
  expect(r.total).toBe(r.rows.length);
  return r.rows.map((t) => t.traceId);
}

describe('searchTraces', () => {
  it('finds every trace for an empty query', async () => {
    expect(await found('')).toEqual([T1, T2, T3, T4]);
  });

  it('filters by service, span name, kind, status and error (on one span, or none when negated)', async () => {
    expect(await found('service=checkout')).toEqual([T1, T3]);
    expect(await found('service=checkout error=true')).toEqual([T1, T3]); // an exception event is an error
    expect(await found('service=cart name=charge')).toEqual([]); // no one span is both
    expect(await found('-service=payments')).toEqual([T1, T3]);
    expect(await found('name=charge')).toEqual([T2, T4]);
    expect(await found('operation="POST /checkout"')).toEqual([T1, T3]);
    expect(await found('kind=client')).toEqual([T1]);
    expect(await found('service=payments parent.service=cart')).toEqual([T2]); // the call cart → payments
    expect(await found('parent.service=checkout')).toEqual([T1]);
    expect(await found('service=payments parent.service!=cart')).toEqual([]);
    // The database a client span calls is a node, as on the map; a grouped operation finds its spans.
    expect(await found('service=postgresql')).toEqual([T1]);
    expect(await found('service=postgresql kind=client')).toEqual([T1]);
    expect(await found('-service=postgresql')).toEqual([T2, T3, T4]);
    expect(await found('operation="GET /cart/{id}"')).toEqual([T2]);
    expect(await found('operation="GET /cart"')).toEqual([T2]); // the name as written still finds it
    expect(await found('name="GET /cart/{id}"')).toEqual([]); // a name is only the name as written
    expect(await found('operation!="GET /cart/{id}" service=cart')).toEqual([]);
    expect(await found('status=error')).toEqual([T1, T4]);
    expect(await found('error=true')).toEqual([T1, T3, T4]);
    expect(await found('-error=true')).toEqual([T2]);
    expect(await found('error=false service=payments')).toEqual([T2]);
    // != : a span of another service that is no call to the one named.
    expect(await found('service!=payments')).toEqual([T1, T2, T3]);
    expect(await found('service!=postgresql')).toEqual([T1, T2, T3, T4]);
    expect(await found('service!=checkout error=true')).toEqual([T4]);
  });

  it('reads service and error terms from indexes, not from every span', () => {
    // What keeps these searches fast at a million spans: the plan SQLite makes of them.
    const plan = (query: string) => {
      const w = matchWhere(store, parseTraceQuery(query).terms.filter(isSpanTerm), []);
      return store.db.exec(`EXPLAIN QUERY PLAN SELECT t.trace_id FROM traces t WHERE ${w.sql}`, w.params)[0].values.map((r) => String(r[3]));
    };
    expect(plan('service=checkout error=true')).toContain('SEARCH s USING INDEX spans_by_op (op_id=? AND is_error=?)');
    expect(plan('service=checkout').filter((p) => p.startsWith('SCAN s'))).toEqual([]);
    expect(plan('-service=redis').filter((p) => p.startsWith('SCAN s'))).toEqual([]);
    expect(plan('error=true')).toContain('SCAN s USING COVERING INDEX spans_in_error');
  });

  it('filters by attributes of a span or its resource', async () => {
    expect(await found('region=eu-west-1')).toEqual([T1]);
    expect(await found('region="us east"')).toEqual([T2]);
    expect(await found('http.status_code=502')).toEqual([T1]);
    expect(await found('http.status_code>=500')).toEqual([T1]);
    expect(await found('http.status_code>502')).toEqual([]);
    expect(await found('retries<5')).toEqual([T2]);
    expect(await found('tenant!=acme')).toEqual([T4]);
    expect(await found('tenant exists')).toEqual([T2, T4]);
    expect(await found('-tenant exists')).toEqual([T1, T3]);
    expect(await found('"we\\"ird\\\\key"=v')).toEqual([T4]);
    expect(await found('"we\\"ird\\\\key" exists')).toEqual([T4]);
    expect(await found('$.x>0')).toEqual([T4]);
    expect(await found('cached=true')).toEqual([T4]);
    expect(await found('cached>0')).toEqual([]); // a boolean is no number
    expect(await found('http.status_code="502"')).toEqual([T1]); // an integer matches its digits
  });

  it('takes %, _, quotes and backslashes in values as plain characters', async () => {
    expect(await found('discount="50%"')).toEqual([T3]);
    expect(await found('discount=50')).toEqual([]);
    expect(await found('50%')).toEqual([T1, T3]);
    expect(await found('0%_')).toEqual([T1]);
    expect(await found('a_b')).toEqual([T3]); // not axb
    expect(await found('code=a_b')).toEqual([T3]);
    expect(await found('code=a%')).toEqual([]);
    expect(await found('user="a\\\\b\\"c"')).toEqual([T2]);
    expect(await found('"a\\\\b\\"c"')).toEqual([T2]);
    expect(await found("service=\"x' OR 1=1 --\"")).toEqual([]);
    expect(await found('"a\u0000b"')).toEqual([]);
    expect(await found(`"${'a'.repeat(1 << 20)}"`)).toEqual([]);
  });

  it('finds free text in names, status messages and events, case folded', async () => {
    expect(await found('timeout')).toEqual([T1]);
    expect(await found('"Statement Timeout"')).toEqual([T1]);
    expect(await found('slow')).toEqual([T3]);
    expect(await found('exception')).toEqual([T3]);
    expect(await found('cart')).toEqual([T1, T2]); // a span name, and the word in db.statement
    expect(await found('-cart')).toEqual([T3, T4]);
  });

  it('filters by the trace\'s duration or a span\'s', async () => {
    expect(await found('trace.duration>2s')).toEqual([T1, T4]);
    expect(await found('trace.duration<1s')).toEqual([T2]);
    expect(await found('trace.duration>=1s trace.duration<=2500ms')).toEqual([T1, T3]);
    expect(await found('duration>=2s service=checkout')).toEqual([T1]);
    expect(await found('duration>2s name="SELECT cart"')).toEqual([]);
  });

  it('finds a trace by its whole id in any spelling, a prefix, or the low 64 bits', async () => {
    expect(await found(T1)).toEqual([T1]);
    expect(await found(T1.toUpperCase())).toEqual([T1]);
    expect(await found('4bf92f35-77b3-4da6-a3ce-929d0e0e4736')).toEqual([T1]);
    expect(await found(`trace.id=${Buffer.from(T1, 'hex').toString('base64')}`)).toEqual([T1]);
    expect(await found('trace.id=4bf92f35')).toEqual([T1]);
    expect(await found('trace.id=ABCDEF')).toEqual([T3, T4]);
    expect(await found('trace.id=1111111111111111')).toEqual([T2]);
    expect(await found(`trace.id=${BigInt('0x1111111111111111').toString()}`)).toEqual([T2]);
    expect(await found('trace.id=a3ce929d0e0e4736')).toEqual([T1]); // the low half of a 128-bit id
    expect(await found('-trace.id=abcdef')).toEqual([T1, T2]);
  });

  it('bounds the start by RFC 3339, epoch ns or a time of day on the data\'s first day', async () => {
    expect(await found('from=10:05 to=10:25')).toEqual([T2, T3]);
    expect(await found('from=2026-11-20T10:20:00Z')).toEqual([T3, T4]);
    expect(await found(`to=${BASE + 10n * MIN}`)).toEqual([T1]);
  });

  it('says which terms it could not read and searches without them', async () => {
    const r = await search('service=checkout duration>fast');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ start: 17, end: 30 });
    expect(r.rows.map((t) => t.traceId)).toEqual([T1, T3]);
  });

  it('sorts by every column both ways, and pages', async () => {
    const ids = async (sort: TraceSearchRequest['sort'], dir?: 'asc' | 'desc') => (await search('', { sort, dir })).rows.map((t) => t.traceId);
    expect(await ids('duration')).toEqual([T4, T1, T3, T2]);
    expect(await ids('duration', 'asc')).toEqual([T2, T3, T1, T4]);
    expect(await ids('start', 'desc')).toEqual([T4, T3, T2, T1]);
    expect(await ids('spans')).toEqual([T1, T2, T3, T4]); // 2, 2, then 1, 1 by start
    expect(await ids('errors')).toEqual([T1, T3, T4, T2]); // 2, then 1, 1 by start
    expect(await ids('services')).toEqual([T2, T1, T3, T4]);
    expect(await ids('service')).toEqual([T2, T1, T3, T4]); // cart, checkout, checkout, payments
    expect(await ids('operation', 'desc')).toEqual([T1, T3, T2, T4]); // POST (by start), POST, GET, charge: case folded
    const page = await search('', { sort: 'duration', offset: 1, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.rows.map((t) => t.traceId)).toEqual([T1, T3]);
    expect(page.rows[0]).toMatchObject({ rootService: 'checkout', rootName: 'POST /checkout', startNs: String(BASE), durationNs: 2.5e9, spanCount: 2, errorCount: 2, serviceCount: 1 }); // a client span's 502 is an error too
  });

  it('finds the same traces once the span search index covers some spans, then all', () => {
    // Last: it builds the index of this file's store. Every attribute and free-text query above.
    const queries = [
      'region=eu-west-1', 'region="us east"', 'http.status_code=502', 'http.status_code>=500', 'http.status_code>502', 'retries<5', 'tenant!=acme',
      'tenant exists', '-tenant exists', '"we\\"ird\\\\key"=v', '"we\\"ird\\\\key" exists', '$.x>0', 'cached=true', 'cached>0', 'http.status_code="502"',
      'discount="50%"', 'discount=50', '50%', '0%_', 'a_b', 'code=a_b', 'code=a%', 'user="a\\\\b\\"c"', '"a\\\\b\\"c"', "service=\"x' OR 1=1 --\"",
      '"a\u0000b"', 'timeout', '"Statement Timeout"', 'slow', 'exception', 'cart', '-cart', 'service=checkout region=eu-west-1', '-region=eu-west-1 cart',
    ];
    const traces = () => queries.map((q) => matchingTraceNos(store, matchWhere(store, parseTraceQuery(q).terms.filter(isSpanTerm), [])));
    const absent = traces();
    expect(absent.some((t) => t.length > 0)).toBe(true);
    buildSpanIndexBatch(store, 3);
    expect(traces()).toEqual(absent);
    while (buildSpanIndexBatch(store, 3));
    expect(traces()).toEqual(absent);
  });
});
