// Evaluate an SLO over imported events: compliance, error budget, burn rate, coverage, and the
// burn-rate alerts that would have fired. Nothing is extrapolated: the budget is the budget of the
// events actually observed, and the report says how much of the period (and of the slices inside
// the observed range) the data covers.
//
//   period 30 d    |············································|
//   data (3 d)                                        |■■■■ ■■|   coverage of period 10%,
//   slices (5 m)                                       ■■■■_■■    of slices in range 6/7
//
// The evaluated range is the data's range, or its last `period` when the data is longer (the
// rolling window as it stood at the end of the data).

import { epochAt, type EpochNs } from '../base/time.ts';
import { lowerBound, upperBound } from '../base/sorted.ts';
import {
  type SloDefinition, type SloEvents, errorBudget, burnRate, nearestRank, isBadEvent, roundFraction,
} from './slo.ts';
import {
  type RuleEvaluation, type AlertWindowSpec, WindowCounter, deriveBurnRateRules, evaluateBurnRateAlerts, chooseStep, SRE_WORKBOOK_WINDOWS,
} from './burn-rate.ts';

export interface SliceStats {
  windowNs: number;
  /** Offset (ns, from the events' base) of the first slice's start; slices are aligned to epoch multiples of the window. */
  firstStartNs: number;
  /** Number of slices touching the evaluated range. */
  count: number;
  /** Events per slice. */
  events: Int32Array;
  bad: Int32Array;
  /** pXX of each slice (nearest rank), NaN where empty or for availability. */
  percentile: Float64Array;
  /** 1 good, 0 bad, -1 no data. */
  good: Int8Array;
}

export interface Coverage {
  periodNs: number;
  rangeNs: number;
  /** Share of the period the evaluated range spans (≤ 1). */
  ofPeriod: number;
  slicesInRange: number;
  slicesWithData: number;
  /** Share of the slices in range that hold at least one event. */
  ofRange: number;
  /** Runs of empty slices (offsets, ns). */
  gaps: { startNs: number; endNs: number }[];
  /** One sentence for people: "data covers 3.00 d of the 30 d period (10.0%)…". */
  note: string;
}

export interface SloEvaluation {
  definition: SloDefinition;
  baseNs: EpochNs;
  range: { startNs: number; endNs: number };
  /** What the budget counts: requests, or time slices for latency-percentile. */
  unit: 'events' | 'slices';
  total: number;
  good: number;
  bad: number;
  /** good / total, null when nothing was observed. */
  compliance: number | null;
  met: boolean | null;
  budget: { total: number; consumed: number; remaining: number; remainingFraction: number | null };
  burnRate: number | null;
  /** The pXX (XX = objective for latency, the indicator's percentile for latency-percentile) over the whole range. */
  observedPercentile: { q: number; valueNs: number } | null;
  slices: SliceStats;
  coverage: Coverage;
  alerts: RuleEvaluation[];
  stepNs: number;
  /** First evaluation time (offset): the range start rounded up to an epoch multiple of the step. */
  firstEvalNs: number;
}

export interface EvalOptions {
  /** The data's time range (offsets from the events' base); defaults to the events' own range. */
  range?: { startNs: number; endNs: number };
  alertWindows?: readonly AlertWindowSpec[];
  stepNs?: number;
}

