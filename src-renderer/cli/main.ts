// `tracedeck`: the headless command line over the same core and store as the app.
//   tracedeck import <files...> [--save ws.tracedeck] [--json] [--format ID] [--tz ZONE] [--service NAME]
//   tracedeck query <files|ws.tracedeck...> --sql "..." [--json]
// Exit codes: 0 success, 2 bad usage, 1 an input could not be read at all. Errors go to stderr.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadInputs, UnreadableInput } from './load.ts';
import { localClient } from '../engine/local.ts';
import type { ImportOptions, SourceReport } from '../core/import/types.ts';
import type { Store } from '../store/store.ts';
import { stringifyExact } from '../core/base/json.ts';
import type { CommandIo } from './commands/registry.ts';
import { COMMANDS } from './commands/index.ts';
import { cmdGen, GEN_USAGE } from './gen.ts';

export const USAGE = `usage:
  tracedeck import <files...> [--save ws.tracedeck] [--json] [--format ID] [--tz ZONE] [--service NAME]
  tracedeck query <files|ws.tracedeck...> --sql "SELECT ..." [--json]
  ${GEN_USAGE}
${COMMANDS.map((c) => `  ${c.usage}`).join('\n')}`;

export class UsageError extends Error {}

const INPUT_OPTIONS = {
  format: { type: 'string' },
  tz: { type: 'string' },
  service: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

function importOptions(v: { format?: string; tz?: string; service?: string }): ImportOptions {
  return { format: v.format, timeZone: v.tz, service: v.service };
}

function describeReport(r: SourceReport): string {
  const parts = [`${r.file}: ${r.format}`, `${r.traces} traces`, `${r.spans} spans`, `${r.logs} logs`];
  if (r.tally?.lines) parts.push(`${r.tally.lines} lines (${r.tally.continuations} continuations, ${r.tally.blank} blank)`);
  if (r.correlated) parts.push(`${r.correlated.exact} joined to traces by id, ${r.correlated.inferred} inferred`);
  if (r.duplicates) parts.push(`${r.duplicates} duplicate spans not stored again`);
  if (r.rejected) parts.push(`${r.rejected} rejected`);
  return parts.join(', ') + [...(r.notes ?? []), ...r.errors].map((e) => `\n  ${e}`).join('');
}

/** One source of `import --json`. Line counts are null where the reader counted no lines (a JSON document). */
function reportJson(r: SourceReport) {
  return {
    file: r.file, format: r.format, traces: r.traces, spans: r.spans, logs: r.logs, rejected: r.rejected, errors: r.errors,
    lines: r.tally?.lines ?? null, continuations: r.tally?.continuations ?? null, blank: r.tally?.blank ?? null, skipped: r.tally?.skipped ?? 0,
    duplicates: r.duplicates ?? 0, joinedExact: r.correlated?.exact ?? 0, joinedInferred: r.correlated?.inferred ?? 0, notes: r.notes ?? [],
  };
}

/** A source nothing could be read from: it had errors or rejected records and stored no record. */
function isUnread(r: SourceReport): boolean {
  return (r.errors.length > 0 || r.rejected > 0) && r.spans + r.logs === 0;
}

async function cmdImport(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...INPUT_OPTIONS, save: { type: 'string' } } });
  if (positionals.length === 0) throw new UsageError('import: name at least one file');
  const { store, reports, unreadable } = await loadInputs(positionals, importOptions(values), true);
  for (const u of unreadable) io.err(`tracedeck: ${u}`);
  // Exit 1 when an input could not be read at all, even if others were.
  const code = unreadable.length > 0 || reports.some(isUnread) ? 1 : 0;
  if (reports.length === 0 && unreadable.length > 0) return code;
  const engine = localClient(store);
  const t = await engine.call('totals');
  if (values.save) await engine.call('saveWorkspace', { kind: 'path', path: values.save });
  if (values.json) {
    io.out(JSON.stringify({ sources: reports.map(reportJson), totals: { traces: t.traces, spans: t.spans, logs: t.logs } }));
  } else {
    for (const r of reports) io.out(describeReport(r));
    io.out(`total: ${t.traces} traces, ${t.spans} spans, ${t.logs} logs${values.save ? ` (saved to ${values.save})` : ''}`);
  }
  return code;
}

async function cmdQuery(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...INPUT_OPTIONS, sql: { type: 'string' } } });
  if (!values.sql) throw new UsageError('query: --sql is required');
  if (positionals.length === 0) throw new UsageError('query: name at least one input');
  const engine = localClient((await loadInputs(positionals, importOptions(values))).store);
  let res;
  try {
    res = await engine.call('sql', values.sql);
  } catch (e) {
    io.err(`query: ${(e as Error).message}`);
    return 2;
  }
  if (values.json) {
    io.out(stringifyExact(res.rows.map((r) => Object.fromEntries(res.columns.map((c, i) => [c, r[i] instanceof Uint8Array ? '<blob>' : r[i]])))));
  } else {
    io.out(res.columns.join('\t'));
    for (const r of res.rows) io.out(r.map((v) => (v === null ? 'NULL' : String(v))).join('\t'));
  }
  return 0;
}

/** Run the command line; returns the exit code. */
export async function main(argv: string[], io: CommandIo = { out: (s) => console.log(s), err: (s) => console.error(s) }): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === 'import') return await cmdImport(rest, io);
    if (cmd === 'query') return await cmdQuery(rest, io);
    if (cmd === 'gen') return await cmdGen(rest, io);
    const sub = COMMANDS.find((c) => c.name === cmd || (rest[0] !== undefined && c.name === `${cmd} ${rest[0]}`));
    if (sub) {
      const args = sub.name.includes(' ') ? rest.slice(1) : rest;
      return await sub.run(args, io, (paths, options) => loadInputs(paths, options).then((l) => localClient(l.store)));
    }
    if (cmd === undefined || cmd === '--help' || cmd === 'help' || cmd === '-h') {
      io.out(USAGE);
      return cmd === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command "${cmd}"`);
  } catch (e) {
    if (e instanceof UnreadableInput) {
      io.err(`tracedeck: ${e.message}`);
      return 1;
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`tracedeck: ${(e as Error).message}\n${USAGE}`);
      return 2;
    }
    io.err(`tracedeck: ${(e as Error).stack ?? e}`);
    return 1;
  }
}

export type { Store };
