// OpenStack services' logs, oslo.log's default context format
// (https://docs.openstack.org/oslo.log/latest/configuration/index.html, logging_context_format_string):
//   2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-38101a0b-… 113d3a… 54fadb… - - -] 10.11.10.1 "GET /v2/… HTTP/1.1" status: 200 len: 1893 time: 0.2477829
// possibly after a file name (as in the loghub collection). The pid, logger, request id and
// instance ("[instance: uuid] ") are kept; an HTTP status in the message is kept too.

import { wallTimeToEpochNs } from '../../base/time.ts';
import { newRecord } from './record.ts';
import { layoutFormat } from './layout.ts';
import { severityFromText } from './severity.ts';

const LINE = /^(?:(\S+) )?(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) (\d+) (TRACE|DEBUG|INFO|AUDIT|WARNING|ERROR|CRITICAL) ([\w.]+) (?:\[([^\]]*)\] )?(.*)$/;

export const LOGS_OPENSTACK = layoutFormat({
  id: 'logs-openstack',
  label: 'OpenStack (oslo.log)',
  layouts: [LINE],
  build(m, _which, line, env) {
    const [, prefix, y, mo, d, h, mi, s, ms, pid, level, logger, context, rest] = m;
    let msg = rest;
    const rec = newRecord(line, msg, env.service);
    rec.timeNs = wallTimeToEpochNs(+y, +mo, +d, +h, +mi, +s, ms, env.zone);
    rec.severity = level === 'AUDIT' ? 'info' : severityFromText(level);
    rec.severityText = level;
    const attrs: Record<string, string | number> = { 'process.pid': Number(pid), 'log.logger': logger };
    if (prefix) attrs['log.prefix'] = prefix;
    const req = context ? /\breq-[0-9a-f-]{36}\b/.exec(context) : null;
    if (req) attrs['openstack.request_id'] = req[0];
    const inst = /^\[instance: ([0-9a-f-]{36})\] /.exec(msg);
    if (inst) {
      attrs['openstack.instance_id'] = inst[1];
      msg = msg.slice(inst[0].length);
    }
    const status = /" status: (\d{3}) /.exec(msg);
    if (status) attrs['http.response.status_code'] = Number(status[1]);
    rec.message = msg;
    rec.attributes = attrs;
    return rec;
  },
});
