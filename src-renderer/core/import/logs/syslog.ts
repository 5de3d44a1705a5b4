// Syslog files.
// RFC 3164 (BSD, https://www.rfc-editor.org/rfc/rfc3164): "[<PRI>]Mmm dd hh:mm:ss HOST TAG[PID]: MSG",
//   the stamp has no year (inferred, timestamp.ts YearGuesser) and no zone (the file's zone).
//   Also accepted: rsyslog's high-precision variant with an RFC 3339 stamp in its place (and
//   journalctl's -o short-iso, -o short-precise and -o short-iso-precise, which write the same
//   shapes, with "-- Boot … --" marker lines between); a TAG with spaces before "[PID]:" (macOS
//   "Google Chrome Helper[40364]:"); and a TAG without the colon, which is how rsyslog's
//   traditional file formats write a message it received in RFC 5424 ("host billing invoice late").
//   HAProxy's HTTP log lines (https://docs.haproxy.org/2.6/configuration.html#8.2.3) are read for
//   their fields, and their status gives the level.
// RFC 5424 (https://www.rfc-editor.org/rfc/rfc5424): "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG";
//   files written by collectors often drop "<PRI>1 ", which is accepted. Structured data is kept as
//   attributes "sd.<id>.<param>"; the `opentelemetry` SD-ID's trace_id/span_id and a "level" param
//   are read. Severity comes from PRI % 8, else from a level word.
// The app name (TAG / APP-NAME) is the record's service.

import type { LogRecord } from '../../model/log.ts';
import type { Attributes } from '../../model/trace.ts';
import { lineFormat, scoreLines, newRecord, applyContext, stripAnsi, type LineParser, type ParseEnv } from './reader.ts';
import { findTimestamp } from './timestamp.ts';
import { severityFromSyslog, severityFromText, isLevelWord } from './severity.ts';
import { contextFromFields } from './trace-context.ts';

// <PRI>? STAMP HOST then TAG[PID]: | TAG WITH SPACES[PID]: | TAG[PID] (no colon), then MSG.
const RFC3164 =
  /^(?:<(\d{1,3})>)?((?:[A-Z][a-z]{2}\s{1,2}\d{1,2}\s\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:\s\d{4}(?=\s))?)|(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)) +([\w.:/@-]{1,255}) +(?:([^\s:[]{1,64})(?:\[([^\]\s]*)\])?:\s?|([^\s:[][^:[\]]{0,62}?)\[([^\]\s]*)\]:\s?|([^\s:[]{1,64})(?:\[([^\]\s]*)\])?\s)(.*)$/;
/**
 * A syslog line's parts, or null. A line whose TAG has no colon is only taken for syslog when its
 * HOST is not a level word ("2026-… info Metrics started" is some other layout).
 */
function match3164(text: string): RegExpExecArray | null {
  const m = RFC3164.exec(text);
  return m && m[8] !== undefined && isLevelWord(m[3]) ? null : m;
}

/** journalctl's lines between entries: "-- Boot 5f7… --", "-- No entries --", "-- Logs begin at … --". */
const JOURNAL_MARKER = /^-- .* --$/;
const HAPROXY_HTTP =
  /^(\S+) \[([^\]]+)\] (\S+) ([^\s/]+)\/(\S+) (-?\d+)\/(-?\d+)\/(-?\d+)\/(-?\d+)\/\+?(-?\d+) (\d{3}|-1) \+?(\d+) \S+ \S+ (\S{4}) (\S+) (\S+) (?:\{[^}]*\} )*"(.*)"$/;

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
    const m = match3164(text);
    if (!m) return JOURNAL_MARKER.test(text) ? newRecord(line, text, this.env.service) : null;
    const [, pri, stamp, host, tag1, pid1, tag2, pid2, tag3, pid3, msg] = m;
    const tag = tag1 ?? tag2 ?? tag3;
    const pid = pid1 ?? pid2 ?? pid3;
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
    if (tag.startsWith('haproxy')) readHaproxyHttp(rec, msg);
    return rec;
  }
}

/** An HAProxy HTTP log message: its fields as attributes, its status as the level (5xx error, 4xx warn). */
function readHaproxyHttp(rec: LogRecord, msg: string): void {
  const h = HAPROXY_HTTP.exec(msg);
  if (!h) return;
  const [, client, , frontend, backend, server, tq, tw, tc, tr, ta, status, bytes, termination, , , request] = h;
  const code = Number(status);
  if (code > 0) {
    rec.severity = code >= 500 ? 'error' : code >= 400 ? 'warn' : 'info';
    rec.severityText = status;
  }
  const [method, target] = request.split(' ');
  Object.assign(rec.attributes, {
    'client.address': client, 'haproxy.frontend': frontend, 'haproxy.backend': backend, 'haproxy.server': server,
    'haproxy.timers': `${tq}/${tw}/${tc}/${tr}/${ta}`, 'haproxy.termination_state': termination, 'http.response.status_code': code,
    'http.response.body.size': Number(bytes),
  });
  if (method && target) Object.assign(rec.attributes, { 'http.request.method': method, 'url.path': target });
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
    if (message.charCodeAt(0) === 32) message = message.trimStart(); // rsyslog keeps the space before a local message
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

export const LOGS_SYSLOG_3164 = lineFormat({
  id: 'logs-syslog-3164',
  label: 'Syslog (RFC 3164), journalctl short formats',
  detect(head) {
    return scoreLines(head, (l) => (match3164(stripAnsi(l)) ? 'yes' : /^\s/.test(l) || JOURNAL_MARKER.test(l) ? 'neutral' : 'no'));
  },
  parser: (env) => new Syslog3164Parser(env),
});

export const LOGS_SYSLOG_5424 = lineFormat({
  id: 'logs-syslog-5424',
  label: 'Syslog (RFC 5424)',
  detect(head) {
    return scoreLines(head, (l) => (RFC5424.test(l) ? 'yes' : /^\s/.test(l) ? 'neutral' : 'no'));
  },
  parser: (env) => new Syslog5424Parser(env),
});
