// The log formats detect.ts chooses among. Each entry is a FormatDef whose detect()
// scores the share of the first lines it reads (core/import/logs/reader.ts scoreLines); specific
// formats score up to 1, JSON lines up to 0.9 (so one-line trace documents stay with their
// importers), the generic text log (a timestamp on most lines) up to 0.6, so any specific format
// that reads as many lines wins over it, and plain text, which claims any text file, exactly the
// lowest score detection accepts (0.2), so that any format that reads the file at all wins.
// On equal scores the earlier entry wins.
import type { FormatDef } from './types.ts';
import type { LineFormatDef } from './logs/reader.ts';
import { LOGS_JSONL } from './logs/jsonl.ts';
import { LOGS_LOGFMT } from './logs/logfmt.ts';
import { LOGS_OTLP_JSON } from './otlp-json.ts';
import { LOGS_SYSLOG_3164, LOGS_SYSLOG_5424 } from './logs/syslog.ts';
import { LOGS_ACCESS } from './logs/access.ts';
import { LOGS_W3C } from './logs/w3c.ts';
import { LOGS_GLOG, LOGS_JAVA, LOGS_PYTHON, LOGS_GENERIC } from './logs/patterns.ts';
import { LOGS_POSTGRES } from './logs/postgres.ts';
import { LOGS_POSTGRES_CSV } from './logs/postgres-csv.ts';
import { LOGS_APACHE_ERROR } from './logs/apache-error.ts';
import { LOGS_NGINX_ERROR } from './logs/nginx-error.ts';
import { LOGS_REDIS } from './logs/redis.ts';
import { LOGS_LOGCAT } from './logs/logcat.ts';
import { LOGS_SERILOG } from './logs/serilog.ts';
import { LOGS_ZEROLOG } from './logs/zerolog.ts';
import { LOGS_GIN } from './logs/gin.ts';
import { LOGS_CLUSTER } from './logs/cluster.ts';
import { LOGS_OPENSTACK } from './logs/openstack.ts';
import { LOGS_WINDOWS_CBS, LOGS_PROXIFIER } from './logs/desktop.ts';
import { LOGS_PIPE } from './logs/pipe.ts';
import { prefixedFormat } from './logs/prefixed.ts';
import { LOGS_PLAIN_TEXT } from './logs/plain-text.ts';

/** Line formats whose lines also appear behind a compose or kubectl prefix, most specific first. */
const INNER_LINE_FORMATS: LineFormatDef[] = [
  LOGS_POSTGRES, LOGS_REDIS, LOGS_NGINX_ERROR, LOGS_APACHE_ERROR, LOGS_ACCESS, LOGS_SYSLOG_5424, LOGS_SYSLOG_3164, LOGS_SERILOG, LOGS_ZEROLOG,
  LOGS_GIN, LOGS_LOGCAT, LOGS_OPENSTACK, LOGS_GLOG, LOGS_JAVA, LOGS_PYTHON,
];

export const LOG_FORMATS: FormatDef[] = [
  LOGS_OTLP_JSON,
  LOGS_JSONL,
  LOGS_LOGFMT,
  LOGS_SYSLOG_5424,
  LOGS_SYSLOG_3164,
  LOGS_ACCESS,
  LOGS_W3C,
  LOGS_POSTGRES,
  LOGS_POSTGRES_CSV,
  LOGS_APACHE_ERROR,
  LOGS_NGINX_ERROR,
  LOGS_REDIS,
  LOGS_LOGCAT,
  LOGS_SERILOG,
  LOGS_ZEROLOG,
  LOGS_GIN,
  LOGS_CLUSTER,
  LOGS_OPENSTACK,
  LOGS_WINDOWS_CBS,
  LOGS_PROXIFIER,
  LOGS_GLOG,
  LOGS_JAVA,
  LOGS_PYTHON,
  LOGS_PIPE,
  prefixedFormat(() => INNER_LINE_FORMATS),
  LOGS_GENERIC,
  LOGS_PLAIN_TEXT,
];
