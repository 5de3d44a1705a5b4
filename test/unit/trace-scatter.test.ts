// The latency scatter's points come from the trace search's own condition: for every query the
// points are the traces the search finds (same count, same traces), by start, with their own
// durations and error flags; the durations' histogram counts each trace once, on a log scale.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import type { Store } from '../../src-renderer/store/store.ts';
import { durationBins, seriesOf, roundDuration } from '../../src-renderer/state/trace-scatter.svelte.ts';

const DIR = new URL('../fixtures/otel-incident/', import.meta.url).pathname;
let store: Store;
let core: EngineCore;

beforeAll(async () => {
  store = (await loadInputs([`${DIR}traces.otlp.jsonl.gz`])).store;
  core = new EngineCore(store);
}, 120_000);

describe('traceScatter', () => {
  it('has a point for each trace the search finds, by start, with its duration and error', () => {
    for (const q of ['', 'error=true', 'service=payment', 'trace.duration>1s', 'service=frontend -error=true', 'nothing-matches-this']) {
      const p = core.traceScatter(q);
      const found = core.searchTraces({ query: q, sort: 'start', dir: 'asc', offset: 0, limit: 5000 });
      expect(p.startNs.length, q).toBe(found.total);
      const ids = Array.from(p.traceNo, (no) => core.traceIdByNo(no));
      expect(ids, q).toEqual(found.rows.map((r) => r.traceId));
      found.rows.forEach((r, i) => {
        expect(BigInt(p.baseNs) + BigInt(p.startNs[i])).toBe(BigInt(r.startNs));
        expect(p.durationNs[i]).toBe(r.durationNs);
        expect(p.error[i]).toBe(r.errorCount > 0 ? 1 : 0);
      });
    }
    expect(core.traceIdByNo(-1)).toBeNull();
  });

  it('series: errors in their own series, seconds on x; bins count every trace once', () => {
    const p = core.traceScatter('');
    const {
      data: [xs, ok, bad],
      bounds,
    } = seriesOf(p);
    expect(xs.length).toBe(p.startNs.length);
    const extent = (ys: (number | null)[]) => {
      const v = ys.filter((y): y is number => y !== null);
      return v.length ? [Math.min(...v), Math.max(...v)] : null;
    };
    expect(bounds).toEqual([extent(ok), extent(bad)]);
    expect(bounds[1]).not.toBeNull();
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThanOrEqual(xs[i - 1]);
    expect(ok.filter((v) => v !== null).length + bad.filter((v) => v !== null).length).toBe(xs.length);
    expect(bad.filter((v) => v !== null).length).toBe(p.error.reduce((a, b) => a + b, 0));
    const bins = durationBins(p, 24);
    expect(bins.reduce((n, b) => n + b.ok + b.errors, 0)).toBe(xs.length);
    for (let i = 1; i < bins.length; i++) expect(bins[i].fromMs).toBeCloseTo(bins[i - 1].toMs, 9);
    const longest = Math.max(...Array.from(p.durationNs)) / 1e6;
    expect(bins.at(-1)!.toMs).toBeGreaterThanOrEqual(longest);
  });

  it("rounds a box's durations outward to two significant digits", () => {
    expect(roundDuration(1_261_587_656, false)).toBe(1_200_000_000);
    expect(roundDuration(1_261_587_656, true)).toBe(1_300_000_000);
    expect(roundDuration(9_189_730_012, true)).toBe(9_200_000_000);
    expect(roundDuration(7, true)).toBe(7);
    expect(roundDuration(0, false)).toBe(0);
  });
});
