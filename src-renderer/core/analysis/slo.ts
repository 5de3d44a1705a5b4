// Service level objectives over imported spans: what an SLO is, what counts as a good event, and
// the percentile definition every SLO computation shares. Evaluation is in slo-eval.ts, burn-rate
// alerts in burn-rate.ts, budget derivation in budgets.ts, file formats in openslo.ts / slo-sloth.ts.
//
// Three indicators (as OpenSLO v1 budgets them, https://github.com/OpenSLO/OpenSLO#slo):
//  - latency:            an event is good when duration ≤ T (1 ns over T is bad, exactly T is good);
//                        the objective is the share of good events (Occurrences budgeting). It adds
//                        up across windows, so it has an error budget and burn rates.
//  - latency-percentile: a time slice is good when the pXX of its durations is ≤ T; the objective
//                        is the share of good slices (Timeslices budgeting). Slices without events
//                        are gaps, neither good nor bad.
//  - availability:       an event is good when it is not in error under a configurable rule.

import type { StatusCode } from '../model/trace.ts';
import type { EpochNs } from '../base/time.ts';

/** What counts as an error for availability. */
export interface ErrorRule {
  /** Span status ERROR is an error. */
  statusError: boolean;
  /** The `error` tag set true (OpenTracing, Jaeger, Zipkin) is an error. */
  errorTag: boolean;
  /** An HTTP response status at or above this is an error; null ignores HTTP status. */
  httpStatusMin: number | null;
}

export const DEFAULT_ERROR_RULE: ErrorRule = { statusError: true, errorTag: true, httpStatusMin: 500 };

export type SloIndicator =
  | { kind: 'latency'; thresholdNs: number }
  | { kind: 'latency-percentile'; percentile: number; thresholdNs: number }
  | { kind: 'availability'; errorRule: ErrorRule };

export interface SloDefinition {
  /** Identifier (DNS-label style in OpenSLO). */
  name: string;
  displayName?: string;
  description?: string;
  /** service.name of the spans measured. */
  service: string;
  /** Span name (operation); null measures every span of the service that is an entry into it. */
  operation: string | null;
  indicator: SloIndicator;
  /** Share of good events (or good slices for latency-percentile), in (0, 1). */
  objective: number;
  /** The short window: the time slice of latency-percentile, and the resolution of the charts. */
  windowNs: number;
  /** The compliance period (rolling), e.g. 30 d. */
  periodNs: number;
  /** Team or person owning the service, when known. */
  owner?: string;
}

export const DAY_NS = 86_400e9;
export const HOUR_NS = 3_600e9;
export const MINUTE_NS = 60e9;

/** Round away binary noise (99.9/100 = 0.9990000000000001) so fractions and percents print as written. */
export function roundFraction(x: number, digits = 12): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A percent (99.5) as a fraction (0.995), without binary noise. */
export function percentToFraction(p: number): number {
  return roundFraction(p / 100);
}

export function fractionToPercent(q: number): number {
  return roundFraction(q * 100, 10);
}

/**
 * Nearest-rank percentile of an ascending array: the smallest value v such that at least a share q
 * of the values is ≤ v, i.e. sorted[ceil(q·N) − 1]. Always an observed value, never interpolated.
 * With this definition "pXX ≤ T" holds exactly when at least XX% of the events are ≤ T, which is
 * what lets the latency-threshold indicator stand for a percentile promise.
 */
export function nearestRank(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (q <= 0) return sorted[0];
  // q·N computed in binary can land a hair above an integer (0.995·1000 → 995.0000000000001):
  // round to 9 decimals first so the rank is the one the decimal percent means.
  const rank = Math.ceil(roundFraction(q * n, 9));
  return sorted[Math.min(n, Math.max(1, rank)) - 1];
}

/** Sort durations with a typed array: numeric, and ~0.1 s for 1M values where sorting them in sql.js takes seconds. */
export function sortedDurations(values: ArrayLike<number>): Float64Array {
  const a = Float64Array.from(values as ArrayLike<number>);
  a.sort();
  return a;
}

export function percentileOf(values: ArrayLike<number>, q: number): number {
  return nearestRank(sortedDurations(values), q);
}

/** The facts of a span an error rule looks at. */
export interface ErrorFacts {
  status: StatusCode;
  errorTag: boolean;
  httpStatus: number | null;
}

export function isErrorByRule(f: ErrorFacts, rule: ErrorRule): boolean {
  if (rule.statusError && f.status === 'error') return true;
  if (rule.errorTag && f.errorTag) return true;
  return rule.httpStatusMin !== null && f.httpStatus !== null && f.httpStatus >= rule.httpStatusMin;
}


/**
 * The events an SLO is measured on, sorted by time. An event's time is the END of its span (when
 * the request completed, as a metrics pipeline would count it), as an offset in ns from baseNs.
 */
export interface SloEvents {
  /** Epoch ns all offsets are relative to. */
  baseNs: EpochNs;
  time: Float64Array;
  duration: Float64Array;
  /** 1 when the event is in error under the SLO's error rule (0 otherwise). */
  error: Uint8Array;
}

