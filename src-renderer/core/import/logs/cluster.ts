// The logs of three supercomputers that the log-analysis literature uses (Oliner and Stearley,
// "What Supercomputers Say", DSN 2007; the loghub collection, https://github.com/logpai/loghub):
//  - Blue Gene/L RAS: "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO message"
//    (alert label or "-", epoch seconds, date, node, local stamp to the microsecond, node, type,
//    component, level, message);
//  - Thunderbird: "- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: message"
//    (alert label, epoch seconds, date, node, syslog stamp, location, syslog tag and message);
//  - HPC (LANL): "134681 node-246 unix.hw state_change.unavailable 1077804742 1 message"
//    (log id, node, component, state, epoch seconds, flag, message).
// The epoch seconds are the time (absolute; the written stamps are local), with BG/L's microseconds.

import { newRecord } from './record.ts';
import { layoutFormat } from './layout.ts';
import { severityFromText } from './severity.ts';
import { epochToNs } from './timestamp.ts';

const BGL = /^(\S+) (\d{9,10}) \d{4}\.\d{2}\.\d{2} (\S+) \d{4}-\d{2}-\d{2}-\d{2}\.\d{2}\.(\d{2})\.(\d{1,6}) \S+ (\S+) (\S+) ([A-Z]+) (.*)$/;
const THUNDERBIRD = /^(\S+) (\d{9,10}) \d{4}\.\d{2}\.\d{2} (\S+) [A-Z][a-z]{2}\s+\d{1,2} \d{2}:\d{2}:\d{2} (\S+) (.*)$/;
const HPC = /^(\d+) (\S+) (\S+) (\S+) (\d{9,10}) (\d+) (.*)$/;
const TAG = /^([^\s:[]+)(?:\[(\d+)\])?:\s?(.*)$/;

export const LOGS_CLUSTER = layoutFormat({
  id: 'logs-cluster',
  label: 'Supercomputer logs (Blue Gene/L, Thunderbird, HPC)',
  layouts: [BGL, THUNDERBIRD, HPC],
  firstMustMatch: true,
  build(m, which, line, env) {
    if (which === 0) {
      const [, label, epoch, node, sec, micros, type, component, level, msg] = m;
      const rec = newRecord(line, msg, env.service);
      // The epoch is whole seconds; the local stamp adds the microseconds when its seconds agree.
      rec.timeNs = epochToNs(epoch, Number(epoch) % 60 === Number(sec) ? micros.padEnd(6, '0') : undefined);
      rec.severity = severityFromText(level);
      rec.severityText = level;
      rec.attributes = { 'host.name': node, 'bgl.type': type, 'bgl.component': component };
      if (label !== '-') rec.attributes['alert.category'] = label;
      return rec;
    }
    if (which === 1) {
      const [, label, epoch, node, location, rest] = m;
      const t = TAG.exec(rest);
      const rec = newRecord(line, t ? t[3] : rest, t ? t[1] : env.service);
      rec.timeNs = epochToNs(epoch);
      rec.attributes = { 'host.name': node, 'log.location': location };
      if (t?.[2]) rec.attributes['process.pid'] = Number(t[2]);
      if (label !== '-') rec.attributes['alert.category'] = label;
      return rec;
    }
    const [, id, node, component, state, epoch, flag, msg] = m;
    const rec = newRecord(line, msg, env.service);
    rec.timeNs = epochToNs(epoch);
    rec.attributes = { 'log.record.id': id, 'host.name': node, 'hpc.component': component, 'hpc.state': state, 'hpc.flag': Number(flag) };
    return rec;
  },
});
