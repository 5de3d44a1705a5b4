// `slo eval` and `slo derive` on a real sql.js store: argument parsing, the SQL that reads request
// durations, errors and owners, and the JSON shapes the issue names.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src-renderer/store/store.ts';
import type { Span, Attributes } from '../../src-renderer/core/model/trace.ts';
import { parseSloArgs, runSloEval, runSloDerive } from '../../src-renderer/cli/commands/slo.ts';
import { sloEvents, serviceOwners } from '../../src-renderer/store/slo-queries.ts';
import { DEFAULT_ERROR_RULE } from '../../src-renderer/core/analysis/slo.ts';
import { parseOpenSlo } from '../../src-renderer/core/analysis/openslo.ts';
import { localClient } from '../../src-renderer/engine/local.ts';
import type { EngineClient } from '../../src-renderer/engine/client.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';

const T0 = epochNs(1_700_000_000_000_000_000n);
const MS = 1_000_000;

function mk(trace: number, id: number, parent: number | null, service: string, name: string, startMs: number, durMs: number, extra: Partial<Span> = {}, resource: Attributes = {}): Span {
  return {
    traceId: trace.toString(16).padStart(32, '0'), spanId: id.toString(16).padStart(16, '0'), parentSpanId: parent === null ? null : parent.toString(16).padStart(16, '0'),
    parentRef: 'child_of', name, service, kind: 'server', startNs: epochNs(T0 + BigInt(startMs * MS)), durationNs: durationNs(durMs * MS), status: 'unset', statusMessage: '',
    attributes: {}, resource: { attributes: { 'service.name': service, ...resource } }, scope: { name: '', version: '' }, events: [], links: [], ...extra,
  };
}

