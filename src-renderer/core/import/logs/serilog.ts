// Serilog's text sinks (https://github.com/serilog/serilog/wiki/Formatting-Output): the file sink's
// default template "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}"
//   2026-12-06 10:42:01.123 +01:00 [INF] Order 17 placed
// and the console sink's "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}" ("[10:42:01 INF] …", a
// time of day: its date is inferred). Levels VRB DBG INF WRN ERR FTL, or written in full. The
// offset after the stamp is read (a space stands between them, so the generic reader would miss
// it). Exceptions follow on their own lines and join the record.

import { wallTimeToEpochNs } from '../../base/time.ts';
import { newRecord } from './record.ts';
import { layoutFormat } from './layout.ts';
import { severityFromText } from './severity.ts';
import { stampAtLineStart } from './timestamp.ts';

const LEVEL = 'VRB|DBG|INF|WRN|ERR|FTL|Verbose|Debug|Information|Warning|Error|Fatal';
const FILE = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,7}))?(?: ([+-])(\\d{2}):(\\d{2}))? \\[(${LEVEL})\\] (.*)$`);
const CONSOLE = new RegExp(`^\\[(\\d{2}:\\d{2}:\\d{2}) (${LEVEL})\\] (.*)$`);

export const LOGS_SERILOG = layoutFormat({
  id: 'logs-serilog',
  label: 'Serilog text',
  layouts: [FILE, CONSOLE],
  build(m, which, line, env) {
    const level = which === 0 ? m[11] : m[2];
    const rec = newRecord(line, which === 0 ? m[12] : m[3], env.service);
    if (which === 0) {
      const [, y, mo, d, h, mi, s, frac, sign, oh, om] = m;
      const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : null;
      rec.timeNs = wallTimeToEpochNs(+y, +mo, +d, +h, +mi, +s, frac, offset ?? env.zone);
    } else {
      rec.timeNs = stampAtLineStart(m[1], 0, env.zone, env.years, env.days)?.ns ?? null;
    }
    rec.severity = severityFromText(level);
    rec.severityText = level;
    return rec;
  },
});
