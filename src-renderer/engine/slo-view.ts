// SLO requests, one each: an evaluation with its chart series ready for uPlot, the derived budget
// tree, and SLO files read and written. The SLO screen and `tracedeck slo` both ask these; the
// replies' types are in wire/slo.ts.

import type { Store } from '../store/store.ts';
import { dataTimeRange, sloEvents, budgetTraces } from '../store/slo-queries.ts';
import { serviceOwnerMap } from './ownership.ts';
import { DEFAULT_ERROR_RULE, validateSlo, type SloDefinition } from '../core/analysis/slo.ts';
import { evaluateSlo, sloPercentile } from '../core/analysis/slo-eval.ts';
import { lowerBound } from '../core/base/sorted.ts';
import { sloSeries } from '../core/analysis/slo-series.ts';
import { deriveBudgets, budgetSlos, type BudgetTree, type EntrySlo, type BudgetSpan } from '../core/analysis/budgets.ts';
import { spanOperations, type OperationCatalog } from '../core/analysis/operations.ts';
import { buildTraceTree } from '../core/model/tree.ts';
import { operationCatalog } from '../store/operations.ts';
import { parseOpenSlo, writeOpenSlo } from '../core/analysis/openslo.ts';
import { parseSloth, writeSloth } from '../core/analysis/slo-sloth.ts';
import { epochTextAt, formatWindow } from '../core/base/time.ts';
import type { ChartData, SloEvaluationView, SloDeriveView, ImportedSloItem, SloFileImport, DeriveRequest } from './wire/slo.ts';

function check(d: SloDefinition): void {
  const problems = validateSlo(d);
  if (problems.length > 0) throw new Error(`SLO "${d.name}": ${problems.join('; ')}`);
}

export function evaluateSloView(store: Store, d: SloDefinition): SloEvaluationView {
  check(d);
  let t0 = performance.now();
  const range = dataTimeRange(store);
  if (!range) throw new Error('no traces are loaded');
  const rule = d.indicator.kind === 'availability' ? d.indicator.errorRule : DEFAULT_ERROR_RULE;
  const ev = sloEvents(store, { service: d.service, operation: d.operation }, rule, range.startNs);
  if (ev.time.length === 0) throw new Error(`no spans of service "${d.service}"${d.operation !== null ? ` with operation "${d.operation}"` : ''}`);
  const query = performance.now() - t0;

  t0 = performance.now();
  const e = evaluateSlo(d, ev, { range: { startNs: 0, endNs: Number(range.endNs - range.startNs) } });
  const evaluate = performance.now() - t0;

  t0 = performance.now();
  const s = sloSeries(ev, e);
  // One x per request: the windowed percentile is held over its slice, so the line can share the
  // points' xs (uPlot wants one x column) and reads as a step per window.
  const [xs, dur, bad] = s.latency.data;
  const n = xs.length;
  const pct: (number | null)[] = new Array(n);
  const th: (number | null)[] = new Array(n);
  const sl = e.slices;
  const threshold = d.indicator.kind === 'availability' ? null : d.indicator.thresholdNs;
  const lo = lowerBound(ev.time, e.range.startNs);
  for (let k = 0; k < n; k++) {
    const idx = Math.min(sl.count - 1, Math.max(0, Math.floor((ev.time[lo + k] - sl.firstStartNs) / sl.windowNs)));
    const v = sl.percentile[idx];
    pct[k] = Number.isNaN(v) ? null : v;
    th[k] = threshold;
  }
  const q = sloPercentile(d);
  const latency: ChartData = {
    labels: ['duration', d.indicator.kind === 'availability' ? 'error' : 'bad', q === null ? 'percentile' : `p${+(q * 100).toFixed(4)} per ${formatWindow(d.windowNs)}`, 'threshold'],
    data: [xs, dur, bad, pct, th],
  };
  const evaluated = e.alerts.filter((a) => a.evaluated);
  const bxs = s.burn.data[0];
  const burnSeries: ChartData = {
    labels: [...s.burn.labels, ...evaluated.map((a) => `${a.rule.severity} ${+a.rule.threshold.toFixed(2)}x (${formatWindow(a.rule.longWindowNs)})`)],
    data: [...s.burn.data, ...evaluated.map((a) => new Array<number>(bxs.length).fill(a.rule.threshold))],
  };
  const series = performance.now() - t0;

  let withData = 0;
  let good = 0;
  for (let i = 0; i < sl.count; i++) {
    if (sl.good[i] !== -1) withData++;
    if (sl.good[i] === 1) good++;
  }
  const base = e.baseNs;
  return {
    definition: d,
    range: { startNs: epochTextAt(base, e.range.startNs), endNs: epochTextAt(base, e.range.endNs) },
    unit: e.unit, total: e.total, good: e.good, bad: e.bad, compliance: e.compliance, met: e.met, budget: e.budget, burnRate: e.burnRate,
    observed: e.observedPercentile,
    slices: { windowNs: sl.windowNs, count: sl.count, withData, good },
    coverage: {
      ofPeriod: e.coverage.ofPeriod, ofRange: e.coverage.ofRange, rangeNs: e.coverage.rangeNs, periodNs: e.coverage.periodNs, note: e.coverage.note,
      gaps: e.coverage.gaps.map((g) => ({ startNs: epochTextAt(base, g.startNs), endNs: epochTextAt(base, g.endNs) })),
    },
    alerts: e.alerts.map((a) => ({
      severity: a.rule.severity, budgetPercent: a.rule.budgetPercent, longWindowNs: a.rule.longWindowNs, shortWindowNs: a.rule.shortWindowNs,
      threshold: a.rule.threshold, evaluated: a.evaluated, coverage: a.coverage, maxLongBurn: a.maxLongBurn,
      fired: a.fired.map((f) => ({ fromNs: epochTextAt(base, f.fromNs), toNs: epochTextAt(base, f.toNs), peakLongBurn: f.peakLongBurn, peakShortBurn: f.peakShortBurn })),
    })),
    latency,
    budgetSeries: { labels: s.budget.labels, data: s.budget.data },
    burnSeries,
    timingsMs: { query, evaluate, series },
  };
}

