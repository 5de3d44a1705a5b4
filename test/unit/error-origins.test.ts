// Error origins on hand-made traces, one rule each: retries, errors below a span that succeeded,
// late children, orphans, and every status encoding (through the one decoder, as the import does).
import { describe, it, expect } from 'vitest';
import { errorOrigins, entryRootCause } from '../../src-renderer/core/analysis/error-origins.ts';
import { buildTraceTree } from '../../src-renderer/core/model/tree.ts';
import { isErrorSpan } from '../../src-renderer/core/model/span-error.ts';
import type { Attributes, SpanKind, StatusCode } from '../../src-renderer/core/model/trace.ts';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { localClient } from '../../src-renderer/engine/local.ts';
import { unpackTraceView } from '../../src-renderer/engine/wire/trace-view.ts';

interface H {
  id: string;
  parent: string | null;
  kind: SpanKind;
  start: number;
  end: number;
  status?: StatusCode;
  attributes?: Attributes;
  events?: { name: string; attributes: Attributes }[];
}

function origins(spans: H[]) {
  const cols = {
    spanId: spans.map((s) => s.id), parentSpanId: spans.map((s) => s.parent), kind: spans.map((s) => s.kind), start: spans.map((s) => s.start),
    duration: spans.map((s) => s.end - s.start),
    isError: spans.map((s) => isErrorSpan({ status: s.status ?? 'unset', kind: s.kind, attributes: s.attributes ?? {}, events: s.events ?? [] })),
  };
  const tree = buildTraceTree(spans.map((s, i) => ({ spanId: s.id, parentSpanId: s.parent, kind: s.kind, start: cols.start[i] })));
  const found = errorOrigins(cols, tree);
  const id = (i: number) => spans[i].id;
  return {
    found, cols,
    list: found.origins.map((o) => ({ origin: id(o.span), path: o.path.map(id).join('>'), reachedRoot: o.reachedRoot })),
    primary: found.primary < 0 ? null : id(found.origins[found.primary].span),
  };
}

const ERR = { status: 'error' as const };

