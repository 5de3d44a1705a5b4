// OTLP/protobuf: https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md
// (binary protobuf encoding of Export{Trace,Logs,Metrics}ServiceRequest, opentelemetry/proto/collector).
// Each request is read for what it holds, told apart by its records' wire types (otlp-proto-walk.ts):
// spans and log records are imported, metric data points counted ("metrics skipped: N data
// points"), so the collector's file exporter on several pipelines, which writes all three into
// one file, imports whole. Framings read, detected from the first bytes:
//  - the collector file exporter's `format: proto`: each request preceded by its length as a
//    4-byte big-endian unsigned integer (exporter/fileexporter/file_writer.go, exportMessageAsBuffer);
//  - varint-delimited requests, as protobuf's own writeDelimitedTo / Go pbutil.WriteDelimited write;
//  - one bare request (e.g. an OTLP/HTTP request body saved to a file); several bare requests
//    written back to back are, by protobuf's merge rule, one request and read as such.
// Frames are decoded one at a time as soon as they are complete, so memory is bounded by the
// largest frame (for a bare request: by its largest resource). Frames are decoded by walking
// the parsed definitions with protobufjs's Reader (otlp-proto-decode.ts: Type.decode needs eval,
// which the app's CSP forbids). Decoded requests are turned into the OTLP/JSON wire shapes and
// built into spans by otlp-convert.ts and into log records by otlp-logs-convert.ts, so both
// encodings share one builder of each. Supports all AnyValue kinds, events, links, status, kind,
// resource and scope attributes, log bodies, severities, observed times and event names;
// ignores trace_state, flags, dropped_*_count and schema_url. A corrupt or truncated frame ends
// the import with an InputError naming its byte offset, after everything before it has been
// handed to the sink; a span or log record without what it needs is rejected alone.

import type { FormatDef, FormatReader, FormatContext } from './types.ts';
import type { Span } from '../model/trace.ts';
import type { LogRecord } from '../model/log.ts';
import type { OtlpAnyValue, OtlpKeyValue, OtlpSpan, OtlpResourceInfo } from './otlp-convert.ts';
import { convertOtlpResource, convertOtlpScope, convertOtlpSpan } from './otlp-convert.ts';
import { convertOtlpLogRecord, type OtlpLogRecord } from './otlp-logs-convert.ts';
import { METRICS_SKIPPED_NOTE } from './otlp-metrics.ts';
import { classifyResource, countDataPoints, requestResources } from './otlp-proto-walk.ts';
import { InputError } from '../base/result.ts';
import { otlpProtoTypes } from './otlp-proto-schema.ts';
import { decodePlain } from './otlp-proto-decode.ts';
import { ByteQueue, readVarint, sniffFraming, looksLikeText, hasForeignMagic } from './otlp-proto-frames.ts';
import type { Framing } from './otlp-proto-frames.ts';

/** A frame longer than this is taken as a corrupt length, not buffered (collector frames are MBs). */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;
/** Bytes wanted before choosing the framing: a 4-byte length, a tag and a 5-byte varint. */
const SNIFF_BYTES = 16;


/** Decoded messages (otlp-proto-decode.ts): camelCase names, absent fields absent, bytes as Uint8Array, 64-bit as BigInt. */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Decoded = any;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding, as OTLP/JSON writes bytesValue (no Buffer: core runs in browsers). */
export function bytesToBase64(b: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    s += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (i < b.length) {
    const n = (b[i] << 16) | ((i + 1 < b.length ? b[i + 1] : 0) << 8);
    s += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + '=';
  }
  return s;
}

function anyValueShape(v: Decoded): OtlpAnyValue {
  if (!v) return {};
  // Only the oneof member on the wire is present. Ints are BigInt already (convertAnyValue takes them).
  if (v.stringValue !== undefined) return { stringValue: v.stringValue };
  if (v.boolValue !== undefined) return { boolValue: v.boolValue };
  if (v.intValue !== undefined) return { intValue: v.intValue };
  if (v.doubleValue !== undefined) return { doubleValue: v.doubleValue };
  if (v.arrayValue !== undefined) return { arrayValue: { values: ((v.arrayValue.values ?? []) as Decoded[]).map(anyValueShape) } };
  if (v.kvlistValue !== undefined) return { kvlistValue: { values: keyValuesShape(v.kvlistValue.values) } };
  if (v.bytesValue !== undefined) return { bytesValue: bytesToBase64(v.bytesValue) };
  return {};
}

