// Traces written back as OTLP/JSON (the OpenTelemetry protocol's JSON encoding: one
// ExportTraceServiceRequest, https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
// ids as hex, times as decimal strings of epoch ns, 64-bit integers as decimal strings
// (intValue), attribute maps as KeyValue lists with nested arrays and maps kept. What a span was
// read from (Jaeger, Zipkin) does not matter: it is written as OTLP says. A follows-from parent
// is written as the parent, the one reference OTLP has.

import { kindOfCode, statusOfCode } from '../model/span-codes.ts';
import { SPAN_KINDS } from '../model/trace.ts';

type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } }
  | { kvlistValue: { values: { key: string; value: AnyValue }[] } }
  | Record<string, never>;

/** A value as OTLP's AnyValue; walked without recursion (attribute values nest up to 256 levels). */
export function anyValue(root: unknown): AnyValue {
  const out: { v: AnyValue } = { v: {} };
  const stack: { src: unknown; set: (v: AnyValue) => void }[] = [{ src: root, set: (v) => (out.v = v) }];
  while (stack.length > 0) {
    const { src, set } = stack.pop()!;
    if (typeof src === 'string') set({ stringValue: src });
    else if (typeof src === 'boolean') set({ boolValue: src });
    else if (typeof src === 'bigint') set({ intValue: src.toString() });
    else if (typeof src === 'number') set(Number.isInteger(src) ? { intValue: String(src) } : { doubleValue: src });
    else if (Array.isArray(src)) {
      const values: AnyValue[] = new Array(src.length).fill(null);
      set({ arrayValue: { values } });
      src.forEach((x, i) => stack.push({ src: x, set: (v) => (values[i] = v) }));
    } else if (typeof src === 'object' && src !== null) {
      const entries = Object.entries(src as Record<string, unknown>);
      const values = entries.map(([key]) => ({ key, value: {} as AnyValue }));
      set({ kvlistValue: { values } });
      entries.forEach(([, x], i) => stack.push({ src: x, set: (v) => (values[i].value = v) }));
    } else set({});
  }
  return out.v;
}

export function keyValues(map: Record<string, unknown> | null): { key: string; value: AnyValue }[] {
  return map ? Object.entries(map).map(([key, v]) => ({ key, value: anyValue(v) })) : [];
}

export interface ExportSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** span-codes.ts codes. */
  kind: number;
  status: number;
  statusMessage: string | null;
  /** Epoch ns, decimal text. */
  startNs: string;
  durationNs: number;
  attributes: Record<string, unknown> | null;
  /** The resources row; -1 for none (the span's service is then its resource's service.name). */
  resourceId: number;
  service: string;
  scope: { name: string; version: string } | null;
  events: { timeNs: string; name: string; attributes: Record<string, unknown> | null }[];
  links: { traceId: string; spanId: string; attributes: Record<string, unknown> | null }[];
}

/** One ExportTraceServiceRequest for the spans, grouped by resource and scope in the order first seen. */
export function otlpTraceRequest(spans: readonly ExportSpan[], resources: ReadonlyMap<number, Record<string, unknown>>): unknown {
  const byResource = new Map<string, { attributes: Record<string, unknown>; scopes: Map<string, { scope: { name: string; version: string } | null; spans: unknown[] }> }>();
  for (const s of spans) {
    const rk = s.resourceId >= 0 ? String(s.resourceId) : `service:${s.service}`;
    let res = byResource.get(rk);
    if (!res) byResource.set(rk, (res = { attributes: resources.get(s.resourceId) ?? { 'service.name': s.service }, scopes: new Map() }));
    const scopes = res.scopes;
    const key = s.scope ? `${s.scope.name}\u0000${s.scope.version}` : '';
    let group = scopes.get(key);
    if (!group) scopes.set(key, (group = { scope: s.scope, spans: [] }));
    const status = statusOfCode(s.status);
    group.spans.push({
      traceId: s.traceId,
      spanId: s.spanId,
      ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
      name: s.name,
      kind: SPAN_KINDS.indexOf(kindOfCode(s.kind)),
      startTimeUnixNano: s.startNs,
      endTimeUnixNano: (BigInt(s.startNs) + BigInt(s.durationNs)).toString(),
      attributes: keyValues(s.attributes),
      ...(s.events.length > 0 ? { events: s.events.map((e) => ({ timeUnixNano: e.timeNs, name: e.name, attributes: keyValues(e.attributes) })) } : {}),
      ...(s.links.length > 0 ? { links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: keyValues(l.attributes) })) } : {}),
      status: { code: status === 'error' ? 2 : status === 'ok' ? 1 : 0, ...(s.statusMessage ? { message: s.statusMessage } : {}) },
    });
  }
  return {
    resourceSpans: [...byResource.values()].map((res) => ({
      resource: { attributes: keyValues(res.attributes) },
      scopeSpans: [...res.scopes.values()].map((g) => ({ ...(g.scope ? { scope: g.scope } : {}), spans: g.spans })),
    })),
  };
}