describe('error origins', () => {
  //  root  ├──────────────────────┤ error
  //  h       ├────────────────────┤   handler: internal, no error (Express)
  //  call      ├─────────────────┤    client error
  //  srv        ├───────────────┤     server error (other service)
  //  db          ├──────────────┤     client error: the origin
  it('walks through a handler span without error down to the deepest failing call', () => {
    const r = origins([
      { id: 'root', parent: null, kind: 'server', start: 0, end: 100, attributes: { 'http.response.status_code': 500 } },
      { id: 'h', parent: 'root', kind: 'internal', start: 1, end: 99 },
      { id: 'call', parent: 'h', kind: 'client', start: 2, end: 98, attributes: { 'http.response.status_code': 500 } },
      { id: 'srv', parent: 'call', kind: 'server', start: 3, end: 97, ...ERR },
      { id: 'db', parent: 'srv', kind: 'client', start: 4, end: 96, ...ERR },
    ]);
    expect(r.list).toEqual([{ origin: 'db', path: 'root>h>call>srv>db', reachedRoot: true }]);
    expect(r.primary).toBe('db');
  });

  // A retry: the first attempt fails, the second succeeds; the request fails later, elsewhere.
  it('lists a failed attempt under a call that succeeded, and takes the failure that reached the root', () => {
    const r = origins([
      { id: 'root', parent: null, kind: 'server', start: 0, end: 100, ...ERR },
      { id: 'try1', parent: 'root', kind: 'client', start: 1, end: 10, attributes: { 'rpc.grpc.status_code': 14 } },
      { id: 'try2', parent: 'root', kind: 'client', start: 11, end: 20 },
      { id: 'ok', parent: 'root', kind: 'client', start: 21, end: 40 },
      { id: 'inner', parent: 'ok', kind: 'client', start: 22, end: 30, attributes: { 'grpc.status': 'UNAVAILABLE' } },
      { id: 'last', parent: 'root', kind: 'client', start: 41, end: 99, attributes: { 'http.status_code': 503 } },
    ]);
    expect(r.list).toEqual([
      { origin: 'try1', path: 'root>try1', reachedRoot: true },
      { origin: 'inner', path: 'root>ok>inner', reachedRoot: false },
      { origin: 'last', path: 'root>last', reachedRoot: true },
    ]);
    expect(r.primary).toBe('last'); // the last failure the request saw
  });

  // late  starts after its parent ended: still its child.
  it('keeps a child that starts after its parent ended below it', () => {
    const r = origins([
      { id: 'root', parent: null, kind: 'server', start: 0, end: 10, ...ERR },
      { id: 'late', parent: 'root', kind: 'consumer', start: 50, end: 60, events: [{ name: 'exception', attributes: { 'exception.type': 'Boom' } }] },
    ]);
    // It began after the root had answered: it cannot be what failed the root.
    expect(r.list).toEqual([{ origin: 'late', path: 'root>late', reachedRoot: false }]);
    expect(r.primary).toBeNull();
  });

  // An orphan subtree (its parent is not in the trace) hangs under the virtual root and is analysed too.
  it('finds origins in orphan subtrees, with paths from the subtree top, after the true root', () => {
    const r = origins([
      { id: 'root', parent: null, kind: 'server', start: 0, end: 100, ...ERR },
      { id: 'a', parent: 'root', kind: 'client', start: 1, end: 50, ...ERR },
      { id: 'orph', parent: 'missing', kind: 'server', start: 60, end: 90, ...ERR },
      { id: 'o2', parent: 'orph', kind: 'client', start: 61, end: 89, attributes: { 'rpc.yarpc.status_code': 'deadline-exceeded' } },
    ]);
    expect(r.list).toEqual([
      { origin: 'a', path: 'root>a', reachedRoot: true },
      { origin: 'o2', path: 'orph>o2', reachedRoot: true },
    ]);
    expect(r.primary).toBe('a'); // the true root's failure comes before an orphan subtree's, even one ending later
  });

  it('a root in error with nothing failing below is its own origin; a trace without errors has none', () => {
    expect(origins([{ id: 'root', parent: null, kind: 'server', start: 0, end: 1, attributes: { error: 'true' } }]).list).toEqual([
      { origin: 'root', path: 'root', reachedRoot: true },
    ]);
    const none = origins([
      { id: 'root', parent: null, kind: 'server', start: 0, end: 1, attributes: { 'http.response.status_code': 404 } },
      { id: 'c', parent: 'root', kind: 'client', start: 0, end: 1, attributes: { 'rpc.grpc.status_code': 0, 'grpc.status': 'OK' } },
    ]);
    expect(none.list).toEqual([]);
    expect(none.primary).toBeNull();
  });

  it.each([
    [{ status: 'error' as const }],
    [{ attributes: { error: true } }],
    [{ attributes: { error: 'true' } }],
    [{ attributes: { 'http.response.status_code': 500 } }],
    [{ attributes: { 'http.status_code': '502' } }],
    [{ kind: 'client' as const, attributes: { 'http.response.status_code': 404 } }],
    [{ attributes: { 'rpc.grpc.status_code': 4 } }],
    [{ attributes: { 'grpc.status_code': '14' } }],
    [{ attributes: { 'grpc.status': 'UNAVAILABLE' } }],
    [{ attributes: { 'grpc.status': 'StatusCode.RESOURCE_EXHAUSTED' } }],
    [{ attributes: { 'rpc.yarpc.status_code': 'unavailable' } }],
    [{ attributes: { 'rpc.yarpc.status_code': 13 } }],
    [{ events: [{ name: 'exception', attributes: { 'exception.type': 'QueryTimeoutError' } }] }],
    [{ events: [{ name: 'log', attributes: { event: 'error', 'error.object': 'Error: boom' } }] }],
  ])('an origin below a successful span, signalled by %j', (sig) => {
    const r = origins([
      { id: 'root', parent: null, kind: 'server', start: 0, end: 10 },
      { id: 'x', parent: 'root', kind: 'server', start: 1, end: 9, ...sig },
    ]);
    expect(r.list).toEqual([{ origin: 'x', path: 'root>x', reachedRoot: false }]);
    expect(r.primary).toBeNull();
  });

  it('the root cause of a failing entry inside the trace is the origin whose chain reaches it', () => {
    const r = origins([
      { id: 'root', parent: null, kind: 'server', start: 0, end: 100, ...ERR },
      { id: 'entry', parent: 'root', kind: 'server', start: 1, end: 99, ...ERR },
      { id: 'retry', parent: 'entry', kind: 'client', start: 2, end: 10, ...ERR },
      { id: 'fine', parent: 'entry', kind: 'client', start: 11, end: 60 },
      { id: 'below', parent: 'fine', kind: 'client', start: 12, end: 59, ...ERR },
      { id: 'cause', parent: 'entry', kind: 'client', start: 61, end: 98, ...ERR },
    ]);
    const idx = (id: string) => ['root', 'entry', 'retry', 'fine', 'below', 'cause'].indexOf(id);
    expect(entryRootCause(r.cols, r.found, idx('entry'))).toBe(idx('cause'));
  });

  it('walks a 100,000-deep chain without overflowing the stack', () => {
    const n = 100_000;
    const spans: H[] = Array.from({ length: n }, (_, i) => ({ id: `s${i}`, parent: i ? `s${i - 1}` : null, kind: 'server', start: i, end: 2 * n - i, ...ERR }));
    const r = origins(spans);
    expect(r.found.origins.length).toBe(1);
    expect(r.found.origins[0].path.length).toBe(n);
    expect(r.primary).toBe(`s${n - 1}`);
  });
});

