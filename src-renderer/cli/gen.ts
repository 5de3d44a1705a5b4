// `tracedeck gen`: writes the demo incident (or a bigger dataset for benchmarks) to a folder of
// files, or to a zip. `--demo` writes the small copy that ships in assets/.

import { parseArgs } from 'node:util';
import { mkdirSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { generateIncident, DEMO_FILES, type DemoFile, type IncidentOptions } from '../core/demo/incident.ts';
import type { CommandIo } from './commands/registry.ts';

export const GEN_USAGE = 'tracedeck gen [--spans N] [--seed N] [--no-broken] --out DIR|FILE.zip';

/** Write the generated files into a folder, buffering lines so millions of them stay fast. */
export function writeDataset(dir: string, opts: IncidentOptions): Record<DemoFile, number> {
  mkdirSync(dir, { recursive: true });
  const fds = new Map<DemoFile, number>(DEMO_FILES.map((f) => [f, openSync(join(dir, f), 'w')]));
  const bufs = new Map<DemoFile, string[]>(DEMO_FILES.map((f) => [f, []]));
  const counts = Object.fromEntries(DEMO_FILES.map((f) => [f, 0])) as Record<DemoFile, number>;
  const flush = (f: DemoFile) => {
    const b = bufs.get(f)!;
    if (b.length) writeSync(fds.get(f)!, b.join('\n') + '\n');
    b.length = 0;
  };
  for (const line of generateIncident(opts)) {
    const b = bufs.get(line.file)!;
    b.push(line.text);
    counts[line.file]++;
    if (b.length >= 2000) flush(line.file);
  }
  for (const f of DEMO_FILES) {
    flush(f);
    closeSync(fds.get(f)!);
  }
  return counts;
}

/** The demo as one deterministic zip (fixed dates, fixed order). */
export function demoZip(opts: IncidentOptions = {}): Uint8Array {
  const texts = new Map<DemoFile, string[]>(DEMO_FILES.map((f) => [f, []]));
  for (const line of generateIncident(opts)) texts.get(line.file)!.push(line.text);
  const mtime = new Date(Date.UTC(2026, 10, 20, 12, 0, 0));
  const entries = Object.fromEntries(DEMO_FILES.map((f) => [`demo-incident/${f}`, [strToU8(texts.get(f)!.join('\n') + '\n'), { mtime, level: 9 }]]));
  return zipSync(entries as Parameters<typeof zipSync>[0]);
}

export async function cmdGen(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, spans: { type: 'string' }, seed: { type: 'string' }, 'no-broken': { type: 'boolean', default: false } },
  });
  if (!values.out) throw Object.assign(new Error(`gen: --out is required\n${GEN_USAGE}`), { code: 'ERR_PARSE_ARGS_USAGE' });
  const spans = values.spans ? Number(values.spans) : undefined;
  const opts: IncidentOptions = {
    seed: values.seed ? Number(values.seed) : undefined,
    broken: !values['no-broken'],
    // A request makes ~10.6 spans on average: aim a little high and stop at the count asked for.
    ...(spans ? { maxSpans: spans, meanGapMs: Math.max(0.05, (120 * 60_000 * 10) / spans) } : {}),
  };
  if (values.out.endsWith('.zip')) {
    mkdirSync(dirname(values.out), { recursive: true });
    const bytes = demoZip(opts);
    writeFileSync(values.out, bytes);
    io.out(`wrote ${values.out} (${bytes.length} bytes)`);
  } else {
    const counts = writeDataset(values.out, opts);
    io.out(`wrote ${values.out}: ${Object.entries(counts).map(([f, n]) => `${f} ${n} lines`).join(', ')}`);
  }
  return 0;
}
