// `tracedeck error-origins <inputs...> [--trace ID] [--json]`: every error origin of each trace (a
// span in error with no span in error below it) with its path from its root, as the trace view's
// traceAnalyses request computes them (core/analysis/error-origins.ts). With --json:
//   {"traces":[{"traceId","origins":[{"spanId","error","reachedRoot","path":[{"spanId","service","operation"}]}]}]}
// paths run from the root (or from the top of an orphan subtree) to the origin; `service` is the
// span's node (its service, or the database, cache or host it calls) and `operation` its grouped
// operation; `reachedRoot` marks an origin whose failure reached the root through failing calls.

import type { EngineClient } from '../../engine/client.ts';
import { formatDuration } from '../../core/base/time.ts';
import { printTraces, runTraceCommand, type TraceCommandArgs, type TraceFormat, type ViewedTrace } from './traces.ts';
import type { Command } from './registry.ts';

function originsOf(t: ViewedTrace) {
  const { spans } = t.view;
  const ep = t.analyses.errorPath;
  return ep.origins.map((o) => ({
    spanId: spans.spanId[o.span], error: o.message, reachedRoot: o.reachedRoot,
    path: o.path.map((i) => ({ spanId: spans.spanId[i], service: spans.node[i], operation: spans.operation[i] })),
  }));
}

const format: TraceFormat = {
  json: (t) => ({ traceId: t.view.traceId, origins: originsOf(t) }),
  text(t, args) {
    const origins = originsOf(t);
    if (origins.length === 0 && args.trace === undefined) return null;
    const lines = [`trace ${t.view.traceId}: ${origins.length} error origin${origins.length === 1 ? '' : 's'}`];
    for (const o of origins) {
      const last = o.path[o.path.length - 1];
      const i = t.analyses.errorPath.origins.find((x) => t.view.spans.spanId[x.span] === o.spanId)!.span;
      lines.push(`  ${o.reachedRoot ? '*' : '-'} ${last.service} ${last.operation}  ${formatDuration(t.view.spans.duration[i])}  ${o.error}`);
      lines.push(`      ${o.path.map((p) => `${p.service} ${p.operation}`).join(' › ')}`);
    }
    return lines;
  },
  footer: (withoutError) => (withoutError > 0 ? `${withoutError} trace${withoutError === 1 ? '' : 's'} without errors (* marks the origin whose failure reached the root)` : null),
};

export function runErrorOrigins(engine: EngineClient, args: TraceCommandArgs, out: (s: string) => void, err: (s: string) => void = (s) => console.error(s)): Promise<number> {
  return printTraces('error-origins', format, engine, args, out, err);
}

export const errorOriginsCommand: Command = {
  name: 'error-origins',
  usage: 'tracedeck error-origins <inputs...> [--trace ID] [--json] [--format ID] [--tz ZONE] [--service NAME]',
  run: (argv, io, load) => runTraceCommand('error-origins', argv, io, load, runErrorOrigins),
};
