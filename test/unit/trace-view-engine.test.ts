// The engine's trace-view methods over real files and a real store: traceView (tree, self times,
// critical and error paths computed in the engine), traceSearch, spanDetail and spanLogs, called
// through the same client and structured-clone boundary the app's worker uses.

import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import { importPath } from '../../src-renderer/cli/load.ts';
import type { EngineClient } from '../../src-renderer/engine/client.ts';
import type { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import type { Span } from '../../src-renderer/core/model/trace.ts';
import { skewCorrections, skewShifts } from '../../src-renderer/core/analysis/skew-view.ts';
import { unpackTraceView } from '../../src-renderer/engine/wire/trace-view.ts';
import { CORPUS } from '../corpus.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';

const Z = `${CORPUS}/zipkin/zipkin-lens/testdata`;
const OTLP = `${CORPUS}/opentelemetry-proto/examples`;

async function engineWith(...paths: string[]): Promise<{ core: EngineCore; client: EngineClient }> {
  const e = await createLocalEngine();
  for (const p of paths) await importPath(e.core.store, p);
  await e.client.ready;
  return e;
}

async function onlyTraceId(client: EngineClient): Promise<string> {
  const t = await client.call('listTraces', { offset: 0, limit: 10, sort: 'spans' });
  return t[0].traceId;
}

describe('traceView over the Zipkin smartthings trace (1041 spans, 16 services)', () => {
  let client: EngineClient;
  let traceId: string;
  beforeAll(async () => {
    ({ client } = await engineWith(`${Z}/smartthings-mobile-web-install.json`));
    traceId = await onlyTraceId(client);
  });

  it('serves every span once in tree order with consistent subtrees', async () => {
    const v = unpackTraceView((await client.call('traceView', traceId))!);
    const n = v.spans.spanId.length;
    expect(n).toBe(1041);
    expect(new Set(v.spans.service).size).toBe(16);
    expect(new Set(v.order).size).toBe(n);
    // Pre-order: a parent comes before its children, one level up.
    const pos = new Int32Array(n);
    v.order.forEach((i, k) => (pos[i] = k));
    for (let i = 0; i < n; i++) {
      const p = v.parent[i];
      if (p < 0) continue;
      expect(pos[p]).toBeLessThan(pos[i]);
      expect(v.depth[i]).toBe(v.depth[p] + 1);
      // Within the parent's run of the pre-order.
      expect(pos[i] + v.subtree[i]).toBeLessThanOrEqual(pos[p] + v.subtree[p]);
    }
    const rootsTotal = Array.from(v.parent).reduce((a, p, i) => a + (p < 0 ? v.subtree[i] : 0), 0);
    expect(rootsTotal).toBe(n);
    for (let i = 0; i < n; i++) {
      expect(v.selfNs[i]).toBeGreaterThanOrEqual(0);
      expect(v.selfNs[i]).toBeLessThanOrEqual(Math.max(0, v.spans.duration[i]));
    }
  });

  it('critical path sections tile each root that has a path, and the summary adds up to them', async () => {
    const v = unpackTraceView((await client.call('traceView', traceId))!);
    const a = (await client.call('traceAnalyses', traceId))!;
    const c = a.critical;
    expect(c.span.length).toBeGreaterThan(0);
    let onPath = 0;
    for (let k = 0; k < c.span.length; k++) {
      expect(c.end[k]).toBeGreaterThan(c.start[k]);
      onPath += c.end[k] - c.start[k];
    }
    // Walking back from each root's end, sections are contiguous: each ends where the next (earlier) begins,
    // except where the walk moves on to another root.
    let breaks = 0;
    for (let k = 1; k < c.span.length; k++) if (c.start[k - 1] !== c.end[k]) breaks++;
    const roots = Array.from(v.parent).filter((p) => p < 0).length;
    expect(breaks).toBeLessThan(roots);
    const byService = c.byService.reduce((a, r) => a + r.selfNs, 0);
    const byOp = c.byOperation.reduce((a, r) => a + r.selfNs, 0);
    expect(byService).toBe(onPath);
    expect(byOp).toBe(onPath);
    expect(c.byService[0].share).toBeCloseTo(c.byService[0].selfNs / v.durationNs, 12);
    // The request succeeded; two calls inside it failed (Zipkin's error tag "404"): the error path
    // is the later of them, and neither failure reached the root.
    const e = a.errorPath;
    const root = Array.from(v.parent).indexOf(-1);
    expect(v.spans.isError[root]).toBe(false);
    expect(e.origins.length).toBeGreaterThan(0);
    for (const o of e.origins) expect([v.spans.isError[o.span], o.reachedRoot, o.path[0]]).toEqual([true, false, root]);
    expect(e.rootCause).toBe(e.origins[e.primary].span);
  });

  it('search runs over attributes: the tag key cassandra.keyspace is on 132 spans of the file', async () => {
    const hits = await client.call('traceSearch', traceId, 'Cassandra.Keyspace');
    expect(hits.length).toBe(132);
    expect(await client.call('traceSearch', traceId, '   ')).toEqual([]);
    expect(await client.call('traceSearch', traceId, 'no-such-thing-anywhere')).toEqual([]);
  });

  it('span detail gives the tags of the file as attributes', async () => {
    const raw = JSON.parse(readFileSync(`${Z}/smartthings-mobile-web-install.json`, 'utf8')) as Array<{ id: string; tags?: Record<string, string> }>;
    const withSql = raw.find((s) => s.tags?.['sql.query'])!;
    const v = unpackTraceView((await client.call('traceView', traceId))!);
    const i = v.spans.spanId.indexOf(withSql.id.padStart(16, '0'));
    expect(i).toBeGreaterThanOrEqual(0);
    const d = (await client.call('spanDetail', v.spans.spanRow[i]))!;
    expect(d.spanId).toBe(v.spans.spanId[i]);
    expect(d.attributes['sql.query']).toBe(withSql.tags!['sql.query']);
    expect(await client.call('spanDetail', 99_999_999)).toBeNull();
  });
});

describe('clock skew: Zipkin skew.json (serviceb\'s server span starts 65 ms before its client)', () => {
  it('the finding carries the pair and the offset, and the derived view moves the server subtree by it', async () => {
    const { client } = await engineWith(`${Z}/skew.json`);
    const traceId = await onlyTraceId(client);
    const v = unpackTraceView((await client.call('traceView', traceId))!);
    const skew = v.findings.filter((f) => f.kind === 'clock_skew');
    expect(skew.length).toBe(1);
    // Client 74,202..168,741 µs, server 8,761..102,338 µs (from …004,000,000): centred, the server
    // should start at 74,202 + (94,539 − 93,577) / 2 = 74,683 µs, i.e. 65,922 µs later.
    expect(skew[0].data).toMatchObject({ parentService: 'servicea', childService: 'serviceb', offsetNs: 65_922_000 });
    const { shift } = skewShifts(v.order, v.parent, v.spans.service, skewCorrections(v.findings));
    const byName = (name: string, service: string) => v.spans.name.findIndex((n, i) => n === name && v.spans.service[i] === service);
    expect(shift[byName('post', 'serviceb')]).toBe(65_922_000);
    expect(shift[byName('async', 'serviceb')]).toBe(65_922_000);
    expect(shift[byName('post', 'servicea')]).toBe(0);
    expect(shift[byName('get', 'servicea')]).toBe(0);
  });
});

describe('error path and logs', () => {
  it('serves the error path with the root cause message and exceptions', async () => {
    const { core, client } = await engineWith();
    const T = 1_700_000_000_000_000_000n;
    const trace = 'aa'.repeat(16);
    const mk = (id: string, parent: string | null, service: string, name: string, start: number, dur: number, err = false, more: Partial<Span> = {}): Span => ({
      traceId: trace, spanId: id.padStart(16, '0'), parentSpanId: parent === null ? null : parent.padStart(16, '0'), parentRef: 'child_of', name, service,
      kind: 'internal', startNs: epochNs(T + BigInt(start)), durationNs: durationNs(dur), status: err ? 'error' : 'unset', statusMessage: '', attributes: {},
      resource: { attributes: { 'service.name': service } }, scope: { name: 'lib', version: '1.0' }, events: [], links: [], ...more,
    });
    core.store.beginFile('t.json', null);
    core.store.addSpans([
      mk('1', null, 'frontend', 'GET /checkout', 0, 3_000_000_000, true),
      mk('2', '1', 'payment', 'POST /charge', 100, 2_500_000_000, true),
      mk('3', '2', 'payment', 'db.query', 200, 2_000_000_000, true, {
        statusMessage: 'timeout after 2.0 s',
        events: [{ timeNs: epochNs(T + 2_000_000_200n), name: 'exception', attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'statement timeout', 'exception.stacktrace': 'at db.query\nat charge' } }],
      }),
      mk('4', '1', 'cart', 'GetCart', 50, 40, false),
    ]);
    core.store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    const v = unpackTraceView((await client.call('traceView', trace))!);
    const { errorPath } = (await client.call('traceAnalyses', trace))!;
    const name = (i: number) => v.spans.name[i];
    expect(errorPath.path.map(name)).toEqual(['GET /checkout', 'POST /charge', 'db.query']);
    expect(name(errorPath.rootCause!)).toBe('db.query');
    expect(errorPath.summary).toBe('payment › POST /charge › db.query: timeout after 2.0 s');
    expect(errorPath.message).toBe('timeout after 2.0 s');
    expect(errorPath.exceptions).toEqual([{ type: 'TimeoutError', message: 'statement timeout', stacktrace: 'at db.query\nat charge' }]);
    // Self time: frontend 3 s less the charge (2.5 s) and the cart call (40 ns, inside the charge's window? no: 50..90 is before 100).
    expect(v.selfNs[v.spans.name.indexOf('GET /checkout')]).toBe(3_000_000_000 - 2_500_000_000 - 40);
    const d = (await client.call('spanDetail', v.spans.spanRow[errorPath.rootCause!]))!;
    expect(d.events.map((e) => e.name)).toEqual(['exception']);
    expect(d.events[0].timeNs).toBe((T + 2_000_000_200n).toString());
    expect(d.scopeName).toBe('lib');
    expect(d.resource).toEqual({ 'service.name': 'payment' });
    expect(await client.call('traceSearch', trace, 'statement timeout')).toEqual([v.spans.spanRow[errorPath.rootCause!]]);
  });

  it('spanLogs keeps exact matches apart (OTLP example trace and logs share ids)', async () => {
    const { client } = await engineWith(`${OTLP}/trace.json`, `${OTLP}/logs.json`);
    const traceId = '5b8efff798038103d269b633813fc60c';
    const v = unpackTraceView((await client.call('traceView', traceId))!);
    const spanId = 'eee19b7ec3c1b174';
    expect(v.spans.spanId).toContain(spanId);
    const logs = await client.call('spanLogs', traceId, spanId);
    expect(logs.exact.map((l) => l.message)).toEqual(['Example log record']);
    expect(logs.inferred).toEqual([]);
  });
});

