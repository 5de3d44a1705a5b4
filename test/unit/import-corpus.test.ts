// Every trace file of the shared corpus imports with the counts asserted here (counted by hand
// from the files: spans read = spans stored + records rejected), the broken ones give the error or
// the flagged partial import asserted, and what is not traces is refused naming the formats.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CORPUS, importFile, importBytes } from './import-harness.ts';
import { detectFormat } from '../../src-renderer/core/import/detect.ts';
import { TRACE_FORMATS } from '../../src-renderer/core/import/trace-formats.ts';

import { GOOD } from './import-corpus-list.ts';

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
    expect(c.detectMessage).toMatch(/not a supported trace, log or catalog format \(supported: .*Jaeger JSON.*Zipkin JSON/);
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

// OTLP metrics are not imported, but a file of them is OTLP: read, its data points counted as
// skipped, with a note (it was refused as no supported format before files could mix signals).
describe('OTLP metrics', () => {
  it('metrics.json: every data point counted as skipped, nothing rejected', () => {
    const c = importFile(`${CORPUS}/opentelemetry-proto/examples/metrics.json`, 'metrics.json');
    expect([c.format, c.spans.length, c.logs.length, c.rejects, c.error]).toEqual(['otlp-json', 0, 0, [], null]);
    expect(c.tallied.skipped).toBe(4);
    expect(c.notes).toEqual(['metrics skipped: {n} data points']);
  });
});

describe('refused inputs', () => {
  const refuse = (bytes: Uint8Array, name: string) => {
    const d = detectFormat(bytes, name);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.message).toMatch(/supported: .*OTLP\/JSON traces.*Jaeger JSON.*Zipkin JSON/);
  };
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
