// Pipe-separated application logs: a timestamp, then short fields, then the message, all between
// "|" ("2026-12-06 10:42:01|INFO|checkout|order 17 placed", and the HealthApp layout
// "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579"). The fields are the words
// without spaces before the last one: a level word is the level, a number the process id, and a
// name the service when it follows the level (time|level|service|message), else the component.

import { newRecord } from './record.ts';
import { layoutFormat } from './layout.ts';
import { isLevelWord, severityFromText } from './severity.ts';
import { stampAtLineStart } from './timestamp.ts';

const LINE = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?|\d{8}-\d{1,2}:\d{1,2}:\d{1,2}(?::\d{1,3})?|\d{10}(?:\.\d{1,9})?|\d{13})\]?\s*\|(.*)$/;
const FIELD = /^\s*([^\s|]{1,64})\s*$/;

export const LOGS_PIPE = layoutFormat({
  id: 'logs-pipe',
  label: 'Pipe-separated (time|…|message)',
  layouts: [LINE],
  firstMustMatch: true,
  build(m, _which, line, env) {
    const parts = m[2].split('|');
    const rec = newRecord(line, '', env.service);
    rec.timeNs = stampAtLineStart(m[1], 0, env.zone, env.years, env.days)?.ns ?? null;
    let i = 0;
    let afterLevel = false;
    for (; i < parts.length - 1; i++) {
      const f = FIELD.exec(parts[i]);
      if (!f) break;
      const w = f[1];
      if (rec.severity === null && isLevelWord(w)) {
        rec.severity = severityFromText(w);
        rec.severityText = w;
        afterLevel = true;
      } else if (/^\d+$/.test(w)) rec.attributes['process.pid'] = Number(w);
      else if (afterLevel && rec.service === env.service && env.service === null) rec.service = w;
      else if (rec.attributes['log.component'] === undefined && !afterLevel) rec.attributes['log.component'] = w;
      else rec.attributes[`log.field${i + 1}`] = w;
    }
    rec.message = parts.slice(i).join('|').trim();
    return rec;
  },
});
