// `tracedeck error-path <inputs...> [--trace ID] [--json]`: from each trace's root, the chain of
// failing children (latest-ending first) down to the likely root cause, as the trace view's
// traceAnalyses request computes it. With --json:
//   {"traces":[{"traceId","path":[{"spanId","service","name","startNs","endNs","status","message"}],
//               "rootCause":{...same fields...}|null,"summary"}]}
// times are absolute epoch ns as decimal strings; status is the span's own status code
// (unset|ok|error; a span can be in error through error=true or HTTP ≥ 500 with status unset).

import type { EngineClient } from '../../engine/client.ts';
import { epochTextAt, formatDuration } from '../../core/base/time.ts';
import { printTraces, runTraceCommand, type TraceCommandArgs, type TraceFormat, type ViewedTrace } from './traces.ts';
import type { Command } from './registry.ts';

/** The spans of the error path as printed, the last one being the root cause when it is in error. */
function pathOf(t: ViewedTrace) {
  const { spans } = t.view;
  const ep = t.analyses.errorPath;
  return ep.path.map((i, k) => ({
    spanId: spans.spanId[i], service: spans.service[i], name: spans.name[i],
    startNs: epochTextAt(spans.startNs, spans.start[i]), endNs: epochTextAt(spans.startNs, spans.start[i] + spans.duration[i]),
    status: spans.status[i], message: ep.messages[k],
  }));
}

const format: TraceFormat = {
  json(t) {
    const path = pathOf(t);
    const ep = t.analyses.errorPath;
    return { traceId: t.view.traceId, path, rootCause: ep.rootCause === null ? null : path[path.length - 1], summary: ep.summary };
  },
  text(t, args) {
    const ep = t.analyses.errorPath;
    // A workspace-wide run lists only the traces where something failed.
    if (ep.rootCause === null && args.trace === undefined) return null;
    const lines = [`trace ${t.view.traceId}: ${ep.summary}`];
    pathOf(t).forEach((p, k) => {
      lines.push(`  ${'  '.repeat(k)}${k ? '› ' : ''}${p.service} ${p.name}  ${formatDuration(t.view.spans.duration[ep.path[k]])}  ${p.status}${p.message ? `  ${p.message}` : ''}`);
    });
    for (const e of ep.exceptions) {
      lines.push(`  exception: ${[e.type, e.message].filter(Boolean).join(': ')}`);
      if (e.stacktrace) for (const line of e.stacktrace.split('\n')) lines.push(`    ${line}`);
    }
    return lines;
  },
  footer: (withoutError) => (withoutError > 0 ? `${withoutError} trace${withoutError === 1 ? '' : 's'} without errors` : null),
};

export function runErrorPath(engine: EngineClient, args: TraceCommandArgs, out: (s: string) => void, err: (s: string) => void = (s) => console.error(s)): Promise<number> {
  return printTraces('error-path', format, engine, args, out, err);
}

/** The command as the command line's registry (cli/commands/registry.ts) takes it. */
export const errorPathCommand: Command = {
  name: 'error-path',
  usage: 'tracedeck error-path <inputs...> [--trace ID] [--json] [--format ID] [--tz ZONE] [--service NAME]',
  run: (argv, io, load) => runTraceCommand('error-path', argv, io, load, runErrorPath),
};
