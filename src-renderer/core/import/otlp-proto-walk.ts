// Reading OTLP/protobuf requests at the wire level, before (or instead of) decoding them.
//
// ExportTraceServiceRequest, ExportLogsServiceRequest and ExportMetricsServiceRequest all hold
// their resources as field 1, and ResourceSpans, ResourceLogs and ResourceMetrics all nest
// resource = 1, scope_* = 2 (scope = 1, records = 2), schema_url = 3: the bytes alone do not say
// which request a frame is (the collector's file exporter writes all three into one file). The
// records do: each kind of record writes its fields with its own wire types, as the .proto files
// declare them (trace.proto Span, logs.proto LogRecord, metrics.proto Metric):
//
//   field:       1   2   3   4   5   6   7   8   9   10  11  12  13  14  15  16
//   Span         L   L   L   L   L   V   64  64  L   V   L   V   L   V   L   32
//   LogRecord    64  V   L   (L) L   L   V   32  L   L   64  L
//   Metric       L   L   L   .   L   .   L   .   L   L   L   L
//   (L length-delimited, V varint, 64 / 32 fixed; LogRecord 4 is the old `name`)
//
// A kind is a candidate when every field its records write has the wire type it declares. A span
// always writes its start and end times (7, 8 as fixed64), which no metric can; a log record
// written with a time (1 or 11 as fixed64), a severity (2 as varint) or attributes (6) is no
// metric either. Metrics are not decoded at all: their data points are counted here.

import { readVarint } from './otlp-proto-frames.ts';

export type ResourceKind = 'spans' | 'logs' | 'metrics' | 'empty';

const L = 2;
const V = 0;
const F64 = 1;
const F32 = 5;
const SPAN_WIRE = [-1, L, L, L, L, L, V, F64, F64, L, V, L, V, L, V, L, F32];
const LOG_WIRE = [-1, F64, V, L, L, L, L, V, F32, L, L, F64, L];
const METRIC_WIRE = [-1, L, L, L, -1, L, -1, L, -1, L, L, L, L];

/**
 * Calls `fn(field, wire, start, end)` for each field of the message in `b` (for length-delimited
 * fields, start and end bound the payload), until it returns true. False when the bytes read are
 * not a well-formed message.
 */
export function forEachField(b: Uint8Array, fn: (field: number, wire: number, start: number, end: number) => boolean | void): boolean {
  let p = 0;
  while (p < b.length) {
    const tag = readVarint(b, p);
    if (tag === null || tag === 'bad') return false;
    const field = tag.value >>> 3;
    const wire = tag.value & 7;
    if (field === 0) return false;
    let start = tag.next;
    let end: number;
    if (wire === V) {
      const v = readVarint(b, start, 10);
      if (v === null || v === 'bad') return false;
      end = v.next;
    } else if (wire === F64) end = start + 8;
    else if (wire === F32) end = start + 4;
    else if (wire === L) {
      const len = readVarint(b, start);
      if (len === null || len === 'bad') return false;
      start = len.next;
      end = start + len.value;
    } else return false;
    if (end > b.length) return false;
    if (fn(field, wire, start, end) === true) return true;
    p = end;
  }
  return true;
}

/** The length-delimited payloads of field `field` of a message (e.g. a request's resources). Null when malformed. */
export function fieldPayloads(b: Uint8Array, field: number): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  const ok = forEachField(b, (f, wire, start, end) => {
    if (f === field && wire === L) out.push(b.subarray(start, end));
  });
  return ok ? out : null;
}

/**
 * The resources of an Export*ServiceRequest (its field 1), or why the request is malformed: a
 * message declares its field types, so field 1 written with another wire type is corrupt, not
 * skipped.
 */
export function requestResources(b: Uint8Array): Uint8Array[] | string {
  const out: Uint8Array[] = [];
  let wrong = -1;
  const ok = forEachField(b, (f, wire, start, end) => {
    if (f !== 1) return false;
    if (wire !== L) {
      wrong = wire;
      return true;
    }
    out.push(b.subarray(start, end));
  });
  if (wrong >= 0) return `resourceLogs, resourceMetrics or resourceSpans (1) has wire type ${wrong}, expected 2`;
  return ok ? out : 'not a well-formed request';
}

/** Records looked at to tell the kind: the first few are enough, and reading more costs. */
const RECORDS_LOOKED_AT = 4;

/**
 * Which kind of Resource* message `b` is, from the wire types of its first records' fields; 'empty'
 * when it holds no record, null when no kind fits (or the bytes are malformed).
 */
export function classifyResource(b: Uint8Array): ResourceKind | null {
  const seen: number[] = []; // wire type + 1 per field number, 0 when unseen
  let records = 0;
  let bad = false;
  // Walks stop early (a callback returning true) once enough records were seen.
  const whole = forEachField(b, (field, wire, start, end) => {
    if (field !== 2 || wire !== L) return false;
    const scope = b.subarray(start, end);
    const scopeWhole = forEachField(scope, (f, w, s, e) => {
      if (f !== 2 || w !== L) return false;
      records++;
      bad = !forEachField(scope.subarray(s, e), (rf, rw) => {
        if (rf < 64) seen[rf] = rw + 1;
      });
      return bad || records >= RECORDS_LOOKED_AT;
    });
    if (!scopeWhole) bad = true;
    return bad || records >= RECORDS_LOOKED_AT;
  });
  if (bad || !whole) return null;
  if (records === 0) return 'empty';
  const fits = (decl: number[]) => seen.every((w, f) => w === undefined || w === 0 || decl[f] === w - 1);
  const has = (field: number, wire: number) => seen[field] === wire + 1;
  const span = fits(SPAN_WIRE);
  const log = fits(LOG_WIRE);
  const metric = fits(METRIC_WIRE);
  if (span && (has(7, F64) || has(8, F64))) return 'spans';
  if (log && !metric) return 'logs';
  if (metric && !log) return 'metrics';
  if (log) return 'logs'; // fields both declare alike, and no metric name (a metric writes field 1)
  return span ? 'spans' : null;
}

/** Data points of one ResourceMetrics: in each Metric, the data_points (1) of its gauge, sum, histogram, exponential histogram or summary. */
export function countDataPoints(b: Uint8Array): number {
  let n = 0;
  for (const scope of fieldPayloads(b, 2) ?? []) {
    for (const metric of fieldPayloads(scope, 2) ?? []) {
      forEachField(metric, (field, wire, start, end) => {
        if (wire === L && (field === 5 || field === 7 || field === 9 || field === 10 || field === 11)) n += fieldPayloads(metric.subarray(start, end), 1)?.length ?? 0;
      });
    }
  }
  return n;
}
