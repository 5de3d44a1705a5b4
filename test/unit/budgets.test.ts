// Internal SLO derivation from critical paths: the worked example on a generated trace set,
// self time and partial presence on hand-computed traces, availability budgets.
import { describe, it, expect } from 'vitest';
import { deriveBudgets, type BudgetSpan } from '../../src-renderer/core/analysis/budgets.ts';
import { percentileOf } from '../../src-renderer/core/analysis/slo.ts';
import { rng } from '../bench/synthetic.ts';

const MS = 1e6;
const S = 1e9;


let nextId = 1;
function span(service: string, name: string, start: number, duration: number, parent: BudgetSpan | null, extra: Partial<BudgetSpan> = {}): BudgetSpan {
  return { spanId: (nextId++).toString(16).padStart(16, '0'), parentSpanId: parent ? parent.spanId : null, service, name, start, duration, isError: false, ...extra };
}

describe('worked example: A → B once, B → C twice in sequence, C fills B', () => {
  // 1000 requests; each C call takes 20 ms .. ~3 s (skewed), B = C1 + C2 back to back, A = B.
  const random = rng(42);
  const traces: BudgetSpan[][] = [];
  const bDur: number[] = [];
  const cDur: number[] = [];
  for (let r = 0; r < 1000; r++) {
    const c1 = Math.round((20 + 3000 * random() ** 6) * MS);
    const c2 = Math.round((20 + 3000 * random() ** 6) * MS);
    const t0 = r * 10 * S;
    const a = span('A', 'GET /checkout', t0, c1 + c2, null);
    const b = span('B', 'POST /cart', t0, c1 + c2, a);
    const x = span('C', 'query', t0, c1, b);
    const y = span('C', 'query', t0 + c1, c2, b);
    traces.push([y, a, x, b]); // any order
    bDur.push(c1 + c2);
    cDur.push(c1, c2);
  }
  const res = deriveBudgets(traces, { service: 'A', operation: 'GET /checkout', percentile: 0.99, thresholdNs: 5 * S });

  it('B: p99 < 5 s; C: p99.5 < 2.5 s', () => {
    expect(res.entry.requests).toBe(1000);
    expect(res.budgets.map((b) => [b.service, b.operation, b.callsOnCriticalPath, b.share, b.percentile, b.thresholdNs, b.parent])).toEqual([
      ['B', 'POST /cart', 1, 1, 99, 5 * S, -1],
      ['C', 'query', 2, 1, 99.5, 2.5 * S, 0],
    ]);
    expect(res.budgets[1].callsPerParent).toBe(2);
    expect(res.budgets[1].parentShare).toBe(1);
  });

  it('feasibility uses the observed value at the derived percentile', () => {
    const b = res.budgets[0];
    const c = res.budgets[1];
    expect(b.observedNs).toBe(percentileOf(bDur, 0.99));
    expect(c.observedNs).toBe(percentileOf(cDur, 0.995));
    expect(c.samples).toBe(2000);
    for (const x of [b, c]) {
      const want = x.observedNs! > x.thresholdNs ? 'violated' : x.observedNs! > 0.8 * x.thresholdNs ? 'at-risk' : 'met';
      expect(x.status).toBe(want);
    }
    expect(res.entry.observedNs).toBe(percentileOf(bDur, 0.99));
    // with this seed: B's p99 is 4.15 s (within 20% of 5 s), C's p99.5 is 2.92 s (over 2.5 s)
    expect([b.status, c.status]).toEqual(['at-risk', 'violated']);
  });
});