/** The entry promise a definition makes, for derivation: latency SLOs only. */
function entryOf(d: SloDefinition, availability?: number): EntrySlo {
  if (d.operation === null) throw new Error('deriving budgets needs an operation (the entry span name)');
  const ind = d.indicator;
  if (ind.kind === 'availability') throw new Error('deriving budgets starts from a latency SLO (pXX < T); set an availability objective beside it instead');
  const percentile = ind.kind === 'latency' ? d.objective : ind.percentile;
  return { service: d.service, operation: d.operation, percentile, thresholdNs: ind.thresholdNs, ...(availability !== undefined ? { availability } : {}) };
}

export function deriveSloView(store: Store, d: SloDefinition, opts: DeriveRequest = {}): SloDeriveView {
  check(d);
  const entry = entryOf(d, opts.availability);
  const t0 = performance.now();
  const range = dataTimeRange(store);
  if (!range) throw new Error('no traces are loaded');
  const traces = withOperations(budgetTraces(store, { service: entry.service, operation: entry.operation }, range.startNs), operationCatalog(store));
  const tree = deriveBudgets(traces, entry, { owners: serviceOwnerMap(store), allOperations: !!opts.allOperations, baseNs: range.startNs });
  if (tree.entry.requests === 0) throw new Error(`no spans of service "${entry.service}" with operation "${entry.operation}"`);
  return { tree, timingsMs: performance.now() - t0 };
}

/** Each trace's spans with the node and grouped operation every aggregate groups them by. */
function* withOperations(traces: Iterable<(BudgetSpan & { opId: number })[]>, catalog: OperationCatalog): Generator<BudgetSpan[]> {
  for (const spans of traces) {
    const tree = buildTraceTree(spans);
    const cols = { opId: spans.map((s) => s.opId), name: spans.map((s) => s.name), service: spans.map((s) => s.service), kind: spans.map((s) => s.kind ?? 'unspecified') };
    const { operation, node } = spanOperations(cols, tree, catalog);
    for (let i = 0; i < spans.length; i++) {
      spans[i].operation = operation[i];
      spans[i].node = node[i];
    }
    yield spans;
  }
}

/** The derived budgets as OpenSLO: one SLO per downstream service + operation, of the entry's kind, with its owner when known. */
export function budgetsOpenSlo(tree: BudgetTree, entry: SloDefinition): string {
  return writeOpenSlo(budgetSlos(tree, entry));
}


/** Sloth files say `version: "prometheus/v1"`; OpenSLO documents say `apiVersion:`. */
export function isSlothText(text: string): boolean {
  return /^version:\s*["']?prometheus\/v1/m.test(text) || (/^slos:/m.test(text) && !/^apiVersion:/m.test(text));
}

export function importSloText(text: string): SloFileImport {
  if (isSlothText(text)) {
    const items: ImportedSloItem[] = [];
    const warnings: string[] = [];
    for (const doc of parseSloth(text)) {
      warnings.push(...doc.warnings);
      for (const it of doc.definitions) items.push({ definition: it.definition, warnings: it.warnings });
    }
    return { format: 'sloth', items, warnings };
  }
  const items: ImportedSloItem[] = [];
  const warnings: string[] = [];
  for (const doc of parseOpenSlo(text)) {
    if (doc.definition) items.push({ definition: doc.definition, warnings: doc.warnings, source: doc.source });
    else warnings.push(`a ${doc.kind || 'document without kind'} was read but holds no SLO to evaluate${doc.warnings.length ? `: ${doc.warnings.join('; ')}` : ''}`);
  }
  if (items.length === 0 && warnings.length === 0) warnings.push('no OpenSLO or Sloth documents found');
  return { format: 'openslo', items, warnings };
}

export function exportSloText(items: readonly ImportedSloItem[], format: 'openslo' | 'sloth'): string {
  if (format === 'sloth') return writeSloth(items.map((i) => i.definition));
  return writeOpenSlo(items.map((i) => (i.source ? { kind: 'SLO', definition: i.definition, warnings: [], source: i.source } : i.definition)));
}
