// Multi-window, multi-burn-rate alerts (Google SRE Workbook, "Alerting on SLOs"), derived from the
// formula rather than copied from a table (some published tables are wrong):
//
//   threshold = budget fraction × period / long window        short window = long window / 12
//
//   30-day period:  page    2% in 1 h  → 0.02 × 720 h / 1 h  = 14.4x   (short 5 m)
//                   page    5% in 6 h  → 0.05 × 720 h / 6 h  = 6x      (short 30 m)
//                   ticket 10% in 1 d  → 0.10 × 30 d / 1 d   = 3x      (short 2 h)
//                   ticket 10% in 3 d  → 0.10 × 30 d / 3 d   = 1x      (short 6 h)
//
// An alert fires at time τ when the burn rate over BOTH the long and the short window ending at τ
// is above the threshold (strictly, as the Workbook's `>`). Offline we replay that at a fixed
// evaluation step over the data's time range. Honesty: a window is evaluated only when the data's
// range covers all of it; a partly covered window is never read as if it were whole.

import { burnRate } from './slo.ts';
import { upperBound } from '../base/sorted.ts';

export type AlertSeverity = 'page' | 'ticket';

export interface AlertWindowSpec {
  severity: AlertSeverity;
  /** Share of the period's error budget, in percent, that this alert catches being spent. */
  budgetPercent: number;
  longWindowNs: number;
  /** Defaults to a twelfth of the long window. */
  shortWindowNs?: number;
}

export interface BurnRateRule {
  severity: AlertSeverity;
  budgetPercent: number;
  longWindowNs: number;
  shortWindowNs: number;
  /** Burn-rate threshold (multiple of the rate that spends exactly the budget over the period). */
  threshold: number;
}

const H = 3_600e9;

/** The SRE Workbook's recommended windows; thresholds depend on the period and are derived. */
export const SRE_WORKBOOK_WINDOWS: readonly AlertWindowSpec[] = [
  { severity: 'page', budgetPercent: 2, longWindowNs: 1 * H },
  { severity: 'page', budgetPercent: 5, longWindowNs: 6 * H },
  { severity: 'ticket', budgetPercent: 10, longWindowNs: 24 * H },
  { severity: 'ticket', budgetPercent: 10, longWindowNs: 72 * H },
];

/** Derive the alert rules for a period. Windows longer than the period are left out (meaningless). */
export function deriveBurnRateRules(periodNs: number, specs: readonly AlertWindowSpec[] = SRE_WORKBOOK_WINDOWS): BurnRateRule[] {
  const out: BurnRateRule[] = [];
  for (const s of specs) {
    if (s.longWindowNs > periodNs) continue;
    // Whole seconds keep the products exact integers, so one division gives the nearest double
    // (2 × 2,592,000 / (100 × 3,600) → exactly the double 14.4).
    const periodS = Math.round(periodNs / 1e9);
    const longS = Math.round(s.longWindowNs / 1e9);
    out.push({
      severity: s.severity,
      budgetPercent: s.budgetPercent,
      longWindowNs: s.longWindowNs,
      shortWindowNs: s.shortWindowNs ?? s.longWindowNs / 12,
      threshold: (s.budgetPercent * periodS) / (100 * longS),
    });
  }
  return out;
}

/**
 * Counts of total and bad events over windows ending at any time. Times are sorted offsets; a
 * window (τ − W, τ] holds the events with τ − W < time ≤ τ.
 */
export class WindowCounter {
  private readonly cumBad: Int32Array;

  constructor(
    readonly time: Float64Array,
    bad: ArrayLike<number>,
  ) {
    this.cumBad = new Int32Array(time.length + 1);
    for (let i = 0; i < time.length; i++) this.cumBad[i + 1] = this.cumBad[i] + (bad[i] ? 1 : 0);
  }

  /** Index of the first event with time > x. */
  upper(x: number): number {
    return upperBound(this.time, x);
  }

  /** [total, bad] in (from, to]. */
  count(from: number, to: number): [number, number] {
    const a = this.upper(from);
    const b = this.upper(to);
    return [b - a, this.cumBad[b] - this.cumBad[a]];
  }

