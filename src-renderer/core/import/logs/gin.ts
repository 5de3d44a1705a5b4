// gin's request logger (https://github.com/gin-gonic/gin, LoggerWithFormatter's default), with or
// without colour codes:
//   [GIN] 2026/12/06 - 10:42:01 | 200 |    1.234567ms |       127.0.0.1 | GET      "/api/orders"
// The status gives the level (5xx error, 4xx warn); latency, client, method and path are kept.
// gin's own "[GIN-debug] …" lines are records at debug level (warn when they say [WARNING]); the
// "Error #01: …" lines gin prints after a request join it.

import { wallTimeToEpochNs } from '../../base/time.ts';
import { newRecord } from './record.ts';
import { layoutFormat } from './layout.ts';

const REQUEST = /^\[GIN\] (\d{4})\/(\d{2})\/(\d{2}) - (\d{2}):(\d{2}):(\d{2}) \|\s*(\d{3})\s*\|\s*(\S+)\s*\|\s*(\S*)\s*\|\s*([A-Z]+)\s+"(.*)"$/;
const DEBUG = /^\[GIN-(debug|warning|error)\] (?:\[(WARNING|ERROR)\] )?(.*)$/;

export const LOGS_GIN = layoutFormat({
  id: 'logs-gin',
  label: 'gin (Go) request log',
  layouts: [REQUEST, DEBUG],
  continues: /^(?:\s|Error #\d+)/,
  build(m, which, line, env) {
    if (which === 1) {
      const rec = newRecord(line, m[3], env.service);
      const level = m[2] ?? m[1];
      rec.severity = level.toLowerCase() === 'warning' ? 'warn' : level.toLowerCase() === 'error' ? 'error' : 'debug';
      rec.severityText = level;
      return rec;
    }
    const [, y, mo, d, h, mi, s, status, latency, client, method, path] = m;
    const rec = newRecord(line, `${method} ${path} ${status}`, env.service);
    rec.timeNs = wallTimeToEpochNs(+y, +mo, +d, +h, +mi, +s, undefined, env.zone);
    const code = Number(status);
    rec.severity = code >= 500 ? 'error' : code >= 400 ? 'warn' : 'info';
    rec.severityText = status;
    rec.attributes = { 'http.response.status_code': code, 'gin.latency': latency, 'http.request.method': method, 'url.path': path };
    if (client) rec.attributes['client.address'] = client;
    return rec;
  },
});
