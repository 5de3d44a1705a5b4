// zerolog's ConsoleWriter (https://github.com/rs/zerolog#pretty-logging), as Go services write it
// to a terminal or a file, with or without colour codes:
//   10:42AM INF main.go:20 > order placed order_id=17 trace_id=4bf92f35…
// The stamp is Go's time.Kitchen by default (a time of day: its date is inferred) or any stamp the
// program chose (RFC 3339 and the like); levels TRC DBG INF WRN ERR FTL PNC; an optional caller
// before " > "; the message; then key=value fields (values may be quoted), kept as attributes and
// searched for trace context like JSON fields.

import { newRecord, applyContext } from './record.ts';
import { layoutFormat } from './layout.ts';
import { severityFromText } from './severity.ts';
import { stampAtLineStart } from './timestamp.ts';
import { contextFromFields } from './trace-context.ts';

const LINE = /^(\d{1,2}:\d{2}[AP]M|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?|\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?) (TRC|DBG|INF|WRN|ERR|FTL|PNC|\?\?\?) (?:(\S+:\d+) > )?(.*)$/;
/** A key=value field at the end of the rest of the line. */
const LAST_FIELD = /(?:^|\s)([\w.@/-]+)=("(?:[^"\\]|\\.)*"|\S*)$/;

/** Split "message k=v k2="a b"" into the message and its fields. */
export function splitTrailingFields(rest: string): { message: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  let msg = rest;
  for (let i = 0; i < 64; i++) {
    const f = LAST_FIELD.exec(msg);
    if (!f) break;
    let v = f[2];
    if (v.startsWith('"')) {
      try {
        v = JSON.parse(v) as string;
      } catch {
        v = v.slice(1, -1);
      }
    }
    fields[f[1]] = v;
    msg = msg.slice(0, f.index).trimEnd();
  }
  return { message: msg, fields };
}

export const LOGS_ZEROLOG = layoutFormat({
  id: 'logs-zerolog',
  label: 'zerolog console',
  layouts: [LINE],
  build(m, _which, line, env) {
    const [, stamp, level, caller, rest] = m;
    const { message, fields } = splitTrailingFields(rest);
    const rec = newRecord(line, message, env.service);
    rec.timeNs = stampAtLineStart(stamp, 0, env.zone, env.years, env.days)?.ns ?? null;
    rec.severity = severityFromText(level);
    rec.severityText = level;
    const attrs: Record<string, string> = {};
    // Fields come out last first; keep them in the order written.
    for (const k of Object.keys(fields).reverse()) attrs[k] = fields[k];
    if (caller) attrs['code.caller'] = caller;
    rec.attributes = attrs;
    applyContext(rec, contextFromFields(fields, env.traceFields, env.spanFields));
    return rec;
  },
});
