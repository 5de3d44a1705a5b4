// Helpers the Jaeger and Zipkin importers share: ids that may not be hex, RFC 3339 and Go/protobuf
// duration text to exact nanoseconds, the OpenTracing/OTel conventions carried in tags (span.kind,
// error, otel.status_code, otel.scope.name), and one Resource object per distinct resource so the
// store sees the same object again and again.

import type { Attributes, AttrValue, Resource, Span, SpanKind, StatusCode } from '../model/trace.ts';
import { normalizeId, type IdKind } from '../base/ids.ts';
import { stringifyExact } from '../base/json.ts';
import { epochNs, durationNs, MAX_EPOCH_NS } from '../base/time.ts';

export interface ReadId {
  hex: string;
  /** The id as written, when it differs from `hex`. */
  raw?: string;
}

/**
 * Normalise an id; ids that are no known encoding at all (e.g. "span-A" in hand-written test
 * traces) are hashed to a stable hex id so they still link up, and the text is kept as raw.
 * Returns null only for a missing, empty or all-zero id.
 */
export function readId(raw: unknown, kind: IdKind): ReadId | null {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0) raw = String(raw);
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const n = normalizeId(raw, kind);
  if (n) return n.hex === raw ? { hex: n.hex } : { hex: n.hex, raw };
  if (/^0*$/.test(raw.trim())) return null;
  const hex = kind === 'trace' ? fnv64(raw, 0xcbf29ce484222325n) + fnv64(raw, 0x84222325cbf29ce4n) : fnv64(raw, 0xcbf29ce484222325n);
  return { hex, raw };
}

const FNV_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;

function fnv64(text: string, seed: bigint): string {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * FNV_PRIME) & MASK64;
  }
  return h.toString(16).padStart(16, '0');
}

const GO_UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, µs: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/**
 * A duration as Go prints it ("22938000ns", "1m2.5s") or protobuf's JSON mapping ("0.022938s")
 * to exact nanoseconds, or null.
 */
export function parseDurationTextNs(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const t = text.trim();
  if (!/^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(t)) return null;
  let total = 0n;
  for (const m of t.matchAll(/(\d+)(?:\.(\d+))?(ns|us|µs|ms|s|m|h)/g)) {
    const unit = GO_UNITS[m[3]];
    total += BigInt(m[1]) * unit;
    if (m[2]) {
      // Fraction of the unit, exactly: digits × unit / 10^len (sub-nanosecond digits are dropped).
      total += (BigInt(m[2]) * unit) / 10n ** BigInt(m[2].length);
    }
  }
  return Number(t.startsWith('-') ? -total : total);
}

// No prototype: a level or kind read from a file may be "constructor" or "__proto__".
const KINDS: Record<string, SpanKind> = Object.setPrototypeOf({
  server: 'server', client: 'client', producer: 'producer', consumer: 'consumer', internal: 'internal',
  span_kind_server: 'server', span_kind_client: 'client', span_kind_producer: 'producer', span_kind_consumer: 'consumer',
  span_kind_internal: 'internal', rpc_server: 'server', rpc_client: 'client',
}, null);

export function kindFromText(v: AttrValue | undefined): SpanKind | null {
  return typeof v === 'string' ? (KINDS[v.toLowerCase()] ?? null) : null;
}

/** What the conventions carried in tags say about a span; the tags that said it are removed. */
export interface TagConventions {
  kind: SpanKind | null;
  status: StatusCode;
  statusMessage: string;
  scopeName: string;
  scopeVersion: string;
}

/**
 * Pull the OpenTracing/OTel conventions out of tags (Jaeger and Zipkin exports of OTel data write
 * them there): span.kind, error (true, or Zipkin's error message), otel.status_code and
 * otel.status_description, otel.scope.* / otel.library.*. `errorIsMessage`: Zipkin's error tag
 * holds the message. Mutates `attrs`.
 */
export function takeConventions(attrs: Attributes, errorIsMessage: boolean): TagConventions {
  const out: TagConventions = { kind: null, status: 'unset', statusMessage: '', scopeName: '', scopeVersion: '' };
  if ('span.kind' in attrs) {
    const k = kindFromText(attrs['span.kind']);
    if (k) {
      out.kind = k;
      delete attrs['span.kind'];
    }
  }
  const code = attrs['otel.status_code'];
  if (typeof code === 'string' && /^(ok|error|unset)$/i.test(code)) {
    out.status = code.toLowerCase() as StatusCode;
    delete attrs['otel.status_code'];
    const d = attrs['otel.status_description'];
    if (typeof d === 'string') {
      out.statusMessage = d;
      delete attrs['otel.status_description'];
    }
  }
  if ('error' in attrs) {
    const e = attrs['error'];
    if (e === true || e === 'true') {
      out.status = 'error';
      delete attrs['error'];
    } else if (errorIsMessage && typeof e === 'string' && e !== 'false') {
      out.status = 'error';
      if (out.statusMessage === '') out.statusMessage = e;
      delete attrs['error'];
    }
  }
  for (const [name, version] of [['otel.scope.name', 'otel.scope.version'], ['otel.library.name', 'otel.library.version']]) {
    if (typeof attrs[name] === 'string' && out.scopeName === '') {
      out.scopeName = attrs[name] as string;
      delete attrs[name];
      if (typeof attrs[version] === 'string') {
        out.scopeVersion = attrs[version] as string;
        delete attrs[version];
      }
    }
  }
  return out;
}

/** Hands out one Resource object per distinct attribute set. */
export class ResourceCache {
  private readonly map = new Map<string, Resource>();

  private readonly byService = new Map<string, Resource>();

  /** The resource that holds only a service name (Zipkin's, and Jaeger spans without a process). */
  forService(service: string): Resource {
    let r = this.byService.get(service);
    if (!r) this.byService.set(service, (r = this.get({ 'service.name': service })));
    return r;
  }

  get(attributes: Attributes): Resource {
    const key = stringifyExact(attributes);
    let r = this.map.get(key);
    if (!r) {
      r = { attributes };
      this.map.set(key, r);
    }
    return r;
  }
}

/** Integer text or number to a number when exact, else BigInt; null when not an integer. */
export function readInt(v: unknown): number | bigint | null {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (typeof v === 'number') return Number.isInteger(v) ? v : null;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) {
    const b = BigInt(v.trim());
    return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
  }
  return null;
}

/**
 * Set a span's duration as the file states it, kept usable: a span that ends before it starts
 * (a clock stepped back, a bad exporter) is shown as 0 long, and one that would end past what an
 * EpochNs holds ends there. Either way the span is kept and the attribute
 * `tracedeck.duration_as_written_ns` says what the file had.
 */
export function setSpanDuration(span: Span, writtenNs: number): void {
  const left = MAX_EPOCH_NS - span.startNs;
  let room = Number(left);
  if (BigInt(room) > left) room -= 2 ** (Math.floor(Math.log2(room)) - 52); // the double below, not the one rounded up
  const d = writtenNs < 0 ? 0 : writtenNs > room ? room : writtenNs;
  if (d !== writtenNs) span.attributes['tracedeck.duration_as_written_ns'] = writtenNs;
  span.durationNs = durationNs(d);
}

/** A span with every field at its empty value, for importers to fill in. */
export function blankSpan(traceId: string, spanId: string, resource: Resource): Span {
  return {
    traceId, spanId, parentSpanId: null, parentRef: 'child_of', name: '', service: 'unknown_service', kind: 'unspecified',
    startNs: epochNs(0n), durationNs: durationNs(0), status: 'unset', statusMessage: '', attributes: {}, resource, scope: { name: '', version: '' },
    events: [], links: [],
  };
}
