// Every trace file of the shared corpus imports with the counts asserted here (counted by hand
// from the files: spans read = spans stored + records rejected), the broken ones give the error or
// the flagged partial import asserted, and what is not traces is refused naming the formats.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CORPUS, importFile, importBytes } from './import-harness.ts';
import { detectFormat } from '../../src-renderer/core/import/detect.ts';
import { TRACE_FORMATS } from '../../src-renderer/core/import/trace-formats.ts';

const J = 'jaeger-json';
const O = 'otlp-json';
const Z = 'zipkin-json';
const UI = 'jaeger-ui/packages/jaeger-ui/src';
const TS = `${UI}/components/TracePage/TraceStatistics/tableValuesTestTrace`;
const IT = 'jaeger/internal/storage/integration/fixtures/traces';

// [path, format, spans, traces]
const GOOD: [string, string, number, number][] = [
  ['jaeger-analytics-java/src/test/resources/ui-trace.json', J, 2, 1],
  ...[1, 2, 4, 5, 6, 7].map((n): [string, string, number, number] => [`jaeger-ui/critical-path-extracted/test${n}.jaeger.json`, J, 3, 1]),
  ['jaeger-ui/critical-path-extracted/test8.jaeger.json', J, 2, 1],
  ['jaeger-ui/critical-path-extracted/test9.jaeger.json', J, 2, 1],
  [`${UI}/components/TracePage/TraceFlamegraph/testTrace.json`, J, 4, 1],
  [`${UI}/components/TracePage/TraceGraph/testTrace.json`, J, 11, 1],
  [`${TS}/spanAmongEachOtherGroupedAndSpans.json`, J, 17, 1],
  [`${TS}/spanLongerAsParent.json`, J, 8, 1],
  [`${TS}/spansAmongEachOther.json`, J, 12, 1],
  [`${TS}/spansAmongEachOtherGrouped.json`, J, 15, 1],
  [`${TS}/testTrace.json`, J, 11, 1],
  [`${TS}/testTraceNormal.json`, J, 5, 1],
  [`${TS}/traceWithMultipleSpansWithTheSameValueInDifferentTags.json`, J, 4, 1],
  [`${TS}/traceWithOverlappingChildren.json`, J, 3, 1],
  [`${TS}/traceWithOverlappingChildrenLongerThanParent.json`, J, 4, 1],
  [`${TS}/traceWithSingleChildLongerThanParentAndStartsAfterParent.json`, J, 2, 1],
  [`${TS}/traceWithThreeShortChildren.json`, J, 4, 1],
  [`${TS}/traceWithThreeShortOverlappingChildren.json`, J, 4, 1],
  [`${TS}/traceWithTwoChildrenStartedAtTraceStart.json`, J, 3, 1],
  [`${TS}/traceWithTwoNonOverlappingChildren.json`, J, 3, 1],
  [`${UI}/components/TracePage/TraceTimelineViewer/genaiTestTrace.json`, J, 57, 1],
  [`${UI}/utils/fixtures/oltp2jaeger-multi-out.json`, J, 4, 1],
  [`${UI}/utils/fixtures/otlp2jaeger-in-error.json`, O, 1, 1],
  [`${UI}/utils/fixtures/otlp2jaeger-in.json`, O, 2, 1],
  [`${UI}/utils/fixtures/otlp2jaeger-multi-in-combined.json`, O, 4, 1],
  [`${UI}/utils/fixtures/otlp2jaeger-multi-in.json.txt`, O, 4, 1],
  [`${UI}/utils/fixtures/otlp2jaeger-out.json`, J, 2, 1],
  ['jaeger/cmd/anonymizer/app/uiconv/fixtures/trace_success.json', J, 2, 1],
  ['jaeger/cmd/jaeger/internal/extension/jaegerquery/internal/fixture/otlp2jaeger-in.json', O, 2, 1],
  ['jaeger/cmd/jaeger/internal/extension/jaegerquery/internal/fixture/otlp2jaeger-out.json', J, 2, 1],
  ['jaeger/internal/converter/thrift/jaeger/fixtures/domain_01.json', J, 1, 1],
  ['jaeger/internal/converter/thrift/jaeger/fixtures/domain_02.json', J, 2, 1],
  ['jaeger/internal/converter/thrift/jaeger/fixtures/domain_03.json', J, 2, 1],
  ...['default', 'dur_trace', 'link_attributes_trace', 'log_tags_trace', 'max_dur_trace', 'multi_spot_tags_trace', 'multiple1_trace',
    'multiple2_trace', 'multiple3_trace', 'multispottag_dur_trace', 'multispottag_maxdur_trace', 'multispottag_opname_dur_trace',
    'multispottag_opname_maxdur_trace', 'multispottag_opname_trace', 'opname_dur_trace', 'opname_trace', 'process_tags_trace',
    'scope_attributes_trace', 'scope_name_version_trace', 'span_tags_trace', 'tags_dur_trace', 'tags_escaped_operator_trace_1',
    'tags_escaped_operator_trace_2', 'tags_maxdur_trace', 'tags_opname_dur_trace', 'tags_opname_maxdur_trace', 'tags_opname_trace',
    'tags_wildcard_regex_1', 'tags_wildcard_regex_2'].map((n): [string, string, number, number] => [`${IT}/${n}.json`, O, 1, 1]),
  [`${IT}/example_trace.json`, O, 5, 1],
  [`${IT}/multi_index_trace.json`, O, 2, 1],
  [`${IT}/opname_maxdur_trace.json`, O, 2, 1],
  ['jaeger/internal/storage/v2/cassandra/tracestore/fixtures/otel_traces_01.json', O, 1, 1],
  ['jaeger/internal/storage/v2/memory/fixtures/otel_traces_01.json', O, 4, 2],
  ['jaeger/internal/uimodel/converter/v1/json/fixtures/domain_01.json', J, 5, 1],
  ['jaeger/internal/uimodel/converter/v1/json/fixtures/domain_es_01.json', J, 1, 1],
  ['jaeger/internal/uimodel/converter/v1/json/fixtures/es_01.json', J, 1, 1],
  ['jaeger/internal/uimodel/converter/v1/json/fixtures/ui_01.json', J, 5, 1],
  ['opentelemetry-collector-contrib/receiver/zipkinreceiver/testdata/sample3.json', Z, 1, 1],
  ['opentelemetry-collector-contrib/receiver/zipkinreceiver/testdata/sample4.json', Z, 1, 1],
  ['opentelemetry-proto/examples/trace.json', O, 1, 1],
  ['zipkin/benchmarks/src/test/resources/zipkin2-chinese.json', Z, 1, 1],
  ['zipkin/benchmarks/src/test/resources/zipkin2-client.json', Z, 1, 1],
  ['zipkin/zipkin-lens/testdata/ascend.json', Z, 8, 1],
  ['zipkin/zipkin-lens/testdata/envoy.json', Z, 1, 1],
  ['zipkin/zipkin-lens/testdata/messaging-kafka.json', Z, 28, 1],
  ['zipkin/zipkin-lens/testdata/messaging.json', Z, 4, 1],
  ['zipkin/zipkin-lens/testdata/messaging2.json', Z, 11, 1],
  ['zipkin/zipkin-lens/testdata/simple-db-p6.json', Z, 5, 1],
  ['zipkin/zipkin-lens/testdata/skew.json', Z, 4, 1],
  ['zipkin/zipkin-lens/testdata/smartthings-mobile-web-install.json', Z, 1041, 1],
  ['zipkin/zipkin-lens/testdata/smartthings-oauth-authorization.json', Z, 175, 1],
  ['zipkin/zipkin-lens/testdata/yelp.json', Z, 16, 1],
];

