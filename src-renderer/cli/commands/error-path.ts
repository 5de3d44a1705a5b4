// `tracedeck error-path <inputs...> [--trace ID] [--json]`: from each trace's root, the chain of
// failing children (latest-ending first) down to the likely root cause, as the trace view's
// traceAnalyses request computes it. With --json:
//   {"traces":[{"traceId","path":[{"spanId","service","name","startNs","endNs","status","message"}],
//               "rootCause":{...same fields...}|null,"summary"}]}
// times are absolute epoch ns as decimal strings; status is the span's own status code
// (unset|ok|error; a span can be in error through error=true or HTTP ≥ 500 with status unset).

import type { EngineClient } from '../../engine/client.ts';
import { epochTextAt, formatDuration } from '../../core/base/time.ts';
import { openTraces, runTraceCommand, type TraceCommandArgs } from './traces.ts';
import type { Command } from './registry.ts';

export async function runErrorPath(
  engine: EngineClient,
  args: TraceCommandArgs,
  out: (s: string) => void,
  err: (s: string) => void = (s) => console.error(s),
): Promise<number> {
  const traces = [];
  let withoutError = 0;
  for await (const t of openTraces(engine, args.trace)) {
    if (!t) {
      err(`error-path: trace ${args.trace} is not in the inputs`);
      return 1;
    }
    const { spans } = t.view;
    const ep = t.analyses.errorPath;
    const path = ep.path.map((i, k) => ({
      spanId: spans.spanId[i], service: spans.service[i], name: spans.name[i],
      startNs: epochTextAt(spans.startNs, spans.start[i]), endNs: epochTextAt(spans.startNs, spans.start[i] + spans.duration[i]),
      status: spans.status[i], message: ep.messages[k],
    }));
    const rootCause = ep.rootCause === null ? null : path[path.length - 1];
    if (args.json) {
      traces.push({ traceId: t.view.traceId, path, rootCause, summary: ep.summary });
      continue;
    }
    // In text, a workspace-wide run lists only the traces where something failed.
    if (rootCause === null && args.trace === undefined) {
      withoutError++;
      continue;
    }
    out(`trace ${t.view.traceId}: ${ep.summary}`);
    path.forEach((p, k) => {
      out(`  ${'  '.repeat(k)}${k ? '› ' : ''}${p.service} ${p.name}  ${formatDuration(spans.duration[ep.path[k]])}  ${p.status}${p.message ? `  ${p.message}` : ''}`);
    });
    for (const e of ep.exceptions) {
      out(`  exception: ${[e.type, e.message].filter(Boolean).join(': ')}`);
      if (e.stacktrace) for (const line of e.stacktrace.split('\n')) out(`    ${line}`);
    }
  }
  if (args.json) out(JSON.stringify({ traces }));
  else if (withoutError > 0) out(`${withoutError} trace${withoutError === 1 ? '' : 's'} without errors`);
  return 0;
}

/** The command as the command line's registry (cli/commands/registry.ts) takes it. */
export const errorPathCommand: Command = {
  name: 'error-path',
  usage: 'tracedeck error-path <inputs...> [--trace ID] [--json] [--format ID] [--tz ZONE] [--service NAME]',
  run: (argv, io, load) => runTraceCommand('error-path', argv, io, load, runErrorPath),
};
