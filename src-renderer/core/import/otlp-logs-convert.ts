// OTLP log records to canonical log records, for OTLP/JSON (lines or a document) and OTLP/protobuf,
// which decodes into the same wire shapes. Spec:
// https://github.com/open-telemetry/opentelemetry-proto/blob/main/opentelemetry/proto/logs/v1/logs.proto
// and the JSON mapping in docs/specification.md. Read: timeUnixNano (observedTimeUnixNano when it
// is absent or 0), observedTimeUnixNano, severityNumber (a number, or its enum name) and
// severityText, the body (a string, or other AnyValue as JSON), attributes, eventName, trace and
// span ids, the scope (name and version) and the resource, whose service.name is the record's
// service and whose attributes are kept as `resource.*` attributes. Ignored: flags,
// droppedAttributesCount and unknown fields, as the spec asks.

import type { LogRecord } from '../model/log.ts';
import { severityFromNumber } from '../model/log.ts';
import type { Attributes, Scope } from '../model/trace.ts';
import { stringifyExact } from '../base/json.ts';
import type { EpochNs } from '../base/time.ts';
import { contextFromFields } from './logs/trace-context.ts';
import { severityFromText } from './logs/severity.ts';
import {
  convertAnyValue, convertAttributes, convertOtlpResource, convertOtlpScope, otlpList, otlpObject, readNs, type OtlpAnyValue, type OtlpKeyValue,
  type OtlpResourceCache, type OtlpResourceInfo, type OtlpShapeFault, type ValueNotes,
} from './otlp-convert.ts';

/** Wire shapes (only the fields we read). */
export interface OtlpLogRecord {
  timeUnixNano?: string | number | bigint;
  observedTimeUnixNano?: string | number | bigint;
  severityNumber?: number | string;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
  traceId?: string;
  spanId?: string;
  eventName?: string;
}
export interface OtlpScopeLogs {
  scope?: { name?: string; version?: string };
  logRecords?: OtlpLogRecord[];
}
export interface OtlpResourceLogs {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeLogs?: OtlpScopeLogs[];
  instrumentationLibraryLogs?: OtlpScopeLogs[];
}

const SEVERITY_NAMES = ['UNSPECIFIED', 'TRACE', 'TRACE2', 'TRACE3', 'TRACE4', 'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4', 'INFO', 'INFO2', 'INFO3', 'INFO4',
  'WARN', 'WARN2', 'WARN3', 'WARN4', 'ERROR', 'ERROR2', 'ERROR3', 'ERROR4', 'FATAL', 'FATAL2', 'FATAL3', 'FATAL4'];

function severityNumberOf(v: number | string | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const i = SEVERITY_NAMES.indexOf(v.replace(/^SEVERITY_NUMBER_/, ''));
    return i >= 0 ? i : Number(v) || 0;
  }
  return 0;
}

function nonZeroNs(v: unknown, what: string, notes: ValueNotes | undefined): EpochNs | null {
  const ns = readNs(v, what, notes);
  return ns === null || ns === 0n ? null : ns;
}

/**
 * One log record. `service` is the record's service when its resource names none (the user's
 * choice for the file, or null); `line` the 1-based line it starts on (0 where there are none: protobuf).
 */
export function convertOtlpLogRecord(r: OtlpLogRecord, res: OtlpResourceInfo, scope: Scope, line: number, service: string | null, notes?: ValueNotes): LogRecord {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new Error('not a log record object');
  const body = convertAnyValue(r.body, notes, 'body');
  const svc = res.resource.attributes['service.name'];
  const num = severityNumberOf(r.severityNumber);
  const attributes: Attributes = convertAttributes(r.attributes, notes);
  if (r.eventName) attributes['event.name'] = r.eventName;
  const resAttrs = res.resource.attributes;
  for (const k in resAttrs) attributes[`resource.${k}`] = resAttrs[k];
  const observedNs = nonZeroNs(r.observedTimeUnixNano, 'observedTimeUnixNano', notes);
  const rec: LogRecord = {
    timeNs: nonZeroNs(r.timeUnixNano, 'timeUnixNano', notes) ?? observedNs,
    severity: severityFromNumber(num) ?? (r.severityText ? severityFromText(r.severityText) : null),
    severityText: r.severityText ?? (num > 0 ? (SEVERITY_NAMES[num] ?? String(num)) : ''),
    service: typeof svc === 'string' && svc !== '' ? svc : service,
    message: typeof body === 'string' ? body : body === null ? '' : stringifyExact(body),
    traceId: null, spanId: null, traceIdPartial: false, traceIdRaw: null, spanIdRaw: null,
    line,
    attributes,
    scope,
    observedNs,
  };
  const c = r.traceId || r.spanId ? contextFromFields({ traceId: r.traceId ?? '', spanId: r.spanId ?? '' }) : null;
  if (c) {
    rec.traceId = c.traceId;
    rec.spanId = c.spanId;
    rec.traceIdPartial = c.partial;
    rec.traceIdRaw = c.traceRaw;
    rec.spanIdRaw = c.spanRaw;
  }
  return rec;
}

/**
 * The records of one ResourceLogs, each handed to `emit`; a record that cannot be read goes to
 * `reject` alone. In JSON lines its resource may be a token of `resources` (OtlpResourceCache.cut).
 */
export function forEachOtlpLogRecord(
  rl: OtlpResourceLogs,
  emit: (rec: OtlpLogRecord, res: OtlpResourceInfo, scope: Scope) => void,
  resources?: OtlpResourceCache,
  notes?: ValueNotes,
  fault?: OtlpShapeFault,
): void {
  if (typeof rl !== 'object' || rl === null || Array.isArray(rl)) throw new Error('not a ResourceLogs object');
  const res = resources ? resources.get(rl.resource, notes) : convertOtlpResource(rl.resource, notes);
  const key = rl.scopeLogs !== undefined ? 'scopeLogs' : 'instrumentationLibraryLogs';
  otlpList(rl.scopeLogs ?? rl.instrumentationLibraryLogs, key, fault).forEach((item, j) => {
    const sl = otlpObject<NonNullable<OtlpResourceLogs['scopeLogs']>[number]>(item, `${key}[${j}]`, fault);
    if (!sl) return;
    const scope = convertOtlpScope(sl.scope);
    for (const r of otlpList(sl.logRecords, `${key}[${j}].logRecords`, fault)) emit(r as OtlpLogRecord, res, scope);
  });
}
