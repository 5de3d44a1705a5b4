// `tracedeck aggregate <inputs...> --service S [--operation O] [--cohort C] [--vs C] [--json]`:
// where the critical-path time of an entry operation's requests goes, per service and per
// operation, as the Across traces screen shows it (the engine's aggregate requests, through
// EngineClient.runAggregate). With --vs, the second cohort and the differences ranked. With --json:
//   {"traces":N,"totalNs","byService":[{"service","ns","share","perRequestNs"}],
//    "byOperation":[{"service","operation","ns","share","perRequestNs"}],
//    "vs":null|{same fields},"diff":[{"service","operation","aPerRequestNs","bPerRequestNs","deltaPerRequestNs","shareOfDelta"}]}
// ns are total critical-path ns over the cohort (integers); shares of a cohort sum to 1.

import { parseArgs } from 'node:util';
import { parseCohort, describeCohort, type Cohort } from '../../core/analysis/cohort.ts';
import { formatDuration } from '../../core/base/time.ts';
import type { AggregateReply, CohortResult } from '../../engine/wire/aggregate.ts';
import { describeDiffRow, formatSignedDuration } from '../../core/analysis/aggregate.ts';
import type { Command } from './registry.ts';

export const AGGREGATE_USAGE =
  'tracedeck aggregate <inputs...> --service S [--operation O] [--cohort all|slowest:1%|band:50-75|errors|from:T,to:T|search:QUERY] [--vs COHORT|rest] [--json]';

function cohortJson(c: CohortResult) {
  return {
    traces: c.traces, totalNs: c.totalNs,
    byService: c.byService.map((r) => ({ service: r.service, ns: r.ns, share: r.share, perRequestNs: r.perRequestNs })),
    byOperation: c.byOperation.map((r) => ({ service: r.service, operation: r.operation, ns: r.ns, share: r.share, perRequestNs: r.perRequestNs })),
  };
}

/** The reply as `aggregate --json` prints it. */
export function aggregateJson(r: AggregateReply) {
  return {
    ...cohortJson(r.a),
    vs: r.b ? cohortJson(r.b) : null,
    diff: (r.diff?.byOperation ?? []).map((d) => ({
      service: d.service, operation: d.operation, aPerRequestNs: d.aPerRequestNs, bPerRequestNs: d.bPerRequestNs, deltaPerRequestNs: d.deltaPerRequestNs, shareOfDelta: d.shareOfDelta,
    })),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
function printCohort(out: (s: string) => void, c: CohortResult): void {
  out(`${describeCohort(c.cohort)}: ${c.traces} requests, ${formatDuration(c.totalNs)} on the critical path (${formatDuration(c.traces ? c.totalNs / c.traces : 0)} per request)`);
  out('  by service:');
  for (const r of c.byService) out(`    ${pct(r.share).padStart(8)}  ${formatDuration(r.perRequestNs).padStart(10)} per request  ${r.service}`);
  out('  by operation:');
  for (const r of c.byOperation.slice(0, 25)) out(`    ${pct(r.share).padStart(8)}  ${formatDuration(r.perRequestNs).padStart(10)} per request  ${r.service} ${r.operation}`);
  if (c.byOperation.length > 25) out(`    … ${c.byOperation.length - 25} more`);
}

export const aggregateCommand: Command = {
  name: 'aggregate',
  usage: AGGREGATE_USAGE,
  async run(argv, io, load) {
    const { values: v, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        service: { type: 'string' }, operation: { type: 'string' }, cohort: { type: 'string', default: 'all' }, vs: { type: 'string' },
        json: { type: 'boolean', default: false }, format: { type: 'string' }, tz: { type: 'string' },
      },
    });
    if (positionals.length === 0 || !v.service) {
      io.err(`tracedeck aggregate: name at least one input and --service\n  ${AGGREGATE_USAGE}`);
      return 2;
    }
    let cohort: Cohort;
    let vs: Cohort | null = null;
    try {
      cohort = parseCohort(v.cohort ?? 'all');
      if (v.vs !== undefined) vs = parseCohort(v.vs, cohort);
    } catch (e) {
      io.err(`tracedeck aggregate: ${(e as Error).message}`);
      return 2;
    }
    const engine = await load(positionals, { format: v.format, timeZone: v.tz });
    let reply: AggregateReply | null;
    try {
      reply = await engine.runAggregate({ entry: { service: v.service, operation: v.operation ?? null }, cohort, vs }).done;
    } catch (e) {
      io.err(`tracedeck aggregate: ${(e as Error).message}`);
      return 1;
    }
    if (!reply) return 1;
    if (reply.requests === 0) {
      io.err(`tracedeck aggregate: no spans of service "${v.service}"${v.operation !== undefined ? ` with operation "${v.operation}"` : ''}`);
      return 1;
    }
    if (v.json) {
      io.out(JSON.stringify(aggregateJson(reply)));
      return 0;
    }
    const out = (s: string) => io.out(s);
    out(`${v.service}${v.operation !== undefined ? ` ${v.operation}` : ''}: ${reply.requests} requests`);
    printCohort(out, reply.a);
    if (reply.b && reply.diff) {
      printCohort(out, reply.b);
      out(`difference (${describeCohort(reply.a.cohort)} − ${describeCohort(reply.b.cohort)}): ${formatSignedDuration(reply.diff.deltaPerRequestNs)} per request`);
      for (const d of reply.diff.byOperation.slice(0, 10)) out(`  ${describeDiffRow(d, reply.diff.deltaPerRequestNs)}`);
    }
    return 0;
  },
};
