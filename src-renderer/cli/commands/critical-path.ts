// `tracedeck critical-path <inputs...> [--trace ID] [--json]`: the critical path of one trace or
// of every trace (by start), as the trace view's traceAnalyses request computes it. With --json:
//   {"traces":[{"traceId","sections":[{"spanId","service","name","startNs","endNs"}]}]}
// sections from the end of the trace backwards; times are absolute epoch ns as decimal strings.

import type { EngineClient } from '../../engine/client.ts';
import { epochTextAt, formatDuration } from '../../core/base/time.ts';
import { openTraces, runTraceCommand, type TraceCommandArgs } from './traces.ts';
import type { Command } from './registry.ts';

export async function runCriticalPath(
  engine: EngineClient,
  args: TraceCommandArgs,
  out: (s: string) => void,
  err: (s: string) => void = (s) => console.error(s),
): Promise<number> {
  const traces = [];
  for await (const t of openTraces(engine, args.trace)) {
    if (!t) {
      err(`critical-path: trace ${args.trace} is not in the inputs`);
      return 1;
    }
    const { spans } = t.view;
    const c = t.analyses.critical;
    const sections = Array.from(c.span, (i, k) => ({ i, start: c.start[k], end: c.end[k] }));
    if (args.json) {
      traces.push({
        traceId: t.view.traceId,
        sections: sections.map((s) => ({
          spanId: spans.spanId[s.i], service: spans.service[s.i], name: spans.name[s.i],
          startNs: epochTextAt(spans.startNs, s.start), endNs: epochTextAt(spans.startNs, s.end),
        })),
      });
      continue;
    }
    out(`trace ${t.view.traceId}  ${formatDuration(t.view.durationNs)}  ${spans.spanId.length} spans  ${sections.length} sections on the critical path`);
    for (const s of sections) {
      out(`  +${formatDuration(s.start).padEnd(10)} ${formatDuration(s.end - s.start).padStart(10)}  ${spans.service[s.i]} › ${spans.name[s.i]}`);
    }
    out(`  by service: ${c.byService.map((r) => `${r.service} ${(r.share * 100).toFixed(1)}%`).join(', ')}`);
  }
  if (args.json) out(JSON.stringify({ traces }));
  return 0;
}

/** The command as the command line's registry (cli/commands/registry.ts) takes it. */
export const criticalPathCommand: Command = {
  name: 'critical-path',
  usage: 'tracedeck critical-path <inputs...> [--trace ID] [--json] [--format ID] [--tz ZONE] [--service NAME]',
  run: (argv, io, load) => runTraceCommand('critical-path', argv, io, load, runCriticalPath),
};
