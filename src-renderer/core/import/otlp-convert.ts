// OTLP/JSON wire shapes and their conversion to canonical spans, shared by the OTLP/JSON reader
// (otlp-json.ts) and the OTLP/protobuf reader, which decodes into the same shapes.
// Spec: https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#json-protobuf-encoding
// Quirks: ids are hex (any case), not base64; enums are integers; 64-bit integers are decimal
// strings but may be bare numbers (BigInt after parseExact); unknown fields are ignored.

import type { Span, Attributes, AttrValue, SpanKind, StatusCode, Resource, Scope } from '../model/trace.ts';
import { UNKNOWN_SERVICE, SPAN_KINDS } from '../model/trace.ts';
import { normalizeId } from '../base/ids.ts';
import { parseEpochNs, durationBetween, type EpochNs } from '../base/time.ts';
import { exactNumber, MAX_JSON_DEPTH, DEPTH_CUT } from '../base/json.ts';
import { setSpanDuration } from './trace-common.ts';

/** Wire shapes (only the fields we read). */
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number | bigint;
  doubleValue?: number | string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string; // base64
}
export interface OtlpSpan {
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
export interface OtlpScopeSpans {
  scope?: { name?: string; version?: string };
  instrumentationLibrary?: { name?: string; version?: string };
  spans?: OtlpSpan[];
}
export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeSpans?: OtlpScopeSpans[];
  instrumentationLibrarySpans?: OtlpScopeSpans[];
}
export interface OtlpTraceRequest {
  resourceSpans?: OtlpResourceSpans[];
}