function keyValuesShape(kvs: Decoded[] | undefined): OtlpKeyValue[] {
  if (!kvs || kvs.length === 0) return [];
  return kvs.map((kv) => ({ key: kv.key ?? '', value: anyValueShape(kv.value) }));
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Ids to lowercase hex by table: three per span, so this is on the hot path (same result as bytesToHex). */
function hex(b: Uint8Array | undefined): string {
  if (!b || b.length === 0) return '';
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX_PAIRS[b[i]];
  return s;
}

function spanShape(s: Decoded): OtlpSpan {
  return {
    traceId: hex(s.traceId),
    spanId: hex(s.spanId),
    parentSpanId: hex(s.parentSpanId),
    name: s.name,
    kind: s.kind,
    // proto3 leaves zero values off the wire: an absent timestamp is 0.
    startTimeUnixNano: s.startTimeUnixNano ?? 0n,
    endTimeUnixNano: s.endTimeUnixNano ?? 0n,
    attributes: keyValuesShape(s.attributes),
    events: ((s.events ?? []) as Decoded[]).map((e) => ({ timeUnixNano: e.timeUnixNano ?? 0n, name: e.name, attributes: keyValuesShape(e.attributes) })),
    links: ((s.links ?? []) as Decoded[]).map((l) => ({ traceId: hex(l.traceId), spanId: hex(l.spanId), attributes: keyValuesShape(l.attributes) })),
    status: s.status ? { code: s.status.code, message: s.status.message } : undefined,
  };
}

function resourceOf(r: Decoded): OtlpResourceInfo {
  return convertOtlpResource(r.resource ? { attributes: keyValuesShape(r.resource.attributes) } : undefined);
}

/**
 * Spans of decoded ResourceSpans, built by the OTLP/JSON converter from the same wire shapes. A span
 * that cannot be built (no valid ids) is rejected alone; its neighbours are kept.
 */
export function buildProtoSpans(rss: Decoded[], reject: (message: string) => void): Span[] {
  const out: Span[] = [];
  for (const rs of rss) {
    const res = resourceOf(rs);
    for (const ss of (rs.scopeSpans ?? []) as Decoded[]) {
      const scope = convertOtlpScope(ss.scope ?? undefined);
      for (const s of (ss.spans ?? []) as Decoded[]) {
        try {
          out.push(convertOtlpSpan(spanShape(s), res, scope));
        } catch (e) {
          reject((e as Error).message);
        }
      }
    }
  }
  return out;
}

function logShape(r: Decoded): OtlpLogRecord {
  return {
    // proto3 leaves zero values off the wire: an absent time is 0, which means unknown.
    timeUnixNano: r.timeUnixNano ?? 0n,
    observedTimeUnixNano: r.observedTimeUnixNano ?? 0n,
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    body: r.body ? anyValueShape(r.body) : undefined,
    attributes: keyValuesShape(r.attributes),
    traceId: hex(r.traceId),
    spanId: hex(r.spanId),
    eventName: r.eventName,
  };
}

/** Log records of decoded ResourceLogs, built as OTLP/JSON's are; `service` for resources that name none. */
export function buildProtoLogs(rls: Decoded[], service: string | null, reject: (message: string) => void): LogRecord[] {
  const out: LogRecord[] = [];
  for (const rl of rls) {
    const res = resourceOf(rl);
    for (const sl of (rl.scopeLogs ?? []) as Decoded[]) {
      const scope = convertOtlpScope(sl.scope ?? undefined);
      for (const r of (sl.logRecords ?? []) as Decoded[]) {
        try {
          out.push(convertOtlpLogRecord(logShape(r), res, scope, 0, service));
        } catch (e) {
          reject(`unreadable log record: ${(e as Error).message}`);
        }
      }
    }
  }
  return out;
}

class OtlpProtoReader implements FormatReader {
  private readonly queue = new ByteQueue();
  private framing: Framing | null = null;
  /** Absolute offset of the queue's first byte. */
  private consumed = 0;
  bytesRead = 0;
  private readonly service: string | null;

  constructor(private readonly ctx: FormatContext) {
    this.service = ctx.options?.service?.trim() || null;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.bytesRead += chunk.length;
    this.queue.append(chunk);
    if (this.framing === null && this.queue.length < SNIFF_BYTES) return this.queue.own();
    this.drain();
    // The caller may reuse its buffer once push returns: keep a copy of what is left.
    this.queue.own();
  }

  end(): void {
    if (this.queue.length > 0) this.drain();
    if (this.queue.length > 0) {
      throw this.error(`truncated: ${this.queue.length} bytes at the end do not make a whole ${this.framing === 'bare' ? 'field' : 'frame'}${this.describeHead()}`);
    }
  }

  private describeHead(): string {
    const need = this.frameLength();
    return need === null ? '' : ` (it declares ${need} bytes of data)`;
  }

  /** The declared payload length of the frame at the queue's head, when its header is complete. */
  private frameLength(): number | null {
    const q = this.queue;
    if (this.framing === 'be32') return q.length >= 4 ? ((q.byteAt(0) << 24) >>> 0) + (q.byteAt(1) << 16) + (q.byteAt(2) << 8) + q.byteAt(3) : null;
    const first = this.framing === 'bare' ? readVarint(q, 0) : { value: 0, next: 0 };
    if (first === null || first === 'bad') return null;
    const v = readVarint(q, first.next);
    return v === null || v === 'bad' ? null : v.value;
  }

  private error(message: string): InputError {
    return new InputError(message, { file: this.ctx.fileName, offset: this.consumed });
  }

  private drain(): void {
    const q = this.queue;
    if (this.framing === null) {
      this.framing = sniffFraming(q.peek(Math.min(q.length, SNIFF_BYTES)));
      if (this.framing === null) throw this.error('not OTLP/protobuf: no length-delimited or bare export request at the start');
    }
    for (;;) {
      if (q.length === 0) return;
      let header: number;
      let len: number;
      let field = 1;
      if (this.framing === 'be32') {
        if (q.length < 4) return;
        header = 4;
        len = ((q.byteAt(0) << 24) >>> 0) + (q.byteAt(1) << 16) + (q.byteAt(2) << 8) + q.byteAt(3);
      } else if (this.framing === 'varint') {
        const v = readVarint(q, 0);
        if (v === null) return;
        if (v === 'bad') throw this.error('corrupt frame length (varint longer than 5 bytes)');
        header = v.next;
        len = v.value;
      } else {
        const tag = readVarint(q, 0);
        if (tag === null) return;
        if (tag === 'bad') throw this.error('corrupt field tag');
        field = tag.value >>> 3;
        const wire = tag.value & 7;
        if (wire !== 2) {
          // Fields other than resource_spans: skip them, as protobuf readers do with unknown fields.
          if (field === 0 || (wire !== 0 && wire !== 1 && wire !== 5)) throw this.error(`corrupt request: field ${field} with wire type ${wire}`);
          let total = tag.next + (wire === 1 ? 8 : 4);
          if (wire === 0) {
            const v = readVarint(q, tag.next, 10);
            if (v === null) return;
            if (v === 'bad') throw this.error('corrupt varint');
            total = v.next;
          }
          if (q.length < total) return;
          this.skip(total);
          continue;
        }
        const v = readVarint(q, tag.next);
        if (v === null) return;
        if (v === 'bad') throw this.error('corrupt field length');
        header = v.next;
        len = v.value;
      }
      if (len > MAX_FRAME_BYTES) throw this.error(`corrupt frame: declared length ${len} bytes is beyond ${MAX_FRAME_BYTES}`);
      if (q.length < header + len) return;
      const at = this.consumed;
      q.skip(header);
      const payload = q.take(len);
      if (this.framing !== 'bare' || field === 1) this.decode(payload, at);
      this.consumed += header + len;
    }
  }

  private skip(n: number): void {
    this.queue.skip(n);
    this.consumed += n;
  }

  /** One frame: a request, or in a bare request one of its resources. */
  private decode(payload: Uint8Array, at: number): void {
    const resources = this.framing === 'bare' ? [payload] : requestResources(payload);
    if (typeof resources === 'string') return this.corrupt(payload, at, resources);
    const types = otlpProtoTypes();
    for (const r of resources) {
      const kind = classifyResource(r);
      if (kind === 'empty') continue;
      if (kind === 'metrics') {
        this.ctx.sink.tally({ skipped: countDataPoints(r) }, METRICS_SKIPPED_NOTE);
        continue;
      }
      if (kind === null) return this.corrupt(payload, at, 'holds neither spans, log records nor metrics');
      let decoded: Decoded;
      try {
        decoded = decodePlain(kind === 'spans' ? types.ResourceSpans : types.ResourceLogs, r);
      } catch (e) {
        return this.corrupt(payload, at, (e as Error).message);
      }
      const reject = (m: string) => this.ctx.sink.reject({ offset: at }, m);
      if (kind === 'spans') {
        const spans = buildProtoSpans([decoded], reject);
        if (spans.length > 0) this.ctx.sink.spans(spans);
      } else {
        const logs = buildProtoLogs([decoded], this.service, reject);
        if (logs.length > 0) this.ctx.sink.logs(logs);
      }
    }
  }

  private corrupt(payload: Uint8Array, at: number, why: string): never {
    this.consumed = at;
    throw this.error(`corrupt ${this.framing === 'bare' ? 'resource' : 'frame'} of ${payload.length} bytes: ${why}`);
  }
}

/**
 * Is the start of the input an OTLP/protobuf stream? Its first resource (ResourceSpans,
 * ResourceLogs or ResourceMetrics) must be of a kind its records' wire types tell, and decode:
 * spans with ids of the OTLP lengths (16 and 8 bytes), log records, or metric data points. When
 * it does not fit in the head, its fields must walk cleanly. Text, and files with another
 * format's magic number, never qualify.
 */
export function detectOtlpProto(head: Uint8Array): number {
  if (head.length < 4 || hasForeignMagic(head) || looksLikeText(head)) return 0;
  const framing = sniffFraming(head.subarray(0, SNIFF_BYTES));
  if (framing === null) return 0;
  let p = framing === 'be32' ? 4 : 0;
  if (framing === 'varint') {
    const v = readVarint(head, 0);
    if (!v || v === 'bad') return 0;
    p = v.next;
  }
  // Every framing starts with field 1 (the resources) of a request here: tag 0x0A, then a length.
  if (head[p] !== 0x0a) return 0;
  const lenV = readVarint(head, p + 1);
  if (!lenV || lenV === 'bad' || lenV.value === 0 || lenV.value > MAX_FRAME_BYTES) return 0;
  const start = lenV.next;
  const end = start + lenV.value;
  if (end <= head.length) return resourceScore(head.subarray(start, end));
  return walkFields(head.subarray(start)) ? 0.7 : 0;
}

/** How surely one whole resource message is OTLP: 0.95 when its records decode as what they are. */
function resourceScore(b: Uint8Array): number {
  const kind = classifyResource(b);
  if (kind === 'metrics') return countDataPoints(b) > 0 ? 0.9 : 0;
  if (kind !== 'spans' && kind !== 'logs') return 0;
  let r: Decoded;
  try {
    r = decodePlain(kind === 'spans' ? otlpProtoTypes().ResourceSpans : otlpProtoTypes().ResourceLogs, b);
  } catch {
    return 0;
  }
  let records = 0;
  for (const scope of ((kind === 'spans' ? r.scopeSpans : r.scopeLogs) ?? []) as Decoded[]) {
    for (const x of ((kind === 'spans' ? scope.spans : scope.logRecords) ?? []) as Decoded[]) {
      if (kind === 'spans' && (x.traceId?.length !== 16 || x.spanId?.length !== 8)) return 0;
      records++;
    }
  }
  return records > 0 ? 0.95 : 0;
}

/**
 * The fields of a ResourceSpans cut short by the end of the head: field numbers it declares, wire
 * type 2, sane lengths, and at least one field complete. When the first field is itself cut short
 * and is a scope_spans, the walk goes on inside it (ScopeSpans also numbers its fields 1 to 3).
 */
function walkFields(b: Uint8Array): boolean {
  for (let depth = 0; depth < 2; depth++) {
    let p = 0;
    let whole = 0;
    let firstField = 0;
    let firstStart = 0;
    while (p < b.length) {
      const tag = readVarint(b, p);
      if (tag === null) break;
      if (tag === 'bad') return false;
      const field = tag.value >>> 3;
      if ((tag.value & 7) !== 2 || field < 1 || field > 3) return false;
      const len = readVarint(b, tag.next);
      if (len === null) break;
      if (len === 'bad' || len.value > MAX_FRAME_BYTES) return false;
      if (p === 0) {
        firstField = field;
        firstStart = len.next;
      }
      p = len.next + len.value;
      if (p <= b.length) whole++;
    }
    if (whole > 0) return true;
    if (firstField !== 2) return false;
    b = b.subarray(firstStart);
  }
  return false;
}

export const OTLP_PROTO: FormatDef = {
  id: 'otlp-proto',
  label: 'OTLP/protobuf traces (with logs and metrics)',
  kind: 'traces',
  detect(head) {
    return detectOtlpProto(head);
  },
  create(ctx) {
    return new OtlpProtoReader(ctx);
  },
};
