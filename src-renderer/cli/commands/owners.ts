// `tracedeck owners <inputs...> [--catalog FILE...] [--write-catalog FILE] [--json]`: who owns each
// service of the loaded traces, as the app's catalog screen shows it (the engine's ownership
// request). Catalog files may be given among the inputs too: they are detected by content; --catalog
// only says so. With --json:
//   {"services":[{"service","owner","source","entry"}],"unowned":[service...],"notObserved":[entry name...]}
// source is catalog | catalog-normalised | alias | resource-attribute, or null without an owner.
// --write-catalog writes the catalog as Backstage YAML with the observed calls as dependsOn.

import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import type { Command, CommandIo, LoadEngine } from './registry.ts';

const USAGE = 'tracedeck owners <inputs...> [--catalog FILE...] [--write-catalog FILE] [--json] [--format ID] [--tz ZONE]';

async function runOwners(argv: string[], io: CommandIo, load: LoadEngine): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { catalog: { type: 'string', multiple: true }, 'write-catalog': { type: 'string' }, json: { type: 'boolean', default: false }, format: { type: 'string' }, tz: { type: 'string' } },
  });
  const inputs = [...positionals, ...(v.catalog ?? [])];
  if (inputs.length === 0) {
    io.err(`tracedeck owners: name at least one input\nusage: ${USAGE}`);
    return 2;
  }
  const engine = await load(inputs, { format: v.format, timeZone: v.tz });
  const view = await engine.call('ownership');
  if (v['write-catalog']) writeFileSync(v['write-catalog'], await engine.call('catalogYaml'));
  if (v.json) {
    io.out(JSON.stringify({
      services: view.services.map((s) => ({ service: s.service, owner: s.owner, source: s.source, entry: s.entry })),
      unowned: view.unowned,
      notObserved: view.notObserved.map((e) => e.name),
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
  if (v['write-catalog']) io.out(`catalog written to ${v['write-catalog']}`);
  return 0;
}

export const ownersCommand: Command = { name: 'owners', usage: USAGE, run: runOwners };