let store: Store;
let engine: EngineClient;
beforeAll(async () => {
  const SQL = await loadSqlJs();
  store = Store.create(SQL);
  store.beginFile('gen.json', null);
  const spans: Span[] = [];
  // 200 requests, one per second: A → B → C, C. Request r: each C takes 100 + r ms; B = 2 C; A = B.
  // Requests 0..9 answer HTTP 503 (A in error); requests 10..19 carry http 404.
  for (let r = 0; r < 200; r++) {
    const c = 100 + r;
    const t = r * 1000;
    const http = r < 10 ? 503 : r < 20 ? 404 : 200;
    spans.push(mk(r + 1, r * 10 + 1, null, 'A', 'GET /checkout', t, 2 * c, { attributes: { 'http.response.status_code': http } }, { 'service.owner': 'web-team' }));
    spans.push(mk(r + 1, r * 10 + 2, r * 10 + 1, 'B', 'POST /cart', t, 2 * c, {}, { team: 'cart-team' }));
    spans.push(mk(r + 1, r * 10 + 3, r * 10 + 2, 'C', 'query', t, c, { isError: undefined } as Partial<Span>));
    spans.push(mk(r + 1, r * 10 + 4, r * 10 + 2, 'C', 'query', t + c, c));
  }
  store.addSpans(spans);
  store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
  engine = localClient(store);
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe('argument parsing', () => {
  it('reads the issue\'s eval command', () => {
    const a = parseSloArgs(['a.json', 'b.json', '--service', 'A', '--operation', 'GET /checkout', '--percentile', '99', '--threshold', '5s', '--window', '5m', '--period', '30d', '--json'], 'eval');
    expect(a.inputs).toEqual(['a.json', 'b.json']);
    expect(a.definition).toMatchObject({ service: 'A', operation: 'GET /checkout', objective: 0.99, windowNs: 300e9, periodNs: 30 * 86400e9, indicator: { kind: 'latency', thresholdNs: 5e9 } });
    expect(a.json).toBe(true);
  });
  it('rejects bad usage with a message (exit 2)', async () => {
    const c = capture();
    expect(await runSloEval(engine, ['--service', 'A', '--percentile', '150', '--threshold', '5s'], c.io)).toBe(2);
    expect(c.err[0]).toContain('percent');
    expect(await runSloEval(engine, ['--service', 'A', '--percentile', '99', '--threshold', 'soon'], capture().io)).toBe(2);
    expect(await runSloDerive(engine, ['--service', 'A', '--percentile', '99', '--threshold', '5s'], capture().io)).toBe(2);
  });
});

describe('store queries', () => {
  it('events: end times from the base, durations, errors under the rule', () => {
    const ev = sloEvents(store, { service: 'A', operation: 'GET /checkout' }, DEFAULT_ERROR_RULE, T0);
    expect(ev.time.length).toBe(200);
    expect(ev.time[0]).toBe(200 * MS); // request 0 ends at 200 ms
    expect(ev.duration[199]).toBe(2 * 299 * MS);
    expect(ev.error.reduce((a, b) => a + b, 0)).toBe(10);
    const with404 = sloEvents(store, { service: 'A', operation: 'GET /checkout' }, { ...DEFAULT_ERROR_RULE, httpStatusMin: 400 }, T0);
    expect(with404.error.reduce((a, b) => a + b, 0)).toBe(20);
    // no operation: the spans entering the service (B's spans are entered from A; C's two per request)
    expect(sloEvents(store, { service: 'C', operation: null }, DEFAULT_ERROR_RULE, T0).time.length).toBe(400);
  });
  it('owners from resource attributes (service.owner, team)', () => {
    expect(Object.fromEntries(serviceOwners(store))).toEqual({ A: 'web-team', B: 'cart-team' });
  });
});

describe('slo eval', () => {
  it('p99 ≤ 500 ms: durations 200..598 ms, 49 of 200 over → compliance 75.5%', async () => {
    const c = capture();
    const code = await runSloEval(engine, ['--service', 'A', '--operation', 'GET /checkout', '--percentile', '99', '--threshold', '500ms', '--window', '1m', '--json'], c.io);
    expect(code).toBe(0);
    const j = JSON.parse(c.out[0]);
    // A's duration is 2 × (100 + r) ms ≤ 500 ms for r ≤ 150: 151 good, 49 bad
    expect([j.total, j.good, j.bad]).toEqual([200, 151, 49]);
    expect(j.compliance).toBeCloseTo(0.755, 12);
    expect(j.budget).toEqual({ total: 2, consumed: 49, remaining: -47, remainingFraction: -23.5 });
    expect(j.burnRate).toBeCloseTo(24.5, 9);
    expect(j.range.startNs).toBe(T0.toString());
    // 200 s of data in 1-minute slices: 4 slices, all with data; 200 s of a 30-day period
    expect(j.slices.total).toBe(4);
    expect(j.coverage.ofRange).toBe(1);
    expect(j.coverage.ofPeriod).toBeCloseTo(199.598 / (30 * 86400), 9); // first start 0, last end 199 s + 598 ms
    expect(j.alerts.every((a: { evaluated: boolean }) => !a.evaluated)).toBe(true);
    expect(j.observed).toEqual({ percentile: 99, valueNs: 2 * 297 * MS }); // rank ceil(0.99 × 200) = 198 → r = 197
  });
  it('availability with the default rule counts the 10 HTTP 503 answers', async () => {
    const c = capture();
    expect(await runSloEval(engine, ['--service', 'A', '--operation', 'GET /checkout', '--indicator', 'availability', '--objective', '99', '--json'], c.io)).toBe(0);
    const j = JSON.parse(c.out[0]);
    expect([j.total, j.bad]).toEqual([200, 10]);
  });
  it('no matching spans: exit 1 with a message', async () => {
    const c = capture();
    expect(await runSloEval(engine, ['--service', 'nope', '--percentile', '99', '--threshold', '5s'], c.io)).toBe(1);
    expect(c.err[0]).toContain('no spans');
  });
});

describe('slo derive', () => {
  it('prints the budgets of the worked example and writes OpenSLO with owners', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slo-'));
    const file = join(dir, 'budgets.yaml');
    const c = capture();
    expect(await runSloDerive(engine, ['--service', 'A', '--operation', 'GET /checkout', '--percentile', '99', '--threshold', '5s', '--openslo', file, '--json'], c.io)).toBe(0);
    const j = JSON.parse(c.out[0]);
    expect(j.entry).toMatchObject({ service: 'A', operation: 'GET /checkout', percentile: 99, thresholdNs: 5e9, requests: 200, owner: 'web-team' });
    expect(j.budgets.map((b: Record<string, unknown>) => [b.service, b.operation, b.callsOnCriticalPath, b.share, b.percentile, b.thresholdNs, b.observedNs, b.status])).toEqual([
      ['B', 'POST /cart', 1, 1, 99, 5e9, 2 * 297 * MS, 'met'], // rank 198 of 200 → r = 197
      ['C', 'query', 2, 1, 99.5, 2.5e9, 298 * MS, 'met'], // rank ceil(0.995 × 400) = 398 of 400 (each value twice) → r = 198
    ]);
    const docs = parseOpenSlo(readFileSync(file, 'utf8'));
    expect(docs.map((d) => [d.definition!.service, d.definition!.objective, d.definition!.indicator, d.definition!.owner])).toEqual([
      ['B', 0.99, { kind: 'latency', thresholdNs: 5e9 }, 'cart-team'],
      ['C', 0.995, { kind: 'latency', thresholdNs: 2.5e9 }, undefined],
    ]);
  });
});
