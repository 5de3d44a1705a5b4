// The real incident (test/fixtures/otel-incident: three Express services with the OpenTelemetry JS
// SDK, PostgreSQL with a 1 s statement_timeout, Redis; see generate.mjs there). Each analysis the
// data used to fool is checked against what the data itself shows, never against numbers copied in.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { localClient } from '../../src-renderer/engine/local.ts';
import type { EngineClient } from '../../src-renderer/engine/client.ts';
import type { Store } from '../../src-renderer/store/store.ts';
import { unpackTraceView, type TraceViewData, type TraceAnalyses } from '../../src-renderer/engine/wire/trace-view.ts';
import { sloDefinition } from './otel-incident-slo.ts';

const DIR = new URL('../fixtures/otel-incident/', import.meta.url).pathname;
const EXPECTED = JSON.parse(readFileSync(`${DIR}expected.json`, 'utf8')) as { requests: number; failed: number };

let store: Store;
let engine: EngineClient;
const traces: { view: TraceViewData; analyses: TraceAnalyses }[] = [];

function rows(sql: string, params: (string | number)[] = []): unknown[][] {
  return store.db.exec(sql, params)[0]?.values ?? [];
}

beforeAll(async () => {
  store = (await loadInputs([`${DIR}traces.otlp.jsonl.gz`])).store;
  engine = localClient(store);
  for (const [id] of rows('SELECT trace_id FROM traces ORDER BY start_ns')) {
    const view = unpackTraceView((await engine.call('traceView', id as string))!);
    traces.push({ view, analyses: (await engine.call('traceAnalyses', id as string))! });
  }
}, 120_000);

describe('the fixture is what it says', () => {
  it('holds the requests the generator drove, the failures it saw, and the SDK’s whole-millisecond starts', () => {
    expect(traces.length).toBe(EXPECTED.requests);
    expect(rows(`SELECT count(*) FROM spans WHERE parent_span_id IS NULL AND is_error = 1`)[0][0]).toBe(EXPECTED.failed);
    expect(rows('SELECT count(*) FROM spans WHERE start_ns % 1000000 <> 0')[0][0]).toBe(0);
    expect(rows('SELECT count(*) FROM spans WHERE (start_ns + duration_ns) % 1000000 <> 0')[0][0]).toBeGreaterThan(1000);
  });
});

describe('timestamp precision: rounding is not skew', () => {
  it('reports no child outside its parent by less than the 1 ms the SDK rounds to, though the data has many', () => {
    const rounding = rows(
      `SELECT count(*) FROM spans c JOIN spans p ON p.trace_no = c.trace_no AND p.span_id = c.parent_span_id
       WHERE c.start_ns + c.duration_ns > p.start_ns + p.duration_ns AND c.start_ns + c.duration_ns <= p.start_ns + p.duration_ns + 1000000`,
    )[0][0] as number;
    expect(rounding).toBeGreaterThan(100);
    const small = rows(`SELECT count(*) FROM import_findings WHERE kind IN ('child_ends_after_parent', 'child_starts_before_parent') AND json_extract(data, '$.byNs') <= 1000000`);
    expect(small[0][0]).toBe(0);
  });

  it('suspects clock skew only where a span is outside its parent by more than the rounding', () => {
    for (const [traceId, parentService, childService] of rows(
      `SELECT trace_id, json_extract(data, '$.parentService'), json_extract(data, '$.childService') FROM import_findings WHERE kind = 'clock_skew'`,
    )) {
      const beyond = rows(
        `SELECT count(*) FROM import_findings f JOIN spans c ON c.trace_no = (SELECT trace_no FROM traces WHERE trace_id = f.trace_id) AND c.span_id = f.span_id
           JOIN spans p ON p.trace_no = c.trace_no AND p.span_id = c.parent_span_id
         WHERE f.trace_id = ? AND f.kind IN ('child_ends_after_parent', 'child_starts_before_parent') AND p.service = ? AND c.service = ?
           AND json_extract(f.data, '$.byNs') > 1000000`,
        [traceId as string, parentService as string, childService as string],
      );
      expect(beyond[0][0]).toBeGreaterThan(0);
    }
  });

  it('keeps both sequential payment calls on the critical path, also where rounding makes them overlap', () => {
    let overlapping = 0;
    for (const { view, analyses } of traces) {
      const s = view.spans;
      const calls = [...s.operation.keys()].filter((i) => s.service[i] === 'checkout' && s.kind[i] === 'client' && /^POST \/(authorize|capture)$/.test(s.operation[i]));
      if (calls.length !== 2) continue;
      const [a, b] = calls.sort((x, y) => s.start[x] - s.start[y]);
      if (s.start[a] + s.duration[a] > s.start[b]) overlapping++;
      // A call is on the path when it or the work it waited on (its subtree) is.
      for (const i of calls) {
        const inCall = new Set<number>();
        for (let k = 0; k < view.order.length; k++) if (view.order[k] === i) for (let j = k; j < k + view.subtree[i]; j++) inCall.add(view.order[j]);
        let ns = 0;
        for (let k = 0; k < analyses.critical.span.length; k++) if (inCall.has(analyses.critical.span[k])) ns += analyses.critical.end[k] - analyses.critical.start[k];
        expect(ns, `${view.traceId} ${s.operation[i]}`).toBeGreaterThan(0);
      }
    }
    expect(overlapping).toBeGreaterThan(0);
  });
});

