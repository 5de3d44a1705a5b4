// `tracedeck owners <inputs...> [--catalog FILE...] [--from T --to T] [--write-catalog FILE] [--json]`:
// who owns each service of the loaded traces, as the app's Owners screen shows it (the engine's
// ownership request), and who to page for the window (its whoToPage request). Catalog files may be
// given among the inputs too: they are detected by content; --catalog only says so. With --json:
//   {"services":[{"service","owner","source","entry","peer"}],"unowned":[service...],"notObserved":[entry name...],
//    "page":[{"owner","service","failingTraces","addedCriticalPathNs","via","onCall","chat","runbook","traceIds"}]}
// source is catalog | catalog-normalised | alias | resource-attribute, or null without an owner.
// "page" ranks the nodes where the window's failing requests began, then those whose critical-path
// time grew against the window before (as long, ending at --from); without --from and --to the
// window is all the data and nothing is compared. T is RFC 3339 or integer nanoseconds since the epoch.
// --write-catalog writes the catalog as Backstage YAML with the observed calls as dependsOn.

import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { timeWindowArg, formatDuration } from '../../core/base/time.ts';
import type { PageRow } from '../../engine/wire/page.ts';
import type { Command, CommandIo, LoadEngine } from './registry.ts';

const USAGE = 'tracedeck owners <inputs...> [--catalog FILE...] [--from T --to T] [--write-catalog FILE] [--json] [--format ID] [--tz ZONE]';

/** The page list as --json prints it. */
export function pageJson(rows: readonly PageRow[]): unknown[] {
  return rows.map((r) => ({
    owner: r.owner, service: r.service, failingTraces: r.failingTraces, addedCriticalPathNs: r.addedCriticalPathNs, via: r.via,
    onCall: r.onCall ?? (r.pagerDuty ? `pagerduty:${r.pagerDuty}` : null), chat: r.chat, runbook: r.runbook?.url ?? null, traceIds: r.traceIds,
  }));
}

async function runOwners(argv: string[], io: CommandIo, load: LoadEngine): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      catalog: { type: 'string', multiple: true }, 'write-catalog': { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
      json: { type: 'boolean', default: false }, format: { type: 'string' }, tz: { type: 'string' },
    },
  });
  let window: { fromNs?: string; toNs?: string };
  try {
    window = { fromNs: timeWindowArg('--from', v.from ?? ''), toNs: timeWindowArg('--to', v.to ?? '') };
  } catch (e) {
    io.err(`tracedeck owners: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  if ((window.fromNs === undefined) !== (window.toNs === undefined)) {
    io.err('tracedeck owners: --from and --to go together');
    return 2;
  }
  const inputs = [...positionals, ...(v.catalog ?? [])];
  if (inputs.length === 0) {
    io.err(`tracedeck owners: name at least one input\nusage: ${USAGE}`);
    return 2;
  }
  const engine = await load(inputs, { format: v.format, timeZone: v.tz });
  const view = await engine.call('ownership');
  const page = await engine.call('whoToPage', window);
  if (v['write-catalog']) writeFileSync(v['write-catalog'], await engine.call('catalogYaml'));
  if (v.json) {
    io.out(JSON.stringify({
      services: view.services.map((s) => ({ service: s.service, owner: s.owner, source: s.source, entry: s.entry, peer: s.peer })),
      unowned: view.unowned,
      notObserved: view.notObserved.map((e) => e.name),
      page: pageJson(page.rows),
    }));
    return 0;
  }
  const width = Math.max(7, ...view.services.map((s) => s.service.length));
  for (const s of view.services) {
    const via = s.source === null ? '' : s.source === 'catalog' ? '' : `  (${s.source}${s.entry !== null && s.entry !== s.service ? `: ${s.entry}` : ''})`;
    io.out(`${s.service.padEnd(width)}  ${s.owner ?? 'unowned'}${via}`);
  }
  if (!view.hasCatalog) io.out('no catalog loaded: owners come from resource attributes only');
  if (view.unowned.length > 0) io.out(`unowned: ${view.unowned.join(', ')}`);
  if (view.notObserved.length > 0) io.out(`in the catalog, not observed: ${view.notObserved.map((e) => e.name).join(', ')}`);
  io.out(`who to page: ${page.failing} failing request${page.failing === 1 ? '' : 's'}${page.beforeFromNs ? ', critical-path time against the window before' : ''}`);
  for (const r of page.rows) {
    const grew = r.addedCriticalPathNs > 0 ? `, +${formatDuration(r.addedCriticalPathNs)} critical path` : '';
    const links = [r.onCall && `on call ${r.onCall}`, r.chat && `chat ${r.chat}`, r.runbook && `runbook ${r.runbook.url}`].filter(Boolean).join(', ');
    io.out(`  ${r.owner ?? 'unowned'}  ${r.service}${r.via ? ` (called by ${r.via})` : ''}: ${r.failingTraces} failing${grew}${links ? `; ${links}` : ''}`);
  }
  if (v['write-catalog']) io.out(`catalog written to ${v['write-catalog']}`);
  return 0;
}

export const ownersCommand: Command = { name: 'owners', usage: USAGE, run: runOwners };