/** For an absent list (read only: map and flatMap make new arrays). */
const NONE: readonly never[] = [];
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Values a converter could not read exactly, noted while converting one record so that the reader
 * can record them as findings (with the record's ids). Such a value is kept as the text it was
 * written as: it never costs its record. `exact` says the record was parsed exactly (parseExact,
 * or the scanner's exact parse), so that a number outside the safe range is one written as a
 * double (`{"intValue":1.7976931348623157e+308}`, as the OTel JS SDK's JSON exporter writes a
 * huge double), not an integer JSON.parse rounded: without it, such a number throws
 * InexactNumberError (base/json.ts) for the reader to parse the record again exactly.
 */
export class ValueNotes {
  exact = false;
  notes: string[] = [];

  /** The notes so far, and none after. */
  take(): string[] {
    const n = this.notes;
    if (n.length > 0) this.notes = [];
    return n;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** As written, for a value kept as text. */
function writtenText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : JSON.stringify(v) ?? String(v);
}

function keptAsText(v: unknown, what: string, key: string, notes: ValueNotes | undefined): string {
  const text = writtenText(v);
  notes?.notes.push(`${key ? `${key}: ` : ''}${what} ${text} is not ${what === 'intValue' ? 'a 64-bit integer' : 'a number'}; kept as the text written`);
  return text;
}

function intValueOf(x: unknown, key: string, notes: ValueNotes | undefined): AttrValue {
  let n: bigint;
  if (typeof x === 'number') {
    if (Number.isSafeInteger(x)) return x;
    // An integer past 2^53 may have been rounded by JSON.parse: read the record exactly first.
    if (Number.isInteger(x) && !notes?.exact) return exactNumber(x);
    return keptAsText(x, 'intValue', key, notes);
  }
  if (typeof x === 'bigint') n = x;
  else if (typeof x === 'string' && /^-?[0-9]+$/.test(x)) n = BigInt(x);
  else return keptAsText(x, 'intValue', key, notes);
  if (n < INT64_MIN || n > INT64_MAX) return keptAsText(x, 'intValue', key, notes);
  return n >= MIN_SAFE && n <= MAX_SAFE ? Number(n) : n;
}

function doubleValueOf(x: unknown, key: string, notes: ValueNotes | undefined): AttrValue {
  if (typeof x === 'number') return x;
  // The JSON mapping writes the special doubles as strings; JSON itself has no way to hold them.
  const n = typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
  return Number.isFinite(n) ? n : keptAsText(x, 'doubleValue', key, notes);
}

/** An OTLP AnyValue as an attribute value. `key` names it in notes. */
export function convertAnyValue(v: OtlpAnyValue | undefined, notes?: ValueNotes, key = '', depth = 1): AttrValue {
  if (v == null) return null;
  if (depth > MAX_JSON_DEPTH) return DEPTH_CUT; // the store would cut it there too; recursing on would overflow
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return intValueOf(v.intValue, key, notes);
  if (v.doubleValue !== undefined) return doubleValueOf(v.doubleValue, key, notes);
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map((x) => convertAnyValue(x, notes, key, depth + 1));
  if (v.kvlistValue !== undefined) return convertAttributes(v.kvlistValue.values, notes, key, depth);
  if (v.bytesValue !== undefined) return { bytes: v.bytesValue };
  return null;
}

export function convertAttributes(kvs: OtlpKeyValue[] | undefined, notes?: ValueNotes, prefix = '', depth = 0): Attributes {
  const out: Attributes = {};
  if (!kvs) return out;
  for (const kv of kvs) {
    if (typeof kv?.key !== 'string') throw new Error('attribute without a string "key"');
    out[kv.key] = convertAnyValue(kv.value, notes, prefix ? `${prefix}.${kv.key}` : kv.key, depth + 1);
  }
  return out;
}

// No prototype: a level or kind read from a file may be "constructor" or "__proto__".
const KIND_NAMES: Record<string, SpanKind> = Object.setPrototypeOf({
  SPAN_KIND_UNSPECIFIED: 'unspecified', SPAN_KIND_INTERNAL: 'internal', SPAN_KIND_SERVER: 'server',
  SPAN_KIND_CLIENT: 'client', SPAN_KIND_PRODUCER: 'producer', SPAN_KIND_CONSUMER: 'consumer',
}, null);

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

/** Nanoseconds since the epoch. A number written as a double (in an exactly parsed record) is read rounded, with a note. */
export function readNs(v: unknown, what: string, notes: ValueNotes | undefined): EpochNs | null {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) {
    if (Number.isInteger(v) && !notes?.exact) exactNumber(v); // throws: read the record exactly first
    const ns = parseEpochNs(v);
    if (ns !== null) notes?.notes.push(`${what} ${v} is not an integer of nanoseconds; read as ${ns}`);
    return ns;
  }
  return parseEpochNs(v);
}

function requireNs(v: unknown, what: string, notes: ValueNotes | undefined): EpochNs {
  const ns = readNs(v, what, notes);
  if (ns === null) throw new Error(`span has no readable ${what}`);
  return ns;
}

export interface OtlpResourceInfo {
  service: string;
  resource: Resource;
}

/** The service and Resource object of one ResourceSpans (shared by all its spans). */
export function convertOtlpResource(r: { attributes?: OtlpKeyValue[] } | undefined, notes?: ValueNotes): OtlpResourceInfo {
  const attributes = convertAttributes(r?.attributes, notes, 'resource');
  const svc = attributes['service.name'];
  return { service: typeof svc === 'string' && svc !== '' ? svc : UNKNOWN_SERVICE, resource: { attributes } };
}

/** Where a ResourceSpans names its resource, in the compact JSON writers produce. */
const RESOURCE_KEY = '{"resource":';
/** Resource texts are indexed by their first characters; shorter ones are not worth cutting. */
const HEAD = 128;
const MAX_KNOWN = 4096;
const MAX_SAME_HEAD = 8;
/** After this many resources whose text is not as JSON.stringify writes it, a source stops trying. */
const MAX_LEARN_FAILURES = 64;

/**
 * Resources repeat from request to request: each export of a service names the same one. A repeat
 * is recognised by comparing its attribute list with the last one seen for that service (scalar
 * values only), and gets the same OtlpResourceInfo, so converting it, and writing it as JSON for
 * the store (rows.ts), happen once.
 *
 * In JSON lines a repeat is not even parsed again. Once a resource's text is known (a line held
 * it exactly as JSON.stringify writes the parsed value), `cut` replaces each later copy of that
 * text in a line with a string token naming it, before JSON.parse, and `get` turns the token back
 * into the converted resource. This is exact: `{"resource":` can only be an object's first key
 * (inside a string its quote would be escaped), and the text of a JSON value ends where the value
 * ends, so text at that position equal to a known value is that value. Tokens carry a random
 * nonce, so no file can hold one by chance. ResourceSpans and ResourceLogs both read their
 * resource through `get`.
 */
export class OtlpResourceCache {
  private readonly last = new Map<string, { kvs: OtlpKeyValue[]; info: OtlpResourceInfo }>();
  private readonly known: { text: string; info: OtlpResourceInfo }[] = [];
  private readonly byHead = new Map<string, number[]>();
  private readonly nonce = Array.from(crypto.getRandomValues(new Uint32Array(2)), (n) => n.toString(16).padStart(8, '0')).join('');
  /** A token as JSON.parse gives it back, and as it is written into a line. */
  private readonly token = `\u0000resource:${this.nonce}:`;
  private readonly tokenJson = `"\\u0000resource:${this.nonce}:`;
  /** The line being read (set by cut), in which get learns the texts of new resources. */
  private line: string | null = null;
  private learnFailures = 0;

  /** The line with every known resource text replaced by its token. */
  cut(line: string): string {
    this.line = line;
    if (this.known.length === 0) return line;
    let out = '';
    let last = 0;
    let i = line.indexOf(RESOURCE_KEY);
    while (i >= 0) {
      const at = i + RESOURCE_KEY.length;
      const k = this.knownAt(line, at);
      if (k < 0) i = line.indexOf(RESOURCE_KEY, at);
      else {
        out += `${line.slice(last, at)}${this.tokenJson}${k}"`;
        last = at + this.known[k].text.length;
        i = line.indexOf(RESOURCE_KEY, last);
      }
    }
    return last === 0 ? line : out + line.slice(last);
  }

  private knownAt(line: string, at: number): number {
    const ks = this.byHead.get(line.slice(at, at + HEAD));
    if (ks === undefined) return -1;
    for (const k of ks) {
      const t = this.known[k].text;
      if (line.slice(at, at + t.length) === t) return k;
    }
    return -1;
  }

  get(r: { attributes?: OtlpKeyValue[] } | string | undefined, notes?: ValueNotes): OtlpResourceInfo {
    if (typeof r === 'string' && r.startsWith(this.token)) return this.known[Number(r.slice(this.token.length))].info;
    const info = this.convert(r as { attributes?: OtlpKeyValue[] } | undefined, notes);
    if (this.line !== null && typeof r === 'object' && r !== null) this.learn(r, info);
    return info;
  }

  /** Remember the text of a resource of the line being read, if the line writes it as JSON.stringify does. */
  private learn(r: object, info: OtlpResourceInfo): void {
    if (this.known.length >= MAX_KNOWN || this.learnFailures >= MAX_LEARN_FAILURES) return;
    let text: string;
    try {
      text = JSON.stringify(r); // throws on a BigInt (a line read exactly): such a line teaches nothing
    } catch {
      return;
    }
    if (text.length < HEAD) return;
    if (!this.line!.includes(RESOURCE_KEY + text)) {
      this.learnFailures++;
      return;
    }
    const head = text.slice(0, HEAD);
    const ks = this.byHead.get(head) ?? [];
    if (ks.length >= MAX_SAME_HEAD || ks.some((k) => this.known[k].text === text)) return;
    ks.push(this.known.length);
    this.byHead.set(head, ks);
    this.known.push({ text, info });
  }

  private convert(r: { attributes?: OtlpKeyValue[] } | undefined, notes?: ValueNotes): OtlpResourceInfo {
    const kvs = r?.attributes;
    if (!Array.isArray(kvs) || kvs.length === 0) return convertOtlpResource(r, notes);
    const name = kvs.find((kv) => kv?.key === 'service.name')?.value?.stringValue ?? '';
    const hit = this.last.get(name);
    if (hit && sameScalarAttributes(hit.kvs, kvs)) return hit.info;
    const info = convertOtlpResource(r, notes);
    if (kvs.every((kv) => isScalar(kv?.value))) {
      if (this.last.size >= 1000) this.last.clear();
      this.last.set(name, { kvs, info });
    }
    return info;
  }
}

function isScalar(v: OtlpAnyValue | undefined): boolean {
  return v != null && v.arrayValue === undefined && v.kvlistValue === undefined && v.bytesValue === undefined;
}

function sameScalarAttributes(a: OtlpKeyValue[], b: OtlpKeyValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i].value!;
    const y = b[i]?.value;
    if (a[i].key !== b[i]?.key || !isScalar(y)) return false;
    if (x.stringValue !== y!.stringValue || x.intValue !== y!.intValue || x.boolValue !== y!.boolValue || x.doubleValue !== y!.doubleValue) return false;
  }
  return true;
}

