// `tracedeck compare <inputs...> --trace A --trace B [--json]`: two traces aligned by operation
// path, as the app's compare screen shows them (the engine's compareTraces request). With --json:
//   {"a":{"traceId","startNs","durationNs","spans"},"b":{…},"both":N,"onlyA":N,"onlyB":N,
//    "paths":[{"path":[{"service","operation"}],"aCount","bCount","aNs","bNs","deltaNs"}]}
// paths largest |deltaNs| first (deltaNs = bNs − aNs, summed span durations at the path).

import { parseArgs } from 'node:util';
import { normalizeTraceId } from '../../core/base/ids.ts';
import { formatDuration } from '../../core/base/time.ts';
import { pathNames } from '../../core/analysis/trace-compare.ts';
import { formatSignedDuration } from '../../core/analysis/aggregate.ts';
import type { TraceCompareReply } from '../../engine/wire/aggregate.ts';
import type { Command } from './registry.ts';

export const COMPARE_USAGE = 'tracedeck compare <inputs...> --trace A --trace B [--json]';

/** The rows largest |delta| first (ties in tree order). */
function byDelta(r: TraceCompareReply): number[] {
  const rows = r.comparison.rows;
  return rows.map((_, i) => i).sort((x, y) => Math.abs(rows[y].deltaNs) - Math.abs(rows[x].deltaNs) || x - y);
}

export function compareJson(r: TraceCompareReply) {
  const side = (t: TraceCompareReply['a']) => ({ traceId: t.traceId, startNs: t.startNs, durationNs: t.durationNs, spans: t.spans });
  const rows = r.comparison.rows;
  return {
    a: side(r.a), b: side(r.b), both: r.comparison.both, onlyA: r.comparison.onlyA, onlyB: r.comparison.onlyB,
    paths: byDelta(r).map((i) => ({ path: pathNames(rows, i), aCount: rows[i].aCount, bCount: rows[i].bCount, aNs: rows[i].aNs, bNs: rows[i].bNs, deltaNs: rows[i].deltaNs })),
  };
}

export const compareCommand: Command = {
  name: 'compare',
  usage: COMPARE_USAGE,
  async run(argv, io, load) {
    const { values: v, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { trace: { type: 'string', multiple: true }, json: { type: 'boolean', default: false }, format: { type: 'string' }, tz: { type: 'string' } },
    });
    const ids = (v.trace ?? []).map((t) => normalizeTraceId(t) ?? t.trim().toLowerCase());
    if (positionals.length === 0 || ids.length !== 2) {
      io.err(`tracedeck compare: name at least one input and two traces\n  ${COMPARE_USAGE}`);
      return 2;
    }
    const engine = await load(positionals, { format: v.format, timeZone: v.tz });
    let r: TraceCompareReply;
    try {
      r = await engine.call('compareTraces', ids[0], ids[1]);
    } catch (e) {
      io.err(`tracedeck compare: ${(e as Error).message}`);
      return 1;
    }
    if (v.json) {
      io.out(JSON.stringify(compareJson(r)));
      return 0;
    }
    io.out(`A ${r.a.traceId}  ${formatDuration(r.a.durationNs)}  ${r.a.spans} spans`);
    io.out(`B ${r.b.traceId}  ${formatDuration(r.b.durationNs)}  ${r.b.spans} spans`);
    io.out(`${r.comparison.both} spans in both, ${r.comparison.onlyA} only in A, ${r.comparison.onlyB} only in B`);
    const rows = r.comparison.rows;
    for (const i of byDelta(r).slice(0, 30)) {
      const x = rows[i];
      const names = pathNames(rows, i).map((p) => `${p.service} ${p.operation}`).join(' › ');
      io.out(`  ${formatSignedDuration(x.deltaNs).padStart(11)}  A ${x.aCount}× ${formatDuration(x.aNs).padStart(9)}  B ${x.bCount}× ${formatDuration(x.bNs).padStart(9)}  ${names}`);
    }
    return 0;
  },
};
