// `tracedeck notes <inputs...> [--json]`: the notes and stars kept in a saved workspace (a span,
// a trace, a log line or a time range each), through the same request as the app's Bookmarks
// panel (EngineCore.notes). Times of ranges leave as decimal strings of ns (exact).

import { parseArgs } from 'node:util';
import type { Command } from './registry.ts';
import type { Note } from '../../store/workspace-items.ts';
import { formatIsoNs } from '../../core/base/time.ts';

const USAGE = 'tracedeck notes <ws.tracedeck> [--json]';

/** What a note is on, in words. */
function describeAnchor(n: Note): string {
  if (n.target === 'span') return `span ${n.spanId} of trace ${n.traceId}`;
  if (n.target === 'trace') return `trace ${n.traceId}`;
  if (n.target === 'log') return `log line ${n.logRow}`;
  const at = (ns: string | null) => (ns === null ? '?' : formatIsoNs(ns));
  return `${at(n.fromNs)} to ${at(n.toNs)}`;
}

export const notesCommand: Command = {
  name: 'notes',
  usage: USAGE,
  async run(argv, io, load) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
    if (positionals.length === 0) {
      io.err(`tracedeck: notes: name a saved workspace\nusage: ${USAGE}`);
      return 2;
    }
    const notes = await (await load(positionals)).call('notes');
    if (values.json) {
      io.out(JSON.stringify({ notes }));
      return 0;
    }
    for (const n of notes) {
      const label = n.label ? ` "${n.label}"` : '';
      io.out(`${n.starred ? '★' : '·'} ${describeAnchor(n)}${label}${n.body ? `: ${n.body}` : ''}`);
    }
    io.out(`${notes.length} note${notes.length === 1 ? '' : 's'}`);
    return 0;
  },
};
