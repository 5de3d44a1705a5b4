// Trace and span id normalisation, for ids as OTLP, W3C Trace Context
// (https://www.w3.org/TR/trace-context/#trace-id), B3, Jaeger, X-Ray, Datadog and GCP write them.
// Canonical trace id: 32 lowercase hex characters; span id: 16. 64-bit trace ids are left-padded,
// and every trace id also has a "low64" key (its last 16 hex digits) so 64-bit-only sources
// (Datadog, 64-bit B3/Jaeger) can still join, as partial matches.

const HEX = /^[0-9a-f]+$/;
const HEX_ANY_CASE = /^[0-9a-fA-F]+$/;
const DIGITS = /^[0-9]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export type IdKind = 'trace' | 'span';

export interface NormalizedId {
  /** 32 (trace) or 16 (span) lowercase hex characters. */
  hex: string;
  /** How the id was written: 'hex', 'decimal' or 'base64'. */
  encoding: 'hex' | 'decimal' | 'base64';
}

function width(kind: IdKind): number {
  return kind === 'trace' ? 32 : 16;
}

/** 1 for the character codes of 0-9 and a-f. */
const LOWER_HEX = new Uint8Array(65536);
for (const c of '0123456789abcdef') LOWER_HEX[c.charCodeAt(0)] = 1;

/**
 * Fast path: already canonical (lowercase hex of exactly the width). Most producers write this.
 * Run for every id of every span: one table lookup per character, no early exit (ids are short).
 */
function isCanonicalHex(s: string, w: number): boolean {
  if (s.length !== w) return false;
  let ok = 1;
  for (let i = 0; i < w; i++) ok &= LOWER_HEX[s.charCodeAt(i)];
  return ok === 1;
}

function isAllZero(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 48) return false;
  return true;
}

/** Bytes (e.g. protobuf or base64-decoded) to lowercase hex. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return s;
}

function base64ToBytes(b64: string): Uint8Array | null {
  const std = b64.replace(/-/g, '+').replace(/_/g, '/');
  try {
    const bin = atob(std.length % 4 === 0 ? std : std + '='.repeat(4 - (std.length % 4)));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** Strip the wrappers different producers put around an id. */
function stripWrappers(raw: string): string {
  let s = raw.trim();
  const slash = s.lastIndexOf('/traces/');
  if (slash >= 0) s = s.slice(slash + 8); // projects/P/traces/ID (Google Cloud Logging)
  // Only before hex digits: a base64 id may itself begin with "0x" (one in about 2,000 random ones).
  if ((s.startsWith('0x') || s.startsWith('0X')) && HEX_ANY_CASE.test(s.slice(2))) s = s.slice(2);
  if (/^1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24}$/.test(s)) s = s.slice(2).replace('-', ''); // AWS X-Ray Root=1-xxxxxxxx-yyyy…
  else if (/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s)) s = s.replace(/-/g, ''); // UUID form
  return s;
}

/**
 * Normalise an id as written by any producer. `decimal` says the field is known to be decimal
 * (Datadog dd.trace_id, GCP span ids); otherwise an all-digit string is read as hex unless it is
 * longer than the hex width allows. Base64 is tried only for the lengths of 16- or 8-byte values.
 * Returns null for empty, all-zero or unreadable ids.
 */
export function normalizeId(raw: string | null | undefined, kind: IdKind, decimal = false): NormalizedId | null {
  if (raw == null) return null;
  const w = width(kind);
  if (!decimal && typeof raw === 'string' && isCanonicalHex(raw, w)) return isAllZero(raw) ? null : { hex: raw, encoding: 'hex' };
  const s = stripWrappers(String(raw));
  if (s.length === 0) return null;
  const lower = s.toLowerCase();
  let hex: string | null = null;
  let encoding: NormalizedId['encoding'] = 'hex';
  if (decimal && DIGITS.test(s)) {
    hex = BigInt(s).toString(16);
    encoding = 'decimal';
  } else if (HEX.test(lower) && lower.length <= w) {
    hex = lower;
  } else if (DIGITS.test(s) && s.length <= 20) {
    hex = BigInt(s).toString(16);
    encoding = 'decimal';
  } else if ((s.length === 24 || s.length === 12 || s.length === 22 || s.length === 11) && BASE64.test(s)) {
    const bytes = base64ToBytes(s);
    if (bytes && (bytes.length === 16 || bytes.length === 8)) {
      hex = bytesToHex(bytes);
      encoding = 'base64';
    }
  }
  if (hex === null || hex.length > w) return null;
  hex = hex.padStart(w, '0');
  if (isAllZero(hex)) return null;
  return { hex, encoding };
}

