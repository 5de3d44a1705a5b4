// Web server access logs: NCSA Common Log Format and the Combined format used by Apache httpd
// (https://httpd.apache.org/docs/current/logs.html#accesslog) and nginx's default `combined`:
//   host ident authuser [dd/Mon/yyyy:hh:mm:ss +zzzz] "request" status bytes ["referer" "user-agent"] [extra...]
// Extra fields that nginx/Apache configurations append (request time, upstream, a traceparent or
// X-Amzn-Trace-Id header) are kept in `access.extra` and searched for trace context.
// Severity follows the status: 5xx error, 4xx warn, anything else info.

import type { LogRecord } from '../../model/log.ts';
import type { Attributes } from '../../model/trace.ts';
import { lineFormat, scoreLines, newRecord, applyContext, type LineParser, type ParseEnv } from './reader.ts';
import { findTimestamp } from './timestamp.ts';
import { contextFromText } from './trace-context.ts';

const ACCESS = /^(\S+) (\S+) (\S+(?: \S+)*?) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?(.*)$/;

class AccessParser implements LineParser {
  readonly continuation = 'join' as const;
  constructor(private readonly env: ParseEnv) {}
  parse(text: string, line: number): LogRecord | null {
    const m = ACCESS.exec(text);
    if (!m) return null;
    const [, client, ident, user, stamp, request, status, bytes, referer, agent, extra] = m;
    const rec = newRecord(line, `${request} ${status}`, this.env.service);
    rec.timeNs = findTimestamp(stamp, 0, this.env.zone)?.ns ?? null;
    const code = Number(status);
    rec.severity = code >= 500 ? 'error' : code >= 400 ? 'warn' : 'info';
    rec.severityText = status;
    const [method, target, protocol] = request.split(' ');
    const attrs: Attributes = { 'client.address': client, 'http.response.status_code': Number.isNaN(code) ? status : code };
    if (ident !== '-') attrs['access.ident'] = ident;
    if (user !== '-') attrs['user.name'] = user;
    if (method) attrs['http.request.method'] = method;
    if (target) attrs['url.path'] = target;
    if (protocol) attrs['network.protocol'] = protocol;
    if (bytes !== '-') attrs['http.response.body.size'] = Number(bytes);
    if (referer !== undefined && referer !== '-') attrs['http.request.header.referer'] = referer;
    if (agent !== undefined && agent !== '-') attrs['user_agent.original'] = agent;
    const rest = extra.trim();
    if (rest) {
      attrs['access.extra'] = rest;
      applyContext(rec, contextFromText(rest, this.env.traceFields, this.env.spanFields));
    }
    rec.attributes = attrs;
    return rec;
  }
}

export const LOGS_ACCESS = lineFormat({
  id: 'logs-access',
  label: 'Apache/nginx access log',
  detect(head) {
    return scoreLines(head, (l) => (ACCESS.test(l) ? 'yes' : 'no'));
  },
  parser: (env) => new AccessParser(env),
});
