// Two desktop layouts of the loghub collection (https://github.com/logpai/loghub):
//  - Windows CBS (Component-Based Servicing, %windir%\Logs\CBS\CBS.log):
//    "2016-09-28 04:30:30, Info                  CBS    message" (level Info, Warning, Error or
//    Perf; the component, CBS or CSI, is kept);
//  - Proxifier: "[10.30 16:49:06] chrome.exe - message" (month.day, no year: inferred; the
//    program is the service).

import { wallTimeToEpochNs } from '../../base/time.ts';
import { newRecord } from './record.ts';
import { layoutFormat } from './layout.ts';
import { severityFromText } from './severity.ts';

const CBS = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}), (Info|Warning|Error|Perf)\s+(\S+)\s+(.*)$/;
const PROXIFIER = /^\[(\d{2})\.(\d{2}) (\d{2}):(\d{2}):(\d{2})\] (.+?) - (.*)$/;

export const LOGS_WINDOWS_CBS = layoutFormat({
  id: 'logs-windows-cbs',
  label: 'Windows CBS log',
  layouts: [CBS],
  build(m, _which, line, env) {
    const [, y, mo, d, h, mi, s, level, component, msg] = m;
    const rec = newRecord(line, msg, env.service);
    rec.timeNs = wallTimeToEpochNs(+y, +mo, +d, +h, +mi, +s, undefined, env.zone);
    rec.severity = severityFromText(level);
    rec.severityText = level;
    rec.attributes = { 'log.component': component };
    return rec;
  },
});

export const LOGS_PROXIFIER = layoutFormat({
  id: 'logs-proxifier',
  label: 'Proxifier log',
  layouts: [PROXIFIER],
  build(m, _which, line, env) {
    const [, mo, d, h, mi, s, program, msg] = m;
    const rec = newRecord(line, msg, env.service ?? program);
    rec.timeNs = wallTimeToEpochNs(env.years.year(+mo, +d), +mo, +d, +h, +mi, +s, undefined, env.zone);
    return rec;
  },
});