describe('the aggregate critical path on the real incident', () => {
  it('is the sum of each request’s own critical path, rounding overlaps included', async () => {
    const want = new Map<string, number>();
    for (const { view, analyses } of traces) {
      const s = view.spans;
      const c = analyses.critical;
      for (let k = 0; k < c.span.length; k++) {
        const key = `${s.node[c.span[k]]} ${s.operation[c.span[k]]}`;
        want.set(key, (want.get(key) ?? 0) + c.end[k] - c.start[k]);
      }
    }
    const reply = (await engine.runAggregate({ entry: { service: 'frontend', operation: null }, cohort: { kind: 'all' } }, () => {}).done)!;
    expect(reply.a.traces).toBe(traces.length);
    expect(new Map(reply.a.byOperation.map((r) => [`${r.service} ${r.operation}`, r.ns]))).toEqual(want);
  });
});

describe('error origins on the real incident', () => {
  it('names the span that failed first, not the frontend’s HTTP 500, as the root cause of every failing trace', () => {
    let failing = 0;
    for (const { view, analyses } of traces) {
      const s = view.spans;
      const root = s.parentSpanId.findIndex((p) => p === null);
      if (!s.isError[root]) continue;
      failing++;
      const ep = analyses.errorPath;
      expect(ep.rootCause).not.toBeNull();
      const rc = ep.rootCause!;
      expect(s.service[rc]).not.toBe('frontend');
      // Nothing below it failed.
      for (const o of ep.origins) expect(o.path.slice(0, -1)).not.toContain(o.span);
      const pgTimeout = [...s.isError.keys()].find((i) => s.isError[i] && s.node[i] === 'postgresql' && s.operation[i].startsWith('INSERT INTO payments'));
      if (pgTimeout !== undefined) {
        expect(rc).toBe(pgTimeout);
        expect(ep.message).toBe(rows('SELECT status_message FROM spans WHERE span_row = ?', [s.spanRow[pgTimeout]])[0][0]);
        expect(ep.message).toMatch(/statement timeout/);
      }
    }
    expect(failing).toBe(EXPECTED.failed);
  });

  it('groups the failures into their root causes, the statement timeout first', async () => {
    const r = await engine.call('rootCauses', {});
    expect(r.failing).toBe(EXPECTED.failed);
    expect(r.groups.reduce((n, g) => n + g.traces, 0)).toBe(r.failing);
    const timeouts = rows(
      `SELECT count(DISTINCT s.trace_id) FROM spans s JOIN operations o USING (op_id)
       WHERE s.is_error = 1 AND o.peer = 'postgresql' AND s.status_message LIKE '%statement timeout%'`,
    )[0][0];
    expect(r.groups[0]).toMatchObject({ service: 'postgresql', error: 'canceling statement due to statement timeout', traces: timeouts });
    expect(r.groups[0].operation).toMatch(/^INSERT INTO payments /);
  });
});

