// Each trace's columns kept at import (store/span-trees.ts) and the service map's durations kept
// at import (store/map-summary.ts), against the spans they summarise: on the real incident and
// the format fixtures (Zipkin's shared ids, duplicates), with traces split over two files
// (rewritten when the second file completes them, their first part taken away from the kept
// map), in a workspace saved without them (made when it is opened), and the service map from
// each against the map built from every span's ids, with a grouping undone too; the aggregates'
// forest from the kept parents against the forest from the ids.

import { describe, it, expect, beforeAll } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { traceSpans } from '../../src-renderer/store/trace-spans.ts';
import { eachSpanTree, MISSING_PARENT, NO_PARENT_ID } from '../../src-renderer/store/span-trees.ts';
import { operationCatalog, setOperationGrouping } from '../../src-renderer/store/operations.ts';
import { ServiceMapCache, summaryFromSpanTrees } from '../../src-renderer/engine/service-map.ts';
import { keptMap } from '../../src-renderer/store/map-summary.ts';
import { ServiceMapBuilder, serviceMapOf, operationStatsOf, summaryFromKept } from '../../src-renderer/core/analysis/service-map.ts';
import { groupName } from '../../src-renderer/core/model/operation.ts';
import { packSpanFlags, flagKind } from '../../src-renderer/core/model/span-codes.ts';
import { readTraceChunk } from '../../src-renderer/store/cohort-spans.ts';
import { buildForestFromColumns, buildForestFromIdParents } from '../../src-renderer/core/model/tree.ts';
import { forestPrecisions, spanPrecisions } from '../../src-renderer/core/analysis/precision.ts';

const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const INCIDENT = `${fixtures}otel-incident/traces.otlp.jsonl.gz`;
const FORMATS = readdirSync(`${fixtures}traces`).filter((f) => f.endsWith('.json')).map((f) => `${fixtures}traces/${f}`);

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

function traceIds(store: Store): Array<[string, number]> {
  return (store.db.exec('SELECT trace_id, trace_no FROM traces ORDER BY trace_no')[0]?.values ?? []).map((r) => [r[0] as string, r[1] as number]);
}

/** Every trace's columns against its spans as traceSpans reads them. */
function expectTreesMatchSpans(store: Store): void {
  const trees = new Map<number, Parameters<Parameters<typeof eachSpanTree>[2]>[0]>();
  eachSpanTree(store, null, (t) => trees.set(t.traceNo, t));
  const ids = traceIds(store);
  expect(trees.size).toBe(ids.length);
  for (const [id, no] of ids) {
    const c = traceSpans(store, id)!;
    const t = trees.get(no)!;
    expect(t.startNs).toBe(c.startNs);
    expect(Array.from(t.spanRow)).toEqual(c.spanRow);
    expect(Array.from(t.start)).toEqual(c.start);
    expect(Array.from(t.duration)).toEqual(c.duration);
    expect(Array.from(t.opId)).toEqual(Array.from(c.opId!));
    expect(Array.from(t.flags)).toEqual(c.start.map((_, i) => packSpanFlags(c.kind[i], c.status[i], c.isError[i], c.parentRef[i])));
    const parents = c.parentSpanId.map((p) => (p === null ? NO_PARENT_ID : c.spanId.indexOf(p) >= 0 ? c.spanId.indexOf(p) : MISSING_PARENT));
    expect(Array.from(t.parent), id).toEqual(parents);
    expect(t.uniqueIds).toBe(new Set(c.spanId).size === c.spanId.length);
  }
}

/** The service map's summary from every span's ids and names, trace by trace: the direct computation. */
function directSummary(store: Store) {
  const catalog = operationCatalog(store);
  const b = new ServiceMapBuilder();
  for (const [id, no] of traceIds(store)) {
    const c = traceSpans(store, id)!;
    for (let i = 0; i < c.start.length; i++) {
      const op = c.opId![i];
      const known = op >= 0 && catalog.operation[op] !== undefined;
      const operation = !known ? groupName(c.name[i]) : catalog.ungrouped.has(op) ? c.name[i] : catalog.operation[op];
      b.add(no, c.spanId[i], c.parentSpanId[i], c.service[i], operation, c.duration[i], c.isError[i], known ? catalog.peer[op] : '');
    }
  }
  return b.finish();
}

function expectMapMatchesDirect(store: Store, kept = new ServiceMapCache(store).summary()): void {
  const direct = directSummary(store);
  expect(serviceMapOf(kept)).toEqual(serviceMapOf(direct));
  expect(operationStatsOf(kept)).toEqual(operationStatsOf(direct));
  // Every duration, not only the percentiles.
  expect(new Map([...kept.edges].map(([k, e]) => [k, Array.from(e.durations)]))).toEqual(new Map([...direct.edges].map(([k, e]) => [k, Array.from(e.durations)])));
  expect(new Map([...kept.operations].map(([k, e]) => [k, Array.from(e.durations)]))).toEqual(new Map([...direct.operations].map(([k, e]) => [k, Array.from(e.durations)])));
}

/** The map from the kept durations and the map from the trees, each against the direct one. */
function expectBothMatchDirect(store: Store): void {
  const kept = keptMap(store);
  expect(kept).not.toBeNull();
  expectMapMatchesDirect(store, summaryFromKept(kept!.ops, kept!.edges, operationCatalog(store)));
  expectMapMatchesDirect(store, summaryFromSpanTrees(store));
}

