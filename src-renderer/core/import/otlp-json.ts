// OTLP/JSON traces: https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#json-protobuf-encoding
// Reads an ExportTraceServiceRequest document, or the collector file exporter's JSON lines (one
// request per line). Supports resourceSpans/scopeSpans and the older instrumentationLibrarySpans,
// all AnyValue kinds, events, links, status and kind. Ignores unknown fields, as the spec asks.
// Quirks: ids are hex (any case), not base64; enums are integers; 64-bit integers are decimal
// strings but may be bare numbers, which are read exactly from the text (parseExact).

import type { FormatDef, FormatReader, FormatContext } from './types.ts';
import type { Span, Attributes, AttrValue, SpanKind, StatusCode } from '../model/trace.ts';
import { UNKNOWN_SERVICE, SPAN_KINDS } from '../model/trace.ts';
import { normalizeId } from '../base/ids.ts';
import { parseEpochNs } from '../base/time.ts';
import { parseExact } from '../base/json.ts';
import { InputError } from '../base/result.ts';
import { LineSplitter } from './lines.ts';

/** Wire shapes (only the fields we read). */
interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number | bigint;
  doubleValue?: number | string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string; // base64
}
interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number | string;
  startTimeUnixNano?: string | number | bigint;
  endTimeUnixNano?: string | number | bigint;
  attributes?: OtlpKeyValue[];
  events?: { timeUnixNano?: string | number | bigint; name?: string; attributes?: OtlpKeyValue[] }[];
  links?: { traceId?: string; spanId?: string; attributes?: OtlpKeyValue[] }[];
  status?: { code?: number | string; message?: string };
}
interface OtlpScopeSpans {
  scope?: { name?: string; version?: string };
  instrumentationLibrary?: { name?: string; version?: string };
  spans?: OtlpSpan[];
}
interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeSpans?: OtlpScopeSpans[];
  instrumentationLibrarySpans?: OtlpScopeSpans[];
}
export interface OtlpTraceRequest {
  resourceSpans?: OtlpResourceSpans[];
}

export function convertAnyValue(v: OtlpAnyValue | undefined): AttrValue {
  if (v == null) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) {
    const n = typeof v.intValue === 'bigint' ? v.intValue : BigInt(v.intValue);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(convertAnyValue);
  if (v.kvlistValue !== undefined) return convertAttributes(v.kvlistValue.values);
  if (v.bytesValue !== undefined) return { bytes: v.bytesValue };
  return null;
}

export function convertAttributes(kvs: OtlpKeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  if (!kvs) return out;
  for (const kv of kvs) {
    if (typeof kv?.key !== 'string') throw new Error('attribute without a string "key"');
    out[kv.key] = convertAnyValue(kv.value);
  }
  return out;
}

const KIND_NAMES: Record<string, SpanKind> = {
  SPAN_KIND_UNSPECIFIED: 'unspecified', SPAN_KIND_INTERNAL: 'internal', SPAN_KIND_SERVER: 'server',
  SPAN_KIND_CLIENT: 'client', SPAN_KIND_PRODUCER: 'producer', SPAN_KIND_CONSUMER: 'consumer',
};

function convertKind(k: number | string | undefined): SpanKind {
  if (typeof k === 'number') return SPAN_KINDS[k] ?? 'unspecified';
  if (typeof k === 'string') return KIND_NAMES[k] ?? 'unspecified';
  return 'unspecified';
}

function convertStatus(code: number | string | undefined): StatusCode {
  if (code === 2 || code === 'STATUS_CODE_ERROR') return 'error';
  if (code === 1 || code === 'STATUS_CODE_OK') return 'ok';
  return 'unset';
}

function requireNs(v: unknown, what: string): bigint {
  const ns = parseEpochNs(v);
  if (ns === null) throw new Error(`span has no readable ${what}`);
  return ns;
}

