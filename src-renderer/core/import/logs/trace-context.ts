// Trace context in log records, from fields and from text, under the names each logging library
// and platform writes it. Fields: OTel trace_id/span_id, traceId/spanId, ECS trace.id/span.id, Datadog
// dd.trace_id/dd.span_id (decimal 64-bit), GCP logging.googleapis.com/trace and /spanId, Serilog
// @tr/@sp, OTel Python otelTraceID/otelSpanID, headers kept as fields (traceparent, b3,
// X-B3-TraceId, uber-trace-id, X-Amzn-Trace-Id, X-Cloud-Trace-Context) and the user's own field
// names. Text: the same names written as key=value / key: value, and header values on their own.
// Ids are normalised by base/ids.ts; a 64-bit trace id becomes a partial id (it can only match
// the low half of a 128-bit one); the raw string is kept.

import { normalizeId, isTraceId64 } from '../../base/ids.ts';

export interface TraceContext {
  traceId: string | null;
  spanId: string | null;
  partial: boolean;
  traceRaw: string | null;
  spanRaw: string | null;
}

export const NO_CONTEXT: TraceContext = { traceId: null, spanId: null, partial: false, traceRaw: null, spanRaw: null };

/** Cheap test before any parsing: does the text mention anything that could carry an id? */
export const MAY_HAVE_CONTEXT = /trace|span|b3|amzn|@tr|@sp/i;

function make(traceRaw: string | null, spanRaw: string | null, traceDecimal = false, spanDecimal = false): TraceContext | null {
  const t = traceRaw != null ? normalizeId(traceRaw, 'trace', traceDecimal) : null;
  const s = spanRaw != null ? normalizeId(spanRaw, 'span', spanDecimal) : null;
  if (!t && !s) return null;
  return {
    traceId: t?.hex ?? null,
    spanId: s?.hex ?? null,
    partial: t ? isTraceId64(t.hex) : false,
    traceRaw: t ? traceRaw : null,
    spanRaw: s ? spanRaw : null,
  };
}

/** Header values that carry both ids. */
function fromTraceparent(v: string): TraceContext | null {
  const m = /^\s*[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}/i.exec(v);
  return m ? make(m[1], m[2]) : null;
}
function fromB3Single(v: string): TraceContext | null {
  const m = /^\s*([0-9a-f]{16}|[0-9a-f]{32})-([0-9a-f]{16})/i.exec(v);
  return m ? make(m[1], m[2]) : null;
}
function fromUber(v: string): TraceContext | null {
  const m = /^\s*([0-9a-f]{1,32}):([0-9a-f]{1,16}):/i.exec(decodeURIComponentSafe(v));
  return m ? make(m[1], m[2]) : null;
}
function fromXRay(v: string): TraceContext | null {
  const m = /Root=(1-[0-9a-f]{8}-[0-9a-f]{24})(?:;\s*Parent=([0-9a-f]{16}))?/i.exec(v);
  return m ? make(m[1], m[2] ?? null) : null;
}
function fromCloudTrace(v: string): TraceContext | null {
  // X-Cloud-Trace-Context: TRACE/SPAN;o=1 with the span id in decimal.
  const m = /^\s*([0-9a-f]{32})(?:\/([0-9]{1,20}))?/i.exec(v);
  return m ? make(m[1], m[2] ?? null, false, true) : null;
}

function decodeURIComponentSafe(v: string): string {
  try {
    return v.includes('%') ? decodeURIComponent(v) : v;
  } catch {
    return v;
  }
}

type Role = 'trace' | 'span' | 'trace-dec' | 'span-dec' | ((v: string) => TraceContext | null);