/** Canonical 32-hex trace id or null. */
export function normalizeTraceId(raw: string | null | undefined, decimal = false): string | null {
  return normalizeId(raw, 'trace', decimal)?.hex ?? null;
}


/** The low 64 bits of a canonical trace id: the key 64-bit-only sources join on. */
export function traceIdLow64(hex32: string): string {
  return hex32.slice(16);
}

/** True when a canonical trace id carries only 64 bits (high half zero): it may match on low64 only. */
export function isTraceId64(hex32: string): boolean {
  return hex32.startsWith('0000000000000000');
}

/**
 * What a trace id typed into a search can stand for, as keys into the canonical store:
 *   full    the whole 32-hex id (written as 32 hex digits, a UUID, 24-character base64, or fewer
 *           than 32 hex digits a producer shortened by dropping leading zeros);
 *   prefix  the first hex digits of an id (fewer than 32 written);
 *   low64   the low 64 bits (16 hex digits): what 64-bit-only producers keep (Datadog's decimal
 *           ids, 64-bit B3 and Jaeger ids, 12-character base64), for ids written with up to 16
 *           hex digits or up to 20 decimal ones. Digits only can be hex and decimal alike: both are kept.
 * Null when the text can be no trace id.
 */
export interface TraceIdQuery {
  full: string | null;
  prefix: string | null;
  low64: string[];
}

export function traceIdQuery(raw: string): TraceIdQuery | null {
  const s = stripWrappers(raw);
  if (s.length === 0 || s.length > 64) return null;
  const lower = s.toLowerCase();
  const out: TraceIdQuery = { full: null, prefix: null, low64: [] };
  if (HEX.test(lower)) {
    if (lower.length > 32) return null;
    if (lower.length === 32) out.full = lower;
    else {
      out.prefix = lower;
      if (lower.length > 16) out.full = lower.padStart(32, '0');
      else out.low64.push(lower.padStart(16, '0'));
    }
  }
  if (DIGITS.test(s) && s.length <= 20 && BigInt(s) < 2n ** 64n) {
    const hex = BigInt(s).toString(16).padStart(16, '0');
    if (!out.low64.includes(hex)) out.low64.push(hex);
  }
  if (out.full === null && out.prefix === null && out.low64.length === 0 && BASE64.test(s)) {
    const id = normalizeId(s, 'trace');
    if (id?.encoding === 'base64') {
      if (id.hex.startsWith('0000000000000000') && (s.length === 12 || s.length === 11)) out.low64.push(id.hex.slice(16));
      else out.full = id.hex;
    }
  }
  if (out.full !== null && isAllZero(out.full)) out.full = null;
  out.low64 = out.low64.filter((h) => !isAllZero(h));
  return out.full === null && out.prefix === null && out.low64.length === 0 ? null : out;
}

/**
 * How a producer may write a trace id inside a log message: 32 hex digits, a UUID, base64 of its
 * 16 bytes, and for the 64-bit-only sources its low half as 16 hex digits and as Datadog's decimal.
 */
export function idEncodings(hex32: string): string[] {
  const low = hex32.slice(16);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex32.slice(2 * i, 2 * i + 2), 16);
  const forms = [
    hex32,
    `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20)}`,
    btoa(String.fromCharCode(...bytes)),
    low,
    BigInt(`0x${low}`).toString(10),
  ];
  return isTraceId64(hex32) ? forms.filter((f) => f !== hex32) : forms;
}