  /** Bad events up to and including time x. */
  badUpTo(x: number): number {
    return this.cumBad[this.upper(x)];
  }
}

export interface AlertEpisode {
  /** First evaluation time (offset, ns) at which the alert fired. */
  fromNs: number;
  /** Last evaluation time at which it was still firing. */
  toNs: number;
  peakLongBurn: number;
  peakShortBurn: number;
}

export interface RuleEvaluation {
  rule: BurnRateRule;
  /** Share of the long window the data's range covers (1 when the range is at least as long). */
  coverage: number;
  /** False when the data's range is shorter than the long window: nothing could be evaluated. */
  evaluated: boolean;
  fired: AlertEpisode[];
  /** Highest long-window burn rate seen at any evaluation time (null when none evaluated). */
  maxLongBurn: number | null;
}

/** The evaluation times: every step from the range start, up to the range end (offsets, ns). */
export function evaluationTimes(startNs: number, endNs: number, stepNs: number): Float64Array {
  const n = endNs >= startNs ? Math.floor((endNs - startNs) / stepNs) + 1 : 0;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = startNs + k * stepNs;
  return out;
}

/** A step that keeps the replay under ~100,000 points and no coarser than a fifth of a window. */
export function chooseStep(rangeNs: number, smallestWindowNs: number): number {
  const base = Math.min(60e9, smallestWindowNs / 5);
  return Math.max(base, Math.ceil(rangeNs / 100_000 / 1e9) * 1e9);
}

/**
 * Replay the rules over the events in [startNs, endNs]: which alerts would have fired, and when.
 * `bad` marks bad events (or bad time slices, with `time` the slice ends).
 */
export function evaluateBurnRateAlerts(
  counter: WindowCounter,
  objective: number,
  rules: readonly BurnRateRule[],
  range: { startNs: number; endNs: number },
  stepNs: number,
  firstEvalNs: number = range.startNs,
): RuleEvaluation[] {
  const rangeNs = range.endNs - range.startNs;
  const times = evaluationTimes(firstEvalNs, range.endNs, stepNs);
  return rules.map((rule) => {
    const res: RuleEvaluation = {
      rule, coverage: Math.min(1, rangeNs / rule.longWindowNs), evaluated: rangeNs >= rule.longWindowNs, fired: [], maxLongBurn: null,
    };
    let open: AlertEpisode | null = null;
    for (const tau of times) {
      if (tau - rule.longWindowNs < range.startNs) continue; // window not wholly inside the data
      const [lt, lb] = counter.count(tau - rule.longWindowNs, tau);
      const [st, sb] = counter.count(tau - rule.shortWindowNs, tau);
      const long = burnRate(lb, lt, objective);
      const short = burnRate(sb, st, objective);
      if (!Number.isNaN(long)) res.maxLongBurn = res.maxLongBurn === null ? long : Math.max(res.maxLongBurn, long);
      const firing = long > rule.threshold && short > rule.threshold;
      if (firing) {
        if (!open) {
          open = { fromNs: tau, toNs: tau, peakLongBurn: long, peakShortBurn: short };
          res.fired.push(open);
        } else {
          open.toNs = tau;
          open.peakLongBurn = Math.max(open.peakLongBurn, long);
          open.peakShortBurn = Math.max(open.peakShortBurn, short);
        }
      } else open = null;
    }
    return res;
  });
}

/** Burn rate over a trailing window at each time; null where the window is not wholly in range or empty. */
export function burnRateOverTime(
  counter: WindowCounter,
  objective: number,
  windowNs: number,
  times: Float64Array,
  rangeStartNs: number,
): (number | null)[] {
  const out: (number | null)[] = new Array(times.length);
  for (let k = 0; k < times.length; k++) {
    const tau = times[k];
    if (tau - windowNs < rangeStartNs) {
      out[k] = null;
      continue;
    }
    const [t, b] = counter.count(tau - windowNs, tau);
    out[k] = t === 0 ? null : burnRate(b, t, objective);
  }
  return out;
}
