// OTLP protobuf definitions for the OTLP/protobuf importer (otlp-proto.ts), parsed once at runtime
// by protobufjs. There is no build step for .proto files, so the definitions ship as text; decoding
// walks the parsed types (otlp-proto-decode.ts) because Type.decode needs eval.
//
// Source: https://github.com/open-telemetry/opentelemetry-proto (Apache License 2.0,
// Copyright The OpenTelemetry Authors), OTLP v1 as of the releases carrying Resource.entity_refs
// and LogRecord.event_name (v1.5 and later). Files: opentelemetry/proto/common/v1/common.proto
// (read at 03afad27 and a current vendored copy), resource/v1/resource.proto (1562fa6f),
// trace/v1/trace.proto (05e412fb), collector/trace/v1/trace_service.proto (06e6c1e1),
// logs/v1/logs.proto (c60eeacb, with event_name = 12 as in v1.5), collector/logs/v1/logs_service.proto.
// Changes from upstream: comments and options removed; only the messages the importer reads are
// kept (EntityRef, TracesData, LogsData, the services and their responses, LogRecordFlags and
// metrics are dropped: metric data points are counted by walking the wire, otlp-proto-walk.ts).
// Fields a message here does not declare are skipped by protobufjs as unknown fields, which is
// what the protobuf spec asks of readers, so newer producers still decode.
// Field numbers and types are unchanged: they are the wire format.

import protobuf from 'protobufjs';

export const OTLP_COMMON_PROTO = `
syntax = "proto3";
package opentelemetry.proto.common.v1;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}

message ArrayValue {
  repeated AnyValue values = 1;
}

message KeyValueList {
  repeated KeyValue values = 1;
}

message KeyValue {
  string key = 1;
  AnyValue value = 2;
}

message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
`;

export const OTLP_RESOURCE_PROTO = `
syntax = "proto3";
package opentelemetry.proto.resource.v1;

message Resource {
  repeated opentelemetry.proto.common.v1.KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
}
`;

export const OTLP_TRACE_PROTO = `
syntax = "proto3";
package opentelemetry.proto.trace.v1;

message ResourceSpans {
  reserved 1000;
  opentelemetry.proto.resource.v1.Resource resource = 1;
  repeated ScopeSpans scope_spans = 2;
  string schema_url = 3;
}

message ScopeSpans {
  opentelemetry.proto.common.v1.InstrumentationScope scope = 1;
  repeated Span spans = 2;
  string schema_url = 3;
}

message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;

  enum SpanKind {
    SPAN_KIND_UNSPECIFIED = 0;
    SPAN_KIND_INTERNAL = 1;
    SPAN_KIND_SERVER = 2;
    SPAN_KIND_CLIENT = 3;
    SPAN_KIND_PRODUCER = 4;
    SPAN_KIND_CONSUMER = 5;
  }

  SpanKind kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated opentelemetry.proto.common.v1.KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;

  message Event {
    fixed64 time_unix_nano = 1;
    string name = 2;
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 3;
    uint32 dropped_attributes_count = 4;
  }

  repeated Event events = 11;
  uint32 dropped_events_count = 12;

  message Link {
    bytes trace_id = 1;
    bytes span_id = 2;
    string trace_state = 3;
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 4;
    uint32 dropped_attributes_count = 5;
    fixed32 flags = 6;
  }

  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
}

message Status {
  reserved 1;
  string message = 2;

  enum StatusCode {
    STATUS_CODE_UNSET = 0;
    STATUS_CODE_OK = 1;
    STATUS_CODE_ERROR = 2;
  };

  StatusCode code = 3;
}
`;

export const OTLP_TRACE_SERVICE_PROTO = `
syntax = "proto3";
package opentelemetry.proto.collector.trace.v1;

message ExportTraceServiceRequest {
  repeated opentelemetry.proto.trace.v1.ResourceSpans resource_spans = 1;
}
`;

