// PostgreSQL's csvlog (https://www.postgresql.org/docs/current/runtime-config-logging.html#RUNTIME-CONFIG-LOGGING-CSVLOG):
// one CSV record per event, read with Papa Parse (https://www.papaparse.com/); quoted fields may
// span lines (a multi-line statement), and such a record is one log record, its further lines
// counted as continuations. The columns are those of PostgreSQL 15 (26: log_time … query_id);
// versions before 13 write 23 and 13 writes 24, which read the same way, the missing ones empty.
// Fields keep the names of PostgreSQL's jsonlog, so the two destinations give the same records:
// timestamp, user, dbname, pid, … (empty fields are left out).

import Papa from 'papaparse';
import type { LogRecord } from '../../model/log.ts';
import type { Attributes } from '../../model/trace.ts';
import { newRecord } from './record.ts';
import { lineFormat, type LineParser, type ParseEnv } from './reader.ts';
import { severityFromText } from './severity.ts';
import { headLines } from './text-source.ts';
import { postgresStampToNs, POSTGRES_STAMP } from './postgres.ts';

/** csvlog columns in order, under their jsonlog names. */
const COLUMNS = [
  'timestamp', 'user', 'dbname', 'pid', 'remote_host', 'session_id', 'line_num', 'ps', 'session_start', 'vxid', 'txid',
  'error_severity', 'state_code', 'message', 'detail', 'hint', 'internal_query', 'internal_position', 'context', 'statement',
  'cursor_position', 'location', 'application_name', 'backend_type', 'leader_pid', 'query_id',
];
const NUMERIC = new Set(['pid', 'line_num', 'txid', 'internal_position', 'cursor_position', 'leader_pid']);
const SEVERITIES = /^(?:LOG|ERROR|WARNING|FATAL|PANIC|NOTICE|INFO|DEBUG[1-5]?)$/;
const FIRST_FIELD = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?: \S+)?),/;

function countQuotes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}

/** The fields of one CSV record, or null when it is not a csvlog record. */
function parseRow(text: string): string[] | null {
  const r = Papa.parse<string[]>(text, { delimiter: ',', quoteChar: '"', header: false });
  const row = r.data[0];
  if (!row || row.length < 23 || row.length > COLUMNS.length || !POSTGRES_STAMP.test(row[0]) || !SEVERITIES.test(row[11])) return null;
  return row;
}

class PostgresCsvParser implements LineParser {
  readonly continuation = 'reject' as const;
  private held: string[] = [];
  private heldLine = 0;
  private open = false;
  constructor(private readonly env: ParseEnv) {}

  /** Lines that end inside a quoted field are held until the record's last line. */
  skip(text: string, line: number): 'hold' | false {
    const open = this.open !== (countQuotes(text) % 2 === 1);
    if (!open) return false;
    if (!this.open) this.heldLine = line;
    this.held.push(text);
    this.open = true;
    return 'hold';
  }

  parse(text: string, line: number): LogRecord {
    let whole = text;
    let first = line;
    if (this.held.length > 0) {
      whole = this.held.join('\n') + '\n' + text;
      first = this.heldLine;
      this.held = [];
      this.open = false;
    }
    const row = parseRow(whole);
    if (!row) throw new Error('not a PostgreSQL csvlog record (expected 23 to 26 fields starting with a time and holding a severity)');
    return this.record(row, first);
  }

  private record(row: string[], line: number): LogRecord {
    const attrs: Attributes = {};
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (v === '' || i === 0 || i === 11 || i === 13) continue;
      attrs[COLUMNS[i]] = NUMERIC.has(COLUMNS[i]) && /^\d{1,15}$/.test(v) ? Number(v) : v;
    }
    const rec = newRecord(line, row[13], this.env.service);
    const m = POSTGRES_STAMP.exec(row[0]);
    rec.timeNs = m ? postgresStampToNs(m, 1, this.env) : null;
    rec.severity = severityFromText(row[11]);
    rec.severityText = row[11];
    rec.attributes = attrs;
    return rec;
  }

  end(_emit: (r: LogRecord) => void, reject: (line: number, message: string) => void): void {
    if (this.held.length > 0) reject(this.heldLine, `a quoted field is not closed (${this.held.length} line(s) held)`);
    this.held = [];
  }
}

export const LOGS_POSTGRES_CSV = lineFormat({
  id: 'logs-postgres-csv',
  label: 'PostgreSQL csvlog',
  detect(head) {
    const lines = headLines(head, head.length >= 64 * 1024).filter((l) => l !== '');
    if (lines.length === 0 || !FIRST_FIELD.test(lines[0])) return 0;
    // Whole records only: cut the head after the last line that ends outside quotes.
    let open = false;
    let lastClosed = -1;
    for (let i = 0; i < lines.length && i < 400; i++) {
      if (countQuotes(lines[i]) % 2 === 1) open = !open;
      if (!open) lastClosed = i;
    }
    if (lastClosed < 0) return 0;
    const rows = Papa.parse<string[]>(lines.slice(0, lastClosed + 1).join('\n'), { delimiter: ',', header: false }).data;
    const good = rows.filter((r) => r.length >= 23 && r.length <= COLUMNS.length && POSTGRES_STAMP.test(r[0]) && SEVERITIES.test(r[11])).length;
    return rows.length === 0 ? 0 : good / rows.length;
  },
  parser: (env) => new PostgresCsvParser(env),
});
