// Chart series of an SLO evaluation, columnar for uPlot: [xs, ...ys] with xs in seconds since the
// epoch (numbers) and durations in ns. Charts only draw: everything they draw is computed here.
//  - latency:   every request as a point; bad requests repeated in their own series (null when good)
//  - percentile: the pXX of each window slice (at the slice's end) and the threshold as a line
//  - budget:    error budget remaining (share of the evaluated range's budget) over time
//  - burn:      burn rate over trailing windows (the SLO window and each alert rule's long window)

import { type SloEvents, isBadEvent } from './slo.ts';
import { type SloEvaluation, sloPercentile } from './slo-eval.ts';
import { lowerBound, upperBound } from '../base/sorted.ts';
import { WindowCounter, burnRateOverTime, evaluationTimes } from './burn-rate.ts';

export interface SeriesSet {
  /** One label per column after xs. */
  labels: string[];
  data: [Float64Array, ...(ArrayLike<number | null>)[]];
}

export interface SloSeries {
  latency: SeriesSet;
  percentile: SeriesSet | null;
  budget: SeriesSet;
  burn: SeriesSet;
}

/** Epoch seconds of offset 0, kept to microseconds (a double cannot hold epoch ns). */
function baseSeconds(baseNs: bigint): number {
  return Number(baseNs / 1000n) / 1e6;
}

export function sloSeries(ev: SloEvents, e: SloEvaluation): SloSeries {
  const d = e.definition;
  const b = baseSeconds(ev.baseNs);
  const toS = (ns: number) => b + ns / 1e9;
  const lo = lowerBound(ev.time, e.range.startNs);
  const hi = upperBound(ev.time, e.range.endNs);

  const n = hi - lo;
  const xs = new Float64Array(n);
  const dur = new Float64Array(n);
  const badDur: (number | null)[] = new Array(n);
  const badFlags = new Uint8Array(ev.time.length);
  for (let i = 0; i < ev.time.length; i++) badFlags[i] = isBadEvent(ev, i, d.indicator) ? 1 : 0;
  for (let k = 0; k < n; k++) {
    const i = lo + k;
    xs[k] = toS(ev.time[i]);
    dur[k] = ev.duration[i];
    badDur[k] = badFlags[i] ? ev.duration[i] : null;
  }
  const latency: SeriesSet = { labels: ['duration', 'bad'], data: [xs, dur, badDur] };

  let percentile: SeriesSet | null = null;
  const q = sloPercentile(d);
  if (q !== null && d.indicator.kind !== 'availability') {
    const sl = e.slices;
    const px = new Float64Array(sl.count);
    const py: (number | null)[] = new Array(sl.count);
    const th: number[] = new Array(sl.count).fill(d.indicator.thresholdNs);
    for (let s = 0; s < sl.count; s++) {
      px[s] = toS(sl.firstStartNs + (s + 1) * sl.windowNs);
      py[s] = Number.isNaN(sl.percentile[s]) ? null : sl.percentile[s];
    }
    percentile = { labels: [`p${+(q * 100).toFixed(6)}`, 'threshold'], data: [px, py, th] };
  }

  const times = evaluationTimes(e.firstEvalNs, e.range.endNs, e.stepNs);
  const txs = times.map(toS);
  const counter = sloCounter(ev, e, badFlags);
  const budgetTotal = (1 - d.objective) * e.total;
  const remaining: (number | null)[] = Array.from(times, (tau) => {
    if (budgetTotal <= 0) return null;
    const spent = counter.badUpTo(tau) - counter.badUpTo(e.range.startNs - 1);
    return (budgetTotal - spent) / budgetTotal;
  });
  const budget: SeriesSet = { labels: ['budget remaining'], data: [txs, remaining] };

  const windows = [...new Set([d.windowNs, ...e.alerts.filter((a) => a.evaluated).map((a) => a.rule.longWindowNs)])].sort((x, y) => x - y);
  const burn: SeriesSet = {
    labels: windows.map((w) => `burn ${fmtWindow(w)}`),
    data: [txs, ...windows.map((w) => burnRateOverTime(counter, d.objective, w, times, e.range.startNs))],
  };
  return { latency, percentile, budget, burn };
}

function sloCounter(ev: SloEvents, e: SloEvaluation, badFlags: Uint8Array): WindowCounter {
  if (e.unit === 'events') return new WindowCounter(ev.time, badFlags);
  const sl = e.slices;
  const t: number[] = [];
  const bad: number[] = [];
  for (let s = 0; s < sl.count; s++) {
    if (sl.good[s] === -1) continue;
    t.push(sl.firstStartNs + (s + 1) * sl.windowNs);
    bad.push(sl.good[s] === 0 ? 1 : 0);
  }
  return new WindowCounter(Float64Array.from(t), bad);
}

function fmtWindow(ns: number): string {
  if (ns % 86_400e9 === 0) return `${ns / 86_400e9}d`;
  if (ns % 3_600e9 === 0) return `${ns / 3_600e9}h`;
  return `${ns / 60e9}m`;
}
