// Zipkin spans to canonical spans.
// v2: https://zipkin.io/zipkin-api/#/default/post_spans (zipkin2 JSON model)
// v1: https://zipkin.io/pages/data_model.html (annotations cs/sr/ss/cr, binaryAnnotations)
// Times are microseconds since the epoch (×1000 → ns, exact). Ids are 16 or 32 hex (64-bit trace
// ids are padded). The client and server halves of one RPC share a span id (B3) and stay two spans
// with the same id; buildTraceTree puts the server half under the client half. A span without a
// duration gets 0, the `tracedeck.no_duration` attribute and a `no_duration` finding. Tags are
// strings, as Zipkin has them; the `error` tag holds the error message. Ignores debug and shared.

import type { Attributes, AttrValue, Finding, Span, SpanKind } from '../model/trace.ts';
import { UNKNOWN_SERVICE } from '../model/trace.ts';
import { usToEpochNs, epochNs, durationNs } from '../base/time.ts';
import { readId, readInt, takeConventions, blankSpan, setSpanDuration, type ResourceCache } from './trace-common.ts';

/** Wire shapes (only the fields we read). */
export interface ZipkinEndpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}
export interface ZipkinAnnotation {
  timestamp?: number | bigint | string;
  value?: string;
  /** v1 only: the host that recorded it. */
  endpoint?: ZipkinEndpoint;
}
export interface ZipkinBinaryAnnotation {
  key?: string;
  value?: unknown;
  type?: string;
  endpoint?: ZipkinEndpoint;
}
export interface ZipkinSpan {
  traceId?: string;
  id?: string;
  parentId?: string;
  /** v2: CLIENT | SERVER | PRODUCER | CONSUMER, absent for local spans. */
  kind?: string;
  name?: string;
  timestamp?: number | bigint | string;
  duration?: number | bigint | string;
  localEndpoint?: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  annotations?: ZipkinAnnotation[];
  tags?: Record<string, unknown>;
  /** v1 only. */
  binaryAnnotations?: ZipkinBinaryAnnotation[];
}

export interface ZipkinContext {
  resources: ResourceCache;
  finding(f: Finding): void;
}

/**
 * Attribute set on a span that came without any timestamp (Zipkin allows incomplete spans). The
 * reader places such a span at the start of its trace once the whole file is read.
 */
export const NO_TIMESTAMP = 'tracedeck.no_timestamp';

export function isUntimed(s: Span): boolean {
  return s.attributes[NO_TIMESTAMP] === true;
}

const V2_KINDS: Record<string, SpanKind> = { CLIENT: 'client', SERVER: 'server', PRODUCER: 'producer', CONSUMER: 'consumer' };

/** A v1 span: binaryAnnotations, or annotations that name their endpoint, and no v2-only fields. */
export function isZipkinV1Span(s: ZipkinSpan): boolean {
  if (s.localEndpoint !== undefined || s.kind !== undefined || s.tags !== undefined) return false;
  return s.binaryAnnotations !== undefined || (s.annotations ?? []).some((a) => a && a.endpoint !== undefined);
}

function endpointAttrs(into: Attributes, e: ZipkinEndpoint | undefined, prefix: 'net.peer' | 'net.host', withService: boolean): void {
  if (!e) return;
  if (withService && typeof e.serviceName === 'string' && e.serviceName !== '') into['peer.service'] = e.serviceName;
  const ip = e.ipv4 ?? e.ipv6;
  if (typeof ip === 'string') into[`${prefix}.ip`] = ip;
  if (typeof e.port === 'number') into[`${prefix}.port`] = e.port;
}

