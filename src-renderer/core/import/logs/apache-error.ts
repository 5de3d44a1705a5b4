// Apache httpd's error log (https://httpd.apache.org/docs/2.4/mod/core.html#errorlogformat), the
// default format of 2.4:
//   [Sun Dec 06 21:28:08.703284 2026] [authz_core:error] [pid 17683:tid 17693] [client 127.0.0.1:51932] AH01630: client denied …
// and 2.2's "[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] message". The level is the one
// after the module (emerg … debug, trace1 … trace8); the module, pid, tid, client, the OS error
// ("(111)Connection refused") and the message id ("AH01630") are kept, and a ", referer: …" tail.

import { newRecord } from './record.ts';
import { layoutFormat } from './layout.ts';
import { severityFromText } from './severity.ts';
import { findTimestamp } from './timestamp.ts';

const LINE =
  /^\[((?:[A-Z][a-z]{2} )?[A-Z][a-z]{2} \d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})? \d{4})\] \[(?:([\w.-]+):)?(emerg|alert|crit|error|warn|notice|info|debug|trace[1-8])\] (?:\[pid (\d+)(?::tid (\d+))?\] )?(?:\((-?\d+)\)([^:[]*): )?(?:\[(?:client|remote) ([^\]]+)\] )?(.*)$/;

export const LOGS_APACHE_ERROR = layoutFormat({
  id: 'logs-apache-error',
  label: 'Apache httpd error log',
  layouts: [LINE],
  build(m, _which, line, env) {
    const [, stamp, module, level, pid, tid, errno, errText, client, rest] = m;
    let msg = rest;
    const attrs: Record<string, string | number> = {};
    const referer = /, referer: (\S+)$/.exec(msg);
    if (referer) {
      attrs['http.request.header.referer'] = referer[1];
      msg = msg.slice(0, referer.index);
    }
    const code = /^(AH\d{5}): /.exec(msg);
    if (code) attrs['apache.message_id'] = code[1];
    const rec = newRecord(line, msg, env.service);
    rec.timeNs = findTimestamp(stamp, 8, env.zone, env.years)?.ns ?? null;
    rec.severity = severityFromText(level);
    rec.severityText = level;
    if (module) attrs['apache.module'] = module;
    if (pid) attrs['process.pid'] = Number(pid);
    if (tid) attrs['thread.id'] = Number(tid);
    if (errno) attrs['error.code'] = `(${errno})${errText}`;
    if (client) attrs['client.address'] = client;
    rec.attributes = attrs;
    return rec;
  },
});
