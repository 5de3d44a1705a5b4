// The postmortem report of a window (core/analysis/report.ts ReportModel), built from the
// workspace: requests before, during and after (each as long as the window), the workspace's SLOs and any given,
// each service's first error, the first error log lines, the root causes with an example error
// path each, the critical-path time added, and the owners to involve (the who-to-page rows).
// The app's report view, `tracedeck report` and their Markdown and HTML all come from this.

import type { Store } from '../store/store.ts';
import { periodRequests, firstErrors, firstErrorLogs, requestsPerStep } from '../store/report-queries.ts';
import { dataTimeRange, sloEvents } from '../store/slo-queries.ts';
import { listSlos } from '../store/workspace-items.ts';
import { SEVERITY_CODES } from '../store/schema.ts';
import { correlatedSpan } from '../store/log-view-record.ts';
import { openTrace, traceAnalyses } from './trace-view.ts';
import { pageRows } from './page.ts';
import { groupRootCauses } from '../core/analysis/root-causes.ts';
import { summarizePeriod, type ErrorLogLine, type ReportModel, type ReportSlo } from '../core/analysis/report.ts';
import { DEFAULT_ERROR_RULE, burnRate, errorBudget, isBadEvent, type SloDefinition } from '../core/analysis/slo.ts';
import { formatIsoNs } from '../core/base/time.ts';
import { clipText } from '../core/base/text.ts';

export interface ReportRequest {
  /** Epoch ns, decimal text: the window [fromNs, toNs). */
  fromNs: string;
  toNs: string;
  title?: string;
  /** SLOs to report on besides the workspace's own (read from OpenSLO/Sloth files, say). */
  slos?: SloDefinition[];
  /** What the user wrote in the report view. */
  notes?: { summary: string; actions: string[] };
}

/** A report quotes at most this much of a message, an error or an error path (the whole is a click away). */
export const REPORT_TEXT_MAX = 2000;

/** Bars of the chart across before, during and after: at most about this many. */
const BARS = 120;
const NICE_STEPS_NS = [1e9, 5e9, 10e9, 30e9, 60e9, 300e9, 600e9, 1800e9, 3600e9, 6 * 3600e9, 86_400e9];

function sloFigures(store: Store, d: SloDefinition, fromNs: string, toNs: string): ReportSlo {
  const figures = { name: d.displayName ?? d.name, service: d.service, operation: d.operation, objective: d.objective };
  const range = dataTimeRange(store);
  if (!range) return { ...figures, events: 0, bad: 0, budgetConsumed: null, burnRate: null };
  const rule = d.indicator.kind === 'availability' ? d.indicator.errorRule : DEFAULT_ERROR_RULE;
  const ev = sloEvents(store, { service: d.service, operation: d.operation }, rule, range.startNs);
  // Event times are offsets (each span's end) from the first trace's start.
  const lo = Number(BigInt(fromNs) - range.startNs);
  const hi = Number(BigInt(toNs) - range.startNs);
  let events = 0;
  let bad = 0;
  for (let i = 0; i < ev.time.length; i++) {
    if (ev.time[i] < lo || ev.time[i] >= hi) continue;
    events++;
    if (isBadEvent(ev, i, d.indicator)) bad++;
  }
  // Time-slice SLOs spend their budget in slices, not events: their figures are the SLO screen's.
  const slices = d.indicator.kind === 'latency-percentile';
  const budget = errorBudget(d.objective, ev.time.length);
  return { ...figures, events, bad, budgetConsumed: slices || budget === 0 ? null : bad / budget, burnRate: slices || events === 0 ? null : burnRate(bad, events, d.objective) };
}

/** The first error log lines, each with the trace of the workspace its ids name (as the log view joins them: exact, or by the low 64 bits). */
function errorLogLines(store: Store, fromNs: string, toNs: string): ErrorLogLine[] {
  return firstErrorLogs(store, fromNs, toNs, SEVERITY_CODES.indexOf('error')).map((l) => {
    const span = l.traceId ? correlatedSpan(store, { traceId: l.traceId, spanId: l.spanId, partial: l.partial, service: l.service, timeNs: l.timeNs }) : null;
    return {
      timeNs: l.timeNs, service: l.service, severity: SEVERITY_CODES[l.severity] ?? String(l.severity), message: clipText(l.message, REPORT_TEXT_MAX), traceId: l.traceId,
      link: span ? { traceId: span.traceId, spanId: span.spanId } : null,
    };
  });
}

export function reportModel(store: Store, request: ReportRequest): ReportModel {
  const from = BigInt(request.fromNs);
  const to = BigInt(request.toNs);
  if (to <= from) throw new Error('a report needs a window whose end is after its start');
  const len = to - from;
  const periods = ([['before', from - len, from], ['during', from, to], ['after', to, to + len]] as const).map(([label, a, b]) => {
    const r = periodRequests(store, a.toString(), b.toString());
    return summarizePeriod(label, a.toString(), b.toString(), r.duration, r.failed);
  });
  const { failing, items, added, rows } = pageRows(store, request.fromNs, request.toNs, true);
  const groups = groupRootCauses(items);
  const causes = groups.slice(0, 10).map((g) => {
    const id = g.traceIds[0];
    const opened = openTrace(store, id);
    const path = opened ? traceAnalyses(store, opened).errorPath : null;
    const exampleSpanId = opened && path?.rootCause != null ? opened.view.spans.spanId[path.rootCause] : null;
    const clip = (t: string) => clipText(t, REPORT_TEXT_MAX);
    return { service: g.service, operation: g.operation, error: clip(g.error), traces: g.traces, exampleTraceId: id, errorPath: clip(path?.summary ?? ''), exampleSpanId };
  });
  const growth = [...added].filter(([, ns]) => ns > 0).sort((a, b) => b[1] - a[1]).slice(0, 15).map(([service, addedNs]) => ({ service, addedNs }));
  const spanNs = Number(3n * len);
  const stepNs = NICE_STEPS_NS.find((s) => spanNs / s <= BARS) ?? Math.ceil(spanNs / BARS / 86_400e9) * 86_400e9;
  const startNs = (from - len).toString();
  const series = { startNs, stepNs, ...requestsPerStep(store, startNs, (to + len).toString(), stepNs) };
  return {
    title: request.title ?? `Postmortem: ${formatIsoNs(request.fromNs).slice(0, 19)}Z to ${formatIsoNs(request.toNs).slice(0, 19)}Z`,
    fromNs: request.fromNs,
    toNs: request.toNs,
    periods,
    slos: [...listSlos(store).map((s) => s.definition), ...(request.slos ?? [])].map((d) => sloFigures(store, d, request.fromNs, request.toNs)),
    firstErrors: firstErrors(store, request.fromNs, request.toNs),
    errorLogs: errorLogLines(store, request.fromNs, request.toNs),
    causes,
    failing,
    growth,
    owners: rows,
    series,
    notes: request.notes ?? { summary: '', actions: [] },
  };
}
