// `tracedeck error-path <inputs...> [--trace ID] [--json]`: from each trace's root, the chain of
// failing children (latest-ending first) down to the likely root cause. With --json:
//   {"traces":[{"traceId","path":[{"spanId","service","name","startNs","endNs","status","message"}],
//               "rootCause":{...same fields...}|null,"summary"}]}
// times are absolute epoch ns as decimal strings; status is the span's own status code
// (unset|ok|error; a span can be in error through error=true or HTTP ≥ 500 with status unset).

import type { Store } from '../../store/store.ts';
import { traceSpans, spanErrorDetails, type TraceSpans } from '../../store/queries.ts';
import { computeErrorPath, summarizeErrorPath, errorMessage, type ErrSpan } from '../../core/analysis/error-path.ts';
import { errSpansFromColumns } from '../../core/analysis/span-input.ts';
import type { Attributes } from '../../core/model/trace.ts';
import { formatDuration } from '../../core/base/time.ts';
import { selectTraceIds, absoluteNs, runTraceCommand, type TraceCommandArgs } from './critical-path.ts';
import type { Command } from './registry.ts';

interface PathEntry {
  spanId: string;
  service: string;
  name: string;
  startNs: string;
  endNs: string;
  status: string;
  message: string;
}

/** The error path of one trace, with messages and exceptions read for the spans on it. */
function errorPathOf(store: Store, ts: TraceSpans) {
  const spans: ErrSpan[] = errSpansFromColumns(ts);
  const { path, rootCause } = computeErrorPath(spans);
  const details = spanErrorDetails(store, path.map((i) => ts.spanRow[i]));
  for (const i of path) {
    const d = details.get(ts.spanRow[i]);
    // Our own copies, built just above: adding the details does not touch the caller's data.
    if (d) spans[i] = { ...spans[i], statusMessage: d.statusMessage, exceptions: d.exceptions, attributes: d.attributes as Attributes };
  }
  const entry = (i: number): PathEntry => ({
    spanId: ts.spanId[i], service: ts.service[i], name: ts.name[i],
    startNs: absoluteNs(ts.startNs, ts.start[i]), endNs: absoluteNs(ts.startNs, ts.start[i] + ts.duration[i]),
    status: ts.status[i], message: ts.isError[i] ? errorMessage(spans[i]) : spans[i].statusMessage ?? '',
  });
  return {
    traceId: ts.traceId,
    path: path.map(entry),
    rootCause: rootCause === null ? null : entry(rootCause),
    summary: summarizeErrorPath(spans, path, rootCause),
    exceptions: rootCause === null ? [] : spans[rootCause].exceptions ?? [],
    durations: path.map((i) => ts.duration[i]),
  };
}

export async function runErrorPath(
  store: Store,
  args: TraceCommandArgs,
  out: (s: string) => void,
  err: (s: string) => void = (s) => console.error(s),
): Promise<number> {
  const traces = [];
  let withoutError = 0;
  for (const traceId of selectTraceIds(store, args.trace)) {
    const ts = traceSpans(store, traceId);
    if (!ts) {
      err(`error-path: trace ${args.trace} is not in the inputs`);
      return 1;
    }
    const r = errorPathOf(store, ts);
    if (args.json) {
      traces.push({ traceId: r.traceId, path: r.path, rootCause: r.rootCause, summary: r.summary });
      continue;
    }
    // In text, a workspace-wide run lists only the traces where something failed.
    if (r.rootCause === null && args.trace === undefined) {
      withoutError++;
      continue;
    }
    out(`trace ${traceId}: ${r.summary}`);
    r.path.forEach((p, k) => {
      out(`  ${'  '.repeat(k)}${k ? '› ' : ''}${p.service} ${p.name}  ${formatDuration(r.durations[k])}  ${p.status}${p.message ? `  ${p.message}` : ''}`);
    });
    for (const e of r.exceptions) {
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
