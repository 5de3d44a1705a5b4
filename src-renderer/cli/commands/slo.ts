// `tracedeck slo eval` and `tracedeck slo derive`: evaluate an SLO on imported spans, and derive
// the internal SLOs of the downstreams on its critical paths.
//   tracedeck slo eval <inputs...> --service S [--operation O] --percentile 99 --threshold 5s
//       [--window 5m] [--period 30d] [--indicator latency|percentile|availability] [--objective 99.9]
//       [--http-error-min 500 | --no-http-errors] [--json]
//   tracedeck slo derive <inputs...> --service S --operation O --percentile 99 --threshold 5s
//       [--availability 99.9] [--all-operations] [--window 5m] [--period 30d] [--openslo FILE] [--json]
// Both ask the SLO screen's requests (sloEvaluate, sloDerive, sloBudgetsYaml) and format the
// replies. Nanosecond timestamps leave as decimal strings (exact); durations as numbers of ns.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { EngineClient } from '../../engine/client.ts';
import type { SloEvaluationView } from '../../engine/wire/slo.ts';
import type { Command, CommandIo, LoadEngine } from './registry.ts';
import { parseDuration, formatIsoNs } from '../../core/base/time.ts';
import { DEFAULT_ERROR_RULE, DAY_NS, MINUTE_NS, percentToFraction, fractionToPercent, type SloDefinition } from '../../core/analysis/slo.ts';
import { sloName, type BudgetTree } from '../../core/analysis/budgets.ts';

const SLO_EVAL_USAGE =
  'tracedeck slo eval <inputs...> --service S [--operation O] --percentile 99 --threshold 5s [--window 5m] [--period 30d] [--indicator latency|percentile|availability] [--objective 99.9] [--json]';
const SLO_DERIVE_USAGE =
  'tracedeck slo derive <inputs...> --service S --operation O --percentile 99 --threshold 5s [--availability 99.9] [--all-operations] [--openslo FILE] [--json]';

const OPTIONS = {
  service: { type: 'string' },
  operation: { type: 'string' },
  percentile: { type: 'string' },
  threshold: { type: 'string' },
  window: { type: 'string' },
  period: { type: 'string' },
  indicator: { type: 'string' },
  objective: { type: 'string' },
  'http-error-min': { type: 'string' },
  'no-http-errors': { type: 'boolean', default: false },
  availability: { type: 'string' },
  'all-operations': { type: 'boolean', default: false },
  openslo: { type: 'string' },
  json: { type: 'boolean', default: false },
  format: { type: 'string' },
  tz: { type: 'string' },
} as const;

class SloUsageError extends Error {}

interface SloArgs {
  inputs: string[];
  definition: SloDefinition;
  json: boolean;
  /** derive only */
  availability?: number;
  allOperations: boolean;
  openslo?: string;
  format?: string;
  tz?: string;
}

function percentArg(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.replace(/%$/, ''));
  if (!(n > 0 && n < 100)) throw new SloUsageError(`${what} must be a percent between 0 and 100 (got "${v}")`);
  return n;
}

function durationArg(v: string | undefined, what: string, fallback?: number): number {
  if (v === undefined) {
    if (fallback === undefined) throw new SloUsageError(`--${what} is required`);
    return fallback;
  }
  const ns = parseDuration(v);
  if (ns === null) throw new SloUsageError(`--${what}: cannot read "${v}" as a duration (e.g. 250ms, 5s, 5m, 30d)`);
  return ns;
}

