// Jaeger span objects to canonical spans. Three spellings of the same model reach us:
//  - the Jaeger UI / query API JSON: traceID/spanID hex, startTime and duration in µs, tags
//    {key, type, value} with typed values, processID pointing into the trace's `processes`;
//  - Elasticsearch span documents (jaeger's dbmodel): the same, but `process` inline, tag values
//    written as strings (binary as hex), an optional `tag` map with '@' for '.' in keys;
//  - api_v2 protobuf-JSON ("domain" JSON): traceId/spanId base64, startTime RFC 3339, duration as
//    "22938000ns" or "0.5s", tags {key, vType, vStr|vInt64|vBool|vFloat64|vBinary}, `process` inline.
// Spec: https://www.jaegertracing.io/docs/latest/apis/ and jaeger-idl proto/api_v2/model.proto.

import type { Attributes, AttrValue, Resource, Span, SpanLink } from '../model/trace.ts';
import { UNKNOWN_SERVICE } from '../model/trace.ts';
import { bytesToHex } from '../base/ids.ts';
import { parseRfc3339Ns, usToEpochNs, type EpochNs } from '../base/time.ts';
import {
  readId, readInt, setSpanDuration, parseDurationTextNs, takeConventions, blankSpan, type ReadId, type ResourceCache,
} from './trace-common.ts';

/** Wire shapes (only the fields we read). */
export interface JaegerTag {
  key?: string;
  /** UI/ES: "string" | "bool" | "int64" | "float64" | "binary". */
  type?: string;
  value?: unknown;
  /** api_v2: "STRING" (often omitted: the enum's zero) | "BOOL" | "INT64" | "FLOAT64" | "BINARY". */
  vType?: string;
  vStr?: string;
  vBool?: boolean;
  vInt64?: string | number | bigint;
  vFloat64?: number | string;
  vBinary?: string;
}
export interface JaegerProcess {
  serviceName?: string;
  tags?: JaegerTag[];
  /** ES: tags stored as fields, keys with '@' for '.'. */
  tag?: Record<string, unknown>;
}
export interface JaegerRef {
  refType?: string;
  traceID?: string;
  spanID?: string;
  traceId?: string;
  spanId?: string;
}
export interface JaegerLog {
  timestamp?: number | string | bigint;
  fields?: JaegerTag[];
}
export interface JaegerSpan {
  traceID?: string;
  spanID?: string;
  traceId?: string;
  spanId?: string;
  /** Some older producers write the parent directly. */
  parentSpanID?: string;
  operationName?: string;
  references?: JaegerRef[];
  startTime?: number | string | bigint;
  duration?: number | string | bigint;
  tags?: JaegerTag[];
  tag?: Record<string, unknown>;
  logs?: JaegerLog[];
  processID?: string;
  processId?: string;
  process?: JaegerProcess;
  warnings?: string[] | null;
}
export interface JaegerTrace {
  traceID?: string;
  spans?: JaegerSpan[];
  processes?: Record<string, JaegerProcess>;
  warnings?: string[] | null;
}

function base64Id(raw: unknown, kind: 'trace' | 'span'): ReadId | null {
  if (typeof raw !== 'string') return null;
  try {
    const bin = atob(raw);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const hex = bytesToHex(bytes).padStart(kind === 'trace' ? 32 : 16, '0');
    if (hex.length > (kind === 'trace' ? 32 : 16) || /^0*$/.test(hex)) return null;
    return { hex, raw };
  } catch {
    return readId(raw, kind);
  }
}

function hexToBase64(hex: string): string {
  let bin = '';
  for (let i = 0; i < hex.length; i += 2) bin += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(bin);
}

function tagValue(t: JaegerTag, hexBinary: boolean): AttrValue {
  if (t.vType !== undefined || t.vStr !== undefined || t.vInt64 !== undefined || t.vBool !== undefined || t.vFloat64 !== undefined || t.vBinary !== undefined) {
    switch ((t.vType ?? 'STRING').toUpperCase()) {
      case 'BOOL':
        return t.vBool ?? false;
      case 'INT64':
        return readInt(t.vInt64 ?? 0) ?? String(t.vInt64);
      case 'FLOAT64':
        return Number(t.vFloat64 ?? 0);
      case 'BINARY':
        return { bytes: t.vBinary ?? '' };
      default:
        return t.vStr ?? '';
    }
  }
  const v = t.value;
  switch ((t.type ?? '').toLowerCase()) {
    case 'bool':
      return v === true || v === 'true';
    case 'int64':
      return readInt(v) ?? (v as AttrValue);
    case 'float64':
      return typeof v === 'number' ? v : Number(v);
    case 'binary':
      return { bytes: hexBinary && typeof v === 'string' && /^([0-9a-fA-F]{2})*$/.test(v) ? hexToBase64(v) : String(v ?? '') };
    case 'string':
      return v == null ? '' : typeof v === 'string' ? v : String(v);
    default:
      return (v ?? null) as AttrValue;
  }
}

export function convertTags(tags: JaegerTag[] | undefined, tagMap: Record<string, unknown> | undefined, hexBinary: boolean, into: Attributes = {}): Attributes {
  for (const t of tags ?? []) {
    if (typeof t?.key !== 'string') throw new Error('tag without a string "key"');
    into[t.key] = tagValue(t, hexBinary);
  }
  if (tagMap) for (const [k, v] of Object.entries(tagMap)) into[k.replace(/@/g, '.')] = v as AttrValue;
  return into;
}

