// Is this span in error, and why: the one decoder. The store's is_error column is set from it at
// import, and every analysis (error path, error origins, root causes, budgets) reads that column
// or asks here, so a signal is never counted in one place and missed in another.
//
// Signals, as producers write them (OpenTelemetry semantic conventions; OpenTracing; Jaeger;
// Zipkin; gRPC and yarpc instrumentations):
//   - OTel status ERROR (an explicit OK means the application decided it succeeded: nothing else counts);
//   - the OpenTracing tag error=true (boolean or text);
//   - HTTP status (http.response.status_code, http.status_code) ≥ 500, or ≥ 400 on a client span;
//   - gRPC and yarpc status codes other than OK, as a number (rpc.grpc.status_code: 14), as digits
//     ("14"), or as a name in any spelling (grpc.status: "UNAVAILABLE", "Unavailable",
//     "StatusCode.UNAVAILABLE", rpc.yarpc.status_code: "deadline-exceeded");
//   - an exception recorded on the span (an OTel `exception` event, a Jaeger/OpenTracing `error` log).

import type { Attributes, AttrValue, SpanKind, StatusCode } from './trace.ts';

/** An exception recorded on a span (OTel `exception` event, or a Jaeger/Zipkin error log). */
export interface ErrException {
  type?: string;
  message?: string;
  stacktrace?: string;
}

export type ErrorSignal = 'status' | 'error-tag' | 'http' | 'grpc' | 'exception';

/** Why a span is in error: the signal, and a short text for people (`HTTP 503`, `gRPC UNAVAILABLE`). */
export interface SpanErrorReason {
  signal: ErrorSignal;
  text: string;
}

/** What the decoder reads of a span. Events are optional (callers that have none pass none). */
export interface ErrorFacts {
  status: StatusCode;
  statusMessage?: string;
  kind?: SpanKind;
  attributes: Attributes;
  events?: readonly { name: string; attributes: Attributes }[];
}

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html); yarpc uses the same numbers. */
export const GRPC_CODES: readonly string[] = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS',
  'UNAUTHENTICATED',
];
const GRPC_BY_NAME = new Map<string, number>(GRPC_CODES.map((n, i) => [n, i]));
GRPC_BY_NAME.set('CANCELED', 1);
const RPC_STATUS_KEYS = ['rpc.grpc.status_code', 'grpc.status_code', 'grpc.status', 'grpc.code', 'rpc.yarpc.status_code'];

/**
 * A gRPC or yarpc status as written, to its number: 14, "14", "UNAVAILABLE", "Unavailable",
 * "StatusCode.UNAVAILABLE", "deadline-exceeded". null when it is none of these.
 */
export function grpcStatusCode(v: AttrValue | undefined): number | null {
  if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(Number(v)) ? Number(v) : null;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const name = t.replace(/^(?:grpc\.)?StatusCode\./i, '').replace(/[-\s]/g, '_').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return GRPC_BY_NAME.get(name) ?? null;
}

function httpStatusOf(a: Attributes): number | null {
  const v = a['http.response.status_code'] ?? a['http.status_code'];
  const n = typeof v === 'string' ? Number(v) : typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** The exception an event records, or null for any other event. */
export function exceptionOfEvent(name: string, a: Record<string, unknown>): ErrException | null {
  let isException = name === 'exception' || name === 'error' || a['event'] === 'error';
  if (!isException) for (const k in a) if (k.startsWith('exception.')) isException = true;
  if (!isException) return null;
  const s = (...keys: string[]) => {
    for (const k of keys) {
      const v = a[k];
      if (typeof v === 'string' && v !== '') return v;
    }
    return undefined;
  };
  const out: ErrException = {};
  const type = s('exception.type', 'error.kind');
  const message = s('exception.message', 'message', 'error.object');
  const stacktrace = s('exception.stacktrace', 'stack');
  if (type !== undefined) out.type = type;
  if (message !== undefined) out.message = message;
  if (stacktrace !== undefined) out.stacktrace = stacktrace;
  return out;
}

/** Why the span is in error, or null when it is not. The first signal found, in the order above. */
export function spanErrorReason(s: ErrorFacts): SpanErrorReason | null {
  if (s.status === 'ok') return null;
  if (s.status === 'error') return { signal: 'status', text: s.statusMessage || 'status ERROR' };
  const a = s.attributes;
  const tag = a['error'];
  if (tag === true || tag === 'true') return { signal: 'error-tag', text: 'error=true' };
  const http = httpStatusOf(a);
  if (http !== null && (http >= 500 || (http >= 400 && s.kind === 'client'))) return { signal: 'http', text: `HTTP ${http}` };
  for (const k of RPC_STATUS_KEYS) {
    if (!(k in a)) continue;
    const code = grpcStatusCode(a[k]);
    if (code !== null && code !== 0) return { signal: 'grpc', text: `gRPC ${GRPC_CODES[code] ?? code}` };
  }
  for (const e of s.events ?? []) {
    const ex = exceptionOfEvent(e.name, e.attributes);
    if (ex) return { signal: 'exception', text: describeException(ex) || 'exception' };
  }
  return null;
}

export function isErrorSpan(s: ErrorFacts): boolean {
  return spanErrorReason(s) !== null;
}

export function describeException(e: ErrException): string {
  if (e.message) return e.type && !e.message.startsWith(e.type) ? `${e.type}: ${e.message}` : e.message;
  return e.type ?? '';
}

/**
 * A failing span's own words for what went wrong, for people: its status message, else its first
 * exception, else an error message attribute, else the signal (`HTTP 503`, `gRPC UNAVAILABLE`).
 */
export function errorMessage(s: { statusMessage?: string; exceptions?: readonly ErrException[]; attributes?: Attributes; kind?: SpanKind; status?: StatusCode }): string {
  if (s.statusMessage) return s.statusMessage;
  for (const e of s.exceptions ?? []) {
    const d = describeException(e);
    if (d) return d;
  }
  const a = s.attributes ?? {};
  for (const key of ['exception.message', 'error.message', 'error.object']) {
    const v = a[key];
    if (typeof v === 'string' && v) return v;
  }
  const reason = spanErrorReason({ status: s.status === 'error' ? 'unset' : (s.status ?? 'unset'), kind: s.kind, attributes: a });
  return reason && reason.signal !== 'error-tag' ? reason.text : '';
}