describe('a 100,000-span trace', () => {
  it('opens through the engine with its rows, critical path and search', async () => {
    const { core, client } = await engineWith();
    const T = 1_700_000_000_000_000_000n;
    const trace = 'bb'.repeat(16);
    const n = 100_000;
    const spans: Span[] = [];
    // A root (1.5 s) with 1,000 sequential calls of 1 ms from its start, each with 99 children in a row.
    for (let i = 0; i < n; i++) {
      const call = Math.floor((i - 1) / 100);
      const isCall = i > 0 && (i - 1) % 100 === 0;
      const parent = i === 0 ? null : isCall ? 0 : 1 + call * 100;
      const start = i === 0 ? 0 : isCall ? call * 1_000_000 : call * 1_000_000 + ((i - 1) % 100) * 10_000;
      const dur = i === 0 ? 1_500_000_000 : isCall ? 1_000_000 : 10_000;
      spans.push({
        traceId: trace, spanId: (i + 1).toString(16).padStart(16, '0'), parentSpanId: parent === null ? null : (parent + 1).toString(16).padStart(16, '0'),
        parentRef: 'child_of', name: isCall ? `call ${call}` : i === 0 ? 'root' : 'work', service: `svc${i % 7}`, kind: 'internal', startNs: epochNs(T + BigInt(start)),
        durationNs: durationNs(dur), status: 'unset', statusMessage: '', attributes: { i }, resource: { attributes: {} }, scope: { name: '', version: '' }, events: [], links: [],
      });
    }
    core.store.beginFile('big.json', null);
    core.store.addSpans(spans);
    core.store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    const t0 = performance.now();
    const v = unpackTraceView((await client.call('traceView', trace))!);
    const ms = performance.now() - t0;
    console.log(`traceView of 100,000 spans: ${ms.toFixed(0)} ms (${JSON.stringify(Object.fromEntries(Object.entries(v.timingsMs).map(([k, x]) => [k, Math.round(x)])))})`);
    expect(v.spans.spanId.length).toBe(n);
    expect(v.subtree[v.order[0]]).toBe(n);
    // The root's own last 0.5 s, then every call back to back.
    const onPath = new Set((await client.call('traceAnalyses', trace))!.critical.span);
    expect(onPath.has(v.order[0])).toBe(true);
    expect(v.spans.name.filter((nm, i) => nm.startsWith('call') && onPath.has(i)).length).toBe(1000);
    expect((await client.call('traceSearch', trace, 'call 99')).length).toBe(11); // call 99, call 990..999
  });
});

