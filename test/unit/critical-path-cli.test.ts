// `tracedeck critical-path` and `tracedeck error-path` over a real store: spans written through
// the Store, and corpus files read through the real import pipeline (cli/load.ts).

import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import type { Span, StatusCode, SpanEvent, Attributes } from '../../src-renderer/core/model/trace.ts';
import { runCriticalPath, criticalPathCommand } from '../../src-renderer/cli/commands/critical-path.ts';
import { runErrorPath, errorPathCommand } from '../../src-renderer/cli/commands/error-path.ts';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { localClient } from '../../src-renderer/engine/local.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const T = 1544712660123456789n; // beyond 2^53: only exact arithmetic gets the strings right
const TRACE1 = '0af7651916cd43dd8448eb211c80319c';
const TRACE0 = '4bf92f3577b34da6a3ce929d0e0e4736';

function span(
  traceId: string,
  spanId: string,
  parentSpanId: string | null,
  start: bigint,
  duration: number,
  more: { service?: string; name?: string; status?: StatusCode; statusMessage?: string; events?: SpanEvent[]; attributes?: Attributes } = {},
): Span {
  return {
    traceId, spanId, parentSpanId, parentRef: 'child_of', name: more.name ?? `op-${spanId.slice(-2)}`, service: more.service ?? 'svc',
    kind: 'internal', startNs: epochNs(start), durationNs: durationNs(duration), status: more.status ?? 'unset', statusMessage: more.statusMessage ?? '',
    attributes: more.attributes ?? {}, resource: { attributes: { 'service.name': more.service ?? 'svc' } }, scope: { name: '', version: '' },
    events: more.events ?? [], links: [],
  };
}

function storeWith(spans: Span[]): Store {
  const store = Store.create(SQL);
  store.beginFile('test.json', null);
  store.addSpans(spans);
  store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
  return store;
}

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (s: string) => lines.push(s), err: (s: string) => errors.push(s) };
}

const id = (n: number) => n.toString(16).padStart(16, '0');

// TRACE1: R ├──────────┤ T..T+1000      TRACE0 (starts 1 s earlier): one span of 5 ns
//         A  ├──┤        T+100..T+400
//         B     ├─────┤  T+400..T+900  touches A
const TRACE_SPANS = [
  span(TRACE1, id(1), null, T, 1000, { service: 'gw', name: 'GET /' }),
  span(TRACE1, id(2), id(1), T + 100n, 300, { service: 'api', name: 'a' }),
  span(TRACE1, id(3), id(1), T + 400n, 500, { service: 'db', name: 'b' }),
  span(TRACE0, id(9), null, T - 1_000_000_000n, 5, { service: 'solo', name: 'tick' }),
];

describe('tracedeck critical-path', () => {
  it('prints every trace by start, sections from the end backwards with exact ns strings', async () => {
    const io = capture();
    expect(await runCriticalPath(localClient(storeWith(TRACE_SPANS)), { json: true }, io.out, io.err)).toBe(0);
    expect(io.lines.length).toBe(1);
    expect(JSON.parse(io.lines[0])).toEqual({
      traces: [
        {
          traceId: TRACE0,
          sections: [{ spanId: id(9), service: 'solo', name: 'tick', startNs: '1544712659123456789', endNs: '1544712659123456794' }],
        },
        {
          traceId: TRACE1,
          sections: [
            { spanId: id(1), service: 'gw', name: 'GET /', startNs: '1544712660123457689', endNs: '1544712660123457789' },
            { spanId: id(3), service: 'db', name: 'b', startNs: '1544712660123457189', endNs: '1544712660123457689' },
            { spanId: id(2), service: 'api', name: 'a', startNs: '1544712660123456889', endNs: '1544712660123457189' },
            { spanId: id(1), service: 'gw', name: 'GET /', startNs: '1544712660123456789', endNs: '1544712660123456889' },
          ],
        },
      ],
    });
  });

  it('picks one trace with --trace, accepting any case, and fails on an unknown one', async () => {
    const engine = localClient(storeWith(TRACE_SPANS));
    const io = capture();
    expect(await runCriticalPath(engine, { trace: TRACE1.toUpperCase(), json: true }, io.out, io.err)).toBe(0);
    const doc = JSON.parse(io.lines[0]) as { traces: { traceId: string; sections: unknown[] }[] };
    expect(doc.traces.map((t) => [t.traceId, t.sections.length])).toEqual([[TRACE1, 4]]);
    const miss = capture();
    expect(await runCriticalPath(engine, { trace: 'ffff', json: true }, miss.out, miss.err)).toBe(1);
    expect(miss.lines).toEqual([]);
    expect(miss.errors[0]).toContain('ffff');
  });

  it('prints a readable table without --json', async () => {
    const io = capture();
    await runCriticalPath(localClient(storeWith(TRACE_SPANS)), { trace: TRACE1, json: false }, io.out, io.err);
    expect(io.lines[0]).toBe(`trace ${TRACE1}  1.00 µs  3 spans  4 sections on the critical path`);
    expect(io.lines.length).toBe(6);
    expect(io.lines[2]).toMatch(/^ {2}\+400 ns +500 ns {2}db › b$/);
    expect(io.lines[5]).toBe('  by service: db 50.0%, api 30.0%, gw 20.0%');
  });

  it('runs through the command line with a real import (OTLP corpus: one orphan span)', async () => {
    const io = capture();
    const file = join(__dirname, '../fixtures/corpus/opentelemetry-proto/examples/trace.json');
    const code = await criticalPathCommand.run([file, '--json'], io, (paths, o) => loadInputs(paths, o).then((l) => localClient(l.store)));
    expect(code).toBe(0);
    expect(JSON.parse(io.lines[0])).toEqual({
      traces: [
        {
          traceId: '5b8efff798038103d269b633813fc60c',
          sections: [{ spanId: 'eee19b7ec3c1b174', service: 'my.service', name: "I'm a server span", startNs: '1544712660000000000', endNs: '1544712661000000000' }],
        },
      ],
    });
    const usage = capture();
    expect(await criticalPathCommand.run(['--json'], usage, () => Promise.reject(new Error('not called')))).toBe(2);
  });
});

