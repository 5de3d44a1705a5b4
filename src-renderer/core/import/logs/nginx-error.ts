// nginx's error log (https://nginx.org/en/docs/ngx_core_module.html#error_log):
//   2026/12/06 21:26:50 [crit] 15311#15311: *3 connect() to … failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.7, server: , request: "GET /api/orders HTTP/1.1", upstream: "http://…", host: "localhost"
// The level is the bracketed word; the pid, tid and connection number ("*3") are kept, and the
// request context nginx appends (client, server, request, upstream, host, referrer) becomes
// attributes, leaving the message itself.

import { wallTimeToEpochNs } from '../../base/time.ts';
import { newRecord } from './record.ts';
import { layoutFormat } from './layout.ts';
import { severityFromText } from './severity.ts';

const LINE = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) \[(debug|info|notice|warn|error|crit|alert|emerg)\] (\d+)#(\d+): (?:\*(\d+) )?(.*)$/;
const CONTEXT_START = /, (?:client|server|request|upstream|host|referrer|subrequest): /;
const CONTEXT_FIELD = /, (client|server|request|upstream|host|referrer|subrequest): ("(?:[^"\\]|\\.)*"|[^,]*)/g;
const NAMES: Record<string, string> = {
  client: 'client.address', server: 'nginx.server', request: 'nginx.request', upstream: 'nginx.upstream', host: 'server.address',
  referrer: 'http.request.header.referer', subrequest: 'nginx.subrequest',
};

export const LOGS_NGINX_ERROR = layoutFormat({
  id: 'logs-nginx-error',
  label: 'nginx error log',
  layouts: [LINE],
  build(m, _which, line, env) {
    const [, y, mo, d, h, mi, s, level, pid, tid, conn, rest] = m;
    const attrs: Record<string, string | number> = { 'process.pid': Number(pid), 'thread.id': Number(tid) };
    if (conn) attrs['nginx.connection'] = Number(conn);
    let msg = rest;
    const start = CONTEXT_START.exec(rest);
    if (start) {
      msg = rest.slice(0, start.index);
      for (const f of rest.slice(start.index).matchAll(CONTEXT_FIELD)) {
        const v = f[2].startsWith('"') ? f[2].slice(1, -1) : f[2];
        if (v !== '') attrs[NAMES[f[1]]] = v;
      }
      const req = typeof attrs['nginx.request'] === 'string' ? attrs['nginx.request'].split(' ') : [];
      if (req.length >= 2) Object.assign(attrs, { 'http.request.method': req[0], 'url.path': req[1] });
    }
    const rec = newRecord(line, msg, env.service);
    rec.timeNs = wallTimeToEpochNs(+y, +mo, +d, +h, +mi, +s, undefined, env.zone);
    rec.severity = severityFromText(level);
    rec.severityText = level;
    rec.attributes = attrs;
    return rec;
  },
});
