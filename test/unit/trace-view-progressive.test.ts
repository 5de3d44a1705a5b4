// Opening a trace in two steps: the rows (traceView) first, the critical and error
// paths (traceAnalyses, from the tree the engine kept) after; the UI state shows the rows before
// the analyses arrive. Also the pieces that keep a 100,000-span open fast: the aggregated span
// read, the minimap's merged bars and the per-span critical sections.

import { describe, it, expect } from 'vitest';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import { importPath } from '../../src-renderer/cli/load.ts';
import { unpackTraceView, packSpans, unpackSpans } from '../../src-renderer/engine/wire/trace-view.ts';
import { traceSpans } from '../../src-renderer/store/trace-spans.ts';
import { buildTraceTreeFromColumns } from '../../src-renderer/core/model/tree.ts';
import { readdirSync } from 'node:fs';
import { TraceViewState } from '../../src-renderer/state/trace-view.svelte.ts';
import { sectionsBySpan } from '../../src-renderer/core/analysis/critical-path.ts';
import { MiniRectBatch } from '../../src-renderer/views/trace/minimap-bars.ts';
import type { Span } from '../../src-renderer/core/model/trace.ts';
import { CORPUS } from '../corpus.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';

const SMARTTHINGS = `${CORPUS}/zipkin/zipkin-lens/testdata/smartthings-mobile-web-install.json`;
const T0 = 1_700_000_000_000_000_000n;

function span(traceId: string, id: number, parent: number | null, name: string, start: number, dur: number, more: Partial<Span> = {}): Span {
  const hex = (i: number) => i.toString(16).padStart(16, '0');
  return {
    traceId, spanId: hex(id), parentSpanId: parent === null ? null : hex(parent), parentRef: 'child_of', name, service: 'svc', kind: 'internal',
    startNs: epochNs(T0 + BigInt(start)), durationNs: durationNs(dur), status: 'unset', statusMessage: '', attributes: {}, resource: { attributes: {} },
    scope: { name: '', version: '' }, events: [], links: [], ...more,
  };
}

describe('traceAnalyses', () => {
  it('from the kept tree gives what a fresh open gives (Zipkin smartthings, 1041 spans)', async () => {
    const a = await createLocalEngine();
    const b = await createLocalEngine();
    await importPath(a.core.store, SMARTTHINGS);
    await importPath(b.core.store, SMARTTHINGS);
    const [t] = await a.client.call('listTraces', { offset: 0, limit: 1 });
    const view = unpackTraceView((await a.client.call('traceView', t.traceId))!);
    const kept = (await a.client.call('traceAnalyses', t.traceId))!;
    const fresh = (await b.client.call('traceAnalyses', t.traceId))!; // no traceView before: opens it itself
    expect(kept.spanCount).toBe(1041);
    expect(view.spans.spanId.length).toBe(1041);
    expect(Array.from(kept.critical.span)).toEqual(Array.from(fresh.critical.span));
    expect(Array.from(kept.critical.end)).toEqual(Array.from(fresh.critical.end));
    expect(kept.critical.byService).toEqual(fresh.critical.byService);
    expect(kept.errorPath).toEqual(fresh.errorPath);
    expect(await a.client.call('traceAnalyses', 'f'.repeat(32))).toBeNull();
  });

  it('opens the trace again when it grew since traceView', async () => {
    const { core, client } = await createLocalEngine();
    const trace = 'cd'.repeat(16);
    core.store.beginFile('a.json', null);
    core.store.addSpans([span(trace, 1, null, 'root', 0, 100), span(trace, 2, 1, 'early', 10, 20)]);
    core.store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    const v = unpackTraceView((await client.call('traceView', trace))!);
    expect(v.spans.spanId.length).toBe(2);
    core.store.beginFile('b.json', null);
    core.store.addSpans([span(trace, 3, 1, 'late', 40, 50, { status: 'error' })]);
    core.store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    const a = (await client.call('traceAnalyses', trace))!;
    expect(a.spanCount).toBe(3);
    // root 90..100, late 40..90, root 30..40, early 10..30, root 0..10; the error path ends at "late".
    expect(Array.from(a.critical.start)).toEqual([90, 40, 30, 10, 0]);
    expect(a.errorPath.rootCause).not.toBeNull();
    expect(a.errorPath.summary).toMatch(/^svc › root › late: error after/);
  });
});

