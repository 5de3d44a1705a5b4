// Structured log records (JSON lines, logfmt) to canonical records: where each flavour keeps the
// time, the level, the message and the service. Flavours and their keys:
//   ECS            @timestamp, log.level, message, service.name, trace.id/span.id
//   bunyan         time, level 10..60, msg, name (the app: the service)
//   pino           time (epoch ms), level 10..60 or a name, msg, name (the service; pino's `name` option)
//   zap            ts (epoch s with fraction, or ISO), level, msg, logger
//   logrus         time, level, msg
//   structlog      timestamp, level, event
//   Serilog CLEF   @t, @l (absent means Information), @m or @mt, @x (exception), @tr/@sp
//   Docker         time, log (with its newline), stream
//   journald       __REALTIME_TIMESTAMP (us), PRIORITY (syslog 0..7), MESSAGE, SYSLOG_IDENTIFIER
//   GCP            timestamp / time, severity, message, logging.googleapis.com/trace
//   PostgreSQL     jsonlog: timestamp, error_severity, message
// Every field is kept: those read into their own columns (time, level, message, top-level trace and
// span ids, which also keep their raw text) are left out of `attributes`, the rest stay there.
// Storing the message twice halved the store's insert speed for JSON lines.

import type { LogRecord } from '../../model/log.ts';
import type { Attributes } from '../../model/trace.ts';
import type { ParseEnv } from './reader.ts';
import { newRecord, applyContext } from './record.ts';
import { parseExact } from '../../base/json.ts';
import { parseTimeValue } from './timestamp.ts';
import { severityFromText, severityFromLevelNumber, type NumberScale } from './severity.ts';
import { contextFromFields, contextFromText, MAY_HAVE_CONTEXT } from './trace-context.ts';

/** A line that is one JSON object (after leading blanks), read exactly; null otherwise. */
export function parseObject(text: string): Record<string, unknown> | null {
  const t = text.trimStart();
  if (t.charCodeAt(0) !== 123) return null; // '{'
  try {
    const v = parseExact<unknown>(t);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const TIME_KEYS = ['@timestamp', 'timestamp', 'time', 'ts', '@t', 't', 'datetime', 'date', 'asctime', 'eventTime', 'Timestamp', 'TimeStamp',
  'timeUnixNano', 'time_unix_nano', '_SOURCE_REALTIME_TIMESTAMP', '__REALTIME_TIMESTAMP', 'timestamp_ms', 'logtime', 'created'];
const LEVEL_KEYS: Array<[string, NumberScale]> = [['level', 'bunyan'], ['lvl', 'bunyan'], ['severity', 'syslog'], ['log.level', 'bunyan'],
  ['@l', 'bunyan'], ['levelname', 'bunyan'], ['loglevel', 'bunyan'], ['level_name', 'bunyan'], ['severityText', 'otel'],
  ['severity_text', 'otel'], ['severityNumber', 'otel'], ['severity_number', 'otel'], ['PRIORITY', 'syslog'], ['error_severity', 'bunyan'], ['status', 'bunyan'], ['Level', 'bunyan']];
const MESSAGE_KEYS = ['message', 'msg', '@m', 'MESSAGE', 'log', 'body', 'event', 'text', 'short_message', 'Message', '@mt', 'full_message'];
// ECS and OTel "service.name", Serilog's Application property (CLEF puts properties at the top, its
// JSON formatter under "Properties"), journald's identifiers, and the names apps give themselves.
const SERVICE_PATHS = ['service.name', 'service_name', 'serviceName', 'service', 'app', 'application', 'Application', 'Properties.Application',
  'app_name', 'appName', 'dd.service', 'SYSLOG_IDENTIFIER',
  '_SYSTEMD_UNIT', 'resource.service.name', 'component'];

const ID_KEYS = ['trace_id', 'span_id', 'traceId', 'spanId', 'trace.id', 'span.id', '@tr', '@sp'];

function without(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  if (keys.length === 0) return obj;
  const out: Record<string, unknown> = {};
  for (const k in obj) if (!keys.includes(k)) out[k] = obj[k];
  return out;
}

const PATH_PARTS = new Map<string, string[]>();

/** obj[key], or the nested path for dotted keys ("log.level" flat or {log:{level}}). */
function lookup(obj: Record<string, unknown>, key: string): unknown {
  const v = obj[key];
  if (v !== undefined) return v;
  let parts = PATH_PARTS.get(key);
  if (parts === undefined) {
    parts = key.includes('.') ? key.split('.') : [];
    PATH_PARTS.set(key, parts);
  }
  if (parts.length === 0 || obj[parts[0]] === undefined) return undefined;
  let cur: unknown = obj;
  for (const part of parts) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length > 0 && v.every((b) => typeof b === 'number' && b >= 0 && b < 256)) {
    // journald writes a MESSAGE that is not valid UTF-8 as an array of bytes.
    return new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(v as number[]));
  }
  if (v && typeof v === 'object' && 'stringValue' in (v as object)) return String((v as { stringValue: unknown }).stringValue);
  return null;
}

