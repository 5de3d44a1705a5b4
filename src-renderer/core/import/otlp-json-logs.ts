// OTLP/JSON logs (resourceLogs) to canonical log records, for OTLP files that mix traces and logs
// (the collector's file exporter writes both into one file). A plain mapping: time (or observed
// time), severity number and text, body (a string, or other AnyValue as JSON), trace and span ids,
// attributes, and the resource's service.name.
// TODO(logs engineer): when core/import/logs/ has its own OTLP logs converter, use it here so both
// paths give the same records.
// Spec: https://github.com/open-telemetry/opentelemetry-proto/blob/main/opentelemetry/proto/logs/v1/logs.proto

import type { LogRecord } from '../model/log.ts';
import { severityFromNumber } from '../model/log.ts';
import { normalizeId } from '../base/ids.ts';
import { parseEpochNs } from '../base/time.ts';
import { exactNumber, stringifyExact } from '../base/json.ts';
import { convertAnyValue, convertAttributes, convertOtlpResource, type OtlpAnyValue, type OtlpKeyValue, type OtlpResourceCache } from './otlp-convert.ts';

interface OtlpLogRecord {
  timeUnixNano?: string | number | bigint;
  observedTimeUnixNano?: string | number | bigint;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
  traceId?: string;
  spanId?: string;
}
interface OtlpScopeLogs {
  logRecords?: OtlpLogRecord[];
}
export interface OtlpResourceLogs {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeLogs?: OtlpScopeLogs[];
  instrumentationLibraryLogs?: OtlpScopeLogs[];
}

function nonZeroNs(v: unknown): bigint | null {
  const ns = parseEpochNs(typeof v === 'number' ? exactNumber(v) : v);
  return ns === null || ns === 0n ? null : ns;
}

/** Convert one ResourceLogs; `line` is the 1-based line the records came from. In JSON lines its
 *  resource may be a token of `resources` (OtlpResourceCache.cut). */
export function convertOtlpResourceLogs(rl: OtlpResourceLogs, line: number, resources?: OtlpResourceCache): LogRecord[] {
  const out: LogRecord[] = [];
  const res = resources ? resources.get(rl?.resource) : convertOtlpResource(rl?.resource);
  for (const sl of rl?.scopeLogs ?? rl?.instrumentationLibraryLogs ?? []) {
    for (const r of sl?.logRecords ?? []) {
      const body = convertAnyValue(r.body);
      const t = normalizeId(r.traceId, 'trace');
      const s = normalizeId(r.spanId, 'span');
      out.push({
        timeNs: nonZeroNs(r.timeUnixNano) ?? nonZeroNs(r.observedTimeUnixNano),
        severity: typeof r.severityNumber === 'number' ? severityFromNumber(r.severityNumber) : null,
        severityText: r.severityText ?? '',
        service: res.service,
        message: typeof body === 'string' ? body : body === null ? '' : stringifyExact(body),
        traceId: t?.hex ?? null,
        spanId: s?.hex ?? null,
        traceIdPartial: false,
        traceIdRaw: r.traceId ?? null,
        spanIdRaw: r.spanId ?? null,
        line,
        attributes: convertAttributes(r.attributes),
      });
    }
  }
  return out;
}
