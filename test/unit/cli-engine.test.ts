// One path per fact: every `tracedeck` analysis prints what the engine request the app asks
// answers, on the same input. The input is the demo incident (assets/demo-incident.zip: several
// services, failing requests, logs), imported once into a saved workspace that the command line
// and an in-process engine both open.

import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src-renderer/cli/main.ts';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import type { EngineClient } from '../../src-renderer/engine/client.ts';
import { unpackTraceView } from '../../src-renderer/engine/wire/trace-view.ts';
import { parseSloArgs } from '../../src-renderer/cli/commands/slo.ts';
import { parseTracesArgs } from '../../src-renderer/cli/commands/search-traces.ts';
import { serviceMapJson, serviceMapMermaid, serviceMapDot } from '../../src-renderer/core/analysis/service-map-export.ts';
import { fractionToPercent } from '../../src-renderer/core/analysis/slo.ts';
import { aggregateJson } from '../../src-renderer/cli/commands/aggregate.ts';
import { compareJson } from '../../src-renderer/cli/commands/compare.ts';
import { pageJson } from '../../src-renderer/cli/commands/owners.ts';
import { reportMarkdown, reportHtml } from '../../src-renderer/core/analysis/report-render.ts';

const DEMO = join(__dirname, '../../assets/demo-incident.zip');
let ws: string;
let engine: EngineClient;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function cliJson(...argv: string[]): Promise<Record<string, unknown>> {
  const r = await cli(...argv, '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Record<string, unknown>;
}

/** Exact epoch ns as text: base + offset, computed here with BigInt on its own. */
const at = (base: string, offset: number) => (BigInt(base) + BigInt(Math.round(offset))).toString();

beforeAll(async () => {
  ws = join(mkdtempSync(join(tmpdir(), 'tracedeck-cli-engine-')), 'demo.sqlite');
  expect((await cli('import', DEMO, '--save', ws)).code).toBe(0);
  engine = (await createLocalEngine(new Uint8Array(readFileSync(ws)))).client;
  await engine.ready;
}, 60_000);

/** The traces of the workspace by start, as the app's trace list pages them. */
async function traceIds(): Promise<string[]> {
  return (await engine.call('listTraces', { offset: 0, limit: 100_000, sort: 'start' })).map((t) => t.traceId);
}

describe('the command line prints the engine requests the app asks', () => {
  it('import: the totals are the engine\'s totals', async () => {
    const j = (await cliJson('import', DEMO)) as { totals: unknown };
    const t = await engine.call('totals');
    expect(t.spans).toBeGreaterThan(1000);
    expect(j.totals).toEqual({ traces: t.traces, spans: t.spans, logs: t.logs });
  });

  it('query: the rows of the engine\'s sql request', async () => {
    const sql = 'SELECT service, count(*) AS spans, sum(is_error) AS errors FROM spans GROUP BY service ORDER BY service';
    const rows = await cliJson('query', ws, '--sql', sql);
    const r = await engine.call('sql', sql);
    expect(r.rows.length).toBeGreaterThan(2);
    expect(rows).toEqual(r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]]))));
  });

  it('critical-path: the sections of traceAnalyses, for every trace', async () => {
    const j = (await cliJson('critical-path', ws)) as { traces: { traceId: string; sections: unknown[] }[] };
    const ids = await traceIds();
    expect(j.traces.map((t) => t.traceId)).toEqual(ids);
    for (const [k, traceId] of ids.entries()) {
      const v = unpackTraceView((await engine.call('traceView', traceId))!);
      const c = (await engine.call('traceAnalyses', traceId))!.critical;
      expect(c.span.length).toBeGreaterThan(0);
      expect(j.traces[k].sections).toEqual(
        Array.from(c.span, (i, s) => ({
          spanId: v.spans.spanId[i], service: v.spans.service[i], name: v.spans.name[i], startNs: at(v.startNs, c.start[s]), endNs: at(v.startNs, c.end[s]),
        })),
      );
    }
  });

  it('error-path: the path, root cause and summary of traceAnalyses, for every trace', async () => {
    const j = (await cliJson('error-path', ws)) as { traces: { traceId: string; path: { spanId: string; message: string }[]; rootCause: { spanId: string } | null; summary: string }[] };
    const ids = await traceIds();
    expect(j.traces.map((t) => t.traceId)).toEqual(ids);
    let failing = 0;
    for (const [k, traceId] of ids.entries()) {
      const v = unpackTraceView((await engine.call('traceView', traceId))!);
      const e = (await engine.call('traceAnalyses', traceId))!.errorPath;
      const printed = j.traces[k];
      expect(printed.summary).toBe(e.summary);
      expect(printed.path.map((p) => p.spanId)).toEqual(e.path.map((i) => v.spans.spanId[i]));
      expect(printed.path.map((p) => p.message)).toEqual(e.messages);
      expect(printed.rootCause?.spanId ?? null).toBe(e.rootCause === null ? null : v.spans.spanId[e.rootCause]);
      if (e.rootCause !== null) {
        failing++;
        expect(printed.path.at(-1)!.message).toBe(e.message);
      }
    }
    expect(failing).toBeGreaterThan(0);
  });

  it('traces: the page of searchTraces, each option a term of the query the app would type', async () => {
    const args = ['--service', 'checkout', '--min-duration', '1s', '--error', '--attr', 'http.response.status_code>=500', '--from', '2026-11-20T10:00:00Z', '--sort', 'duration', '--limit', '7'];
    const j = (await cliJson('traces', ws, ...args)) as { total: number; traces: Record<string, unknown>[] };
    const query = 'service=checkout trace.duration>=1s error=true http.response.status_code>=500 from=2026-11-20T10:00:00Z';
    expect(parseTracesArgs(args).query).toBe(query);
    const r = await engine.call('searchTraces', { query, sort: 'duration', offset: 0, limit: 7 });
    expect(r.errors).toEqual([]);
    expect(r.total).toBeGreaterThan(7);
    expect(j.total).toBe(r.total);
    expect(j.traces).toEqual(r.rows.map((t) => ({ traceId: t.traceId, rootService: t.rootService, rootName: t.rootName, startNs: t.startNs, durationNs: t.durationNs, spans: t.spanCount, errors: t.errorCount })));
    const durations = j.traces.map((t) => t.durationNs as number);
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    expect(durations.every((d) => d >= 1e9)).toBe(true);
  });

  it('service-map: the nodes and edges of serviceMap, as JSON, Mermaid and DOT', async () => {
    const j = (await cliJson('service-map', ws)) as { services: unknown[]; edges: { from: string; to: string; calls: number }[] };
    const m = await engine.call('serviceMap');
    expect(m.edges.length).toBeGreaterThan(5);
    expect(j).toEqual(JSON.parse(serviceMapJson(m)));
    // Each node's owner is the ownership answer's for that service (the demo's spans carry service.owner).
    const own = new Map((await engine.call('ownership')).services.map((o) => [o.service, o]));
    expect(m.services.map((n) => [n.name, n.owner, n.ownerSource])).toEqual(m.services.map((n) => [n.name, own.get(n.name)?.owner ?? null, own.get(n.name)?.source ?? null]));
    expect(m.services.find((n) => n.name === 'postgres')).toMatchObject({ owner: 'team-data', ownerSource: 'resource-attribute' });
    // Each edge's calls are the spans a search for the edge finds, counted in SQL on their own.
    const e = m.edges.find((x) => x.from === 'checkout' && x.to === 'payment')!;
    const sql = `SELECT count(*) FROM spans c JOIN spans p ON p.trace_no = c.trace_no AND p.span_id = c.parent_span_id WHERE p.service = 'checkout' AND c.service = 'payment'`;
    expect((await engine.call('sql', sql)).rows[0][0]).toBe(e.calls);
    const mermaid = await cli('service-map', ws, '--mermaid');
    expect(mermaid.out + '\n').toBe(serviceMapMermaid(m));
    const dot = await cli('service-map', ws, '--dot');
    expect(dot.out + '\n').toBe(serviceMapDot(m));
  });

  it('error-origins: every origin of traceAnalyses with its path, for every trace', async () => {
    type Printed = { traceId: string; origins: { spanId: string; error: string; reachedRoot: boolean; path: { spanId: string; service: string; operation: string }[] }[] };
    const j = (await cliJson('error-origins', ws)) as { traces: Printed[] };
    const ids = await traceIds();
    expect(j.traces.map((t) => t.traceId)).toEqual(ids);
    let origins = 0;
    for (const [k, traceId] of ids.entries()) {
      const v = unpackTraceView((await engine.call('traceView', traceId))!);
      const e = (await engine.call('traceAnalyses', traceId))!.errorPath;
      expect(j.traces[k].origins).toEqual(
        e.origins.map((o) => ({
          spanId: v.spans.spanId[o.span], error: o.message, reachedRoot: o.reachedRoot,
          path: o.path.map((i) => ({ spanId: v.spans.spanId[i], service: v.spans.node[i], operation: v.spans.operation[i] })),
        })),
      );
      origins += e.origins.length;
    }
    expect(origins).toBeGreaterThan(0);
    const one = ids.find((_, k) => j.traces[k].origins.length > 0)!;
    const single = (await cliJson('error-origins', ws, '--trace', one)) as { traces: Printed[] };
    expect(single.traces).toEqual([j.traces[ids.indexOf(one)]]);
  }, 180_000); // every trace of the demo opened twice: slow on a shared machine

  it('root-causes: the groups of rootCauses; the demo fails in the one place its generator made fail', async () => {
    const j = (await cliJson('root-causes', ws)) as { failing: number; groups: { service: string; operation: string; error: string; traces: number }[] };
    const r = await engine.call('rootCauses', {});
    expect(j).toEqual({ failing: r.failing, groups: r.groups });
    const [[failedRoots]] = (await engine.call('sql', `SELECT count(*) FROM spans WHERE parent_span_id IS NULL AND is_error = 1`)).rows;
    expect(r.failing).toBe(failedRoots);
    // The spans in error with nothing in error below them: one service and statement in the demo.
    const deepest = (await engine.call('sql',
      `SELECT DISTINCT s.service, s.attributes ->> '$."db.statement"' FROM spans s WHERE s.is_error = 1
         AND NOT EXISTS (SELECT 1 FROM spans c WHERE c.trace_no = s.trace_no AND c.parent_span_id = s.span_id AND c.is_error = 1)`,
    )).rows;
    expect(deepest.length).toBe(1);
    expect(r.groups.length).toBe(1);
    expect(r.groups[0]).toMatchObject({ service: deepest[0][0], traces: r.failing });
    expect(String(deepest[0][1])).toContain(r.groups[0].operation.replace(/ \?.*$/, ''));
    // One entry operation's failing requests: the same cause.
    const entry = (await cliJson('root-causes', ws, '--service', 'frontend', '--operation', 'POST /checkout')) as { failing: number; groups: unknown[] };
    expect(entry).toEqual({ failing: r.failing, groups: r.groups });
    expect((await cli('root-causes', ws, '--service', 'frontend')).code).toBe(2);
  });

  it('slo eval: the figures and alerts of sloEvaluate', async () => {
    const args = ['--service', 'frontend', '--operation', 'POST /checkout', '--percentile', '99', '--threshold', '1s', '--window', '1m'];
    const j = (await cliJson('slo', 'eval', ws, ...args)) as Record<string, unknown> & { slices: Record<string, unknown>; observed: unknown };
    const e = await engine.call('sloEvaluate', parseSloArgs(args, 'eval').definition);
    expect(e.bad).toBeGreaterThan(0);
    for (const key of ['range', 'unit', 'total', 'good', 'bad', 'compliance', 'met', 'budget', 'burnRate', 'coverage', 'alerts'] as const) {
      expect(j[key]).toEqual(JSON.parse(JSON.stringify(e[key])));
    }
    expect(j.observed).toEqual(e.observed && { percentile: fractionToPercent(e.observed.q), valueNs: e.observed.valueNs });
    expect(j.slices).toMatchObject({ windowNs: e.slices.windowNs, total: e.slices.count, withData: e.slices.withData, good: e.slices.good });
  });

  it('slo derive: the budget tree of sloDerive, and its OpenSLO from sloBudgetsYaml', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tracedeck-derive-')), 'budgets.yaml');
    const args = ['--service', 'frontend', '--operation', 'POST /checkout', '--percentile', '99', '--threshold', '1s'];
    const j = (await cliJson('slo', 'derive', ws, ...args, '--openslo', file)) as { entry: Record<string, unknown>; budgets: Record<string, unknown>[] };
    const d = parseSloArgs(args, 'derive').definition;
    const { tree } = await engine.call('sloDerive', d, {});
    expect(tree.budgets.length).toBeGreaterThan(0);
    expect(j.entry).toMatchObject({ service: tree.entry.service, operation: tree.entry.operation, requests: tree.entry.requests, observedNs: tree.entry.observedNs, status: tree.entry.status });
    expect(j.budgets.map((b) => [b.service, b.operation, b.thresholdNs, b.percentile, b.status])).toEqual(
      tree.budgets.map((b) => [b.service, b.operation, b.thresholdNs, b.percentile, b.status]),
    );
    expect(readFileSync(file, 'utf8')).toBe(await engine.call('sloBudgetsYaml', tree, d));
  });

  it('aggregate: the reply of runAggregate (aggregateStart/aggregateStep), with the diff', async () => {
    const entry = { service: 'frontend', operation: 'POST /checkout' };
    const j = (await cliJson('aggregate', ws, '--service', entry.service, '--operation', entry.operation, '--cohort', 'slowest:5%', '--vs', 'rest')) as ReturnType<typeof aggregateJson>;
    const reply = (await engine.runAggregate({ entry, cohort: { kind: 'slowest', percent: 5 }, vs: { kind: 'not', of: { kind: 'slowest', percent: 5 } } }).done)!;
    expect(reply.a.traces).toBeGreaterThan(10);
    expect(j).toEqual(JSON.parse(JSON.stringify(aggregateJson(reply))));
    // Whole ns that add up: per service and per operation, each cohort's rows sum to its total, shares to 1.
    for (const c of [j, j.vs!]) {
      for (const rows of [c.byService, c.byOperation]) {
        expect(rows.every((r) => Number.isInteger(r.ns))).toBe(true);
        expect(rows.reduce((s, r) => s + r.ns, 0)).toBe(c.totalNs);
        expect(rows.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 12);
      }
    }
    expect(j.diff[0]).toMatchObject({ service: 'postgres', operation: expect.stringMatching(/^INSERT INTO payments\b/) });
    expect(j.diff[0].shareOfDelta).toBeGreaterThan(0.9);
  });

  it('aggregate of a one-request window: that trace\'s critical path, section by section summed per operation', async () => {
    const ids = await traceIds();
    const traceId = ids[Math.floor(ids.length / 2)];
    const v = unpackTraceView((await engine.call('traceView', traceId))!);
    const c = (await engine.call('traceAnalyses', traceId))!.critical;
    const root = v.spans.parentSpanId.findIndex((p) => p === null);
    const start = at(v.startNs, v.spans.start[root]);
    const window = `from:${start},to:${(BigInt(start) + 1n).toString()}`;
    const j = (await cliJson('aggregate', ws, '--service', v.spans.service[root], '--operation', v.spans.name[root], '--cohort', window)) as ReturnType<typeof aggregateJson>;
    expect(j.traces).toBe(1);
    const expected = new Map<string, number>();
    for (let s = 0; s < c.span.length; s++) {
      const i = c.span[s];
      const k = `${v.spans.service[i]} ${v.spans.name[i]}`;
      expected.set(k, (expected.get(k) ?? 0) + (c.end[s] - c.start[s]));
    }
    expect(new Map(j.byOperation.map((r) => [`${r.service} ${r.operation}`, r.ns]))).toEqual(expected);
    expect(j.totalNs).toBe(v.spans.duration[root]);
  });

  it('aggregate of a search cohort: the entry\'s requests whose trace the trace search finds', async () => {
    const query = 'service=postgres trace.duration>2s';
    const j = (await cliJson('aggregate', ws, '--service', 'frontend', '--operation', 'POST /checkout', '--cohort', `search:${query}`)) as ReturnType<typeof aggregateJson>;
    const found = await engine.call('searchTraces', { query, sort: 'start', offset: 0, limit: 5000 });
    const expected = found.rows.filter((r) => r.rootService === 'frontend' && r.rootName === 'POST /checkout').length;
    expect(expected).toBeGreaterThan(5);
    expect(j.traces).toBe(expected);
    expect(j.byService[0].service).toBe('postgres');
    const bad = await cli('aggregate', ws, '--service', 'frontend', '--cohort', 'search:duration>>', '--json');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/search "duration>>"/);
  });

  it('compare: the reply of compareTraces', async () => {
    const ids = await traceIds();
    const [a, b] = [ids[3], ids[ids.length - 4]];
    const j = await cliJson('compare', ws, '--trace', a, '--trace', b);
    const r = await engine.call('compareTraces', a, b);
    expect(r.comparison.rows.length).toBeGreaterThan(1);
    expect(j).toEqual(JSON.parse(JSON.stringify(compareJson(r))));
  });

  it('owners: the services, unowned and not-observed lists of the ownership request', async () => {
    const catalog = join(__dirname, '../fixtures/catalog/demo-catalog-info.yaml');
    const withCatalog = join(mkdtempSync(join(tmpdir(), 'tracedeck-owners-')), 'demo.sqlite');
    expect((await cli('import', DEMO, catalog, '--save', withCatalog)).code).toBe(0);
    const own = (await createLocalEngine(new Uint8Array(readFileSync(withCatalog)))).client;
    await own.ready;
    const view = await own.call('ownership');
    const j = (await cliJson('owners', withCatalog)) as { services: Record<string, unknown>[]; unowned: string[]; notObserved: string[] };
    expect(j.services).toEqual(view.services.map((s) => ({ service: s.service, owner: s.owner, source: s.source, entry: s.entry, peer: s.peer })));
    expect(j.services.find((s) => s.service === 'payment')).toMatchObject({ owner: 'group:default/payments-core', source: 'catalog-normalised' });
    expect([j.unowned, j.notObserved]).toEqual([view.unowned, view.notObserved.map((e) => e.name)]);
    // --catalog names the same file as an input: the same answer.
    expect(await cliJson('owners', DEMO, '--catalog', catalog)).toEqual(j);
  });

  it('owners --from --to: the page list of whoToPage; the demo pages the owner of the node its failures began on', async () => {
    // The window: from the first failing request to the last, read from the data.
    const [[first, last]] = (await engine.call('sql', `SELECT CAST(min(start_ns) AS TEXT), CAST(max(start_ns) AS TEXT) FROM traces WHERE error_count > 0`)).rows as string[][];
    const window = { fromNs: first, toNs: at(last, 1) };
    const view = await engine.call('whoToPage', window);
    const j = (await cliJson('owners', ws, '--from', window.fromNs, '--to', window.toNs)) as { page: Record<string, unknown>[] };
    expect(j.page).toEqual(JSON.parse(JSON.stringify(pageJson(view.rows))));
    expect(view.beforeFromNs).toBe((2n * BigInt(window.fromNs) - BigInt(window.toNs)).toString());
    // The spans in error with nothing in error below them are all on one node: it is paged first,
    // for every failing request, and its owner is the one its spans' resource names.
    const deepest = (await engine.call('sql',
      `SELECT DISTINCT s.service FROM spans s WHERE s.is_error = 1
         AND NOT EXISTS (SELECT 1 FROM spans c WHERE c.trace_no = s.trace_no AND c.parent_span_id = s.span_id AND c.is_error = 1)`,
    )).rows;
    expect(deepest.length).toBe(1);
    const node = deepest[0][0] as string;
    const [[failedRoots]] = (await engine.call('sql', `SELECT count(*) FROM spans WHERE parent_span_id IS NULL AND is_error = 1`)).rows;
    const [[owner]] = (await engine.call('sql', `SELECT DISTINCT r.attributes ->> '$."service.owner"' FROM resources r WHERE r.service = ?`, [node])).rows;
    expect(view.failing).toBe(failedRoots);
    expect(view.rows[0]).toMatchObject({ service: node, owner, failingTraces: failedRoots, via: null });
    // Its spans took longer in the window than in the one before: the critical-path time it added
    // is positive and the most of any node.
    const mean = async (from: string, to: string) =>
      (await engine.call('sql', `SELECT avg(duration_ns) FROM spans WHERE service = ? AND start_ns >= CAST(? AS INTEGER) AND start_ns < CAST(? AS INTEGER)`, [node, from, to])).rows[0][0] as number;
    expect(await mean(window.fromNs, window.toNs)).toBeGreaterThan(await mean(view.beforeFromNs!, window.fromNs));
    expect(view.rows[0].addedCriticalPathNs).toBeGreaterThan(0);
    expect(Math.max(...view.rows.map((r) => r.addedCriticalPathNs))).toBe(view.rows[0].addedCriticalPathNs);
    // Without a window: all the data, nothing to compare with.
    const all = await engine.call('whoToPage', {});
    expect(all.beforeFromNs).toBeNull();
    expect(all.rows.every((r) => r.addedCriticalPathNs === 0)).toBe(true);
    expect((await cli('owners', ws, '--from', window.fromNs)).code).toBe(2);
    expect((await cli('owners', ws, '--from', 'yesterday', '--to', window.toNs)).err).toMatch(/"yesterday" \(--from\) is neither/);
  }, 120_000);

  it('report: the Markdown and HTML of reportModel; the demo report states what its data shows', async () => {
    const [[first, last]] = (await engine.call('sql', `SELECT CAST(min(start_ns) AS TEXT), CAST(max(start_ns) AS TEXT) FROM traces WHERE error_count > 0`)).rows as string[][];
    const window = { fromNs: first, toNs: at(last, 1) };
    const model = await engine.call('reportModel', window);
    const md = await cli('report', ws, '--from', window.fromNs, '--to', window.toNs);
    expect(md.code).toBe(0);
    expect(md.out).toBe(reportMarkdown(model));
    const out = join(mkdtempSync(join(tmpdir(), 'tracedeck-report-')), 'report.html');
    expect((await cli('report', ws, '--from', window.fromNs, '--to', window.toNs, '--format', 'html', '--out', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(reportHtml(model));
    // The figures are the data's: requests and failed requests of each period, the root causes and
    // the owners as their own requests give them, the first error as the earliest span in error.
    for (const p of model.periods) {
      const [[requests, failed]] = (await engine.call('sql',
        `SELECT count(*), coalesce(sum(s.is_error), 0) FROM traces t JOIN spans s ON s.trace_no = t.trace_no AND s.span_id = t.root_span_id
         WHERE t.start_ns >= CAST(? AS INTEGER) AND t.start_ns < CAST(? AS INTEGER)`, [p.fromNs, p.toNs])).rows;
      expect([p.label, p.requests, p.failed]).toEqual([p.label, requests, failed]);
    }
    expect(model.periods[1].failed).toBe(model.failing);
    const causes = await engine.call('rootCauses', window);
    expect(model.causes.map((c) => [c.service, c.operation, c.error, c.traces])).toEqual(causes.groups.map((g) => [g.service, g.operation, g.error, g.traces]));
    expect(model.causes[0].errorPath).toContain(model.causes[0].service);
    expect(model.owners).toEqual((await engine.call('whoToPage', window)).rows);
    const [[firstService]] = (await engine.call('sql', `SELECT service FROM spans WHERE is_error = 1 AND start_ns >= CAST(? AS INTEGER) ORDER BY start_ns, span_row LIMIT 1`, [window.fromNs])).rows;
    expect(model.firstErrors[0].service).toBe(firstService);
    // Each line that names a trace links to it: the first error span itself, the span a log line's
    // ids name (or its trace when the span is not there), the root cause of each example error path.
    const spanOf = async (traceId: string, spanId: string) => (await engine.call('sql',
      `SELECT service, is_error FROM spans WHERE trace_no = (SELECT trace_no FROM traces WHERE trace_id = ?) AND span_id = ?`, [traceId, spanId])).rows;
    for (const f of model.firstErrors) expect(await spanOf(f.traceId, f.spanId)).toEqual([[f.service, 1]]);
    const linked = model.errorLogs.filter((l) => l.link);
    expect(linked.length).toBeGreaterThan(0);
    for (const l of linked) {
      expect((await engine.call('sql', 'SELECT count(*) FROM traces WHERE trace_id = ?', [l.link!.traceId])).rows).toEqual([[1]]);
      if (l.link!.spanId) expect(await spanOf(l.link!.traceId, l.link!.spanId)).toHaveLength(1);
    }
    for (const l of model.errorLogs.filter((x) => !x.link && x.traceId)) {
      expect((await engine.call('sql', 'SELECT count(*) FROM traces WHERE trace_id = ?', [l.traceId])).rows).toEqual([[0]]);
    }
    for (const c of model.causes) {
      const v = unpackTraceView((await engine.call('traceView', c.exampleTraceId))!);
      const e = (await engine.call('traceAnalyses', c.exampleTraceId))!.errorPath;
      expect(e.rootCause).not.toBeNull();
      expect(c.exampleSpanId).toBe(v.spans.spanId[e.rootCause!]);
      expect(await spanOf(c.exampleTraceId, c.exampleSpanId!)).toEqual([[expect.any(String), 1]]);
    }
    expect(model.series.requests.reduce((a, b) => a + b, 0)).toBe(model.periods.reduce((a, p) => a + p.requests, 0));
    // An SLO's events in the window (spans of the operation ending in it) and the bad ones, as SQL counts them.
    const slo = parseSloArgs(['--service', 'frontend', '--operation', 'POST /checkout', '--percentile', '99', '--threshold', '1s'], 'eval').definition;
    const [withSlo] = (await engine.call('reportModel', { ...window, slos: [slo] })).slos;
    const [[events, bad]] = (await engine.call('sql',
      `SELECT count(*), coalesce(sum(duration_ns > 1000000000), 0) FROM spans WHERE service = 'frontend' AND name = 'POST /checkout'
         AND start_ns + duration_ns >= CAST(? AS INTEGER) AND start_ns + duration_ns < CAST(? AS INTEGER)`, [window.fromNs, window.toNs])).rows;
    expect([withSlo.events, withSlo.bad]).toEqual([events, bad]);
    expect(withSlo.bad).toBeGreaterThan(0);
    expect(withSlo.burnRate).toBeCloseTo((bad as number) / (events as number) / 0.01, 6);
    // An SLO kept in the workspace is reported without being given, with the same figures.
    const [saved] = await engine.call('sloAdd', [{ definition: slo, warnings: [] }]);
    try {
      expect((await engine.call('reportModel', window)).slos).toEqual([withSlo]);
      expect((await engine.call('reportModel', { ...window, slos: [slo] })).slos).toEqual([withSlo, withSlo]);
    } finally {
      await engine.call('sloRemove', saved.id);
    }
    // A bad window or format is refused.
    expect((await cli('report', ws, '--from', window.toNs, '--to', window.fromNs)).code).not.toBe(0);
    expect((await cli('report', ws, '--from', window.fromNs, '--to', window.toNs, '--format', 'pdf')).code).toBe(2);
  }, 120_000);
});