describe('nodes, operations and budgets on the real incident', () => {
  it('names HTTP client spans called just POST by the route of the server span they call', async () => {
    const paths = rows(
      `SELECT DISTINCT c.attributes ->> '$."url.full"' FROM spans c WHERE c.service = 'checkout' AND c.kind = 3 AND c.name = 'POST'`,
    ).map((r) => new URL(r[0] as string).pathname);
    expect(new Set(paths)).toEqual(new Set(['/authorize', '/capture']));
    const checkout = (await engine.call('sloOperations')).find((s) => s.service === 'checkout')!;
    const ops = checkout.operations.map((o) => o.operation);
    for (const p of paths) expect(ops).toContain(`POST ${p}`);
    expect(ops).not.toContain('POST');
  });

  it('gives the databases and the cache reached through client spans budgets of their own, none above its caller’s', async () => {
    const system = `coalesce(attributes ->> '$."db.system.name"', attributes ->> '$."db.system"')`;
    const systems = rows(`SELECT DISTINCT ${system} FROM spans WHERE ${system} IS NOT NULL`).map((r) => r[0]);
    expect(new Set(systems)).toEqual(new Set(['postgresql', 'redis']));
    const { tree } = await engine.call('sloDerive', sloDefinition('frontend', 'GET /checkout', 0.95, 1e9));
    for (const s of systems) expect(tree.budgets.some((b) => b.service === s)).toBe(true);
    // One operation for every cart key: `get cart:{id}`.
    expect(tree.budgets.filter((b) => b.service === 'redis' && b.operation.startsWith('get ')).map((b) => b.operation)).toEqual(['get cart:{id}']);
    for (const b of tree.budgets) {
      const caller = b.parent < 0 ? tree.entry.thresholdNs : tree.budgets[b.parent].thresholdNs;
      expect(b.thresholdNs).toBeLessThanOrEqual(caller);
    }
  });
});

describe('who to page on the real incident', () => {
  it('pages the owner of the service whose database calls failed first, through that service', async () => {
    // A team list for the three services, as a team would write one.
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-incident-owners-'));
    const csv = join(dir, 'owners.csv');
    writeFileSync(csv, 'Service,Team,On-call,Runbook,Chat channel\nfrontend,team-web,web-primary,https://runbooks.example.com/frontend,#web\n'
      + 'checkout,team-orders,orders-primary,https://runbooks.example.com/checkout,#orders\npayment,team-payments,payments-primary,https://runbooks.example.com/payment,#payments\n');
    const owned = localClient((await loadInputs([`${DIR}traces.otlp.jsonl.gz`, csv])).store);
    const [[first, last]] = rows('SELECT CAST(min(start_ns) AS TEXT), CAST(max(start_ns) AS TEXT) FROM traces WHERE error_count > 0') as string[][];
    const view = await owned.call('whoToPage', { fromNs: first, toNs: (BigInt(last) + 1n).toString() });
    expect(view.failing).toBe(EXPECTED.failed);
    const causes = await owned.call('rootCauses', {});
    const byNode = new Map<string, number>();
    for (const g of causes.groups) byNode.set(g.service, (byNode.get(g.service) ?? 0) + g.traces);
    expect(new Map(view.rows.filter((r) => r.failingTraces > 0).map((r) => [r.service, r.failingTraces]))).toEqual(byNode);
    // The statement timeouts are the most failing requests; PostgreSQL has no owner of its own, so
    // the service whose spans called it when they failed is paged.
    const callers = rows(
      `SELECT DISTINCT s.service FROM spans s JOIN operations o USING (op_id) WHERE s.is_error = 1 AND o.peer = 'postgresql' AND s.status_message LIKE '%statement timeout%'`,
    ).map((r) => r[0] as string);
    expect(callers.length).toBe(1);
    const team = { frontend: 'team-web', checkout: 'team-orders', payment: 'team-payments' }[callers[0]];
    expect(view.rows[0]).toMatchObject({ service: 'postgresql', via: callers[0], owner: team, chat: `#${team!.slice(5)}` });
    expect(view.rows[0].runbook?.url).toBe(`https://runbooks.example.com/${callers[0]}`);
  }, 120_000);
});