/** Lower-cased field path (or last path segment) to what it holds. */
const FIELD_ROLES = new Map<string, Role>([
  ['trace_id', 'trace'], ['traceid', 'trace'], ['trace.id', 'trace'], ['otel.trace_id', 'trace'], ['oteltraceid', 'trace'],
  ['@tr', 'trace'], ['x-b3-traceid', 'trace'], ['logging.googleapis.com/trace', 'trace'], ['trace-id', 'trace'],
  ['span_id', 'span'], ['spanid', 'span'], ['span.id', 'span'], ['otel.span_id', 'span'], ['otelspanid', 'span'], ['@sp', 'span'],
  ['x-b3-spanid', 'span'], ['logging.googleapis.com/spanid', 'span'], ['span-id', 'span'],
  ['dd.trace_id', 'trace-dec'], ['dd.span_id', 'span-dec'],
  ['traceparent', fromTraceparent], ['b3', fromB3Single], ['uber-trace-id', fromUber], ['x-amzn-trace-id', fromXRay],
  ['x-cloud-trace-context', fromCloudTrace],
]);

/**
 * Find trace context in a parsed record. Walks nested objects iteratively (depth <= 4, at most
 * 400 leaves) so `{"trace":{"id":..}}` and `{"trace.id":..}` read alike. The user's field names
 * (exact paths, case-insensitive) win over the known ones.
 */
export function contextFromFields(obj: Record<string, unknown>, traceFields: readonly string[] = [], spanFields: readonly string[] = []): TraceContext | null {
  let traceRaw: string | null = null;
  let spanRaw: string | null = null;
  let traceDec = false;
  let spanDec = false;
  let userTrace: string | null = null;
  let userSpan: string | null = null;
  let header: TraceContext | null = null;
  const ut = traceFields.map((f) => f.toLowerCase());
  const us = spanFields.map((f) => f.toLowerCase());
  // Fast path for the common flat record: the ids are top-level keys and nothing else is asked for.
  if (ut.length === 0 && us.length === 0) {
    const t = obj.trace_id ?? obj.traceId;
    if (typeof t === 'string') {
      let nested = false;
      for (const k in obj) {
        const v = obj[k];
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
          nested = true;
          break;
        }
      }
      const s = obj.span_id ?? obj.spanId;
      if (!nested) return make(t, typeof s === 'string' ? s : null);
    }
  }
  const stack: Array<[string, Record<string, unknown>, number]> = [['', obj, 0]];
  let leaves = 0;
  while (stack.length > 0 && leaves < 400) {
    const [prefix, o, depth] = stack.pop()!;
    for (const key in o) {
      const v = o[key];
      const path = prefix ? `${prefix}.${key.toLowerCase()}` : key.toLowerCase();
      if (v !== null && typeof v === 'object') {
        if (!Array.isArray(v) && depth < 4) stack.push([path, v as Record<string, unknown>, depth + 1]);
        continue;
      }
      leaves++;
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'bigint') continue;
      const sv = String(v);
      if (ut.includes(path)) userTrace = sv;
      if (us.includes(path)) userSpan = sv;
      let role = FIELD_ROLES.get(path);
      if (role === undefined) {
        const dot = path.lastIndexOf('.');
        // Only a plain last segment (not "dd.trace_id" inside something else) falls back to its name.
        if (dot >= 0) role = path.endsWith('dd.trace_id') ? 'trace-dec' : path.endsWith('dd.span_id') ? 'span-dec' : FIELD_ROLES.get(path.slice(dot + 1));
      }
      if (role === undefined) continue;
      if (role === 'trace' || role === 'trace-dec') {
        if (traceRaw === null || (traceDec && role === 'trace')) {
          traceRaw = sv;
          traceDec = role === 'trace-dec';
        }
      } else if (role === 'span' || role === 'span-dec') {
        if (spanRaw === null || (spanDec && role === 'span')) {
          spanRaw = sv;
          spanDec = role === 'span-dec';
        }
      } else if (!header) header = role(sv);
    }
  }
  if (userTrace !== null || userSpan !== null) {
    const u = make(userTrace, userSpan, false, false);
    if (u) return u;
  }
  const direct = traceRaw !== null || spanRaw !== null ? make(traceRaw, spanRaw, traceDec, spanDec) : null;
  if (direct && direct.traceId) {
    if (!direct.spanId && header?.spanId && header.traceId === direct.traceId) return { ...direct, spanId: header.spanId, spanRaw: header.spanRaw };
    return direct;
  }
  return header ?? direct;
}

