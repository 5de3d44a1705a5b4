// PostgreSQL's server log on stderr (https://www.postgresql.org/docs/current/runtime-config-logging.html),
// with any log_line_prefix that starts with the time and the pid: Debian's "%m [%p] %q%u@%d ",
//   2026-12-06 21:26:45.620 UTC [15194] postgres@shop ERROR:  duplicate key value violates unique constraint "orders_pkey"
//   2026-12-06 21:26:45.620 UTC [15194] postgres@shop DETAIL:  Key (id)=(1) already exists.
//   2026-12-06 21:26:45.620 UTC [15194] postgres@shop STATEMENT:  INSERT INTO orders VALUES (1, 'linus', 3.00)
// or the default "%m [%p] ". The level is the word before ":  " (two spaces: PostgreSQL's own
// separator). An event's DETAIL, HINT, QUERY, CONTEXT, LOCATION and STATEMENT lines carry their
// own prefix and stamp but belong to the event: they join the record of the same pid above.
// Lines of a multi-line message or statement are indented with a tab and join it too. With
// log_error_verbosity = verbose the SQLSTATE follows the level ("ERROR:  42703: …") and is kept.

import { wallTimeToEpochNs, type EpochNs } from '../../base/time.ts';
import { newRecord } from './record.ts';
import { Continues, lineFormat, scoreLines, stripAnsi, type LineParser, type ParseEnv } from './reader.ts';
import type { LogRecord } from '../../model/log.ts';
import { severityFromText } from './severity.ts';
import { ZONE_ABBREVIATIONS } from './zone.ts';

const STAMP = String.raw`(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: ([A-Za-z]{1,6}|[+-]\d{2}(?::?\d{2})?))?`;
const LEVELS = 'LOG|ERROR|WARNING|FATAL|PANIC|NOTICE|INFO|DEBUG[1-5]?';
const SECONDARY = 'DETAIL|HINT|QUERY|CONTEXT|LOCATION|STATEMENT';
const LINE = new RegExp(`^${STAMP} \\[(\\d+)\\](.*?) (${LEVELS}|${SECONDARY}):  (?:([0-9A-Z]{5}): )?(.*)$`);
const SECONDARY_LEVEL = new RegExp(`^(?:${SECONDARY})$`);

/** PostgreSQL's %m / %t stamp ("2026-12-06 21:26:45.620 UTC", "… +01", "… CEST") to epoch ns. */
export function postgresStampToNs(m: RegExpExecArray | string[], from: number, env: ParseEnv): EpochNs | null {
  const [y, mo, d, h, mi, s, frac, zone] = m.slice(from, from + 8);
  let offset: number | null = null;
  if (zone) {
    if (zone[0] === '+' || zone[0] === '-') {
      const digits = zone.slice(1).replace(':', '');
      offset = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
    } else offset = ZONE_ABBREVIATIONS[zone.toUpperCase()] ?? null;
  }
  return wallTimeToEpochNs(+y, +mo, +d, +h, +mi, +s, frac, offset ?? env.zone);
}

export const POSTGRES_STAMP = new RegExp(`^${STAMP}$`);

class PostgresParser implements LineParser {
  readonly continuation = 'join' as const;
  private lastPid = '';
  constructor(private readonly env: ParseEnv) {}

  parse(raw: string, line: number): LogRecord | Continues | null {
    const text = stripAnsi(raw);
    const m = LINE.exec(text);
    if (!m) return null;
    const [pid, middle, level, sqlState, msg] = m.slice(9, 14);
    if (SECONDARY_LEVEL.test(level) && pid === this.lastPid) return new Continues(`${level}:  ${msg}`);
    this.lastPid = pid;
    const rec = newRecord(line, msg, this.env.service);
    rec.timeNs = postgresStampToNs(m, 1, this.env);
    rec.severity = severityFromText(level);
    rec.severityText = level;
    rec.attributes['process.pid'] = Number(pid);
    // "%q%u@%d": user and database (absent for background processes, "[unknown]" before authentication).
    const who = /^ (\S*)@(\S*)$/.exec(middle);
    if (who) {
      if (who[1] && who[1] !== '[unknown]') rec.attributes['db.user'] = who[1];
      if (who[2] && who[2] !== '[unknown]') rec.attributes['db.name'] = who[2];
    } else if (middle.trim()) rec.attributes['log.prefix'] = middle.trim();
    if (sqlState) rec.attributes['db.response.status_code'] = sqlState;
    return rec;
  }
}

export const LOGS_POSTGRES = lineFormat({
  id: 'logs-postgres',
  label: 'PostgreSQL server log',
  detect(head) {
    return scoreLines(head, (l) => (LINE.test(l) ? 'yes' : /^\s/.test(l) ? 'neutral' : 'no'));
  },
  parser: (env) => new PostgresParser(env),
});