describe('corpus trace files', () => {
  it.each(GOOD)('%s → %s, %i spans, %i traces', (path, format, spans, traces) => {
    const c = importFile(`${CORPUS}/${path}`, path);
    expect(c.error).toBeNull();
    expect(c.rejects).toEqual([]);
    expect(c.format).toBe(format);
    expect(c.spans.length).toBe(spans);
    expect(new Set(c.spans.map((s) => s.traceId)).size).toBe(traces);
  });

  it('reads Zipkin smartthings: 16 services, spans without timestamp or duration kept and flagged', () => {
    const c = importFile(`${CORPUS}/zipkin/zipkin-lens/testdata/smartthings-mobile-web-install.json`);
    expect(new Set(c.spans.map((s) => s.service)).size).toBe(16);
    // 84 spans carry neither timestamp nor duration; 91 more have a timestamp but no duration.
    expect(c.findings.filter((f) => f.kind === 'warning' && f.message.includes('no timestamp')).length).toBe(84);
    expect(c.findings.filter((f) => f.kind === 'no_duration').length).toBe(175);
    expect(c.spans.filter((s) => s.durationNs === 0 && s.attributes['tracedeck.no_duration'] === true).length).toBe(175);
  });
});

describe('broken corpus files', () => {
  const A = `${CORPUS}/jaeger/cmd/anonymizer/app/uiconv/fixtures`;
  it('trace_empty.json (0 bytes) is refused, naming the supported formats', () => {
    const c = importFile(`${A}/trace_empty.json`);
    expect(c.format).toBeNull();
    expect(c.detectMessage).toMatch(/not a supported trace or log format \(supported: .*Jaeger JSON.*Zipkin JSON/);
  });
  it('trace_invalid_json.json: its one span has a duration "invalid" and no startTime → rejected, nothing stored', () => {
    const c = importFile(`${A}/trace_invalid_json.json`);
    expect(c.format).toBe('jaeger-json');
    expect(c.spans.length).toBe(0);
    expect(c.rejects).toEqual([{ offset: 1, message: 'span has no startTime' }]);
    expect(c.error).toBeNull();
  });
  it('trace_scan_error.json: a trailing comma is a structural error at byte 79, after the record before it', () => {
    const c = importFile(`${A}/trace_scan_error.json`, 'trace_scan_error.json');
    expect(c.rejects.map((r) => r.offset)).toEqual([1]); // the record before the fault was handed on (and rejected: no startTime)
    expect(c.error?.describe()).toBe("trace_scan_error.json, byte 79: expected a value, found ']'");
  });
  it('trace_wrong_format.json: a bare span object without startTime → one rejected record', () => {
    const c = importFile(`${A}/trace_wrong_format.json`);
    expect(c.spans.length).toBe(0);
    expect(c.rejects.length).toBe(1);
    expect(c.rejects[0].message).toBe('span has no startTime');
  });
  it('otel-desktop-viewer span.json: invalid AnyValue key and no timestamps → flagged partial import', () => {
    const c = importFile(`${CORPUS}/otel-desktop-viewer/.github/workflows/span.json`);
    expect(c.format).toBe('otlp-json');
    expect(c.spans.length).toBe(0);
    expect(c.rejects).toEqual([{ offset: expect.any(Number), message: 'span has no readable startTimeUnixNano' }]);
  });
});

describe('refused inputs', () => {
  const refuse = (bytes: Uint8Array, name: string) => {
    const d = detectFormat(bytes, name);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.message).toMatch(/supported: .*OTLP\/JSON traces.*Jaeger JSON.*Zipkin JSON/);
  };
  it('OTLP metrics', () => refuse(readFileSync(`${CORPUS}/opentelemetry-proto/examples/metrics.json`), 'metrics.json'));
  it('a Jaeger dependency graph (not spans)', () =>
    refuse(readFileSync(`${CORPUS}/jaeger-ui/packages/jaeger-ui/src/components/DependencyGraph/sample_data/small.json`), 'small.json'));
  it('the critical-path expectations file', () => refuse(readFileSync(`${CORPUS}/jaeger-ui/critical-path-extracted/expected-critical-path.json`), 'x.json'));
  it('random JSON: no trace format claims it (a JSON object may still be a one-line JSON log)', () => {
    const bytes = new TextEncoder().encode('{"name":"x","items":[1,2,3],"nested":{"a":true}}');
    const text = new TextDecoder().decode(bytes);
    for (const f of TRACE_FORMATS) expect([f.id, f.detect(bytes, text, 'trace.json')]).toEqual([f.id, 0]);
    const d = detectFormat(bytes, 'trace.json');
    expect(d.ok && d.format.kind === 'traces').toBe(false);
  });
  it('a random JSON array', () => refuse(new TextEncoder().encode('[1, 2, {"x": [true, null]}]'), 'trace.json'));
  it('a PNG', () => refuse(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]), 'trace.json'));
  it('the importer harness reports the refusal too', () => {
    const c = importBytes(new TextEncoder().encode('[1,2,3]'), 'spans.json');
    expect(c.format).toBeNull();
  });
});
