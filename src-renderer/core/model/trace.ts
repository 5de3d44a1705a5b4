// The canonical, OTel-shaped trace model. Every importer (OTLP JSON/proto, Jaeger, Zipkin) builds
// exactly these objects; the store and the analyses read nothing else.

import type { EpochNs, DurationNs } from '../base/time.ts';

/**
 * An attribute value, as OTLP's AnyValue carries it. Integers that fit a double exactly are numbers;
 * larger 64-bit integers are BigInt so they stay exact (stored in SQLite JSON as bare digits).
 * Bytes are kept as a base64 string under `{ bytes }`.
 */
export type AttrValue = string | number | bigint | boolean | null | AttrValue[] | { [key: string]: AttrValue } | { bytes: string };
export type Attributes = Record<string, AttrValue>;

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export const SPAN_KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

export type StatusCode = 'unset' | 'ok' | 'error';

/** How a span relates to its parent (OTel: parent + links; Jaeger: CHILD_OF / FOLLOWS_FROM). */
export type ParentRef = 'child_of' | 'follows_from';

export interface SpanEvent {
  timeNs: EpochNs;
  name: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface Resource {
  attributes: Attributes;
}

export interface Scope {
  name: string;
  version: string;
}

export interface Span {
  /** 32 lowercase hex. */
  traceId: string;
  /** 16 lowercase hex. */
  spanId: string;
  /** 16 lowercase hex, or null for a root. */
  parentSpanId: string | null;
  parentRef: ParentRef;
  /** The ids as the file wrote them, when different from the canonical form. */
  traceIdRaw?: string;
  spanIdRaw?: string;
  name: string;
  /** service.name of the resource, or the format's equivalent; "unknown_service" when absent. */
  service: string;
  kind: SpanKind;
  startNs: EpochNs;
  /** End minus start. Zipkin spans without a duration get 0 and the `tracedeck.no_duration` attribute. */
  durationNs: DurationNs;
  status: StatusCode;
  statusMessage: string;
  attributes: Attributes;
  resource: Resource;
  scope: Scope;
  events: SpanEvent[];
  links: SpanLink[];
}

export const UNKNOWN_SERVICE = 'unknown_service';

/** Data-quality findings recorded at import, per trace (core/analysis/structure.ts finds the structural ones). */
export type FindingKind =
  | 'orphan' // parent id not present in the trace
  | 'multiple_roots'
  | 'duplicate_span_id'
  | 'cycle'
  | 'child_starts_before_parent'
  | 'child_ends_after_parent'
  | 'clock_skew'
  | 'no_duration'
  | 'rejected_record'
  | 'inexact_value' // a value not readable exactly, kept as the text written
  | 'warning';

export interface Finding {
  kind: FindingKind;
  traceId: string | null;
  spanId: string | null;
  /** Human-readable detail, e.g. "parent 00f067aa0ba902b7 not in trace". */
  message: string;
  /** Extra structured detail (e.g. { serviceA, serviceB, offsetNs }). */
  data?: Record<string, string | number | boolean | null>;
}
