// The log formats detect.ts chooses among. Each entry is a FormatDef whose detect()
// scores the share of the first lines it reads (core/import/logs/reader.ts scoreLines); specific
// formats score up to 1, JSON lines up to 0.9 (so one-line trace documents stay with their
// importers) and the generic text fallback up to 0.6, so any specific format that reads as many
// lines wins over it.
import type { FormatDef } from './types.ts';
import { LOGS_JSONL } from './logs/jsonl.ts';
import { LOGS_LOGFMT } from './logs/logfmt.ts';
import { LOGS_OTLP_JSON } from './otlp-json.ts';
import { LOGS_SYSLOG_3164, LOGS_SYSLOG_5424 } from './logs/syslog.ts';
import { LOGS_ACCESS } from './logs/access.ts';
import { LOGS_W3C } from './logs/w3c.ts';
import { LOGS_GLOG, LOGS_JAVA, LOGS_PYTHON, LOGS_GENERIC } from './logs/patterns.ts';

export const LOG_FORMATS: FormatDef[] = [
  LOGS_OTLP_JSON,
  LOGS_JSONL,
  LOGS_LOGFMT,
  LOGS_SYSLOG_5424,
  LOGS_SYSLOG_3164,
  LOGS_ACCESS,
  LOGS_W3C,
  LOGS_GLOG,
  LOGS_JAVA,
  LOGS_PYTHON,
  LOGS_GENERIC,
];