function isPinoLevel(v: unknown): boolean {
  return typeof v === 'number' && v >= 10 && v <= 60 && v % 10 === 0;
}

/** Build a record from a parsed structured object. `raw` is the source text (for the fallback message and id sniffing). */
export function recordFromObject(obj: Record<string, unknown>, raw: string, line: number, env: ParseEnv): LogRecord {
  const rec = newRecord(line, '', env.service);
  const used: string[] = [];

  for (const k of TIME_KEYS) {
    const v = obj[k];
    if (v === undefined || v === null || v === '') continue;
    const ns = parseTimeValue(v, env.zone, env.years);
    if (ns !== null) {
      rec.timeNs = ns;
      used.push(k);
      break;
    }
  }

  let levelFound = false;
  for (const [k, scale] of LEVEL_KEYS) {
    const v = lookup(obj, k);
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'number' || typeof v === 'bigint' || (typeof v === 'string' && /^\d{1,2}$/.test(v))) {
      const n = Number(v);
      const useScale: NumberScale = k === 'PRIORITY' || (scale === 'syslog' && n <= 7) ? 'syslog' : k.toLowerCase().includes('number') ? 'otel' : scale;
      rec.severity = severityFromLevelNumber(n, useScale);
      rec.severityText = String(v);
      if (rec.severity || k !== 'status') {
        levelFound = true;
        if (k in obj) used.push(k);
        break;
      }
      continue;
    }
    if (typeof v === 'string') {
      const sev = severityFromText(v);
      if (k === 'status' && !sev) continue; // an HTTP status or the like, not a level
      rec.severity = sev;
      rec.severityText = v;
      levelFound = true;
      if (k in obj) used.push(k);
      break;
    }
  }
  if (!levelFound && ('@t' in obj) && ('@m' in obj || '@mt' in obj)) {
    rec.severity = 'info'; // Serilog CLEF leaves @l out for Information
    rec.severityText = 'Information';
  }

  let message: string | null = null;
  for (const k of MESSAGE_KEYS) {
    const t = textOf(obj[k]);
    if (t !== null) {
      message = t;
      used.push(k);
      break;
    }
  }
  if (message === null) message = raw.length > 4000 ? raw.slice(0, 4000) : raw;
  else if (message.endsWith('\n')) message = message.replace(/\r?\n$/, ''); // Docker json-file keeps the line end
  if (typeof obj['@x'] === 'string') message += '\n' + obj['@x'];
  rec.message = message;

  for (const p of SERVICE_PATHS) {
    const v = lookup(obj, p);
    const s = typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : null;
    if (s) {
      rec.service = s;
      break;
    }
  }
  // pino and bunyan write the logger's name as "name": a record of theirs has a numeric level on their scale, or bunyan's "v".
  if (rec.service === env.service && typeof obj.name === 'string' && obj.name !== '' && (isPinoLevel(obj.level) || ('v' in obj && 'hostname' in obj))) {
    rec.service = obj.name;
  }

  if (env.traceFields.length > 0 || env.spanFields.length > 0 || MAY_HAVE_CONTEXT.test(raw)) {
    applyContext(rec, contextFromFields(obj, env.traceFields, env.spanFields) ?? contextFromText(message, env.traceFields, env.spanFields));
    for (const k of ID_KEYS) if (k in obj && (obj[k] === rec.traceIdRaw || obj[k] === rec.spanIdRaw)) used.push(k);
  }
  rec.attributes = without(obj, used) as Attributes;
  return rec;
}