describe('error origins of a whole file through the engine', () => {
  // test/fixtures/error-origins/checkout-retries.otlp.json: one checkout failing in four places (NOTICE.md there).
  it('lists the bank 503 absorbed by a retry, the INSERT timeout that reached the root, a late Redis failure and an orphan', async () => {
    const { store } = await loadInputs([new URL('../fixtures/error-origins/checkout-retries.otlp.json', import.meta.url).pathname]);
    const engine = localClient(store);
    const [t] = await engine.call('listTraces', { offset: 0, limit: 1, sort: 'start' });
    const v = unpackTraceView((await engine.call('traceView', t.traceId))!);
    const e = (await engine.call('traceAnalyses', t.traceId))!.errorPath;
    const s = v.spans;
    const got = e.origins.map((o) => ({ node: s.node[o.span], operation: s.operation[o.span], reachedRoot: o.reachedRoot, top: s.spanId[o.path[0]], message: o.message }));
    expect(got).toEqual([
      { node: 'bank.example.com', operation: 'GET /v1/rates/EUR', reachedRoot: false, top: 'a000000000000001', message: 'HTTP 503' },
      { node: 'postgresql', operation: 'INSERT INTO orders (id, customer, total) VALUES (?)', reachedRoot: true, top: 'a000000000000001', message: 'canceling statement due to statement timeout' },
      { node: 'redis', operation: 'SET cart:{id}', reachedRoot: false, top: 'a000000000000001', message: "ReplyError: READONLY You can't write against a read only replica." },
      { node: 'mailer', operation: 'mailer.Receipts/Send', reachedRoot: true, top: 'd000000000000001', message: 'gRPC UNAVAILABLE' },
    ]);
    // The error path: the INSERT (the root's failure), through the handler spans that mark nothing.
    expect(s.node[e.rootCause!]).toBe('postgresql');
    expect(e.path.map((i) => s.spanId[i])).toEqual(['a000000000000001', 'a000000000000002', 'a000000000000003', 'b000000000000001', 'b000000000000002', 'b000000000000004']);
    // The checkout's client span named just POST takes the route of the payment server span it called.
    expect(s.operation[s.spanId.indexOf('b000000000000003')]).toBe('POST /authorize/:id');
  });
});