// Patterns in free text, most specific first. Values may be quoted; separators are = or :.
const Q = `["']?\\s*[:=]\\s*["']?`;
const TEXT_TRACEPARENT = /\b[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}\b/i;
const TEXT_XRAY = /Root=(1-[0-9a-f]{8}-[0-9a-f]{24})(?:;\s*Parent=([0-9a-f]{16}))?/i;
const TEXT_UBER = new RegExp(`uber-trace-id${Q}([0-9a-f]{1,32})(?::|%3A)([0-9a-f]{1,16})(?::|%3A)`, 'i');
const TEXT_B3 = new RegExp(`\\bb3${Q}([0-9a-f]{16}|[0-9a-f]{32})-([0-9a-f]{16})`, 'i');
const TEXT_GCP = /projects\/[^/\s"']+\/traces\/([0-9a-f]{32})/i;
const TEXT_TRACE = new RegExp(`(dd\\.)?trace[_.-]?id${Q}((?:0x)?[0-9a-f]{16,32}(?![0-9a-z])|[0-9]{1,20}(?![0-9a-z]))`, 'i');
const TEXT_SPAN = new RegExp(`(dd\\.)?span[_.-]?id${Q}((?:0x)?[0-9a-f]{16}(?![0-9a-z])|[0-9]{1,20}(?![0-9a-z]))`, 'i');

/** Find trace context written in a line of text (message, or a whole text record). */
export function contextFromText(text: string, traceFields: readonly string[] = [], spanFields: readonly string[] = []): TraceContext | null {
  if (!MAY_HAVE_CONTEXT.test(text) && traceFields.length === 0 && !/[0-9a-f]{32}/i.test(text)) return null;
  for (const [fields, kind] of [[traceFields, 'trace'], [spanFields, 'span']] as const) {
    for (const f of fields) {
      const m = new RegExp(`${escapeRegExp(f)}${Q}([0-9a-zA-Z+/=_-]{8,40})`, 'i').exec(text);
      if (m) {
        const c = kind === 'trace' ? make(m[1], null) : make(null, m[1]);
        if (c) {
          const rest = contextFromText(text);
          return kind === 'trace' ? { ...c, spanId: rest?.spanId ?? null, spanRaw: rest?.spanRaw ?? null } : { ...(rest ?? NO_CONTEXT), spanId: c.spanId, spanRaw: c.spanRaw };
        }
      }
    }
  }
  let m: RegExpExecArray | null;
  if ((m = TEXT_XRAY.exec(text))) return make(m[1], m[2] ?? null);
  if ((m = TEXT_UBER.exec(text))) return make(m[1], m[2]);
  if ((m = TEXT_B3.exec(text))) return make(m[1], m[2]);
  if ((m = TEXT_TRACEPARENT.exec(text))) return make(m[1], m[2]);
  const t = TEXT_TRACE.exec(text);
  if (t) {
    const s = TEXT_SPAN.exec(text);
    const c = make(t[2], s ? s[2] : null, !!t[1], s ? !!s[1] : false);
    if (c?.traceId) return c;
  }
  if ((m = TEXT_GCP.exec(text))) {
    const s = TEXT_SPAN.exec(text);
    return make(m[1], s ? s[2] : null);
  }
  const xb3 = new RegExp(`x-b3-traceid${Q}([0-9a-f]{16,32})`, 'i').exec(text);
  if (xb3) {
    const s = new RegExp(`x-b3-spanid${Q}([0-9a-f]{16})`, 'i').exec(text);
    return make(xb3[1], s ? s[1] : null);
  }
  return null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
