// What the per-trace commands (critical-path, error-path) share: their arguments, and the traces
// they run over, each opened with the same two requests the app's trace view makes.

import { parseArgs } from 'node:util';
import type { EngineClient } from '../../engine/client.ts';
import { unpackTraceView, type TraceViewData, type TraceAnalyses } from '../../engine/wire/trace-view.ts';
import { normalizeTraceId } from '../../core/base/ids.ts';
import type { Command, CommandIo } from './registry.ts';

export interface TraceCommandArgs {
  trace?: string;
  json: boolean;
}

/** The trace ids a command runs over: the one asked for (canonical form), or all by start. */
async function selectTraceIds(engine: EngineClient, trace: string | undefined): Promise<string[]> {
  if (trace !== undefined) return [normalizeTraceId(trace) ?? trace.trim().toLowerCase()];
  const ids: string[] = [];
  const PAGE = 1000;
  for (let offset = 0; ; offset += PAGE) {
    const page = await engine.call('listTraces', { offset, limit: PAGE, sort: 'start' });
    for (const t of page) ids.push(t.traceId);
    if (page.length < PAGE) return ids;
  }
}

/** One trace as the trace view gets it: its rows, then its critical and error paths. */
export interface ViewedTrace {
  view: TraceViewData;
  analyses: TraceAnalyses;
}

/** Each trace the arguments select, opened; null for a trace id that is not in the inputs. */
export async function* openTraces(engine: EngineClient, trace: string | undefined): AsyncGenerator<ViewedTrace | null> {
  for (const traceId of await selectTraceIds(engine, trace)) {
    const wire = await engine.call('traceView', traceId);
    const analyses = wire && (await engine.call('traceAnalyses', traceId));
    yield wire && analyses ? { view: unpackTraceView(wire), analyses } : null;
  }
}

/** How a per-trace command prints one trace. */
export interface TraceFormat {
  /** The trace's entry in `{"traces":[...]}` (--json). */
  json(t: ViewedTrace): unknown;
  /** The trace's lines of text, or null to leave it out of a workspace-wide run. */
  text(t: ViewedTrace, args: TraceCommandArgs): string[] | null;
  /** The last line of text, given how many traces were left out. */
  footer?(leftOut: number): string | null;
}

/** Print each trace the arguments select; 1 when a trace asked for is not in the inputs. */
export async function printTraces(
  name: string,
  format: TraceFormat,
  engine: EngineClient,
  args: TraceCommandArgs,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const traces: unknown[] = [];
  let leftOut = 0;
  for await (const t of openTraces(engine, args.trace)) {
    if (!t) {
      err(`${name}: trace ${args.trace} is not in the inputs`);
      return 1;
    }
    if (args.json) {
      traces.push(format.json(t));
      continue;
    }
    const lines = format.text(t, args);
    if (lines === null) leftOut++;
    else for (const line of lines) out(line);
  }
  if (args.json) out(JSON.stringify({ traces }));
  else {
    const last = format.footer?.(leftOut) ?? null;
    if (last !== null) out(last);
  }
  return 0;
}

/** Shared argument handling of the critical-path and error-path commands. */
export async function runTraceCommand(
  name: string,
  argv: string[],
  io: CommandIo,
  load: Parameters<Command['run']>[2],
  run: (engine: EngineClient, args: TraceCommandArgs, out: (s: string) => void, err: (s: string) => void) => Promise<number>,
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
  const engine = await load(positionals, { format: values.format, timeZone: values.tz, service: values.service });
  return run(engine, { trace: values.trace, json: values.json ?? false }, (s) => io.out(s), (s) => io.err(s));
}
