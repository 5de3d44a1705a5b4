// The postmortem report of a window: what the workspace shows about it, stated as the data shows
// it (blameless: no verdicts, no names of people, only services, teams and figures). The engine
// (engine/report.ts) fills the model; report-render.ts writes it as Markdown or as one
// self-contained HTML file. Every string in the model is data: renderers escape all of it.

import { nearestRank } from './slo.ts';
import type { PageRow } from './page.ts';

/** One period's requests (a trace is a request: its root span's duration and error). */
export interface PeriodSummary {
  label: 'before' | 'during' | 'after';
  /** Epoch ns, decimal text: [fromNs, toNs). */
  fromNs: string;
  toNs: string;
  requests: number;
  failed: number;
  /** failed / requests; null without requests. */
  errorRate: number | null;
  /** Nearest-rank percentiles of the requests' durations, ns; null without requests. */
  p50Ns: number | null;
  p95Ns: number | null;
  p99Ns: number | null;
}

export interface ReportSlo {
  name: string;
  service: string;
  operation: string | null;
  objective: number;
  /** Events of the SLO in the window, and how many were bad under it. */
  events: number;
  bad: number;
  /** Bad events in the window over the error budget of all the loaded events (1 = all of it). */
  budgetConsumed: number | null;
  /** Observed bad share in the window over the allowed one. */
  burnRate: number | null;
}

export interface FirstError {
  service: string;
  /** Epoch ns of its first span in error in the window, decimal text. */
  firstNs: string;
  spans: number;
  traceId: string;
  /** That first span in error. */
  spanId: string;
}

/** Where a line of the report opens in the app's trace view: a trace of the workspace, on one span or at its root. */
export interface TraceLink {
  traceId: string;
  spanId: string | null;
}

export interface ErrorLogLine {
  timeNs: string;
  service: string | null;
  severity: string;
  message: string;
  /** The line's trace id as written (normalised); it may name a trace the workspace does not hold. */
  traceId: string | null;
  /** The trace of the workspace it belongs to (by its ids, as the log view joins them), or null. */
  link: TraceLink | null;
}

export interface ReportCause {
  service: string;
  operation: string;
  error: string;
  traces: number;
  /** A trace of the group and its error path as one line. */
  exampleTraceId: string;
  errorPath: string;
  /** The span where that error path ends (its root cause), null when the trace has none in error. */
  exampleSpanId: string | null;
}

export interface CriticalPathGrowth {
  service: string;
  addedNs: number;
}

/** Requests and failures per minute (or per step) across before, during and after. */
export interface ReportSeries {
  startNs: string;
  stepNs: number;
  requests: number[];
  failed: number[];
}

/** Seconds since the epoch of an absolute time in ns (to the microsecond: a chart's x needs no more). */
function epochSeconds(ns: string): number {
  return Number(BigInt(ns) / 1000n) / 1e6;
}

/**
 * The series as the app's chart widget takes it: each step's start in seconds since the epoch
 * (the steps stay offsets from one exact start), the requests and the failed per step, and the
 * window to shade. The HTML export draws the same series (report-render.ts reportChartSvg).
 */
export function reportChartColumns(m: Pick<ReportModel, 'series' | 'fromNs' | 'toNs'>): { xs: number[]; requests: number[]; failed: number[]; window: [number, number] } {
  const start = epochSeconds(m.series.startNs);
  const step = m.series.stepNs / 1e9;
  return {
    xs: m.series.requests.map((_, k) => start + k * step),
    requests: m.series.requests,
    failed: m.series.failed,
    window: [epochSeconds(m.fromNs), epochSeconds(m.toNs)],
  };
}

export interface ReportModel {
  title: string;
  fromNs: string;
  toNs: string;
  periods: PeriodSummary[];
  slos: ReportSlo[];
  firstErrors: FirstError[];
  errorLogs: ErrorLogLine[];
  causes: ReportCause[];
  failing: number;
  growth: CriticalPathGrowth[];
  owners: PageRow[];
  series: ReportSeries;
  /** What the user wrote in the report view (the summary paragraph and the actions); empty at first. */
  notes: { summary: string; actions: string[] };
}

/** A period's figures from its requests' durations (ns) and failures. */
export function summarizePeriod(label: PeriodSummary['label'], fromNs: string, toNs: string, duration: readonly number[], failed: readonly boolean[]): PeriodSummary {
  const sorted = Float64Array.from(duration).sort();
  const n = sorted.length;
  const bad = failed.filter(Boolean).length;
  const p = (q: number) => (n === 0 ? null : nearestRank(sorted, q));
  return { label, fromNs, toNs, requests: n, failed: bad, errorRate: n === 0 ? null : bad / n, p50Ns: p(0.5), p95Ns: p(0.95), p99Ns: p(0.99) };
}
