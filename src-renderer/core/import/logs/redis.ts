// Redis server logs (https://github.com/redis/redis/blob/unstable/src/server.c serverLogRaw):
//   pid:role dd Mon yyyy hh:mm:ss.mmm <marker> message
// with role X sentinel, C child (RDB/AOF writer), S replica, M master, and the marker the level:
// "." debug, "-" verbose, "*" notice, "#" warning. Also the signal handler's lines,
// "pid:signal-handler (epoch seconds) message", and Redis 2's "[pid] dd Mon hh:mm:ss.mmm * message"
// (no year: inferred).

import { wallTimeToEpochNs } from '../../base/time.ts';
import { newRecord } from './record.ts';
import { layoutFormat } from './layout.ts';
import { epochToNs, monthNumber } from './timestamp.ts';
import type { Severity } from '../../model/log.ts';

const STAMP = String.raw`(\d{1,2}) ([A-Z][a-z]{2}) (?:(\d{4}) )?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?`;
const LINE = new RegExp(`^(\\d+):([XCSM]) ${STAMP} ([.\\-*#]) (.*)$`);
const OLD = new RegExp(`^\\[(\\d+)\\] ()${STAMP} ([.\\-*#]) (.*)$`);
const SIGNAL = /^(\d+):signal-handler \((\d{9,10})\) (.*)$/;
const MARKERS: Record<string, Severity> = { '.': 'debug', '-': 'trace', '*': 'info', '#': 'warn' };
const MARKER_NAMES: Record<string, string> = { '.': 'debug', '-': 'verbose', '*': 'notice', '#': 'warning' };
const ROLES: Record<string, string> = { X: 'sentinel', C: 'child', S: 'replica', M: 'master' };

export const LOGS_REDIS = layoutFormat({
  id: 'logs-redis',
  label: 'Redis server log',
  layouts: [LINE, OLD, SIGNAL],
  build(m, which, line, env) {
    if (which === 2) {
      const rec = newRecord(line, m[3], env.service);
      rec.timeNs = epochToNs(m[2]);
      rec.attributes = { 'process.pid': Number(m[1]) };
      return rec;
    }
    const [, pid, role, d, mon, y, h, mi, s, frac, marker, msg] = m;
    const rec = newRecord(line, msg, env.service);
    const mo = monthNumber(mon);
    if (mo) rec.timeNs = wallTimeToEpochNs(y ? +y : env.years.year(mo, +d), mo, +d, +h, +mi, +s, frac, env.zone);
    rec.severity = MARKERS[marker];
    rec.severityText = MARKER_NAMES[marker];
    rec.attributes = { 'process.pid': Number(pid) };
    if (role) rec.attributes['redis.role'] = ROLES[role];
    return rec;
  },
});
