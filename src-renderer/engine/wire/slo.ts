// The SLO screen's replies as they cross from the engine worker to the UI thread (see
// trace-view.ts beside this for why wire/ imports only core/). Absolute times are decimal strings
// of epoch ns (exact); chart xs are epoch seconds; durations are numbers of ns.

import type { SloDefinition } from '../../core/analysis/slo.ts';
import type { SloEvaluation } from '../../core/analysis/slo-eval.ts';
import type { BudgetTree } from '../../core/analysis/budgets.ts';
import type { AlertSeverity } from '../../core/analysis/burn-rate.ts';

/** Columnar chart series, [xs, ...ys], as the Chart widget draws them. */
export interface ChartData {
  labels: string[];
  data: (ArrayLike<number | null>)[];
}

/** A burn-rate alert rule and when it would have fired over the data. */
export interface SloAlertRow {
  severity: AlertSeverity;
  budgetPercent: number;
  longWindowNs: number;
  shortWindowNs: number;
  threshold: number;
  evaluated: boolean;
  coverage: number;
  maxLongBurn: number | null;
  fired: { fromNs: string; toNs: string; peakLongBurn: number; peakShortBurn: number }[];
}

/** One SLO evaluated over the loaded data, with its chart series. */
export interface SloEvaluationView {
  definition: SloDefinition;
  range: { startNs: string; endNs: string };
  unit: SloEvaluation['unit'];
  total: number;
  good: number;
  bad: number;
  compliance: number | null;
  met: boolean | null;
  budget: SloEvaluation['budget'];
  burnRate: number | null;
  observed: { q: number; valueNs: number } | null;
  slices: { windowNs: number; count: number; withData: number; good: number };
  coverage: { ofPeriod: number; ofRange: number; rangeNs: number; periodNs: number; note: string; gaps: { startNs: string; endNs: string }[] };
  alerts: SloAlertRow[];
  /** [xs, duration, bad duration, windowed percentile, threshold]: one x per request. */
  latency: ChartData;
  /** [xs, remaining share of the budget]. */
  budgetSeries: ChartData;
  /** [xs, burn over each window..., threshold of each evaluated rule...]. */
  burnSeries: ChartData;
  timingsMs: { query: number; evaluate: number; series: number };
}

/** Options of a derivation: an entry availability objective (fraction) adds error budgets; with
 *  `allOperations`, every span on the critical path is a downstream, not only those entering another service. */
export interface DeriveRequest {
  availability?: number;
  allOperations?: boolean;
}

/** The budget tree each downstream on the entry's critical paths must hold. */
export interface SloDeriveView {
  tree: BudgetTree;
  timingsMs: number;
}

/** One SLO read from a file. */
export interface ImportedSloItem {
  definition: SloDefinition;
  warnings: string[];
  /** The OpenSLO document as read, so an export writes back what Tracedeck does not model. */
  source?: Record<string, unknown>;
}

export interface SloFileImport {
  format: 'openslo' | 'sloth';
  items: ImportedSloItem[];
  /** Documents that hold no SLO Tracedeck can evaluate, and file-level warnings. */
  warnings: string[];
}
