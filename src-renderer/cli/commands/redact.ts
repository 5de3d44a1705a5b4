// `tracedeck redact <inputs...> --rules FILE --out FILE [--json]`: the workspace of the inputs
// with every text matching the rules replaced by stable pseudonyms (engine request
// exportRedactedWorkspace, as the app's Share redacted panel), written as a saved workspace that
// `tracedeck` and the app open. The rules file is YAML or JSON:
//   emails: true      # e-mail addresses
//   ips: true         # IPv4 and IPv6 addresses
//   secrets: true     # bearer tokens, API keys, credentials in attributes
//   userIds: true     # values of user id attributes (user.id, enduser.id, customer_id, …)
//   keys: [http.request.header.cookie]   # attribute keys whose values are replaced whole
//   patterns: ['ord-[0-9]{6}']           # regular expressions (refused if they can backtrack badly)
// Rules left out are on (the four kinds) or empty (keys, patterns). With --json the preview's
// counts are printed: {"out","counts":{rule:n},"cells"}. With --otlp the traces are written instead,
// as OTLP/JSON lines (one ExportTraceServiceRequest a line) that any OTLP reader opens.

import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_RULES, type RedactionRules } from '../../core/analysis/redact.ts';
import type { Command, CommandIo, LoadEngine } from './registry.ts';

const USAGE = 'tracedeck redact <inputs...> --rules FILE --out FILE [--otlp] [--json] [--format ID] [--tz ZONE]';

class RulesError extends Error {}

export function readRules(text: string, file: string): RedactionRules {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new RulesError(`${file}: ${(e as Error).message}`);
  }
  const r = (raw ?? {}) as Record<string, unknown>;
  if (typeof r !== 'object' || Array.isArray(r)) throw new RulesError(`${file}: expected a map of rules`);
  const known = ['emails', 'ips', 'secrets', 'userIds', 'keys', 'patterns'];
  for (const k of Object.keys(r)) if (!known.includes(k)) throw new RulesError(`${file}: unknown rule "${k}" (known: ${known.join(', ')})`);
  const flag = (k: 'emails' | 'ips' | 'secrets' | 'userIds') => {
    if (r[k] === undefined) return DEFAULT_RULES[k];
    if (typeof r[k] !== 'boolean') throw new RulesError(`${file}: ${k} must be true or false`);
    return r[k] as boolean;
  };
  const list = (k: 'keys' | 'patterns') => {
    const v = r[k] ?? [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new RulesError(`${file}: ${k} must be a list of strings`);
    return v as string[];
  };
  return { emails: flag('emails'), ips: flag('ips'), secrets: flag('secrets'), userIds: flag('userIds'), keys: list('keys'), patterns: list('patterns') };
}

async function runRedact(argv: string[], io: CommandIo, load: LoadEngine): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { rules: { type: 'string' }, out: { type: 'string' }, otlp: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, format: { type: 'string' }, tz: { type: 'string' } },
  });
  if (positionals.length === 0 || !v.rules || !v.out) {
    io.err(`tracedeck redact: name the inputs, --rules and --out\nusage: ${USAGE}`);
    return 2;
  }
  let rules: RedactionRules;
  try {
    rules = readRules(readFileSync(v.rules, 'utf8'), v.rules);
  } catch (e) {
    io.err(`tracedeck redact: ${(e as Error).message}`);
    return 2;
  }
  const engine = await load(positionals, { format: v.format, timeZone: v.tz });
  let preview;
  let bytes;
  try {
    preview = await engine.call('redactPreview', rules);
    bytes = v.otlp ? await engine.call('exportRedactedOtlp', rules) : await engine.call('exportRedactedWorkspace', rules);
  } catch (e) {
    io.err(`tracedeck redact: ${(e as Error).message}`);
    return 2;
  }
  writeFileSync(v.out, bytes);
  if (v.json) io.out(JSON.stringify({ out: v.out, counts: preview.counts, cells: preview.cells }));
  else {
    const counts = Object.entries(preview.counts).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing matched';
    io.out(`${preview.cells} values changed (distinct values per rule: ${counts}); redacted ${v.otlp ? 'traces (OTLP/JSON)' : 'workspace'} written to ${v.out}`);
  }
  return 0;
}

export const redactCommand: Command = { name: 'redact', usage: USAGE, run: runRedact };
