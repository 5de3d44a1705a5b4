// `tracedeck traces <inputs...> [filters] [--sort KEY] [--limit N] [--json]`: the traces a search
// finds, as the app's trace list asks the engine for them (EngineCore.searchTraces). The options
// are written as terms of the search language (core/analysis/trace-query.ts), so a command line
// and a query typed in the app that say the same find the same; --query takes that text as is.
// With --json:
//   {"total":N,"traces":[{"traceId","rootService","rootName","startNs","durationNs","spans","errors"}]}
// startNs is absolute epoch ns as a decimal string (exact); durationNs an integer of ns.

import { parseArgs } from 'node:util';
import type { EngineClient } from '../../engine/client.ts';
import { formatDuration, formatIsoNs, parseDuration } from '../../core/base/time.ts';
import { formatTerm, readTime, isTraceSortKey, TRACE_SORT_KEYS, type CompareOp, type TermBody } from '../../core/analysis/trace-query.ts';
import type { TraceListRow } from '../../engine/wire/trace-search.ts';
import type { Command, CommandIo } from './registry.ts';

export const TRACES_USAGE =
  'tracedeck traces <inputs...> [--service S] [--operation O] [--name N] [--min-duration 2s] [--max-duration D] [--error] [--attr k=v]... ' +
  `[--from T] [--to T] [--text W] [--query Q] [--sort ${TRACE_SORT_KEYS.join('|')}] [--asc|--desc] [--limit N] [--json]`;

class TracesUsageError extends Error {}

const OPTIONS = {
  service: { type: 'string' }, operation: { type: 'string' }, name: { type: 'string' },
  'min-duration': { type: 'string' }, 'max-duration': { type: 'string' }, error: { type: 'boolean' },
  attr: { type: 'string', multiple: true }, from: { type: 'string' }, to: { type: 'string' }, text: { type: 'string', multiple: true },
  query: { type: 'string' }, sort: { type: 'string' }, asc: { type: 'boolean' }, desc: { type: 'boolean' }, limit: { type: 'string' },
  json: { type: 'boolean', default: false }, format: { type: 'string' }, tz: { type: 'string' },
} as const;

function durationArg(v: string, what: string): number {
  const ns = parseDuration(v);
  if (ns === null) throw new TracesUsageError(`--${what}: cannot read "${v}" as a duration (250ms, 2s, 1m)`);
  return ns;
}

/** `key=value`, `key!=value`, `key>n`, … split at the first operator. */
function attrTerm(arg: string): TermBody {
  const m = /^(.+?)(!=|>=|<=|=|>|<)(.*)$/s.exec(arg);
  if (!m) throw new TracesUsageError(`--attr: write key=value, key!=value or key>n (got "${arg}")`);
  const op = m[2] as CompareOp;
  if (op !== '=' && op !== '!=' && !Number.isFinite(Number(m[3]))) throw new TracesUsageError(`--attr ${arg}: a number after "${op}"`);
  return { kind: 'attr', key: m[1], op, value: m[3] };
}

function timeArg(v: string, bound: 'from' | 'to'): TermBody {
  const at = readTime(v);
  if (at === null || !('ns' in at)) throw new TracesUsageError(`--${bound}: write RFC 3339 (2026-11-20T10:10:00Z) or integer ns since the epoch (got "${v}")`);
  return { kind: 'time', bound, text: v, at };
}

export interface TracesArgs {
  inputs: string[];
  query: string;
  sort: (typeof TRACE_SORT_KEYS)[number];
  dir: 'asc' | 'desc' | undefined;
  limit: number;
  json: boolean;
  format?: string;
  tz?: string;
}

