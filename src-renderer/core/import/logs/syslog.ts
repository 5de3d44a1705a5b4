// Syslog files.
// RFC 3164 (BSD, https://www.rfc-editor.org/rfc/rfc3164): "[<PRI>]Mmm dd hh:mm:ss HOST TAG[PID]: MSG",
//   the stamp has no year (inferred, timestamp.ts YearGuesser) and no zone (the file's zone).
//   Also accepted: rsyslog's high-precision variant with an RFC 3339 stamp in its place.
// RFC 5424 (https://www.rfc-editor.org/rfc/rfc5424): "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG";
//   files written by collectors often drop "<PRI>1 ", which is accepted. Structured data is kept as
//   attributes "sd.<id>.<param>"; the `opentelemetry` SD-ID's trace_id/span_id and a "level" param
//   are read. Severity comes from PRI % 8, else from a level word.
// The app name (TAG / APP-NAME) is the record's service.

import type { FormatDef } from '../types.ts';
import type { LogRecord } from '../../model/log.ts';
import type { Attributes } from '../../model/trace.ts';
import { LogLineReader, scoreLines, newRecord, applyContext, stripAnsi, type LineParser, type ParseEnv } from './reader.ts';
import { findTimestamp } from './timestamp.ts';
import { severityFromSyslog, severityFromText } from './severity.ts';
import { contextFromFields } from './trace-context.ts';

const RFC3164 =
  /^(?:<(\d{1,3})>)?((?:[A-Z][a-z]{2}\s{1,2}\d{1,2}\s\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:\s\d{4}(?=\s))?)|(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?))\s+(\S+)\s+([^\s:[]{1,64})(?:\[([^\]\s]*)\])?:\s?(.*)$/;

const RFC5424 =
  /^(?:<(\d{1,3})>\d{1,2}\s)?(-|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))\s(\S{1,255})\s(\S{1,48})\s(\S{1,128})\s(\S{1,32})\s(-|(?:\[(?:[^\]\\]|\\.)*\])+)(?:\s(.*))?$/;

function nil(v: string | undefined): string | null {
  return v === undefined || v === '-' ? null : v;
}

class Syslog3164Parser implements LineParser {
  readonly continuation = 'join' as const;
  constructor(private readonly env: ParseEnv) {}
  parse(raw: string, line: number): LogRecord | null {
    const text = stripAnsi(raw);
    const m = RFC3164.exec(text);
    if (!m) return null;
    const [, pri, stamp, host, tag, pid, msg] = m;
    const rec = newRecord(line, msg, tag || this.env.service);
    rec.timeNs = findTimestamp(stamp, 0, this.env.zone, this.env.years)?.ns ?? null;
    const attrs: Attributes = { 'host.name': host, 'syslog.tag': tag };
    if (pid) attrs['process.pid'] = pid;
    if (pri !== undefined) {
      const p = Number(pri);
      attrs['syslog.facility'] = p >> 3;
      rec.severity = severityFromSyslog(p & 7);
      rec.severityText = String(p & 7);
    }
    rec.attributes = attrs;
    return rec;
  }
}

/** "[id k="v" k2="v2"][id2 ...]" to attributes; returns the params by SD-ID too. */
export function parseStructuredData(sd: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const elem = /\[([^\s\]]+)((?:\s+[^\s=\]]+="(?:[^"\\]|\\.)*")*)\s*\]/g;
  let m: RegExpExecArray | null;
  while ((m = elem.exec(sd))) {
    const params: Record<string, string> = (out[m[1]] ??= {});
    const pr = /([^\s=\]]+)="((?:[^"\\]|\\.)*)"/g;
    let p: RegExpExecArray | null;
    while ((p = pr.exec(m[2]))) params[p[1]] = p[2].replace(/\\(["\\\]])/g, '$1');
  }
  return out;
}

class Syslog5424Parser implements LineParser {
  readonly continuation = 'join' as const;
  constructor(private readonly env: ParseEnv) {}
  parse(raw: string, line: number): LogRecord | null {
    const m = RFC5424.exec(raw);
    if (!m) return null;
    const [, pri, stamp, host, app, procid, msgid, sd, msg] = m;
    let message = msg ?? '';
    if (message.charCodeAt(0) === 0xfeff) message = message.slice(1); // the BOM RFC 5424 puts before UTF-8 messages
    const rec = newRecord(line, message, nil(app) ?? this.env.service);
    rec.timeNs = stamp === '-' ? null : (findTimestamp(stamp, 0, this.env.zone)?.ns ?? null);
    const attrs: Attributes = {};
    if (nil(host)) attrs['host.name'] = host;
    if (nil(app)) attrs['syslog.app_name'] = app;
    if (nil(procid)) attrs['process.pid'] = procid;
    if (nil(msgid)) attrs['syslog.msgid'] = msgid;
    if (pri !== undefined) {
      const p = Number(pri);
      attrs['syslog.facility'] = p >> 3;
      rec.severity = severityFromSyslog(p & 7);
      rec.severityText = String(p & 7);
    }
    if (sd !== '-') {
      const data = parseStructuredData(sd);
      for (const id in data) for (const k in data[id]) attrs[`sd.${id}.${k}`] = data[id][k];
      for (const id in data) {
        const level = data[id].level ?? data[id].severity;
        if (level && rec.severity === null) {
          rec.severity = severityFromText(level);
          rec.severityText = level;
        }
      }
      const otel = data['opentelemetry'] ?? Object.values(data).find((p) => 'trace_id' in p || 'traceparent' in p);
      if (otel) applyContext(rec, contextFromFields(otel));
    }
    rec.attributes = attrs;
    return rec;
  }
}

export const LOGS_SYSLOG_3164: FormatDef = {
  id: 'logs-syslog-3164',
  label: 'Syslog (RFC 3164)',
  kind: 'logs',
  detect(head) {
    return scoreLines(head, (l) => (RFC3164.test(stripAnsi(l)) ? 'yes' : /^\s/.test(l) ? 'neutral' : 'no'));
  },
  create(ctx) {
    return new LogLineReader(ctx, (env) => new Syslog3164Parser(env));
  },
};

export const LOGS_SYSLOG_5424: FormatDef = {
  id: 'logs-syslog-5424',
  label: 'Syslog (RFC 5424)',
  kind: 'logs',
  detect(head) {
    return scoreLines(head, (l) => (RFC5424.test(l) ? 'yes' : /^\s/.test(l) ? 'neutral' : 'no'));
  },
  create(ctx) {
    return new LogLineReader(ctx, (env) => new Syslog5424Parser(env));
  },
};
