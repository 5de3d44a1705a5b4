// `tracedeck report <inputs...> --from T --to T [--format md|html] [--out FILE] [--slo FILE...] [--title TEXT]`:
// the postmortem report of the window (the engine's report request, as the app's report view
// shows it), written as Markdown or as one self-contained HTML file (no script; every string
// from the data escaped). SLO files (OpenSLO or Sloth, as `slo` reads them) add the SLO impact.
// T is RFC 3339 or integer nanoseconds since the epoch. Without --out the report is printed.

import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { timeWindowArg } from '../../core/base/time.ts';
import { reportHtml, reportMarkdown } from '../../core/analysis/report-render.ts';
import type { SloDefinition } from '../../core/analysis/slo.ts';
import type { Command, CommandIo, LoadEngine } from './registry.ts';

const USAGE = 'tracedeck report <inputs...> --from T --to T [--format md|html] [--out FILE] [--slo FILE...] [--title TEXT] [--tz ZONE]';

async function runReport(argv: string[], io: CommandIo, load: LoadEngine): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'md' }, out: { type: 'string' }, slo: { type: 'string', multiple: true },
      title: { type: 'string' }, 'input-format': { type: 'string' }, tz: { type: 'string' },
    },
  });
  let fromNs: string | undefined;
  let toNs: string | undefined;
  try {
    fromNs = timeWindowArg('--from', v.from ?? '');
    toNs = timeWindowArg('--to', v.to ?? '');
  } catch (e) {
    io.err(`tracedeck report: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  if (positionals.length === 0 || fromNs === undefined || toNs === undefined || (v.format !== 'md' && v.format !== 'html')) {
    io.err(`tracedeck report: name the inputs, --from and --to; --format is md or html\nusage: ${USAGE}`);
    return 2;
  }
  const engine = await load(positionals, { format: v['input-format'], timeZone: v.tz });
  const slos: SloDefinition[] = [];
  for (const f of v.slo ?? []) {
    const imported = await engine.call('sloImportYaml', readFileSync(f, 'utf8'));
    slos.push(...imported.items.map((i) => i.definition));
  }
  const model = await engine.call('reportModel', { fromNs, toNs, title: v.title, slos });
  const text = v.format === 'html' ? reportHtml(model) : reportMarkdown(model);
  if (v.out) {
    writeFileSync(v.out, text);
    io.out(`report written to ${v.out}`);
  } else io.out(text);
  return 0;
}

export const reportCommand: Command = { name: 'report', usage: USAGE, run: runReport };