function readTime(v: unknown, what: string): EpochNs {
  const ns = typeof v === 'string' && /[T:]/.test(v) ? parseRfc3339Ns(v) : usToEpochNs(v);
  if (ns === null) throw new Error(v === undefined ? `span has no ${what}` : `${what} is not a time: ${JSON.stringify(String(v)).slice(0, 60)}`);
  return ns;
}

function readDuration(v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v === 'string' && /[a-zµ]$/.test(v.trim())) {
    const ns = parseDurationTextNs(v);
    if (ns !== null) return ns;
  } else {
    const n = readInt(v);
    if (n !== null) return Number(n) * 1000;
    if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
  }
  throw new Error(`duration is not a number: ${JSON.stringify(String(v)).slice(0, 60)}`);
}

/** One Resource per process object (the spans of a trace share a few processes). */
const resourceOfProcess = new WeakMap<JaegerProcess, Resource>();

function processResource(proc: JaegerProcess | undefined, service: string, hexBinary: boolean, cache: ResourceCache): Resource {
  if (!proc || typeof proc !== 'object') return cache.forService(service);
  let r = resourceOfProcess.get(proc);
  if (!r) {
    const attrs: Attributes = { 'service.name': service };
    convertTags(proc.tags, proc.tag, hexBinary, attrs);
    r = cache.get(attrs);
    resourceOfProcess.set(proc, r);
  }
  return r;
}

export interface JaegerContext {
  /** The enclosing trace's id, for spans that do not repeat it. */
  traceId: string | null;
  processes: Record<string, JaegerProcess> | null;
  resources: ResourceCache;
  /** Span-level warnings and anything else worth a finding. */
  warn(traceId: string, spanId: string | null, message: string): void;
}

/** Convert one Jaeger span (any of the three spellings). Throws with a plain message when unreadable. */
export function convertJaegerSpan(s: JaegerSpan, ctx: JaegerContext): Span {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new Error('not a Jaeger span object');
  const domain = s.spanId !== undefined && s.spanID === undefined;
  const idOf = (raw: unknown, kind: 'trace' | 'span') => (domain ? base64Id(raw, kind) : readId(raw, kind));
  const tid = idOf(s.traceID ?? s.traceId, 'trace') ?? (ctx.traceId !== null ? readId(ctx.traceId, 'trace') : null);
  const sid = idOf(s.spanID ?? s.spanId, 'span');
  if (!tid) throw new Error(`span "${s.operationName ?? ''}" has no valid traceID`);
  if (!sid) throw new Error(`span "${s.operationName ?? ''}" has no valid spanID (${JSON.stringify(s.spanID ?? s.spanId ?? null)})`);
  const pid = s.processID ?? s.processId;
  const proc: JaegerProcess | undefined = s.process ?? (pid !== undefined && ctx.processes ? ctx.processes[pid] : undefined);
  const hexBinary = s.process !== undefined && !domain;
  const service = typeof proc?.serviceName === 'string' && proc.serviceName !== '' ? proc.serviceName : UNKNOWN_SERVICE;
  const span = blankSpan(tid.hex, sid.hex, processResource(proc, service, hexBinary, ctx.resources));
  if (tid.raw !== undefined) span.traceIdRaw = tid.raw;
  if (sid.raw !== undefined) span.spanIdRaw = sid.raw;
  span.name = s.operationName ?? '';
  span.service = service;
  span.startNs = readTime(s.startTime, 'startTime');
  span.attributes = convertTags(s.tags, s.tag, hexBinary);
  setSpanDuration(span, readDuration(s.duration));
  const conv = takeConventions(span.attributes, false);
  if (conv.kind) span.kind = conv.kind;
  span.status = conv.status;
  span.statusMessage = conv.statusMessage;
  span.scope = { name: conv.scopeName, version: conv.scopeVersion };

  // The parent is the first CHILD_OF reference into the same trace, else the first FOLLOWS_FROM
  // one; every other reference is kept as a link.
  const refs: { kind: string; trace: ReadId; span: ReadId }[] = [];
  for (const r of s.references ?? []) {
    const rs = idOf(r.spanID ?? r.spanId, 'span');
    const rt = idOf(r.traceID ?? r.traceId, 'trace') ?? tid;
    if (!rs) continue;
    refs.push({ kind: (r.refType ?? 'CHILD_OF').toUpperCase(), trace: rt, span: rs });
  }
  let parentIdx = refs.findIndex((r) => r.kind === 'CHILD_OF' && r.trace.hex === tid.hex);
  if (parentIdx < 0) parentIdx = refs.findIndex((r) => r.kind === 'FOLLOWS_FROM' && r.trace.hex === tid.hex);
  if (parentIdx >= 0) {
    span.parentSpanId = refs[parentIdx].span.hex;
    span.parentRef = refs[parentIdx].kind === 'FOLLOWS_FROM' ? 'follows_from' : 'child_of';
  } else if (s.parentSpanID !== undefined) {
    span.parentSpanId = readId(s.parentSpanID, 'span')?.hex ?? null;
  }
  span.links = refs
    .filter((_, i) => i !== parentIdx)
    .map((r): SpanLink => ({ traceId: r.trace.hex, spanId: r.span.hex, attributes: { 'opentracing.ref_type': r.kind === 'FOLLOWS_FROM' ? 'follows_from' : 'child_of' } }));

  for (const l of s.logs ?? []) {
    const attrs = convertTags(l.fields, undefined, hexBinary);
    let name = '';
    if (typeof attrs['event'] === 'string') {
      name = attrs['event'];
      delete attrs['event'];
    }
    span.events.push({ timeNs: readTime(l.timestamp, 'log timestamp'), name, attributes: attrs });
  }
  for (const w of s.warnings ?? []) ctx.warn(span.traceId, span.spanId, `Jaeger warning: ${w}`);
  return span;
}
