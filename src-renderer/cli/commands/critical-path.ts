// `tracedeck critical-path <inputs...> [--trace ID] [--json]`: the critical path of one trace or
// of every trace (by start). With --json:
//   {"traces":[{"traceId","sections":[{"spanId","service","name","startNs","endNs"}]}]}
// sections from the end of the trace backwards; times are absolute epoch ns as decimal strings.

import { parseArgs } from 'node:util';
import type { Store } from '../../store/store.ts';
import { listTraces, traceSpans, type TraceSpans } from '../../store/queries.ts';
import { computeCriticalPath, summarizeCriticalPath } from '../../core/analysis/critical-path.ts';
import { cpSpansFromColumns } from '../../core/analysis/span-input.ts';
import { normalizeTraceId } from '../../core/base/ids.ts';
import { formatDuration } from '../../core/base/time.ts';
import type { Command, CommandIo } from './registry.ts';

export interface TraceCommandArgs {
  trace?: string;
  json: boolean;
}

/** The trace ids a command runs over: the one asked for (canonical form), or all by start. */
export function selectTraceIds(store: Store, trace: string | undefined): string[] {
  if (trace !== undefined) return [normalizeTraceId(trace) ?? trace.trim().toLowerCase()];
  const ids: string[] = [];
  const PAGE = 1000;
  for (let offset = 0; ; offset += PAGE) {
    const page = listTraces(store, { offset, limit: PAGE, sort: 'start' });
    for (const t of page) ids.push(t.traceId);
    if (page.length < PAGE) return ids;
  }
}

/** An offset from the trace's start as absolute epoch ns, exact. */
export function absoluteNs(base: string, offset: number): string {
  return (BigInt(base) + BigInt(Math.round(offset))).toString();
}

export function traceDuration(ts: Pick<TraceSpans, 'start' | 'duration'>): number {
  let end = 0;
  for (let i = 0; i < ts.start.length; i++) end = Math.max(end, ts.start[i] + ts.duration[i]);
  return end; // offsets are from the earliest start
}

export async function runCriticalPath(
  store: Store,
  args: TraceCommandArgs,
  out: (s: string) => void,
  err: (s: string) => void = (s) => console.error(s),
): Promise<number> {
  const traces = [];
  for (const traceId of selectTraceIds(store, args.trace)) {
    const ts = traceSpans(store, traceId);
    if (!ts) {
      err(`critical-path: trace ${args.trace} is not in the inputs`);
      return 1;
    }
    const spans = cpSpansFromColumns(ts);
    const sections = computeCriticalPath(spans);
    if (args.json) {
      traces.push({
        traceId,
        sections: sections.map((s) => ({
          spanId: s.spanId, service: ts.service[s.span], name: ts.name[s.span],
          startNs: absoluteNs(ts.startNs, s.start), endNs: absoluteNs(ts.startNs, s.end),
        })),
      });
      continue;
    }
    const duration = traceDuration(ts);
    out(`trace ${traceId}  ${formatDuration(duration)}  ${spans.length} spans  ${sections.length} sections on the critical path`);
    for (const s of sections) {
      out(`  +${formatDuration(s.start).padEnd(10)} ${formatDuration(s.end - s.start).padStart(10)}  ${ts.service[s.span]} › ${ts.name[s.span]}`);
    }
    const { byService } = summarizeCriticalPath(spans, sections, duration);
    out(`  by service: ${byService.map((r) => `${r.service} ${(r.share * 100).toFixed(1)}%`).join(', ')}`);
  }
  if (args.json) out(JSON.stringify({ traces }));
  return 0;
}

export const CRITICAL_PATH_USAGE = 'tracedeck critical-path <inputs...> [--trace ID] [--json] [--format ID] [--tz ZONE] [--service NAME]';

/** The command as the command line's registry (cli/commands/registry.ts) takes it. */
export const criticalPathCommand: Command = {
  name: 'critical-path',
  usage: CRITICAL_PATH_USAGE,
  run: (argv, io, load) => runTraceCommand('critical-path', argv, io, load, runCriticalPath),
};

/** Shared argument handling of the critical-path and error-path commands. */
export async function runTraceCommand(
  name: string,
  argv: string[],
  io: CommandIo,
  load: Parameters<Command['run']>[2],
  run: (store: Store, args: TraceCommandArgs, out: (s: string) => void, err: (s: string) => void) => Promise<number>,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      trace: { type: 'string' }, json: { type: 'boolean', default: false },
      format: { type: 'string' }, tz: { type: 'string' }, service: { type: 'string' },
    },
  });
  if (positionals.length === 0) {
    io.err(`tracedeck ${name}: name at least one input`);
    return 2;
  }
  const store = await load(positionals, { format: values.format, timeZone: values.tz, service: values.service });
  return run(store, { trace: values.trace, json: values.json ?? false }, (s) => io.out(s), (s) => io.err(s));
}
