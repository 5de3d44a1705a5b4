// The trace formats detect.ts chooses among. Each entry is a FormatDef; detection is by content
// (scores), so the order here only breaks ties.
import type { FormatDef } from './types.ts';
import { OTLP_JSON } from './otlp-json.ts';
import { JAEGER_JSON } from './jaeger-json.ts';
import { ZIPKIN_JSON } from './zipkin-json.ts';
import { OTLP_PROTO } from './otlp-proto.ts';

export const TRACE_FORMATS: FormatDef[] = [OTLP_JSON, JAEGER_JSON, ZIPKIN_JSON, OTLP_PROTO];
