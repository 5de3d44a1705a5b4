// Android logcat (https://developer.android.com/tools/logcat#outputFormat), in the output formats
// that carry the fields: "threadtime" (the default of `adb logcat`)
//   03-17 16:13:38.811  1702  2395 D WindowManager: message
// (also with -v year "2026-03-17 …", -v epoch "1742228018.811 …", -v zone "… +0100", -v uid
// "… system  1702 …"), "time"  "03-17 16:13:38.811 D/WindowManager( 1702): message" and "brief"
// "D/WindowManager( 1702): message" (no time). Levels V D I W E F and A (assert, read as fatal);
// the pid, tid and tag are kept; "--------- beginning of main" lines are records of their own.
// Stamps without a year take one as syslog's do (timestamp.ts YearGuesser).

import { wallTimeToEpochNs } from '../../base/time.ts';
import { newRecord } from './record.ts';
import { layoutFormat } from './layout.ts';
import { severityFromText } from './severity.ts';
import { epochToNs } from './timestamp.ts';

const STAMP = String.raw`(?:(\d{4})-)?(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3,9})(?: ([+-]\d{4}))?|(\d{9,10})\.(\d{3,9})`;
const THREADTIME = new RegExp(`^(?:${STAMP})\\s+(?:([a-z_][\\w.]*|\\d+)\\s+)?(\\d+)\\s+(\\d+)\\s+([VDIWEFA])\\s+(.*?)\\s*: (.*)$`);
const TIME = new RegExp(`^(?:${STAMP})\\s+([VDIWEFA])/(.*?)\\(\\s*(\\d+)\\): (.*)$`);
const BRIEF = /^([VDIWEFA])\/(.*?)\(\s*(\d+)\): (.*)$/;
const MARKER = /^(-{9} beginning of \S+)$/;

export const LOGS_LOGCAT = layoutFormat({
  id: 'logs-logcat',
  label: 'Android logcat',
  layouts: [THREADTIME, TIME, BRIEF, MARKER],
  build(m, which, line, env) {
    if (which === 3) return newRecord(line, m[1], env.service);
    let pid: string, tid: string | undefined, level: string, tag: string, msg: string;
    if (which === 0) [pid, tid, level, tag, msg] = [m[12], m[13], m[14], m[15], m[16]];
    else if (which === 1) [level, tag, pid, msg] = [m[11], m[12], m[13], m[14]];
    else [level, tag, pid, msg] = [m[1], m[2], m[3], m[4]];
    const rec = newRecord(line, msg, env.service);
    if (which < 2) {
      const [, y, mo, d, h, mi, s, frac, zone, epoch, epochFrac] = m;
      if (epoch) rec.timeNs = epochToNs(epoch, epochFrac);
      else {
        const offset = zone ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) : null;
        rec.timeNs = wallTimeToEpochNs(y ? +y : env.years.year(+mo, +d), +mo, +d, +h, +mi, +s, frac, offset ?? env.zone);
      }
    }
    rec.severity = severityFromText(level);
    rec.severityText = level;
    rec.attributes = { 'process.pid': Number(pid), 'android.tag': tag.trim() };
    if (tid !== undefined) rec.attributes['thread.id'] = Number(tid);
    if (which === 0 && m[11]) rec.attributes['android.uid'] = m[11];
    return rec;
  },
});