describe('tracedeck error-path', () => {
  // frontend GET /checkout ├────────────────┤ E 0..3 s
  // payment POST /charge     ├─────────────┤  E 0.1..2.9 s
  // payment db.query            ├────────┤    E 0.5..2.5 s, exception "timeout"
  // payment cache.get         ├┤                0.1..0.2 s ok
  const s = 1_000_000_000;
  const TRACE2 = '11111111111111111111111111111111';
  const ERR_SPANS = [
    span(TRACE2, id(1), null, T, 3 * s, { service: 'frontend', name: 'GET /checkout', status: 'error', statusMessage: 'upstream failed' }),
    span(TRACE2, id(2), id(1), T + BigInt(s / 10), 2_800_000_000, { service: 'payment', name: 'POST /charge', attributes: { 'http.response.status_code': 502 } }),
    span(TRACE2, id(3), id(2), T + BigInt(s / 2), 2 * s, {
      service: 'payment', name: 'db.query', status: 'error',
      events: [{ timeNs: epochNs(T + 2n * BigInt(s)), name: 'exception', attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'timeout', 'exception.stacktrace': 'at db.query\nat charge' } }],
    }),
    span(TRACE2, id(4), id(2), T + BigInt(s / 10), s / 10, { service: 'payment', name: 'cache.get' }),
    ...TRACE_SPANS.slice(0, 3), // a trace without errors
  ];

  it('prints the path, the root cause with its exception message, and the summary', async () => {
    const io = capture();
    expect(await runErrorPath(localClient(storeWith(ERR_SPANS)), { json: true }, io.out, io.err)).toBe(0);
    const rc = {
      spanId: id(3), service: 'payment', name: 'db.query', startNs: '1544712660623456789', endNs: '1544712662623456789', status: 'error',
      message: 'TimeoutError: timeout',
    };
    expect(JSON.parse(io.lines[0])).toEqual({
      traces: [
        {
          traceId: TRACE1,
          path: [{ spanId: id(1), service: 'gw', name: 'GET /', startNs: '1544712660123456789', endNs: '1544712660123457789', status: 'unset', message: '' }],
          rootCause: null,
          summary: 'no error at or below gw › GET /',
        },
        {
          traceId: TRACE2,
          path: [
            { spanId: id(1), service: 'frontend', name: 'GET /checkout', startNs: '1544712660123456789', endNs: '1544712663123456789', status: 'error', message: 'upstream failed' },
            { spanId: id(2), service: 'payment', name: 'POST /charge', startNs: '1544712660223456789', endNs: '1544712663023456789', status: 'unset', message: 'HTTP 502' },
            rc,
          ],
          rootCause: rc,
          summary: 'payment › POST /charge › db.query: TimeoutError: timeout after 2.00 s',
        },
      ],
    });
  });

  it('in text, lists the failing traces with the stack trace, and counts the others', async () => {
    const io = capture();
    await runErrorPath(localClient(storeWith(ERR_SPANS)), { json: false }, io.out, io.err);
    expect(io.lines).toEqual([
      `trace ${TRACE2}: payment › POST /charge › db.query: TimeoutError: timeout after 2.00 s`,
      '  frontend GET /checkout  3.00 s  error  upstream failed',
      '    › payment POST /charge  2.80 s  unset  HTTP 502',
      '      › payment db.query  2.00 s  error  TimeoutError: timeout',
      '  exception: TimeoutError: timeout',
      '    at db.query',
      '    at charge',
      '1 trace without errors',
    ]);
  });

  it('fails on a trace id that is not in the inputs', async () => {
    const io = capture();
    expect(await runErrorPath(localClient(storeWith(ERR_SPANS)), { trace: '2222', json: true }, io.out, io.err)).toBe(1);
    expect(io.lines).toEqual([]);
    expect(io.errors).toEqual(['error-path: trace 2222 is not in the inputs']);
  });

  it('is registered under its name and rejects a missing input list', async () => {
    expect(errorPathCommand.name).toBe('error-path');
    const io = capture();
    expect(await errorPathCommand.run([], io, () => Promise.reject(new Error('not called')))).toBe(2);
    expect(io.errors[0]).toContain('error-path');
  });
});