describe('TraceViewState.load', () => {
  it('puts the rows up before the analyses, then overlays the critical path', async () => {
    const e = await createLocalEngine();
    await importPath(e.core.store, SMARTTHINGS);
    const [t] = await e.client.call('listTraces', { offset: 0, limit: 1 });
    const tv = new TraceViewState(e.client);
    tv.criticalOnly = true;
    const done = tv.load(t.traceId, null);
    // Step through the microtasks until the rows are there.
    for (let k = 0; k < 1000 && !tv.data; k++) await Promise.resolve();
    expect(tv.data).not.toBeNull();
    expect(tv.analyses).toBeNull();
    expect(tv.analysesPending).toBe(true); // the toolbar says "critical path…"
    // Without the critical path the filter has nothing to keep: every row shows meanwhile.
    expect(tv.rows.length).toBe(1041);
    expect(tv.onCritical.reduce((a, x) => a + x, 0)).toBe(0);
    await done;
    expect(tv.analysesPending).toBe(false);
    expect(tv.openMs).toBeGreaterThan(0);
    expect(tv.analysesMs).toBeGreaterThanOrEqual(tv.openMs);
    const onPath = new Set(tv.analyses!.critical.span);
    expect(tv.onCritical.reduce((a, x) => a + x, 0)).toBe(onPath.size);
    expect(tv.rows.length).toBe(onPath.size);
    tv.criticalOnly = false;
    expect(tv.rows.length).toBe(1041);
  });

  it('drops the answers of a trace the user already left', async () => {
    const e = await createLocalEngine();
    await importPath(e.core.store, SMARTTHINGS);
    const trace = 'ef'.repeat(16);
    e.core.store.beginFile('c.json', null);
    e.core.store.addSpans([span(trace, 1, null, 'only', 0, 10)]);
    e.core.store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    const [big] = await e.client.call('listTraces', { offset: 0, limit: 1, sort: 'spans' });
    const tv = new TraceViewState(e.client);
    const first = tv.load(big.traceId, null);
    const second = tv.load(trace, null);
    await Promise.all([first, second]);
    expect(tv.data!.traceId).toBe(trace);
    expect(tv.data!.spans.spanId.length).toBe(1);
    expect(tv.analyses!.traceId).toBe(trace);
    expect(Array.from(tv.analyses!.critical.span)).toEqual([0]);
  });
});

describe('traceSpans reads strings as whole-trace aggregates', () => {
  it('keeps the ids, names and flags packed as read, and they unpack to the same columns', async () => {
    const { core } = await createLocalEngine();
    await importPath(core.store, SMARTTHINGS);
    const id = (core.store.db.exec('SELECT trace_id FROM traces')[0].values[0][0]) as string;
    const c = Object.assign(traceSpans(core.store, id)!, { operation: [] as string[], node: [] as string[] });
    c.operation = c.name.slice();
    c.node = c.service.slice();
    expect(c.packedIds!.spanIds.length).toBe(1041 * 16);
    expect(c.codes!.strings.length).toBeLessThan(200); // names and services, each once
    const back = unpackSpans(structuredClone(packSpans(c)));
    const { packedIds, codes, opId, ...plain } = c;
    expect(opId!.length).toBe(1041);
    expect(packedIds && codes).toBeTruthy();
    expect(back).toEqual(plain);
    // The columns made on first read stay what they were made as.
    expect(back.kind).toBe(back.kind);
    expect(back.kind.filter((k) => k === 'server').length).toBe(c.kind.filter((k) => k === 'server').length);
  });

  it('falls back to rows when a name holds the row separator', async () => {
    const { core } = await createLocalEngine();
    const trace = 'ab'.repeat(16);
    core.store.beginFile('odd.json', null);
    core.store.addSpans([span(trace, 1, null, 'a\u001eb', 0, 10), span(trace, 2, 1, 'plain', 1, 2, { service: 's\u001et' })]);
    core.store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    const c = traceSpans(core.store, trace)!;
    expect(c.packedIds).toBeUndefined();
    expect(c.name).toEqual(['a\u001eb', 'plain']);
    expect(c.service).toEqual(['svc', 's\u001et']);
    expect(c.parentSpanId).toEqual([null, '0000000000000001']);
  });
});

