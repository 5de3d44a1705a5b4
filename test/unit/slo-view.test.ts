// The SLO screen's engine methods on the demo incident, through the in-process engine client (so
// every answer is structured-cloned as it would cross the worker boundary). Expected figures are
// computed here with plain SQL over the same store, independently of the SLO core.
import { describe, it, expect, beforeAll } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import type { EngineClient } from '../../src-renderer/engine/client.ts';
import type { SloDefinition } from '../../src-renderer/core/analysis/slo.ts';
import { DEFAULT_ERROR_RULE } from '../../src-renderer/core/analysis/slo.ts';
import { isSlothText } from '../../src-renderer/engine/slo-view.ts';
import { parseOpenSlo } from '../../src-renderer/core/analysis/openslo.ts';

const DEMO = fileURLToPath(new URL('../../assets/demo-incident.zip', import.meta.url));
const MIN = 60e9;

const frontend: SloDefinition = {
  name: 'frontend-post-checkout-latency', service: 'frontend', operation: 'POST /checkout',
  indicator: { kind: 'latency', thresholdNs: 1e9 }, objective: 0.99, windowNs: 5 * MIN, periodNs: 30 * 1440 * MIN,
};

let core: EngineCore;
let client: EngineClient;
const one = (sql: string) => core.store.db.exec(sql)[0].values[0];

beforeAll(async () => {
  const { store } = await loadInputs([DEMO]);
  core = new EngineCore(store);
  ({ client } = await createLocalEngine(store.export()));
  await client.ready;
}, 60_000);

describe('sloOperations', () => {
  it('lists each service with its operations by count, and says how many rare ones it left out', async () => {
    const ops = await client.call('sloOperations');
    const fe = ops.find((s) => s.service === 'frontend')!;
    const [n] = one(`SELECT count(*) FROM spans WHERE service = 'frontend' AND name = 'POST /checkout'`) as [number];
    expect(fe.operations.find((o) => o.operation === 'POST /checkout')?.count).toBe(n);
    // Operations are the grouped names (`GET cart:{id}` for every cart key): far fewer than the names.
    const [redisNames] = one(`SELECT count(DISTINCT name) FROM spans WHERE service = 'redis'`) as [number];
    const [redisOps] = one(`SELECT count(DISTINCT o.operation) FROM spans s JOIN operations o USING (op_id) WHERE s.service = 'redis'`) as [number];
    expect(redisOps).toBeLessThan(redisNames / 10);
    const redis = ops.find((s) => s.service === 'redis')!;
    expect(redis.operations.length + redis.more).toBe(redisOps);
    expect(redis.operations.length).toBeLessThanOrEqual(200);
    for (let i = 1; i < redis.operations.length; i++) expect(redis.operations[i - 1].count).toBeGreaterThanOrEqual(redis.operations[i].count);
  });
});

describe('sloEvaluate on the demo incident', () => {
  it('counts requests and bad ones as SQL does, and the 1 h page alert fires in the incident', async () => {
    const v = await client.call('sloEvaluate', frontend);
    const [total, bad] = one(`SELECT count(*), sum(duration_ns > 1000000000) FROM spans WHERE service = 'frontend' AND name = 'POST /checkout'`) as [number, number];
    expect(v.total).toBe(total);
    expect(v.bad).toBe(bad);
    expect(v.compliance).toBeCloseTo((total - bad) / total, 12);
    expect(v.budget.total).toBeCloseTo(0.01 * total, 9);
    expect(v.budget.remaining).toBeCloseTo(0.01 * total - bad, 9);
    expect(v.burnRate).toBeCloseTo(bad / total / 0.01, 9);
    // 2 h of data against 30 d: 2/720 of the period.
    expect(v.coverage.ofPeriod).toBeGreaterThan(1.9 / 720);
    expect(v.coverage.ofPeriod).toBeLessThan(2.01 / 720);
    const page1h = v.alerts[0];
    expect(page1h.threshold).toBeCloseTo(14.4, 12);
    expect(page1h.evaluated).toBe(true);
    expect(page1h.fired.length).toBeGreaterThan(0);
    const from = new Date(Number(BigInt(page1h.fired[0].fromNs) / 1_000_000n)).toISOString();
    expect(from >= '2026-11-20T10:10' && from <= '2026-11-20T10:30').toBe(true);
    expect(v.alerts[1].evaluated).toBe(false); // 6 h window on 2 h of data
  });

  it('chart series: one point per request, bad ones repeated, the slice percentile held over its slice', async () => {
    const v = await client.call('sloEvaluate', frontend);
    const [xs, dur, bad, pct, th] = v.latency.data;
    expect(xs.length).toBe(v.total);
    expect(Array.from(bad).filter((b) => b !== null).length).toBe(v.bad);
    expect(Array.from(th).every((t) => t === 1e9)).toBe(true);
    // Each request's percentile value is the nearest-rank p99 of the requests ending in its 5 m slice.
    const x = xs[xs.length - 1] as number;
    const slice = Math.floor(x / 300);
    const inSlice: number[] = [];
    for (let i = 0; i < xs.length; i++) if (Math.floor((xs[i] as number) / 300) === slice) inSlice.push(dur[i] as number);
    inSlice.sort((a, b) => a - b);
    expect(pct[pct.length - 1]).toBe(inSlice[Math.ceil(0.99 * inSlice.length) - 1]);
    // Budget remaining ends where the summary does; burn series carry the page threshold line.
    const rem = v.budgetSeries.data[1];
    expect(rem[rem.length - 1]).toBeCloseTo(v.budget.remainingFraction!, 9);
    expect(v.burnSeries.labels).toContain('page 14.4x (1h)');
  });

  it('names what is missing instead of showing empty figures', async () => {
    await expect(client.call('sloEvaluate', { ...frontend, operation: 'GET /nope' })).rejects.toThrow('no spans of service "frontend" with operation "GET /nope"');
    await expect(client.call('sloEvaluate', { ...frontend, objective: 1 })).rejects.toThrow(/objective 1 must be between 0 and 1/);
  });
});

