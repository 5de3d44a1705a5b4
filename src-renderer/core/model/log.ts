// The canonical log record. Every log importer builds these; trace context is normalised as trace
// and span ids are everywhere (core/base/ids.ts: 32/16 lowercase hex), with the original text kept.

import type { EpochNs } from '../base/time.ts';
import type { Attributes, Scope } from './trace.ts';

export type Severity = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export const SEVERITIES: readonly Severity[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** OTel severity number ranges: 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal. */
export function severityFromNumber(n: number): Severity | null {
  if (!(n >= 1 && n <= 24)) return null;
  return SEVERITIES[Math.floor((n - 1) / 4)];
}

export interface LogRecord {
  /** Absolute time, or null when the line had no readable timestamp. */
  timeNs: EpochNs | null;
  severity: Severity | null;
  /** The level as written ("WARNING", "E", "30"). */
  severityText: string;
  service: string | null;
  message: string;
  /** 32 hex, or null. A 64-bit id is padded and flagged by `traceIdPartial`. */
  traceId: string | null;
  spanId: string | null;
  /** The id only carried 64 bits (Datadog, 64-bit B3/Jaeger): it can match on the low half only. */
  traceIdPartial: boolean;
  traceIdRaw: string | null;
  spanIdRaw: string | null;
  /** 1-based line number of the record's first line in its file. */
  line: number;
  /** Every field of the record (for JSON logs) or the parsed parts (for text formats). */
  attributes: Attributes;
  /** The instrumentation scope that wrote it (OTLP), when it names one. */
  scope?: Scope;
  /** When the SDK or collector observed it (OTLP observedTimeUnixNano), when written. */
  observedNs?: EpochNs | null;
}