/** The percentile an SLO's latency line and observed value use. */
export function sloPercentile(d: SloDefinition): number | null {
  if (d.indicator.kind === 'latency-percentile') return d.indicator.percentile;
  if (d.indicator.kind === 'latency') return d.objective;
  return null;
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** Per-slice counts and percentiles over [startNs, endNs]. */
export function computeSlices(ev: SloEvents, d: SloDefinition, startNs: number, endNs: number): SliceStats {
  const w = d.windowNs;
  // Align to epoch multiples of the window so slices fall on :00, :05, … whatever the data's base.
  const shift = Number(mod(ev.baseNs, BigInt(Math.round(w))));
  const firstIdx = Math.floor((startNs + shift) / w);
  const lastIdx = Math.max(firstIdx, Math.ceil((endNs + shift) / w) - 1);
  const count = lastIdx - firstIdx + 1;
  const events = new Int32Array(count);
  const bad = new Int32Array(count);
  const percentile = new Float64Array(count).fill(NaN);
  const good = new Int8Array(count).fill(-1);
  const q = sloPercentile(d);
  const ind = d.indicator;
  const threshold = ind.kind === 'availability' ? Infinity : ind.thresholdNs;
  let i = lowerBound(ev.time, startNs);
  const end = upperBound(ev.time, endNs);
  let buf = new Float64Array(64);
  while (i < end) {
    const s = Math.floor((ev.time[i] + shift) / w) - firstIdx;
    let j = i;
    let n = 0;
    while (j < end && Math.floor((ev.time[j] + shift) / w) - firstIdx === s) {
      if (isBadEvent(ev, j, ind)) bad[s]++;
      if (n === buf.length) {
        const bigger = new Float64Array(buf.length * 2);
        bigger.set(buf);
        buf = bigger;
      }
      buf[n++] = ev.duration[j];
      j++;
    }
    events[s] = n;
    if (q !== null) {
      const sorted = buf.subarray(0, n).sort();
      percentile[s] = nearestRank(sorted, q);
    }
    if (ind.kind === 'availability') good[s] = bad[s] / n <= 1 - d.objective ? 1 : 0;
    else good[s] = percentile[s] <= threshold ? 1 : 0;
    i = j;
  }
  return { windowNs: w, firstStartNs: firstIdx * w - shift, count, events, bad, percentile, good };
}

function fmtSpan(ns: number): string {
  const d = ns / 86_400e9;
  if (d >= 1) return `${d.toFixed(2)} d`;
  const h = ns / 3_600e9;
  if (h >= 1) return `${h.toFixed(2)} h`;
  return `${(ns / 60e9).toFixed(1)} min`;
}

function coverageOf(sl: SliceStats, d: SloDefinition, rangeNs: number): Coverage {
  const gaps: Coverage['gaps'] = [];
  let withData = 0;
  for (let s = 0; s < sl.count; s++) {
    if (sl.events[s] > 0) {
      withData++;
      continue;
    }
    const startNs = sl.firstStartNs + s * sl.windowNs;
    const last = gaps[gaps.length - 1];
    if (last && last.endNs === startNs) last.endNs = startNs + sl.windowNs;
    else gaps.push({ startNs, endNs: startNs + sl.windowNs });
  }
  const ofPeriod = Math.min(1, rangeNs / d.periodNs);
  const ofRange = sl.count === 0 ? 0 : withData / sl.count;
  const parts = [`data covers ${fmtSpan(rangeNs)} of the ${fmtSpan(d.periodNs)} period (${(ofPeriod * 100).toFixed(1)}%)`];
  parts.push(`events in ${withData} of ${sl.count} ${fmtSpan(sl.windowNs)} slices (${(ofRange * 100).toFixed(1)}%)`);
  if (ofPeriod < 1) parts.push('figures are for the observed data only, not extrapolated to the period');
  return { periodNs: d.periodNs, rangeNs, ofPeriod, slicesInRange: sl.count, slicesWithData: withData, ofRange, gaps, note: parts.join('; ') };
}

/** Evaluate an SLO over its events. */
export function evaluateSlo(d: SloDefinition, ev: SloEvents, opts: EvalOptions = {}): SloEvaluation {
  const n = ev.time.length;
  const dataRange = opts.range ?? { startNs: n > 0 ? ev.time[0] : 0, endNs: n > 0 ? ev.time[n - 1] : 0 };
  const range = { startNs: Math.max(dataRange.startNs, dataRange.endNs - d.periodNs), endNs: dataRange.endNs };
  const rangeNs = range.endNs - range.startNs;
  const lo = lowerBound(ev.time, range.startNs);
  const hi = upperBound(ev.time, range.endNs);
  const slices = computeSlices(ev, d, range.startNs, range.endNs);

  let total = 0;
  let bad = 0;
  let counter: WindowCounter;
  if (d.indicator.kind === 'latency-percentile') {
    // Timeslices: the budget counts slices; a slice is an "event" at its end.
    const times: number[] = [];
    const badSl: number[] = [];
    for (let s = 0; s < slices.count; s++) {
      if (slices.good[s] === -1) continue;
      total++;
      if (slices.good[s] === 0) bad++;
      times.push(slices.firstStartNs + (s + 1) * slices.windowNs);
      badSl.push(slices.good[s] === 0 ? 1 : 0);
    }
    counter = new WindowCounter(Float64Array.from(times), badSl);
  } else {
    total = hi - lo;
    const badArr = new Uint8Array(n);
    for (let i = 0; i < n; i++) badArr[i] = isBadEvent(ev, i, d.indicator) ? 1 : 0;
    for (let i = lo; i < hi; i++) bad += badArr[i];
    counter = new WindowCounter(ev.time, badArr);
  }

  const budgetTotal = errorBudget(d.objective, total);
  const compliance = total === 0 ? null : (total - bad) / total;
  const rules = deriveBurnRateRules(d.periodNs, opts.alertWindows ?? SRE_WORKBOOK_WINDOWS);
  const smallest = Math.min(d.windowNs, ...rules.map((r) => r.shortWindowNs));
  const stepNs = opts.stepNs ?? chooseStep(rangeNs, smallest);
  // Evaluate on whole multiples of the step in epoch time (10:20:00, not 10:19:08.85…).
  const phase = Number(mod(epochAt(ev.baseNs, range.startNs), BigInt(Math.round(stepNs))));
  const firstEvalNs = range.startNs + (phase === 0 ? 0 : stepNs - phase);
  const q = sloPercentile(d);
  let observedPercentile: SloEvaluation['observedPercentile'] = null;
  if (q !== null && hi > lo) {
    const sorted = ev.duration.slice(lo, hi).sort();
    observedPercentile = { q, valueNs: nearestRank(sorted, q) };
  }
  return {
    definition: d,
    baseNs: ev.baseNs,
    range,
    unit: d.indicator.kind === 'latency-percentile' ? 'slices' : 'events',
    total,
    good: total - bad,
    bad,
    compliance,
    met: compliance === null ? null : compliance >= d.objective,
    budget: {
      total: roundFraction(budgetTotal, 9),
      consumed: bad,
      remaining: roundFraction(budgetTotal - bad, 9),
      remainingFraction: budgetTotal > 0 ? roundFraction((budgetTotal - bad) / budgetTotal) : null,
    },
    burnRate: total === 0 ? null : burnRate(bad, total, d.objective),
    observedPercentile,
    slices,
    coverage: coverageOf(slices, d, rangeNs),
    alerts: evaluateBurnRateAlerts(counter, d.objective, rules, range, stepNs, firstEvalNs),
    stepNs,
    firstEvalNs,
  };
}