describe('sloDerive and the budgets export', () => {
  it('payment sits on the critical path (calls / requests) times and gets q\' = 1 − (1 − q) / n', async () => {
    const { tree } = await client.call('sloDerive', frontend);
    const [requests] = one(`SELECT count(*) FROM spans WHERE service = 'frontend' AND name = 'POST /checkout'`) as [number];
    const [charges] = one(`SELECT count(*) FROM spans WHERE service = 'payment' AND name = 'POST /charge'`) as [number];
    expect(tree.entry.requests).toBe(requests);
    const pay = tree.budgets.find((b) => b.service === 'payment' && b.operation === 'POST /charge')!;
    // Every charge of the demo is on its request's critical path (sequential calls, nothing in parallel).
    expect(pay.callsOnCriticalPath).toBeCloseTo(charges / requests, 9);
    expect(pay.percentile).toBeCloseTo(100 - 1 / (charges / requests), 6);
    expect(pay.status).toBe('violated');
    expect(pay.owner).toBe('team-payments');
  });

  it('exports one OpenSLO SLO per downstream with its owner; the file reads back', async () => {
    const { tree } = await client.call('sloDerive', frontend);
    const yaml = await client.call('sloBudgetsYaml', tree, frontend);
    expect(yaml).toContain('apiVersion: openslo/v1');
    const docs = parseOpenSlo(yaml);
    const constrained = new Set(tree.budgets.filter((b) => b.status !== 'unconstrained').map((b) => `${b.service} ${b.operation}`));
    expect(docs.length).toBe(constrained.size);
    const pay = docs.find((d) => d.definition?.service === 'payment')!;
    expect(pay.kind).toBe('SLO');
    expect(pay.definition?.owner).toBe('team-payments');
    expect(pay.definition?.operation).toBe('POST /charge');
  });
});

describe('SLO files', () => {
  it('tells Sloth from OpenSLO by content', () => {
    expect(isSlothText('version: "prometheus/v1"\nservice: x\nslos: []\n')).toBe(true);
    expect(isSlothText('apiVersion: openslo/v1\nkind: SLO\n')).toBe(false);
  });

  it('round-trips the form\'s definitions through OpenSLO and Sloth', async () => {
    const avail: SloDefinition = {
      name: 'checkout-availability', service: 'checkout', operation: 'PlaceOrder', indicator: { kind: 'availability', errorRule: DEFAULT_ERROR_RULE },
      objective: 0.995, windowNs: 5 * MIN, periodNs: 7 * 1440 * MIN,
    };
    const items = [{ definition: frontend, warnings: [] }, { definition: avail, warnings: [] }];
    const openslo = await client.call('sloImportYaml', await client.call('sloExportYaml', items, 'openslo'));
    expect(openslo.format).toBe('openslo');
    expect(openslo.items.map((i) => i.definition)).toEqual([frontend, avail]);
    const sloth = await client.call('sloImportYaml', await client.call('sloExportYaml', items, 'sloth'));
    expect(sloth.format).toBe('sloth');
    expect(sloth.items.map((i) => [i.definition.service, i.definition.operation, i.definition.objective])).toEqual([
      ['frontend', 'POST /checkout', 0.99],
      ['checkout', 'PlaceOrder', 0.995],
    ]);
  });

  it('reports YAML errors with their line', async () => {
    await expect(client.call('sloImportYaml', 'apiVersion: openslo/v1\nkind: SLO\nmetadata: [unclosed\n')).rejects.toThrow(/line \d+/);
  });
});