function base(traceRaw: unknown, idRaw: unknown, parentRaw: unknown, name: unknown, service: string, ctx: ZipkinContext): Span {
  const tid = readId(traceRaw, 'trace');
  const sid = readId(idRaw, 'span');
  if (!tid) throw new Error(`span "${String(name ?? '')}" has no valid traceId (${JSON.stringify(traceRaw ?? null)})`);
  if (!sid) throw new Error(`span "${String(name ?? '')}" has no valid id (${JSON.stringify(idRaw ?? null)})`);
  const span = blankSpan(tid.hex, sid.hex, ctx.resources.forService(service));
  if (tid.raw !== undefined) span.traceIdRaw = tid.raw;
  if (sid.raw !== undefined) span.spanIdRaw = sid.raw;
  span.parentSpanId = parentRaw == null || parentRaw === '' ? null : (readId(parentRaw, 'span')?.hex ?? null);
  span.name = typeof name === 'string' ? name : '';
  span.service = service;
  return span;
}

function applyTags(span: Span): void {
  const conv = takeConventions(span.attributes, true);
  if (conv.kind && span.kind === 'unspecified') span.kind = conv.kind;
  span.status = conv.status;
  span.statusMessage = conv.statusMessage;
  span.scope = { name: conv.scopeName, version: conv.scopeVersion };
}

function setTimes(span: Span, start: unknown, duration: unknown, ctx: ZipkinContext): void {
  const startNs = start === undefined || start === null ? null : usToEpochNs(start);
  if (startNs === null && start != null) throw new Error(`timestamp is not a number: ${JSON.stringify(String(start)).slice(0, 40)}`);
  if (startNs === null) span.attributes[NO_TIMESTAMP] = true; // placed later by the reader (see isUntimed)
  span.startNs = startNs ?? epochNs(0n);
  const d = duration === undefined || duration === null ? null : readInt(duration);
  if (d === null && duration != null && !(typeof duration === 'number' && Number.isFinite(duration)))
    throw new Error(`duration is not a number: ${JSON.stringify(String(duration)).slice(0, 40)}`);
  if (d === null && duration == null) {
    span.durationNs = durationNs(0);
    span.attributes['tracedeck.no_duration'] = true;
    ctx.finding({ kind: 'no_duration', traceId: span.traceId, spanId: span.spanId, message: `span "${span.name}" has no duration (an incomplete span): shown as 0` });
  } else setSpanDuration(span, d !== null ? Number(d) * 1000 : Math.round((duration as number) * 1000));
}

/** Convert one v2 span. Throws with a plain message when unreadable. */
export function convertZipkinV2(s: ZipkinSpan, ctx: ZipkinContext): Span {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new Error('not a Zipkin span object');
  const svc = s.localEndpoint?.serviceName;
  const span = base(s.traceId, s.id, s.parentId, s.name, typeof svc === 'string' && svc !== '' ? svc : UNKNOWN_SERVICE, ctx);
  span.kind = typeof s.kind === 'string' ? (V2_KINDS[s.kind.toUpperCase()] ?? 'unspecified') : 'unspecified';
  const attrs: Attributes = {};
  for (const [k, v] of Object.entries(s.tags ?? {})) attrs[k] = typeof v === 'string' ? v : (v as AttrValue);
  endpointAttrs(attrs, s.localEndpoint, 'net.host', false);
  endpointAttrs(attrs, s.remoteEndpoint, 'net.peer', true);
  span.attributes = attrs;
  applyTags(span);
  const annotations = s.annotations ?? [];
  let start: unknown = s.timestamp;
  if (start === undefined && annotations.length > 0) start = annotations.map((a) => Number(a.timestamp)).reduce((a, b) => Math.min(a, b));
  setTimes(span, start, s.duration, ctx);
  for (const a of annotations) {
    const t = usToEpochNs(a?.timestamp);
    if (t === null) throw new Error(`annotation "${String(a?.value ?? '')}" has no readable timestamp`);
    span.events.push({ timeNs: t, name: String(a.value ?? ''), attributes: {} });
  }
  return span;
}

const CORE = new Set(['cs', 'cr', 'sr', 'ss', 'ms', 'mr', 'ws', 'wr', 'csf', 'crf', 'srf', 'ssf']);