/** The arguments as a search: each option one term of the query language. Throws TracesUsageError. */
export function parseTracesArgs(argv: string[]): TracesArgs {
  const { values: v, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const terms: TermBody[] = [];
  if (v.service !== undefined) terms.push({ kind: 'field', field: 'service', op: '=', value: v.service });
  if (v.operation !== undefined) terms.push({ kind: 'field', field: 'operation', op: '=', value: v.operation });
  if (v.name !== undefined) terms.push({ kind: 'field', field: 'name', op: '=', value: v.name });
  if (v['min-duration'] !== undefined) terms.push({ kind: 'duration', of: 'trace', op: '>=', ns: durationArg(v['min-duration'], 'min-duration') });
  if (v['max-duration'] !== undefined) terms.push({ kind: 'duration', of: 'trace', op: '<=', ns: durationArg(v['max-duration'], 'max-duration') });
  if (v.error) terms.push({ kind: 'error', value: true });
  for (const a of v.attr ?? []) terms.push(attrTerm(a));
  if (v.from !== undefined) terms.push(timeArg(v.from, 'from'));
  if (v.to !== undefined) terms.push(timeArg(v.to, 'to'));
  for (const t of v.text ?? []) terms.push({ kind: 'text', text: t });
  const query = [v.query ?? '', ...terms.map((t) => formatTerm(t))].filter((s) => s !== '').join(' ');
  const sort = v.sort ?? 'start';
  if (!isTraceSortKey(sort)) throw new TracesUsageError(`--sort is one of ${TRACE_SORT_KEYS.join(', ')}`);
  if (v.asc && v.desc) throw new TracesUsageError('--asc or --desc, not both');
  const limit = v.limit === undefined ? 100 : Number(v.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new TracesUsageError('--limit is a whole number');
  return { inputs: positionals, query, sort, dir: v.asc ? 'asc' : v.desc ? 'desc' : undefined, limit, json: !!v.json, format: v.format, tz: v.tz };
}

function traceJson(t: TraceListRow) {
  return { traceId: t.traceId, rootService: t.rootService, rootName: t.rootName, startNs: t.startNs, durationNs: t.durationNs, spans: t.spanCount, errors: t.errorCount };
}

/** Print the traces the search finds; 2 when the query has a term that cannot be read. */
export async function runTraces(engine: EngineClient, a: TracesArgs, io: CommandIo): Promise<number> {
  // Pages of the engine's maximum until the limit: the same request the list makes as it scrolls.
  const rows: TraceListRow[] = [];
  let total = 0;
  for (;;) {
    const r = await engine.call('searchTraces', { query: a.query, sort: a.sort, dir: a.dir, offset: rows.length, limit: Math.min(a.limit - rows.length, 5000) });
    if (r.errors.length > 0) {
      io.err(`tracedeck traces: ${r.errors.map((e) => `${a.query.slice(e.start, e.end)}: ${e.message}`).join('; ')}`);
      return 2;
    }
    total = r.total;
    rows.push(...r.rows);
    if (r.rows.length === 0 || rows.length >= Math.min(a.limit, total)) break;
  }
  if (a.json) {
    io.out(JSON.stringify({ total, traces: rows.map(traceJson) }));
    return 0;
  }
  for (const t of rows) {
    io.out(`${t.traceId}  ${formatIsoNs(t.startNs)}  ${formatDuration(t.durationNs).padStart(9)}  ${String(t.spanCount).padStart(5)} spans  ${t.errorCount ? `${t.errorCount} errors  ` : ''}${t.rootService} ${t.rootName}`);
  }
  io.out(`${total} trace${total === 1 ? '' : 's'}${rows.length < total ? ` (${rows.length} shown)` : ''}`);
  return 0;
}

export const tracesCommand: Command = {
  name: 'traces',
  usage: TRACES_USAGE,
  async run(argv, io, load) {
    let a: TracesArgs;
    try {
      a = parseTracesArgs(argv);
    } catch (e) {
      if (!(e instanceof TracesUsageError)) throw e;
      io.err(`tracedeck traces: ${e.message}\nusage: ${TRACES_USAGE}`);
      return 2;
    }
    if (a.inputs.length === 0) {
      io.err(`tracedeck traces: name at least one input\nusage: ${TRACES_USAGE}`);
      return 2;
    }
    return runTraces(await load(a.inputs, { format: a.format, timeZone: a.tz }), a, io);
  },
};
