// W3C Extended Log File Format (https://www.w3.org/TR/WD-logfile.html), as written by IIS and
// Microsoft HTTP Server API: "#Directive: value" lines, of which "#Fields:" names the
// space-separated columns of the lines that follow (it may change mid-file). date and time are
// UTC by the spec (a user's time zone overrides). "-" is an empty value. Severity follows
// sc-status (5xx error, 4xx warn). The message is "method uri-stem[?query] status".

import type { FormatDef } from '../types.ts';
import type { LogRecord } from '../../model/log.ts';
import type { Attributes } from '../../model/trace.ts';
import { LogLineReader, newRecord, type LineParser, type ParseEnv } from './reader.ts';
import { findTimestamp } from './timestamp.ts';
import { headLines } from './text-source.ts';
import { UTC_ZONE } from './zone.ts';

class W3cParser implements LineParser {
  readonly continuation = 'reject' as const;
  private fields: string[] | null = null;
  constructor(private readonly env: ParseEnv, private readonly zoneSet: boolean) {}

  skip(text: string): boolean {
    if (text.charCodeAt(0) !== 35) return false; // '#'
    const m = /^#Fields:\s*(.*)$/.exec(text);
    if (m) this.fields = m[1].trim().split(/\s+/);
    return true;
  }

  parse(text: string, line: number): LogRecord | null {
    if (!this.fields) throw new Error('a record before any "#Fields:" directive');
    const values = text.trim().split(/\s+/);
    if (values.length !== this.fields.length) throw new Error(`${values.length} values for ${this.fields.length} fields`);
    const attrs: Attributes = {};
    const get = (f: string): string | null => {
      const i = this.fields!.indexOf(f);
      return i >= 0 && values[i] !== '-' ? values[i] : null;
    };
    this.fields.forEach((f, i) => {
      if (values[i] !== '-') attrs[f] = values[i].replace(/\+/g, f.includes('User-Agent') ? ' ' : '+');
    });
    const status = get('sc-status');
    const query = get('cs-uri-query');
    const message = [get('cs-method'), (get('cs-uri-stem') ?? '') + (query ? `?${query}` : ''), status].filter((x) => x).join(' ');
    const rec = newRecord(line, message || text, this.env.service ?? get('s-sitename'));
    const date = get('date');
    const time = get('time');
    if (date && time) rec.timeNs = findTimestamp(`${date} ${time}`, 0, this.zoneSet ? this.env.zone : UTC_ZONE)?.ns ?? null;
    const code = status ? Number(status) : NaN;
    if (!Number.isNaN(code)) {
      rec.severity = code >= 500 ? 'error' : code >= 400 ? 'warn' : 'info';
      rec.severityText = status!;
    }
    rec.attributes = attrs;
    return rec;
  }
}

export const LOGS_W3C: FormatDef = {
  id: 'logs-w3c',
  label: 'W3C extended log',
  kind: 'logs',
  detect(head) {
    const lines = headLines(head, head.length >= 64 * 1024);
    const directives = lines.filter((l) => /^#(Software|Version|Date|Fields|Remark|Start-Date|End-Date):/.test(l)).length;
    return lines.some((l) => l.startsWith('#Fields:')) ? Math.min(1, 0.6 + directives * 0.1) : 0;
  },
  create(ctx) {
    return new LogLineReader(ctx, (env) => new W3cParser(env, !!ctx.options?.timeZone));
  },
};