/**
 * Convert one v1 span. A span with both client (cs/cr) and server (sr/ss) annotations becomes two
 * spans with the same id, as v2 models it; other annotations and binary annotations go to the half
 * whose endpoint recorded them.
 */
export function convertZipkinV1(s: ZipkinSpan, ctx: ZipkinContext): Span[] {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new Error('not a Zipkin span object');
  const at = new Map<string, ZipkinAnnotation>();
  for (const a of s.annotations ?? []) if (a && typeof a.value === 'string' && CORE.has(a.value) && !at.has(a.value)) at.set(a.value, a);
  const svcOf = (e: ZipkinEndpoint | undefined) => (typeof e?.serviceName === 'string' && e.serviceName !== '' ? e.serviceName : null);
  const lc = (s.binaryAnnotations ?? []).find((b) => b?.key === 'lc');
  const fallbackSvc = svcOf(lc?.endpoint) ?? svcOf((s.annotations ?? [])[0]?.endpoint) ?? svcOf((s.binaryAnnotations ?? [])[0]?.endpoint) ?? UNKNOWN_SERVICE;

  type Half = { span: Span; service: string };
  const halves: Half[] = [];
  const single = !((at.has('cs') || at.has('cr')) && (at.has('sr') || at.has('ss')));
  const half = (kind: SpanKind, startKey: string, endKey: string): void => {
    const a = at.get(startKey);
    const b = at.get(endKey);
    if (!a && !b) return;
    const service = svcOf(a?.endpoint) ?? svcOf(b?.endpoint) ?? fallbackSvc;
    const span = base(s.traceId, s.id, s.parentId, s.name, service, ctx);
    span.kind = kind;
    const start = a?.timestamp ?? s.timestamp ?? b?.timestamp;
    const dur = a && b ? Number(b.timestamp) - Number(a.timestamp) : single ? s.duration : undefined;
    setTimes(span, start, dur, ctx);
    halves.push({ span, service });
  };
  half('client', 'cs', 'cr');
  half('server', 'sr', 'ss');
  if (halves.length === 0) half('producer', 'ms', 'ws');
  if (halves.length === 0) half('consumer', 'wr', 'mr');
  if (halves.length === 0) {
    const span = base(s.traceId, s.id, s.parentId, s.name, fallbackSvc, ctx);
    const annotations = s.annotations ?? [];
    const start = s.timestamp ?? (annotations.length > 0 ? Math.min(...annotations.map((a) => Number(a.timestamp))) : undefined);
    setTimes(span, start, s.duration, ctx);
    halves.push({ span, service: fallbackSvc });
  }
  const pick = (e: ZipkinEndpoint | undefined): Span => {
    const svc = svcOf(e);
    return (halves.find((h) => h.service === svc) ?? halves[0]).span;
  };
  for (const a of s.annotations ?? []) {
    if (!a || typeof a.value !== 'string' || CORE.has(a.value)) continue;
    const t = usToEpochNs(a.timestamp);
    if (t === null) throw new Error(`annotation "${a.value}" has no readable timestamp`);
    pick(a.endpoint).events.push({ timeNs: t, name: a.value, attributes: {} });
  }
  for (const b of s.binaryAnnotations ?? []) {
    if (typeof b?.key !== 'string' || b.key === 'lc') continue;
    if (b.key === 'sa' || b.key === 'ca' || b.key === 'ma') {
      // Address annotations: the remote side of the half on the other end.
      const target = halves.find((h) => h.span.kind === (b.key === 'sa' ? 'client' : b.key === 'ca' ? 'server' : 'producer')) ?? halves[0];
      endpointAttrs(target.span.attributes, b.endpoint, 'net.peer', true);
      continue;
    }
    const v = b.value;
    pick(b.endpoint).attributes[b.key] = typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' ? v : String(v);
  }
  if (lc && typeof lc.value === 'string' && lc.value !== '') halves[0].span.attributes['lc'] = lc.value;
  for (const h of halves) applyTags(h.span);
  return halves.map((h) => h.span);
}