/** Build sorted events from unsorted columns (the store hands them over in table order). */
export function makeSloEvents(baseNs: EpochNs, time: ArrayLike<number>, duration: ArrayLike<number>, error: ArrayLike<number>): SloEvents {
  const n = time.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (time[i] < time[i - 1]) sorted = false;
  if (!sorted) idx.sort((a, b) => time[a] - time[b] || a - b);
  const t = new Float64Array(n);
  const d = new Float64Array(n);
  const e = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = idx[k];
    t[k] = time[i];
    d[k] = duration[i];
    e[k] = error[i] ? 1 : 0;
  }
  return { baseNs, time: t, duration: d, error: e };
}

/** Is event i bad under the indicator? (latency-percentile events are judged per slice instead.) */
export function isBadEvent(ev: SloEvents, i: number, ind: SloIndicator): boolean {
  if (ind.kind === 'availability') return ev.error[i] === 1;
  return ev.duration[i] > ind.thresholdNs;
}

/** Check a definition; returns the problems in words (empty when usable). */
export function validateSlo(d: SloDefinition): string[] {
  const p: string[] = [];
  if (!d.service) p.push('service is required');
  if (!(d.objective > 0 && d.objective < 1)) p.push(`objective ${d.objective} must be between 0 and 1 (exclusive)`);
  if (!(d.windowNs > 0)) p.push('window must be positive');
  if (!(d.periodNs > 0)) p.push('period must be positive');
  if (d.windowNs > d.periodNs) p.push('window is longer than the period');
  const ind = d.indicator;
  if (ind.kind !== 'availability' && !(ind.thresholdNs >= 0)) p.push('latency threshold must be zero or more');
  if (ind.kind === 'latency-percentile' && !(ind.percentile > 0 && ind.percentile <= 1)) p.push('percentile must be in (0, 1]');
  return p;
}

/** Error budget over a number of eligible events: (1 − objective) × events (Google SRE Workbook, "Implementing SLOs"). */
export function errorBudget(objective: number, events: number): number {
  return (1 - objective) * events;
}

/** Burn rate: the observed bad share over the allowed bad share. */
export function burnRate(bad: number, total: number, objective: number): number {
  return total === 0 ? NaN : bad / total / (1 - objective);
}

/** "5m", "2h", "30d": the largest unit that divides the duration exactly. */
export function formatShortDuration(ns: number): string {
  const units: Array<[string, number]> = [['w', 7 * DAY_NS], ['d', DAY_NS], ['h', HOUR_NS], ['m', MINUTE_NS], ['s', 1e9], ['ms', 1e6], ['us', 1e3]];
  for (const [u, size] of units) if (ns >= size && ns % size === 0) return `${ns / size}${u}`;
  return `${ns}ns`;
}

/**
 * An SLO definition read back from stored JSON (a workspace file, which anyone can edit): the
 * fields of the right types, or null. Whether the values make sense is validateSlo's question.
 */
export function readSloDefinition(x: unknown): SloDefinition | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return null;
  const d = x as Record<string, unknown>;
  const str = (v: unknown): v is string => typeof v === 'string';
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const optStr = (v: unknown) => v === undefined || str(v);
  if (!str(d.name) || !str(d.service) || !(d.operation === null || str(d.operation))) return null;
  if (!num(d.objective) || !num(d.windowNs) || !num(d.periodNs)) return null;
  if (!optStr(d.displayName) || !optStr(d.description) || !optStr(d.owner)) return null;
  const i = d.indicator;
  if (typeof i !== 'object' || i === null) return null;
  const ind = i as Record<string, unknown>;
  let indicator: SloIndicator;
  if (ind.kind === 'latency' && num(ind.thresholdNs)) indicator = { kind: 'latency', thresholdNs: ind.thresholdNs };
  else if (ind.kind === 'latency-percentile' && num(ind.thresholdNs) && num(ind.percentile)) {
    indicator = { kind: 'latency-percentile', percentile: ind.percentile, thresholdNs: ind.thresholdNs };
  } else if (ind.kind === 'availability' && typeof ind.errorRule === 'object' && ind.errorRule !== null) {
    const r = ind.errorRule as Record<string, unknown>;
    if (typeof r.statusError !== 'boolean' || typeof r.errorTag !== 'boolean' || !(r.httpStatusMin === null || num(r.httpStatusMin))) return null;
    indicator = { kind: 'availability', errorRule: { statusError: r.statusError, errorTag: r.errorTag, httpStatusMin: r.httpStatusMin } };
  } else return null;
  return {
    name: d.name,
    service: d.service,
    operation: d.operation as string | null,
    indicator,
    objective: d.objective,
    windowNs: d.windowNs,
    periodNs: d.periodNs,
    ...(str(d.displayName) ? { displayName: d.displayName } : {}),
    ...(str(d.description) ? { description: d.description } : {}),
    ...(str(d.owner) ? { owner: d.owner } : {}),
  };
}