export const OTLP_LOGS_PROTO = `
syntax = "proto3";
package opentelemetry.proto.logs.v1;

message ResourceLogs {
  reserved 1000;
  opentelemetry.proto.resource.v1.Resource resource = 1;
  repeated ScopeLogs scope_logs = 2;
  string schema_url = 3;
}

message ScopeLogs {
  opentelemetry.proto.common.v1.InstrumentationScope scope = 1;
  repeated LogRecord log_records = 2;
  string schema_url = 3;
}

enum SeverityNumber {
  SEVERITY_NUMBER_UNSPECIFIED = 0;
  SEVERITY_NUMBER_TRACE  = 1;
  SEVERITY_NUMBER_TRACE2 = 2;
  SEVERITY_NUMBER_TRACE3 = 3;
  SEVERITY_NUMBER_TRACE4 = 4;
  SEVERITY_NUMBER_DEBUG  = 5;
  SEVERITY_NUMBER_DEBUG2 = 6;
  SEVERITY_NUMBER_DEBUG3 = 7;
  SEVERITY_NUMBER_DEBUG4 = 8;
  SEVERITY_NUMBER_INFO   = 9;
  SEVERITY_NUMBER_INFO2  = 10;
  SEVERITY_NUMBER_INFO3  = 11;
  SEVERITY_NUMBER_INFO4  = 12;
  SEVERITY_NUMBER_WARN   = 13;
  SEVERITY_NUMBER_WARN2  = 14;
  SEVERITY_NUMBER_WARN3  = 15;
  SEVERITY_NUMBER_WARN4  = 16;
  SEVERITY_NUMBER_ERROR  = 17;
  SEVERITY_NUMBER_ERROR2 = 18;
  SEVERITY_NUMBER_ERROR3 = 19;
  SEVERITY_NUMBER_ERROR4 = 20;
  SEVERITY_NUMBER_FATAL  = 21;
  SEVERITY_NUMBER_FATAL2 = 22;
  SEVERITY_NUMBER_FATAL3 = 23;
  SEVERITY_NUMBER_FATAL4 = 24;
}

message LogRecord {
  reserved 4;
  fixed64 time_unix_nano = 1;
  fixed64 observed_time_unix_nano = 11;
  SeverityNumber severity_number = 2;
  string severity_text = 3;
  opentelemetry.proto.common.v1.AnyValue body = 5;
  repeated opentelemetry.proto.common.v1.KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  string event_name = 12;
}
`;

export const OTLP_LOGS_SERVICE_PROTO = `
syntax = "proto3";
package opentelemetry.proto.collector.logs.v1;

message ExportLogsServiceRequest {
  repeated opentelemetry.proto.logs.v1.ResourceLogs resource_logs = 1;
}
`;

export interface OtlpProtoTypes {
  root: protobuf.Root;
  ExportTraceServiceRequest: protobuf.Type;
  ResourceSpans: protobuf.Type;
  ExportLogsServiceRequest: protobuf.Type;
  ResourceLogs: protobuf.Type;
}

let cached: OtlpProtoTypes | null = null;

/** The parsed types, built on first use (parsing costs a few milliseconds; most imports never need it). */
export function otlpProtoTypes(): OtlpProtoTypes {
  return (cached ??= parseOtlpProtoTypes());
}

/** Parse the definitions into a fresh Root (no eval: protobufjs's parser builds reflection objects). */
export function parseOtlpProtoTypes(): OtlpProtoTypes {
  ensureExactLongs();
  const root = new protobuf.Root();
  // keepCase: false gives camelCase field names, the same names the OTLP/JSON mapping uses.
  for (const src of [OTLP_COMMON_PROTO, OTLP_RESOURCE_PROTO, OTLP_TRACE_PROTO, OTLP_TRACE_SERVICE_PROTO, OTLP_LOGS_PROTO, OTLP_LOGS_SERVICE_PROTO]) {
    protobuf.parse(src, root, { keepCase: false });
  }
  root.resolveAll();
  return {
    root,
    ExportTraceServiceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    ResourceSpans: root.lookupType('opentelemetry.proto.trace.v1.ResourceSpans'),
    ExportLogsServiceRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    ResourceLogs: root.lookupType('opentelemetry.proto.logs.v1.ResourceLogs'),
  };
}

/**
 * protobufjs reads 64-bit fields as Long objects only when it finds the `long` package (its own
 * dependency, loaded with a guarded require that a bundler might drop); otherwise it hands out
 * doubles and nanosecond timestamps lose their last bits. Refuse to run lossy rather than import
 * wrong times.
 */
function ensureExactLongs(): void {
  if (!protobuf.util.Long) {
    throw new Error('protobufjs has no Long support here: 64-bit OTLP values would lose precision');
  }
}

/** A 64-bit value as protobufjs decodes it (a Long, or a number when it is small) to an exact BigInt. */
export function longToBigInt(v: unknown, unsigned: boolean): bigint {
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') return BigInt(v);
  if (v && typeof v === 'object' && 'low' in v && 'high' in v) {
    const l = v as { low: number; high: number };
    const u = (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
    return unsigned ? u : BigInt.asIntN(64, u);
  }
  return 0n;
}