describe('span trees kept at import', () => {
  it('hold each trace of the real incident and of every format fixture as its spans are', async () => {
    const { store } = await loadInputs([INCIDENT, ...FORMATS]);
    expect(Number(store.db.exec('SELECT count(*) FROM span_trees WHERE unique_ids = 0')[0].values[0][0])).toBeGreaterThan(0); // Zipkin's shared ids
    expectTreesMatchSpans(store);
    expectBothMatchDirect(store);
    store.close();
  }, 120_000);

  it('are rewritten when a second file completes a trace, and made for a workspace saved without them', async () => {
    // The incident's lines dealt to two files alternately: most traces are split between them.
    const lines = gunzipSync(readFileSync(INCIDENT)).toString('utf8').split('\n').filter((l) => l.trim() !== '');
    const dir = mkdtempSync(join(tmpdir(), 'span-trees-'));
    const halves = [0, 1].map((h) => join(dir, `half-${h}.otlp.jsonl`));
    halves.forEach((f, h) => writeFileSync(f, lines.filter((_, i) => i % 2 === h).join('\n')));
    const { store } = await loadInputs(halves);
    const whole = (await loadInputs([INCIDENT])).store;
    expect(traceIds(store).length).toBe(traceIds(whole).length);
    expect(Number(store.db.exec("SELECT count(*) FROM files WHERE spans > 0")[0].values[0][0])).toBe(2);
    expectTreesMatchSpans(store);
    expectBothMatchDirect(store);
    expect(serviceMapOf(new ServiceMapCache(store).summary())).toEqual(serviceMapOf(new ServiceMapCache(whole).summary()));

    const before = new ServiceMapCache(store).map();
    // As a workspace saved before either was kept.
    store.db.exec('DELETE FROM span_trees; DELETE FROM map_operations; DELETE FROM map_edges; DELETE FROM map_state;');
    const saved = store.export();
    const reopened = Store.create(SQL, saved, 'old.tracedeck');
    expectTreesMatchSpans(reopened);
    expectBothMatchDirect(reopened);
    expect(new ServiceMapCache(reopened).map()).toEqual(before);
    for (const s of [store, whole, reopened]) s.close();
  }, 120_000);

  it('give the aggregates the forest their ids give, Zipkin shared ids and repeats too', async () => {
    const { store } = await loadInputs([INCIDENT, ...FORMATS]);
    const ids = traceIds(store);
    const base = String(store.db.exec('SELECT CAST(min(start_ns) AS TEXT) FROM traces')[0].values[0][0]);
    const chunk = readTraceChunk(store, ids.map(([, no]) => no), base, operationCatalog(store));
    expect(chunk.traceNo).toEqual(ids.map(([, no]) => no));
    expect(chunk.ids.size).toBeGreaterThan(0);
    const kind = Array.from(chunk.flags, flagKind);
    const spanId: string[] = [];
    const parentSpanId: (string | null)[] = [];
    for (const [id] of ids) {
      const c = traceSpans(store, id)!;
      spanId.push(...c.spanId);
      parentSpanId.push(...c.parentSpanId);
    }
    const byIds = buildForestFromColumns({ spanId, parentSpanId, kind, start: chunk.start }, chunk.first);
    const kept = buildForestFromIdParents(chunk.idParent, chunk.first, chunk.start, (k) => {
      const t = chunk.ids.get(k);
      const [a, b] = [chunk.first[k], chunk.first[k + 1]];
      return t ? { ...t, kind: kind.slice(a, b), start: chunk.start.subarray(a, b) } : null;
    });
    for (const key of ['parent', 'childStart', 'childList', 'order', 'depth'] as const) expect(Array.from(kept[key]), key).toEqual(Array.from(byIds[key]));
    expect(kept.roots).toEqual(byIds.roots);
    // The forest's timestamp precisions, trace by trace as each trace alone has them.
    const precision = forestPrecisions(base, chunk.start, chunk.duration, chunk.service, chunk.first);
    for (let k = 0; k + 1 < chunk.first.length; k++) {
      const [a, b] = [chunk.first[k], chunk.first[k + 1]];
      expect(Array.from(precision.subarray(a, b))).toEqual(Array.from(spanPrecisions(base, Array.from(chunk.start.subarray(a, b)), Array.from(chunk.duration.subarray(a, b)), chunk.service.slice(a, b))));
    }
    expect(new Set(precision).size).toBeGreaterThan(1);
    expect([...kept.orphans].sort((x, y) => x - y)).toEqual([...byIds.orphans].sort((x, y) => x - y));
    expect([...kept.cycleCuts].sort((x, y) => x - y)).toEqual([...byIds.cycleCuts].sort((x, y) => x - y));
    store.close();
  }, 120_000);

  it('give the direct map with a grouping undone (its spans by their raw names)', async () => {
    const { store } = await loadInputs([INCIDENT]);
    const grouped = store.db.exec(
      `SELECT o.service, o.operation FROM spans s JOIN operations o USING (op_id) GROUP BY o.op_id HAVING count(DISTINCT s.name) > 1 OR min(s.name) <> o.operation ORDER BY count(DISTINCT s.name) DESC, count(*) DESC LIMIT 1`,
    )[0].values[0] as [string, string];
    const cache = new ServiceMapCache(store);
    const ops = cache.operations().length;
    setOperationGrouping(store, grouped[0], grouped[1], false);
    expect(cache.operations().length).toBeGreaterThanOrEqual(ops);
    expect(cache.operations().some((o) => o.service === grouped[0] && o.operation === grouped[1])).toBe(false);
    expectMapMatchesDirect(store);
    store.close();
  }, 120_000);
});
