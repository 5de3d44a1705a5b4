// `tracedeck critical-path <inputs...> [--trace ID] [--json]`: the critical path of one trace or
// of every trace (by start), as the trace view's traceAnalyses request computes it. With --json:
//   {"traces":[{"traceId","sections":[{"spanId","service","name","startNs","endNs"}]}]}
// sections from the end of the trace backwards; times are absolute epoch ns as decimal strings.

import type { EngineClient } from '../../engine/client.ts';
import { epochTextAt, formatDuration } from '../../core/base/time.ts';
import { printTraces, runTraceCommand, type TraceCommandArgs, type TraceFormat, type ViewedTrace } from './traces.ts';
import type { Command } from './registry.ts';

/** The critical path's sections, from the end of the trace backwards (offsets from its start). */
function sections(t: ViewedTrace): { i: number; start: number; end: number }[] {
  const c = t.analyses.critical;
  return Array.from(c.span, (i, k) => ({ i, start: c.start[k], end: c.end[k] }));
}

const format: TraceFormat = {
  json(t) {
    const { spans } = t.view;
    return {
      traceId: t.view.traceId,
      sections: sections(t).map((s) => ({
        spanId: spans.spanId[s.i], service: spans.service[s.i], name: spans.name[s.i],
        startNs: epochTextAt(spans.startNs, s.start), endNs: epochTextAt(spans.startNs, s.end),
      })),
    };
  },
  text(t) {
    const { spans } = t.view;
    const list = sections(t);
    return [
      `trace ${t.view.traceId}  ${formatDuration(t.view.durationNs)}  ${spans.spanId.length} spans  ${list.length} sections on the critical path`,
      ...list.map((s) => `  +${formatDuration(s.start).padEnd(10)} ${formatDuration(s.end - s.start).padStart(10)}  ${spans.service[s.i]} › ${spans.name[s.i]}`),
      `  by service: ${t.analyses.critical.byService.map((r) => `${r.service} ${(r.share * 100).toFixed(1)}%`).join(', ')}`,
    ];
  },
};

export function runCriticalPath(engine: EngineClient, args: TraceCommandArgs, out: (s: string) => void, err: (s: string) => void = (s) => console.error(s)): Promise<number> {
  return printTraces('critical-path', format, engine, args, out, err);
}

/** The command as the command line's registry (cli/commands/registry.ts) takes it. */
export const criticalPathCommand: Command = {
  name: 'critical-path',
  usage: 'tracedeck critical-path <inputs...> [--trace ID] [--json] [--format ID] [--tz ZONE] [--service NAME]',
  run: (argv, io, load) => runTraceCommand('critical-path', argv, io, load, runCriticalPath),
};
