// OTLP/JSON logs: https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#json-protobuf-encoding
// and logs/v1/logs.proto. Reads an ExportLogsServiceRequest document (possibly pretty-printed over
// many lines) or the collector file exporter's JSON lines (one request per line).
// Supports resourceLogs/scopeLogs (and the older instrumentationLibraryLogs), timeUnixNano with
// observedTimeUnixNano as fallback, severityNumber (1..24) and severityText, AnyValue bodies,
// attributes, traceId/spanId (hex), service.name from the resource. Ignores flags, droppedAttributesCount
// and unknown fields, as the spec asks. Lines of a file-exporter dump that carry traces
// (resourceSpans) are left to the trace reader and counted as rejected here.

import type { FormatDef } from '../types.ts';
import type { LogRecord } from '../../model/log.ts';
import type { Attributes } from '../../model/trace.ts';
import { convertAttributes, convertAnyValue } from '../otlp-json.ts';
import { parseExact } from '../../base/json.ts';
import { parseEpochNs } from '../../base/time.ts';
import { severityFromNumber } from '../../model/log.ts';
import { stringifyExact } from '../../base/json.ts';
import { LogLineReader, newRecord, applyContext, type LineParser, type ParseEnv } from './reader.ts';
import { severityFromText } from './severity.ts';
import { contextFromFields } from './trace-context.ts';
import { headLines } from './text-source.ts';

interface OtlpLogRecord {
  timeUnixNano?: string | number | bigint;
  observedTimeUnixNano?: string | number | bigint;
  severityNumber?: number | string;
  severityText?: string;
  body?: Parameters<typeof convertAnyValue>[0];
  attributes?: Parameters<typeof convertAttributes>[0];
  traceId?: string;
  spanId?: string;
  eventName?: string;
}
interface OtlpScopeLogs {
  scope?: { name?: string; version?: string };
  logRecords?: OtlpLogRecord[];
}
interface OtlpResourceLogs {
  resource?: { attributes?: Parameters<typeof convertAttributes>[0] };
  scopeLogs?: OtlpScopeLogs[];
  instrumentationLibraryLogs?: OtlpScopeLogs[];
}
interface OtlpLogsRequest {
  resourceLogs?: OtlpResourceLogs[];
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

/** Convert one ExportLogsServiceRequest into canonical records (line = the request's first line). */
export function convertOtlpLogs(req: OtlpLogsRequest, line: number, env: ParseEnv): LogRecord[] {
  const out: LogRecord[] = [];
  for (const rl of req.resourceLogs ?? []) {
    const res = convertAttributes(rl.resource?.attributes);
    const svc = res['service.name'];
    const service = typeof svc === 'string' && svc !== '' ? svc : env.service;
    for (const sl of rl.scopeLogs ?? rl.instrumentationLibraryLogs ?? []) {
      for (const r of sl.logRecords ?? []) {
        const body = convertAnyValue(r.body);
        const message = typeof body === 'string' ? body : body === null ? '' : stringifyExact(body);
        const rec = newRecord(line, message, service);
        rec.timeNs = parseEpochNs(r.timeUnixNano) || parseEpochNs(r.observedTimeUnixNano) || null;
        const num = severityNumberOf(r.severityNumber);
        rec.severity = severityFromNumber(num) ?? (r.severityText ? severityFromText(r.severityText) : null);
        rec.severityText = r.severityText ?? (num > 0 ? SEVERITY_NAMES[num] ?? String(num) : '');
        const attrs: Attributes = convertAttributes(r.attributes);
        if (sl.scope?.name) attrs['otel.scope.name'] = sl.scope.name;
        if (r.eventName) attrs['event.name'] = r.eventName;
        for (const k in res) attrs[`resource.${k}`] = res[k];
        rec.attributes = attrs;
        applyContext(rec, contextFromFields({ traceId: r.traceId ?? '', spanId: r.spanId ?? '' }));
        out.push(rec);
      }
    }
  }
  return out;
}

class OtlpLogsParser implements LineParser {
  readonly continuation = 'reject' as const;
  private pending: string[] = [];
  private pendingStart = 0;

  constructor(private readonly env: ParseEnv) {}

  skip(text: string, line: number): boolean {
    if (this.pending.length > 0) {
      this.pending.push(text);
      return true;
    }
    const t = text.trim();
    if (t.startsWith('{') && t.endsWith('}')) return false;
    // A pretty-printed document starts here; it is read whole at the end.
    this.pending.push(text);
    this.pendingStart = line;
    return true;
  }

  parse(text: string, line: number): LogRecord[] {
    let doc: OtlpLogsRequest & { resourceSpans?: unknown };
    try {
      doc = parseExact(text);
    } catch {
      throw new Error('invalid JSON');
    }
    if (!Array.isArray(doc.resourceLogs)) throw new Error(doc.resourceSpans ? 'OTLP traces, not logs (read this line with the trace importer)' : 'not an OTLP logs request (no "resourceLogs")');
    return convertOtlpLogs(doc, line, this.env);
  }

  end(emit: (r: LogRecord) => void, reject: (line: number, message: string) => void): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('\n');
    this.pending = [];
    let doc: OtlpLogsRequest;
    try {
      doc = parseExact(text);
    } catch (e) {
      reject(this.pendingStart, `invalid JSON: ${(e as Error).message}`);
      return;
    }
    if (!doc || !Array.isArray(doc.resourceLogs)) {
      reject(this.pendingStart, 'not an OTLP logs request (no "resourceLogs")');
      return;
    }
    for (const r of convertOtlpLogs(doc, this.pendingStart, this.env)) emit(r);
  }
}

export const LOGS_OTLP_JSON: FormatDef = {
  id: 'logs-otlp-json',
  label: 'OTLP/JSON logs',
  kind: 'logs',
  detect(head, text) {
    if (/^\s*\{\s*"resourceLogs"\s*:/.test(text)) return 1;
    const lines = headLines(head, head.length >= 64 * 1024).filter((l) => l.trim() !== '');
    if (lines.length > 0 && lines.every((l) => l.includes('"resourceLogs"') || l.includes('"resourceSpans"')) && lines.some((l) => l.includes('"resourceLogs"'))) return 1;
    return /"resourceLogs"\s*:\s*\[/.test(text.slice(0, 4096)) && /"logRecords"/.test(text) ? 0.8 : 0;
  },
  create(ctx) {
    return new LogLineReader(ctx, (env) => new OtlpLogsParser(env));
  },
};