/** Parse the arguments of `slo eval` / `slo derive` (the argv after the subcommand). Throws SloUsageError. */
export function parseSloArgs(argv: string[], mode: 'eval' | 'derive'): SloArgs {
  const { values: v, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  if (!v.service) throw new SloUsageError('--service is required');
  if (mode === 'derive' && !v.operation) throw new SloUsageError('--operation is required');
  const kind = v.indicator ?? (v.threshold === undefined && mode === 'eval' ? 'availability' : 'latency');
  if (!['latency', 'percentile', 'availability'].includes(kind)) throw new SloUsageError(`--indicator must be latency, percentile or availability`);
  if (mode === 'derive' && kind !== 'latency') throw new SloUsageError('derive starts from a latency percentile SLO (--percentile, --threshold)');
  const pct = percentArg(v.percentile, '--percentile');
  const objPct = percentArg(v.objective, '--objective');
  const windowNs = durationArg(v.window, 'window', 5 * MINUTE_NS);
  const periodNs = durationArg(v.period, 'period', 30 * DAY_NS);
  let definition: SloDefinition;
  const base = { service: v.service, operation: v.operation ?? null, windowNs, periodNs };
  if (kind === 'availability') {
    const rule = { ...DEFAULT_ERROR_RULE, httpStatusMin: v['no-http-errors'] ? null : v['http-error-min'] !== undefined ? Number(v['http-error-min']) : 500 };
    if (rule.httpStatusMin !== null && !Number.isInteger(rule.httpStatusMin)) throw new SloUsageError('--http-error-min must be an integer');
    const objective = objPct ?? pct;
    if (objective === undefined) throw new SloUsageError('availability needs --objective (percent)');
    definition = { name: sloName(v.service, v.operation ?? '', 'availability'), ...base, indicator: { kind: 'availability', errorRule: rule }, objective: percentToFraction(objective) };
  } else {
    if (pct === undefined) throw new SloUsageError('--percentile is required');
    const thresholdNs = durationArg(v.threshold, 'threshold');
    definition = kind === 'latency'
      ? { name: sloName(v.service, v.operation ?? '', 'latency'), ...base, indicator: { kind: 'latency', thresholdNs }, objective: percentToFraction(objPct ?? pct) }
      : { name: sloName(v.service, v.operation ?? '', 'p' + String(pct)), ...base, indicator: { kind: 'latency-percentile', percentile: percentToFraction(pct), thresholdNs }, objective: percentToFraction(objPct ?? 99) };
  }
  if (windowNs > periodNs) throw new SloUsageError('--window is longer than --period');
  return {
    inputs: positionals, definition, json: !!v.json, availability: v.availability !== undefined ? percentToFraction(percentArg(v.availability, '--availability')!) : undefined,
    allOperations: !!v['all-operations'], openslo: v.openslo, format: v.format, tz: v.tz,
  };
}

function parseOrReport(argv: string[], mode: 'eval' | 'derive', io: CommandIo): SloArgs | null {
  try {
    return parseSloArgs(argv, mode);
  } catch (e) {
    io.err(`tracedeck slo ${mode}: ${(e as Error).message}\nusage: ${mode === 'eval' ? SLO_EVAL_USAGE : SLO_DERIVE_USAGE}`);
    return null;
  }
}

/** The JSON shape of an evaluation (timestamps as decimal strings of epoch ns). */
function evaluationJson(e: SloEvaluationView): Record<string, unknown> {
  const d = e.definition;
  const sl = e.slices;
  return {
    slo: {
      name: d.name, service: d.service, operation: d.operation, indicator: d.indicator, objective: d.objective, windowNs: d.windowNs, periodNs: d.periodNs,
    },
    range: e.range,
    unit: e.unit,
    total: e.total,
    good: e.good,
    bad: e.bad,
    compliance: e.compliance,
    met: e.met,
    budget: e.budget,
    burnRate: e.burnRate,
    observed: e.observed ? { percentile: fractionToPercent(e.observed.q), valueNs: e.observed.valueNs } : null,
    slices: { windowNs: sl.windowNs, total: sl.count, withData: sl.withData, good: sl.good, bad: sl.withData - sl.good, compliance: sl.withData > 0 ? sl.good / sl.withData : null },
    coverage: e.coverage,
    alerts: e.alerts,
  };
}

function pct(x: number | null): string {
  return x === null ? 'n/a' : `${(x * 100).toFixed(3)}%`;
}

/** An engine request of `slo eval`/`slo derive`; a failure (no data, no such spans) is reported and exits 1. */
async function ask<T>(mode: 'eval' | 'derive', io: CommandIo, request: () => Promise<T>): Promise<T | null> {
  try {
    return await request();
  } catch (e) {
    io.err(`tracedeck slo ${mode}: ${(e as Error).message}`);
    return null;
  }
}

/** `slo eval` over an engine holding the inputs; returns the exit code. */
export async function runSloEval(engine: EngineClient, argv: string[], io: CommandIo): Promise<number> {
  const args = parseOrReport(argv, 'eval', io);
  if (!args) return 2;
  const d = args.definition;
  const e = await ask('eval', io, () => engine.call('sloEvaluate', d));
  if (!e) return 1;
  if (args.json) {
    io.out(JSON.stringify(evaluationJson(e)));
    return 0;
  }
  io.out(`${d.service} ${d.operation ?? '(entry spans)'}: ${e.total} ${e.unit}, ${e.bad} bad, compliance ${pct(e.compliance)} vs objective ${pct(d.objective)} → ${e.met ? 'met' : 'NOT met'}`);
  io.out(`error budget ${e.budget.total.toFixed(2)}, consumed ${e.budget.consumed}, remaining ${e.budget.remaining.toFixed(2)} (${pct(e.budget.remainingFraction)}); burn rate ${e.burnRate?.toFixed(2) ?? 'n/a'}`);
  io.out(`coverage: ${e.coverage.note}`);
  for (const a of e.alerts) {
    const what = `${a.severity} ${a.budgetPercent}% in ${a.longWindowNs / 3.6e12} h (${a.threshold.toFixed(2)}x)`;
    if (!a.evaluated) io.out(`  ${what}: not evaluated, data covers ${(a.coverage * 100).toFixed(1)}% of the long window`);
    else io.out(`  ${what}: ${a.fired.length === 0 ? 'did not fire' : a.fired.map((f) => `fired ${formatIsoNs(f.fromNs)} .. ${formatIsoNs(f.toNs)} (peak ${f.peakLongBurn.toFixed(1)}x)`).join(', ')}`);
  }
  return 0;
}

/** The JSON shape of a derivation. */
function budgetsJson(t: BudgetTree): Record<string, unknown> {
  const e = t.entry;
  return {
    entry: {
      service: e.service, operation: e.operation, percentile: fractionToPercent(e.percentile), thresholdNs: e.thresholdNs, requests: e.requests,
      observedNs: e.observedNs, status: e.status, owner: e.owner, ...(e.availability !== undefined ? { availability: fractionToPercent(e.availability) } : {}),
    },
    budgets: t.budgets.map((b) => ({
      service: b.service, operation: b.operation, callsOnCriticalPath: b.callsOnCriticalPath, share: b.share, percentile: b.percentile,
      thresholdNs: b.thresholdNs, observedNs: b.observedNs, status: b.status, parent: b.parent, depth: b.depth, owner: b.owner,
      callsPerParent: b.callsPerParent, parentShare: b.parentShare, samples: b.samples, ...(b.availability ? { availability: b.availability } : {}),
    })),
  };
}

/** `slo derive` over an engine holding the inputs; returns the exit code. */
export async function runSloDerive(engine: EngineClient, argv: string[], io: CommandIo): Promise<number> {
  const args = parseOrReport(argv, 'derive', io);
  if (!args) return 2;
  const d = args.definition;
  if (d.indicator.kind !== 'latency' || d.operation === null) return 2;
  const derived = await ask('derive', io, () => engine.call('sloDerive', d, { availability: args.availability, allOperations: args.allOperations }));
  if (!derived) return 1;
  const tree = derived.tree;
  if (args.openslo) writeFileSync(args.openslo, await engine.call('sloBudgetsYaml', tree, d));
  if (args.json) {
    io.out(JSON.stringify(budgetsJson(tree)));
    return 0;
  }
  const e = tree.entry;
  io.out(`${e.service} ${e.operation}: p${fractionToPercent(e.percentile)} ≤ ${e.thresholdNs / 1e9} s over ${e.requests} requests; observed ${e.observedNs === null ? 'n/a' : `${(e.observedNs / 1e9).toFixed(3)} s`} (${e.status})`);
  // Operations on the path in fewer than 1 − q of requests cannot move the entry's percentile
  // (often high-cardinality span names); they stay in the JSON but are summed up here.
  let unconstrained = 0;
  for (const b of tree.budgets) {
    if (b.status === 'unconstrained') {
      unconstrained++;
      continue;
    }
    const pctText = +b.percentile.toFixed(3);
    io.out(`${'  '.repeat(b.depth + 1)}${b.service} ${b.operation}: p${pctText} ≤ ${(b.thresholdNs / 1e9).toFixed(3)} s (n=${+b.callsOnCriticalPath.toFixed(3)}, share ${(b.share * 100).toFixed(1)}%); observed ${b.observedNs === null ? 'n/a' : `${(b.observedNs / 1e9).toFixed(3)} s`} → ${b.status}`);
  }
  if (unconstrained > 0) io.out(`  (${unconstrained} more operations are on the critical path too rarely to constrain p${fractionToPercent(e.percentile)}; see --json)`);
  if (args.openslo) io.out(`OpenSLO written to ${args.openslo}`);
  return 0;
}

async function loadFor(argv: string[], mode: 'eval' | 'derive', io: CommandIo, load: LoadEngine): Promise<EngineClient | number> {
  const args = parseOrReport(argv, mode, io);
  if (!args) return 2;
  if (args.inputs.length === 0) {
    io.err(`tracedeck slo ${mode}: name at least one input\nusage: ${mode === 'eval' ? SLO_EVAL_USAGE : SLO_DERIVE_USAGE}`);
    return 2;
  }
  return load(args.inputs, { format: args.format, timeZone: args.tz });
}

/** The two commands, for the dispatcher's registry. */
export const SLO_COMMANDS: Command[] = [
  {
    name: 'slo eval', usage: SLO_EVAL_USAGE,
    async run(argv, io, load) {
      const s = await loadFor(argv, 'eval', io, load);
      return typeof s === 'number' ? s : runSloEval(s, argv, io);
    },
  },
  {
    name: 'slo derive', usage: SLO_DERIVE_USAGE,
    async run(argv, io, load) {
      const s = await loadFor(argv, 'derive', io, load);
      return typeof s === 'number' ? s : runSloDerive(s, argv, io);
    },
  },
];