describe('self time, client spans and partial presence (hand-computed)', () => {
  // A (1000 ms): 200 ms of its own, then a client span calling B (800 ms, same times as B's server span).
  // B: 200 ms own work then C twice, 300 ms each. In half the requests B also calls D (100 ms) in
  // parallel with the first C call: D is never on the critical path.
  function request(t0: number, withD: boolean): BudgetSpan[] {
    const a = span('A', 'GET /', t0, 1000 * MS, null, { kind: 'server' });
    const call = span('A', 'HTTP POST', t0 + 200 * MS, 800 * MS, a, { kind: 'client' });
    const b = span('B', 'POST /x', t0 + 200 * MS, 800 * MS, call, { kind: 'server' });
    const out = [a, call, b, span('C', 'get', t0 + 400 * MS, 300 * MS, b), span('C', 'get', t0 + 700 * MS, 300 * MS, b)];
    if (withD) out.push(span('D', 'lookup', t0 + 450 * MS, 100 * MS, b));
    return out;
  }
  const traces = Array.from({ length: 10 }, (_, r) => request(r * S * 10, r % 2 === 0));

  it('shares include the calls made; thresholds split T by mean time per call', () => {
    const res = deriveBudgets(traces, { service: 'A', operation: 'GET /', percentile: 0.99, thresholdNs: 5 * S });
    const rows = res.budgets.map((b) => [b.service, b.callsOnCriticalPath, b.share, b.percentile, b.thresholdNs, b.parentShare, b.callsPerParent]);
    // B: 800/1000 of A → 4 s; C: 600/1000 over 2 calls → 1.5 s, 600/800 of B
    expect(rows).toEqual([
      ['B', 1, 0.8, 99, 4 * S, 0.8, 1],
      ['C', 2, 0.6, 99.5, 1.5 * S, 0.75, 2],
    ]);
    // D is called but never on the path: no budget
    expect(res.budgets.some((b) => b.service === 'D')).toBe(false);
    // all operations: A's client span gets its own budget (800 ms, same as B)
    const all = deriveBudgets(traces, { service: 'A', operation: 'GET /', percentile: 0.99, thresholdNs: 5 * S }, { allOperations: true });
    expect(all.budgets.map((b) => [b.service, b.operation, b.depth])).toEqual([['A', 'HTTP POST', 0], ['B', 'POST /x', 1], ['C', 'get', 2]]);
  });

  it('a downstream on the path in only half the requests gets a looser percentile (n = 0.5 → p98)', () => {
    const mixed = traces.map((t, r) => (r % 2 === 0 ? t : t.filter((s) => s.service === 'A' && s.kind === 'server').map((s) => ({ ...s }))));
    const res = deriveBudgets(mixed, { service: 'A', operation: 'GET /', percentile: 0.99, thresholdNs: 5 * S });
    const b = res.budgets[0];
    expect(b.service).toBe('B');
    expect(b.callsOnCriticalPath).toBe(0.5);
    expect(b.percentile).toBe(98);
    // share = 5 × 800 / (5 × 1000 + 5 × 1000) = 0.4; T' = 5 s × 0.4 / 0.5 = 4 s (its mean time per call over A's)
    expect(b.share).toBe(0.4);
    expect(b.thresholdNs).toBe(4 * S);
  });
});

describe('availability budgets', () => {
  it('errors reaching the root in half the cases, called twice: e / (2 × 0.5)', () => {
    const traces: BudgetSpan[][] = [];
    for (let r = 0; r < 100; r++) {
      const t0 = r * S;
      // requests 0..9: the first C call fails; in 0..4 the failure reaches A
      const a = span('A', 'GET /', t0, 100 * MS, null, { isError: r < 5 });
      const c1 = span('C', 'get', t0, 50 * MS, a, { isError: r < 10 });
      const c2 = span('C', 'get', t0 + 50 * MS, 50 * MS, a);
      traces.push([a, c1, c2]);
    }
    const res = deriveBudgets(traces, { service: 'A', operation: 'GET /', percentile: 0.99, thresholdNs: S, availability: 0.999 });
    const av = res.budgets[0].availability!;
    expect(av.callsPerRequest).toBe(2);
    expect(av.errors).toBe(10);
    expect(av.reachRoot).toBe(0.5);
    expect(av.errorBudget).toBe(0.001);
    expect(av.objective).toBe(0.999);
    expect(av.observedErrorRate).toBe(0.05);
    expect(av.status).toBe('violated');
  });
});