/** Convert one parsed ExportTraceServiceRequest into canonical spans. Throws on a malformed span. */
export function convertOtlpTraces(req: OtlpTraceRequest): Span[] {
  const out: Span[] = [];
  for (const rs of req.resourceSpans ?? []) {
    const resAttrs = convertAttributes(rs.resource?.attributes);
    const svc = resAttrs['service.name'];
    const service = typeof svc === 'string' && svc !== '' ? svc : UNKNOWN_SERVICE;
    const resource = { attributes: resAttrs };
    for (const ss of rs.scopeSpans ?? rs.instrumentationLibrarySpans ?? []) {
      const sc = ss.scope ?? ss.instrumentationLibrary;
      const scope = { name: sc?.name ?? '', version: sc?.version ?? '' };
      for (const s of ss.spans ?? []) {
        const traceId = normalizeId(s.traceId, 'trace');
        const spanId = normalizeId(s.spanId, 'span');
        if (!traceId) throw new Error(`span "${s.name ?? ''}" has no valid traceId (${JSON.stringify(s.traceId ?? null)})`);
        if (!spanId) throw new Error(`span "${s.name ?? ''}" has no valid spanId (${JSON.stringify(s.spanId ?? null)})`);
        const parent = s.parentSpanId ? normalizeId(s.parentSpanId, 'span') : null;
        const startNs = requireNs(s.startTimeUnixNano, 'startTimeUnixNano');
        const endNs = requireNs(s.endTimeUnixNano, 'endTimeUnixNano');
        const span: Span = {
          traceId: traceId.hex,
          spanId: spanId.hex,
          parentSpanId: parent?.hex ?? null,
          parentRef: 'child_of',
          name: s.name ?? '',
          service,
          kind: convertKind(s.kind),
          startNs,
          durationNs: Number(endNs - startNs),
          status: convertStatus(s.status?.code),
          statusMessage: s.status?.message ?? '',
          attributes: convertAttributes(s.attributes),
          resource,
          scope,
          events: (s.events ?? []).map((e) => ({ timeNs: requireNs(e.timeUnixNano, 'event timeUnixNano'), name: e.name ?? '', attributes: convertAttributes(e.attributes) })),
          links: (s.links ?? []).flatMap((l) => {
            const t = normalizeId(l.traceId, 'trace');
            const sp = normalizeId(l.spanId, 'span');
            return t && sp ? [{ traceId: t.hex, spanId: sp.hex, attributes: convertAttributes(l.attributes) }] : [];
          }),
        };
        if (s.traceId !== traceId.hex) span.traceIdRaw = s.traceId;
        if (s.spanId !== spanId.hex) span.spanIdRaw = s.spanId;
        out.push(span);
      }
    }
  }
  return out;
}

/** Reads JSON lines; a document spread over several lines is gathered and parsed at the end. */
class OtlpJsonReader implements FormatReader {
  private readonly lines: LineSplitter;
  private pending: string[] = [];
  private pendingStart = 0;
  private pendingBytes = 0;
  private sawLineRecord = false;

  constructor(private readonly ctx: FormatContext) {
    this.lines = new LineSplitter((l) => this.onLine(l.text, l.line, l.offset));
  }

  push(chunk: Uint8Array): void {
    this.lines.push(chunk);
  }

  end(): void {
    this.lines.end();
    if (this.pending.length > 0) {
      const text = this.pending.join('\n');
      this.pending = [];
      let doc: OtlpTraceRequest;
      try {
        doc = parseExact<OtlpTraceRequest>(text);
      } catch (e) {
        throw new InputError(`invalid JSON: ${(e as Error).message}`, { file: this.ctx.fileName, line: this.pendingStart });
      }
      this.convert(doc, this.pendingStart);
    }
  }

  private onLine(text: string, line: number, _offset: number): void {
    if (this.pending.length > 0) {
      this.pending.push(text);
      this.pendingBytes += text.length;
      return;
    }
    const t = text.trim();
    if (t === '') return;
    let doc: OtlpTraceRequest;
    try {
      doc = parseExact<OtlpTraceRequest>(t);
    } catch {
      // Not a whole document on one line: a pretty-printed document starts here, unless
      // records were already read line by line (then this is a broken line of JSON lines).
      if (!this.sawLineRecord && t.startsWith('{')) {
        this.pending.push(text);
        this.pendingStart = line;
        return;
      }
      this.ctx.sink.reject({ line }, 'invalid JSON');
      return;
    }
    this.sawLineRecord = true;
    this.convert(doc, line);
  }

  private convert(doc: OtlpTraceRequest, line: number): void {
    try {
      if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.resourceSpans)) throw new Error('not an OTLP trace request (no "resourceSpans")');
      this.ctx.sink.spans(convertOtlpTraces(doc));
    } catch (e) {
      this.ctx.sink.reject({ line }, (e as Error).message);
    }
  }
}

export const OTLP_JSON: FormatDef = {
  id: 'otlp-json',
  label: 'OTLP/JSON traces',
  kind: 'traces',
  detect(_head, text) {
    return /^\s*\{\s*"resourceSpans"\s*:/.test(text) ? 1 : /"resourceSpans"\s*:\s*\[/.test(text.slice(0, 4096)) ? 0.8 : 0;
  },
  create(ctx) {
    return new OtlpJsonReader(ctx);
  },
};