describe('traceSpans, the one reader of a trace', () => {
  it('reads the same spans as a plain row-by-row read, with every packed field intact', async () => {
    const { traceSpans } = await import('../../src-renderer/store/trace-spans.ts');
    const { kindOfCode, statusOfCode, parentRefOfCode } = await import('../../src-renderer/core/model/span-codes.ts');
    const { core, client } = await engineWith(`${Z}/smartthings-mobile-web-install.json`, `${Z}/skew.json`);
    for (const t of await client.call('listTraces', { offset: 0, limit: 10 })) {
      const plain = core.store.db.exec(
        `SELECT span_row, span_id, parent_span_id, parent_ref, name, service, kind, status, is_error, start_ns - (SELECT min(start_ns) FROM spans s WHERE s.trace_id = ?1), duration_ns
         FROM spans WHERE trace_id = ?1 ORDER BY start_ns, span_row`,
        [t.traceId],
      )[0].values;
      const b = traceSpans(core.store, t.traceId)!;
      expect(b.startNs).toBe(t.startNs);
      const rowsA = plain.map((r) =>
        [r[0], r[1], r[2], parentRefOfCode(r[3] as number), r[4], r[5], kindOfCode(r[6] as number), statusOfCode(r[7] as number), r[8] === 1, r[9], r[10]].join('|'),
      ).sort();
      const key = (c: typeof b, i: number) =>
        [c.spanRow[i], c.spanId[i], c.parentSpanId[i], c.parentRef[i], c.name[i], c.service[i], c.kind[i], c.status[i], c.isError[i], c.start[i], c.duration[i]].join('|');
      const rowsB = b.spanRow.map((_, i) => key(b, i)).sort();
      expect(rowsB).toEqual(rowsA);
    }
    expect(traceSpans(core.store, 'f'.repeat(32))).toBeNull();
  });

  it('keeps names and services with the row separator, astral characters and empty strings exact', async () => {
    const { traceSpans } = await import('../../src-renderer/store/trace-spans.ts');
    const { core } = await createLocalEngine();
    const T = 'ab'.repeat(16);
    const mk = (spanId: string, parent: string | null, service: string, name: string): Span => ({
      traceId: T, spanId, parentSpanId: parent, parentRef: 'child_of', name, service, kind: 'internal', startNs: epochNs(1700000000000000000n), durationNs: durationNs(5),
      status: 'unset', statusMessage: '', attributes: {}, resource: { attributes: {} }, scope: { name: '', version: '' }, events: [], links: [],
    });
    core.store.beginFile('odd.json', null);
    core.store.addSpans([
      mk('0000000000000001', null, 'svc\u001fwith sep', 'name\u001ftoo'),
      mk('0000000000000002', '0000000000000001', '𝔘nicode ☃', ''),
      mk('0000000000000003', '00000000000000ff', '', '----------------'),
    ]);
    core.store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    const c = traceSpans(core.store, T)!;
    expect(c.service).toEqual(['svc\u001fwith sep', '𝔘nicode ☃', '']);
    expect(c.name).toEqual(['name\u001ftoo', '', '----------------']);
    expect(c.parentSpanId).toEqual([null, '0000000000000001', '00000000000000ff']);
  });
});
