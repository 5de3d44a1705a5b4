// `tracedeck service-map <inputs...> [--json|--mermaid|--dot]`: services as nodes and the calls
// between them as edges, as the app's map asks the engine for them (EngineCore.serviceMap). With
// --json:
//   {"services":[{"name","spans","errors","owner","ownerSource"}],"edges":[{"from","to","calls","errors","p50Ns","p99Ns"}]}
// (durations as integers of ns; owner as the catalog or the spans' service.owner write it, source
// catalog | catalog-normalised | alias | resource-attribute, both null when nothing names one);
// --mermaid and --dot write the same map for Markdown or Graphviz, the owner under each name.

import { parseArgs } from 'node:util';
import { serviceMapJson, serviceMapMermaid, serviceMapDot, edgeLabel, nodeOwnerLine } from '../../core/analysis/service-map-export.ts';
import type { Command } from './registry.ts';

export const SERVICE_MAP_USAGE = 'tracedeck service-map <inputs...> [--json|--mermaid|--dot] [--format ID] [--tz ZONE]';

export const serviceMapCommand: Command = {
  name: 'service-map',
  usage: SERVICE_MAP_USAGE,
  async run(argv, io, load) {
    const { values: v, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, mermaid: { type: 'boolean' }, dot: { type: 'boolean' }, format: { type: 'string' }, tz: { type: 'string' } },
    });
    if (positionals.length === 0 || [v.json, v.mermaid, v.dot].filter(Boolean).length > 1) {
      io.err(`tracedeck service-map: ${positionals.length === 0 ? 'name at least one input' : 'one of --json, --mermaid, --dot'}\nusage: ${SERVICE_MAP_USAGE}`);
      return 2;
    }
    const engine = await load(positionals, { format: v.format, timeZone: v.tz });
    const map = await engine.call('serviceMap');
    if (v.json) io.out(serviceMapJson(map));
    else if (v.mermaid) io.out(serviceMapMermaid(map).trimEnd());
    else if (v.dot) io.out(serviceMapDot(map).trimEnd());
    else {
      for (const s of map.services) io.out(`${s.name}  ${s.spans} spans${s.errors ? `, ${s.errors} errors` : ''}${s.owner ? `  owner ${nodeOwnerLine(s)}` : ''}`);
      for (const e of map.edges) io.out(`${e.from} -> ${e.to}  ${edgeLabel(e)}`);
    }
    return 0;
  },
};
