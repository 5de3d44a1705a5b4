// The latency scatter's points come from the trace search's own condition: for every query the
// points are the traces the search finds (same count, same traces), by start, with their own
// durations in the series of their error flag; the durations' histogram counts each trace once,
// on a log scale; the arrays cross to the UI thread transferred.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import type { Store } from '../../src-renderer/store/store.ts';
import { durationBins, seriesOf, roundDuration } from '../../src-renderer/core/analysis/scatter-series.ts';
import { transferList } from '../../src-renderer/engine/hand-over.ts';

const DIR = new URL('../fixtures/otel-incident/', import.meta.url).pathname;
let store: Store;
let core: EngineCore;

beforeAll(async () => {
  store = (await loadInputs([`${DIR}traces.otlp.jsonl.gz`])).store;
  core = new EngineCore(store);
}, 120_000);

describe('traceScatter', () => {
  it('has a point for each trace the search finds, by start, in the series of its error flag', () => {
    for (const q of ['', 'error=true', 'service=payment', 'trace.duration>1s', 'service=frontend -error=true', 'nothing-matches-this']) {
      const {
        traceNo,
        data: [xs, ok, bad],
      } = core.traceScatter(q);
      const found = core.searchTraces({ query: q, sort: 'start', dir: 'asc', offset: 0, limit: 5000 });
      expect(traceNo.length, q).toBe(found.total);
      expect(xs.length, q).toBe(found.total);
      const ids = Array.from(traceNo, (no) => core.traceIdByNo(no));
      expect(ids, q).toEqual(found.rows.map((r) => r.traceId));
      found.rows.forEach((r, i) => {
        // Seconds since the epoch in a double: within a microsecond of the exact start.
        expect(Math.abs(xs[i] - Number(BigInt(r.startNs) / 1000n) / 1e6)).toBeLessThan(1e-6);
        const ms = Math.max(1e-3, r.durationNs / 1e6);
        expect(r.errorCount > 0 ? [ok[i], bad[i]] : [bad[i], ok[i]]).toEqual([NaN, ms]);
      });
    }
    expect(core.traceIdByNo(-1)).toBeNull();
  });

  it('series: bounds of each series; bins count every trace once, errors apart', () => {
    const {
      data: [xs, ok, bad],
      bounds,
      bins,
    } = core.traceScatter('', 24);
    const extent = (ys: Float64Array) => {
      const v = Array.from(ys).filter((y) => !Number.isNaN(y));
      return v.length ? [Math.min(...v), Math.max(...v)] : null;
    };
    expect(bounds).toEqual([extent(ok), extent(bad)]);
    expect(bounds[1]).not.toBeNull();
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThanOrEqual(xs[i - 1]);
    expect(bins.length).toBe(24);
    expect(bins.reduce((n, b) => n + b.ok + b.errors, 0)).toBe(xs.length);
    expect(bins.reduce((n, b) => n + b.errors, 0)).toBe(bad.filter((v) => !Number.isNaN(v)).length);
    for (let i = 1; i < bins.length; i++) expect(bins[i].fromMs).toBeCloseTo(bins[i - 1].toMs, 9);
    expect(bins.at(-1)!.toMs).toBeGreaterThanOrEqual(Math.max(bounds[0]![1], bounds[1]![1]));
  });

  it('series and bins of a hand-checked set', () => {
    // Starts 0, 1 s, 2.5 s, 3 s after 2025-11-20T10:00:00Z; durations 1 ms, 10 ms, 100 ms, 1 s, 0 ns.
    const p = {
      baseNs: '1763632800000000000',
      startNs: Float64Array.from([0, 1e9, 2.5e9, 3e9, 3e9]),
      durationNs: Float64Array.from([1e6, 1e7, 1e8, 1e9, 0]),
      error: Uint8Array.from([0, 1, 0, 1, 0]),
    };
    const { data, bounds } = seriesOf(p);
    expect(Array.from(data[0])).toEqual([1763632800, 1763632801, 1763632802.5, 1763632803, 1763632803]);
    expect(Array.from(data[1])).toEqual([1, NaN, 100, NaN, 1e-3]);
    expect(Array.from(data[2])).toEqual([NaN, 10, NaN, 1000, NaN]);
    expect(bounds).toEqual([
      [1e-3, 100],
      [10, 1000],
    ]);
    // Log bins from 1 µs to 1 s, one per decade: the 0 ns trace counts as 1 µs.
    const bins = durationBins(p, 6, bounds);
    expect(bins.map((b) => [b.ok, b.errors])).toEqual([[1, 0], [0, 0], [0, 0], [1, 0], [0, 1], [1, 1]]);
    expect(bins[0].fromMs).toBeCloseTo(1e-3, 12);
    expect(bins[3].fromMs).toBeCloseTo(1, 9);
    const one = durationBins({ ...p, durationNs: new Float64Array(5).fill(5e6) }, 6, [[5, 5], null]);
    expect(one.map((b) => [b.ok, b.errors])).toEqual([[3, 2]]);
    expect(one[0].fromMs).toBeCloseTo(5, 9);
    expect(one[0].toMs).toBeCloseTo(5, 9);
    expect(seriesOf({ ...p, startNs: new Float64Array(0), durationNs: new Float64Array(0), error: new Uint8Array(0) }).bounds).toEqual([null, null]);
  });

  it('hands its arrays over to the UI thread: a marked result lists their buffers', () => {
    const r = core.traceScatter('');
    const buffers = transferList(r);
    expect(buffers).toContain(r.traceNo.buffer);
    for (const col of r.data) expect(buffers).toContain(col.buffer);
    expect(transferList({ data: new Float64Array(2) })).toEqual([]);
    const bytes = new Uint8Array(4);
    expect(transferList(bytes)).toEqual([bytes.buffer]);
  });

  it("rounds a box's durations outward to two significant digits", () => {
    expect(roundDuration(1_261_587_656, false)).toBe(1_200_000_000);
    expect(roundDuration(1_261_587_656, true)).toBe(1_300_000_000);
    expect(roundDuration(9_189_730_012, true)).toBe(9_200_000_000);
    expect(roundDuration(7, true)).toBe(7);
    expect(roundDuration(0, false)).toBe(0);
  });
});