export function convertOtlpScope(sc: { name?: string; version?: string } | undefined): Scope {
  return { name: sc?.name ?? '', version: sc?.version ?? '' };
}

/** Convert one span of a ResourceSpans/ScopeSpans. Throws with a plain message when unreadable. */
export function convertOtlpSpan(s: OtlpSpan, res: OtlpResourceInfo, scope: Scope, notes?: ValueNotes): Span {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new Error('not a span object');
  const traceId = normalizeId(s.traceId, 'trace');
  const spanId = normalizeId(s.spanId, 'span');
  if (!traceId) throw new Error(`span "${s.name ?? ''}" has no valid traceId (${JSON.stringify(s.traceId ?? null)})`);
  if (!spanId) throw new Error(`span "${s.name ?? ''}" has no valid spanId (${JSON.stringify(s.spanId ?? null)})`);
  const parent = s.parentSpanId ? normalizeId(s.parentSpanId, 'span') : null;
  const startNs = requireNs(s.startTimeUnixNano, 'startTimeUnixNano', notes);
  const endNs = requireNs(s.endTimeUnixNano, 'endTimeUnixNano', notes);
  const span: Span = {
    traceId: traceId.hex,
    spanId: spanId.hex,
    parentSpanId: parent?.hex ?? null,
    parentRef: 'child_of',
    name: s.name ?? '',
    service: res.service,
    kind: convertKind(s.kind),
    startNs,
    durationNs: durationBetween(startNs, endNs),
    status: convertStatus(s.status?.code),
    statusMessage: s.status?.message ?? '',
    attributes: convertAttributes(s.attributes, notes),
    resource: res.resource,
    scope,
    events: (s.events ?? NONE).map((e) => ({
      timeNs: requireNs(e.timeUnixNano, 'event timeUnixNano', notes), name: e.name ?? '', attributes: convertAttributes(e.attributes, notes, `event ${e.name ?? ''}`),
    })),
    links: (s.links ?? NONE).flatMap((l) => {
      const t = normalizeId(l.traceId, 'trace');
      const sp = normalizeId(l.spanId, 'span');
      return t && sp ? [{ traceId: t.hex, spanId: sp.hex, attributes: convertAttributes(l.attributes, notes, 'link') }] : [];
    }),
  };
  if (s.traceId !== traceId.hex) span.traceIdRaw = s.traceId;
  if (s.spanId !== spanId.hex) span.spanIdRaw = s.spanId;
  if (endNs < startNs) setSpanDuration(span, span.durationNs);
  return span;
}