describe('the tree from packed ids', () => {
  it('is the tree from the id strings, for every Zipkin lens trace (shared client/server ids, orphans)', async () => {
    const dir = `${CORPUS}/zipkin/zipkin-lens/testdata`;
    const { core } = await createLocalEngine();
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) await importPath(core.store, `${dir}/${f}`);
    const ids = core.store.db.exec('SELECT trace_id FROM traces')[0].values.map((r) => r[0] as string);
    expect(ids.length).toBeGreaterThan(8);
    let shared = 0;
    for (const id of ids) {
      const c = traceSpans(core.store, id)!;
      expect(c.packedIds).toBeDefined();
      const a = buildTraceTreeFromColumns(c);
      const b = buildTraceTreeFromColumns({ ...c, packedIds: undefined });
      expect(Array.from(a.parent)).toEqual(Array.from(b.parent));
      expect(Array.from(a.order)).toEqual(Array.from(b.order));
      expect(a.orphans).toEqual(b.orphans);
      shared += new Set(c.spanId).size < c.spanId.length ? 1 : 0;
    }
    expect(shared).toBeGreaterThan(0); // some trace has a client and server half sharing an id
  });
});

describe('minimap bars', () => {
  it('merges touching bars of one colour on one pixel row, keeps colours and pixel rows apart', () => {
    // 100 rows in 10 pixels: rows 0..9 are pixel row 0, rows 10..19 pixel row 1.
    const b = new MiniRectBatch(10, 100);
    b.add(0, 0, 10, 12); // colour 0: 10..12
    b.add(1, 0, 12.5, 20); // touches: 10..20
    b.add(2, 1, 15, 16); // colour 1 apart
    b.add(3, 0, 50, 50.2); // colour 0, far away: a new rectangle (at least 1 px wide)
    b.add(10, 0, 11, 13); // next pixel row
    b.flush();
    const rects = b.out.x.map((x, k) => [b.out.color[k], x, b.out.y[k], b.out.w[k], b.out.h[k]]);
    expect(rects).toEqual([
      [0, 10, 0, 10, 1],
      [0, 50, 0, 1, 1], // pixel row 0 ends: its open rectangles go out in colour order
      [1, 15, 0, 1, 1],
      [0, 11, 1, 2, 1],
    ]);
  });

  it('draws each bar alone when rows are taller than a pixel, in its band of the row', () => {
    const b = new MiniRectBatch(48, 4, [1 / 3, 1 / 3]);
    b.add(0, 0, 0, 5);
    b.add(0, 0, 5, 9);
    b.flush();
    expect(b.out.y).toEqual([4, 4]);
    expect(b.out.h).toEqual([4, 4]);
    expect(b.out.w).toEqual([5, 4]);
  });
});

describe('sectionsBySpan', () => {
  it('gives each span its sections as [start, end] pairs in path order', () => {
    const s = sectionsBySpan(4, { span: Int32Array.from([0, 2, 0, 3]), start: Float64Array.from([90, 40, 30, 10]), end: Float64Array.from([100, 90, 40, 30]) });
    expect(s.get(0)).toEqual([90, 100, 30, 40]);
    expect(s.get(1)).toBeUndefined();
    expect(s.get(2)).toEqual([40, 90]);
    expect(s.get(3)).toEqual([10, 30]);
    expect(s.get(4)).toBeUndefined();
    expect(sectionsBySpan(3, null).get(0)).toBeUndefined();
  });
});
