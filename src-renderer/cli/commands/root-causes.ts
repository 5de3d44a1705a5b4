// `tracedeck root-causes <inputs...> [--service S --operation O] [--from T] [--to T] [--json]`: the
// common root causes of the failing requests (every trace's root, or the entry spans of operation
// O of service S; traces starting between --from and --to), as the app's Root causes panel asks
// the engine's rootCauses request. T is RFC 3339 or integer nanoseconds since the epoch. With --json:
//   {"failing":N,"groups":[{"service","operation","error","traces","traceIds":[...]}]}
// `service` is the root-cause span's node (its service, or the database, cache or host it calls),
// `operation` its grouped operation and `error` the pattern of its error; most traces first.

import { parseArgs } from 'node:util';
import { parseTimeArg } from '../../core/base/time.ts';
import type { Command } from './registry.ts';

function timeArg(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = parseTimeArg(v);
  if (t === null) throw Object.assign(new Error(`root-causes: --${name} "${v}" is neither RFC 3339 nor integer nanoseconds`), { code: 'ERR_PARSE_ARGS_BAD_TIME' });
  return t.toString();
}

export const rootCausesCommand: Command = {
  name: 'root-causes',
  usage: 'tracedeck root-causes <inputs...> [--service S --operation O] [--from T] [--to T] [--json] [--format ID] [--tz ZONE]',
  async run(argv, io, load) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        service: { type: 'string' }, operation: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
        json: { type: 'boolean', default: false }, format: { type: 'string' }, tz: { type: 'string' },
      },
    });
    if (positionals.length === 0) {
      io.err('tracedeck root-causes: name at least one input');
      return 2;
    }
    if ((values.service === undefined) !== (values.operation === undefined)) {
      io.err('tracedeck root-causes: --service and --operation go together');
      return 2;
    }
    const filter = { service: values.service, operation: values.operation, fromNs: timeArg('from', values.from), toNs: timeArg('to', values.to) };
    const engine = await load(positionals, { format: values.format, timeZone: values.tz });
    const r = await engine.call('rootCauses', filter);
    if (values.json) {
      io.out(JSON.stringify({ failing: r.failing, groups: r.groups }));
      return 0;
    }
    const of = values.operation !== undefined ? ` of ${values.service} ${values.operation}` : '';
    io.out(`${r.failing} failing request${r.failing === 1 ? '' : 's'}${of}`);
    for (const g of r.groups) io.out(`  ${g.traces} of ${r.failing}  ${g.service}  ${g.operation}: ${g.error}`);
    return 0;
  },
};