/** Convert one parsed ExportTraceServiceRequest into canonical spans. Throws on a malformed span. */
export function convertOtlpTraces(req: OtlpTraceRequest): Span[] {
  const out: Span[] = [];
  forEachOtlpSpan(req, (s, res, scope) => out.push(convertOtlpSpan(s, res, scope)));
  return out;
}

/** What the walkers call with each part of a request they cannot read (its place, what it is). */
export type OtlpShapeFault = (message: string) => void;

function shapeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** A list the protocol says is there: missing is empty; anything else is reported and read as empty. */
export function otlpList(v: unknown, where: string, fault?: OtlpShapeFault): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  fault?.(`${where} is ${shapeOf(v)}, not a list: skipped`);
  return [];
}

/** An element the protocol says is an object; anything else is reported and skipped (null). */
export function otlpObject<T>(v: unknown, where: string, fault?: OtlpShapeFault): T | null {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as T;
  fault?.(`${where} is ${shapeOf(v)}, not an object: skipped`);
  return null;
}

/**
 * Walk the spans of a request with their resource and scope. A resource or scope entry, or a
 * list, of the wrong shape is reported to `fault` with its place and skipped; spans themselves
 * go to `fn` whatever they are (convertOtlpSpan refuses what is not a span).
 */
export function forEachOtlpSpan(
  req: OtlpTraceRequest,
  fn: (s: OtlpSpan, res: OtlpResourceInfo, scope: Scope) => void,
  resources?: OtlpResourceCache,
  notes?: ValueNotes,
  fault?: OtlpShapeFault,
): void {
  otlpList(req.resourceSpans, 'resourceSpans', fault).forEach((item, i) => {
    const rs = otlpObject<NonNullable<OtlpTraceRequest['resourceSpans']>[number]>(item, `resourceSpans[${i}]`, fault);
    if (!rs) return;
    const res = resources ? resources.get(rs.resource, notes) : convertOtlpResource(rs.resource, notes);
    const key = rs.scopeSpans !== undefined ? 'scopeSpans' : 'instrumentationLibrarySpans';
    otlpList(rs.scopeSpans ?? rs.instrumentationLibrarySpans, `resourceSpans[${i}].${key}`, fault).forEach((sItem, j) => {
      const ss = otlpObject<NonNullable<typeof rs.scopeSpans>[number]>(sItem, `resourceSpans[${i}].${key}[${j}]`, fault);
      if (!ss) return;
      const scope = convertOtlpScope(ss.scope ?? ss.instrumentationLibrary);
      for (const s of otlpList(ss.spans, `resourceSpans[${i}].${key}[${j}].spans`, fault)) fn(s as OtlpSpan, res, scope);
    });
  });
}

